"""Barracuda Email Security Gateway / Spam Firewall: ``by barracuda.example.org with ESMTP id X (version=...)``."""

from __future__ import annotations

from mailtrace.parse.received.dialects.base import Dialect
from mailtrace.parse.received.draft import Line


def _matches(line: Line) -> bool:
    return "barracuda" in line.by_host or "barracuda" in line.by_comment or "(spam firewall)" in line.low


DIALECT = Dialect(
    name="barracuda",
    title="Barracuda",
    matches=_matches,
    example=(
        "from mail.example.net (mail.example.net [192.0.2.40]) by barracuda.example.org with ESMTP id"
        " AbCdEf123 for <bob@example.org>; Mon, 03 Jun 2024 10:00:00 -0500 (CDT)"
    ),
)
