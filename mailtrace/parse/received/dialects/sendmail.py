"""Sendmail: ``by host (8.15.2/8.15.2) with ESMTP id x`` and its ``/Submit`` local form.

``from HELO (IDENT:user@rdns [ip] (may be forged))``, ``(authenticated bits=0)``,
``(version=TLSv1.2 cipher=... bits=256 verify=NOT)``, ``(from user@localhost)``
for a local submission.
"""

from __future__ import annotations

import re

from mailtrace.parse.received.dialects.base import Dialect
from mailtrace.parse.received.draft import Draft, Line

_VERSION = re.compile(r"\d{1,2}\.\d{1,3}(?:\.\d{1,3})?(?:\.[0-9a-z]+)?[a-z]?/")


def _matches(line: Line) -> bool:
    text = line.by_comment
    return bool(text) and (_VERSION.match(text) is not None or "sendmail" in text)


def _apply(line: Line, draft: Draft) -> None:
    text = line.by_comment
    if line.by_keyword.get("from") is None and "/submit" in text:
        draft.kind = "local"
    for comment in line.comments:
        if comment[:5].lower() == "from " and "@" in comment:
            draft.kind = "local"
            draft.ident = draft.ident or comment[5:].split("@", 1)[0][:256]


DIALECT = Dialect(
    name="sendmail",
    title="Sendmail",
    matches=_matches,
    apply=_apply,
    example=(
        "from lugh.tuatha.org (postfix@lugh.tuatha.org [194.125.145.45]) by dogma.slashnull.org (8.11.6/8.11.6)"
        " with ESMTP id g8LKFkC02344 for <jm@jmason.org>; Sat, 21 Sep 2002 21:15:46 +0100"
    ),
)
