"""IBM / HCL (Lotus) Domino: ``by host (Lotus Domino Release 8.5.3FP6) with ESMTP id 2024...``."""

from __future__ import annotations

from mailtrace.parse.received.dialects.base import Dialect
from mailtrace.parse.received.draft import Line


def _matches(line: Line) -> bool:
    text = line.by_comment
    return "domino" in text


DIALECT = Dialect(
    name="domino",
    title="IBM / HCL Domino",
    matches=_matches,
    example=(
        "from mail.example.net ([192.0.2.50]) by notes.example.org (Lotus Domino Release 8.5.3FP6) with ESMTP id"
        " 2024060310000012-34 ; Mon, 3 Jun 2024 10:00:00 +0200"
    ),
)
