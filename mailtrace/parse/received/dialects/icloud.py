"""Apple iCloud: ``by *.mail.icloud.com`` / ``me.com`` / ``mac.com`` (Postfix or Oracle Messaging Server)."""

from __future__ import annotations

from mailtrace.parse.received.dialects.base import Dialect, two_label_domains
from mailtrace.parse.received.draft import Line

_DOMAINS = two_label_domains("icloud.com", "me.com", "mac.com", "apple.com")


def _matches(line: Line) -> bool:
    return line.by_tail in _DOMAINS


DIALECT = Dialect(
    name="icloud",
    title="Apple iCloud",
    matches=_matches,
    example=(
        "from outgoing.example.org (mail.example.org [192.0.2.9]) by ms11p00im-qufo17281601.me.com (Postfix)"
        " with ESMTPSA id 4A2B3C4D for <bob@icloud.com>; Mon, 3 Jun 2024 10:00:00 +0000 (UTC)"
    ),
)
