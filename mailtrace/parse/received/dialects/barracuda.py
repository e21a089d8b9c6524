"""Barracuda Email Security Gateway / Spam Firewall: ``by barracuda.example.org with ESMTP id X (version=...)``."""

from __future__ import annotations

from mailtrace.parse.received.dialects.base import Dialect, by_comment, by_host
from mailtrace.parse.received.draft import Line


def _matches(line: Line) -> bool:
    return "barracuda" in by_host(line) or "barracuda" in by_comment(line) or "(spam firewall)" in line.low


DIALECT = Dialect(
    name="barracuda",
    title="Barracuda",
    matches=_matches,
    example=(
        "from mail.example.net (mail.example.net [192.0.2.40]) by barracuda.example.org with ESMTP id"
        " AbCdEf123 for <bob@example.org>; Mon, 03 Jun 2024 10:00:00 -0500 (CDT)"
    ),
)
