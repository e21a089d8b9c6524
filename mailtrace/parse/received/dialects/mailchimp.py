"""Mailchimp and Mandrill: ``by mail*.mcsv.net`` / ``*.mandrillapp.com`` / ``rsgsv.net`` / ``mcdlv.net``."""

from __future__ import annotations

from mailtrace.parse.received.dialects.base import Dialect, two_label_domains
from mailtrace.parse.received.draft import Draft, Line

_DOMAINS = two_label_domains(
    "mandrillapp.com", "mcsv.net", "rsgsv.net", "mcdlv.net", "mailchimp.com", "mailchimpapp.net"
)


def _matches(line: Line) -> bool:
    return line.by_tail in _DOMAINS or "(mandrill" in line.low


def _apply(line: Line, draft: Draft) -> None:
    if line.by_keyword.get("from") is None and draft.ip is None:
        draft.kind = "internal"


DIALECT = Dialect(
    name="mailchimp",
    title="Mailchimp / Mandrill",
    matches=_matches,
    apply=_apply,
    example=(
        "from localhost (localhost [127.0.0.1]) by mail180-5.suw21.mandrillapp.com (Mailchimp) with ESMTP id"
        " 4XYZ123 for <bob@example.org>; Mon, 3 Jun 2024 10:00:00 +0000 (GMT)"
    ),
)
