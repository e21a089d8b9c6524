"""Zimbra and amavisd-new.

Zimbra's mailbox server writes ``from mta.example.org (LHLO mta.example.org)
(10.0.0.5) by mbox.example.org with LMTP``; its Postfix MTA runs amavisd-new,
whose re-injection hop reads ``by host (amavisd-new, port 10024) with ESMTP``
or ``by localhost (amavis, port 10032)``.
"""

from __future__ import annotations

from mailtrace.parse.received.dialects.base import Dialect
from mailtrace.parse.received.draft import Draft, Line


def _matches(line: Line) -> bool:
    text = line.by_comment
    return "zimbra" in text or "amavis" in text or "(lhlo " in line.low


def _apply(line: Line, draft: Draft) -> None:
    if "amavis" in line.by_comment:
        draft.software = "amavisd"


DIALECT = Dialect(
    name="zimbra",
    title="Zimbra and amavisd-new",
    matches=_matches,
    apply=_apply,
    example=(
        "from localhost (localhost [127.0.0.1]) by mx.example.org (amavisd-new, port 10024) with ESMTP id"
        " abcDEF123 for <bob@example.org>; Mon, 3 Jun 2024 10:00:00 +0200 (CEST)"
    ),
)
