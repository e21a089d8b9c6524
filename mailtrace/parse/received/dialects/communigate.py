"""CommuniGate Pro: ``from [ip] (account user@example.org HELO name) by host (CommuniGate Pro SMTP 6.3)``."""

from __future__ import annotations

from mailtrace.parse.received.dialects.base import Dialect
from mailtrace.parse.received.draft import Draft, Line


def _matches(line: Line) -> bool:
    return "communigate" in line.by_comment


def _apply(line: Line, draft: Draft) -> None:
    clause = line.by_keyword.get("from")
    if clause is None:
        return
    for comment in clause.comments:
        if comment[:8].lower() == "account ":
            draft.authenticated = True
            draft.auth = comment[8:].split(None, 1)[0][:256] if comment[8:].strip() else draft.auth


DIALECT = Dialect(
    name="communigate",
    title="CommuniGate Pro",
    matches=_matches,
    apply=_apply,
    example=(
        "from [192.0.2.60] (account alice@example.org HELO laptop) by mail.example.org"
        " (CommuniGate Pro SMTP 6.3.2) with ESMTPSA id 1234567 for bob@example.org; Mon, 03 Jun 2024 10:00:00 +0200"
    ),
)
