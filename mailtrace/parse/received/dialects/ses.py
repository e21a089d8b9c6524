"""Amazon SES: ``by email-smtp.amazonaws.com with SMTP (SimpleEmailService-d-XXXX) id x``.

The submission endpoint writes an ``SimpleEmailService`` comment; outbound
hops come from ``*.smtp-out.amazonses.com``.
"""

from __future__ import annotations

from mailtrace.parse.received.dialects.base import Dialect, two_label_domains
from mailtrace.parse.received.draft import Draft, Line

_DOMAINS = two_label_domains("amazonses.com")


def _matches(line: Line) -> bool:
    return "simpleemailservice" in line.low or line.by_tail in _DOMAINS


def _apply(line: Line, draft: Draft) -> None:
    if line.by_keyword.get("from") is None and draft.ip is None:
        draft.kind = "internal"


DIALECT = Dialect(
    name="ses",
    title="Amazon SES",
    matches=_matches,
    apply=_apply,
    example=(
        "from example.org (ec2-198-51-100-3.compute-1.amazonaws.com [198.51.100.3]) by email-smtp.amazonaws.com"
        " with SMTP (SimpleEmailService-d-ABCD1234) id 1nFqXa1b2c3d4e5f for bob@example.org;"
        " Mon, 31 Jan 2022 15:00:00 +0000 (UTC)"
    ),
)
