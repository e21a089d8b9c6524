"""fetchmail, getmail and other IMAP/POP3 retrieval lines (``kind="fetch"``).

``from mail.example.org [192.0.2.5] by localhost with POP3 (fetchmail-6.4.0)
for <alice@localhost> (single-drop)``; getmail writes ``by host with POP3 (getmail
5.16)`` or ``with IMAP4-SSL``. The ``from`` address is the mailbox server the
message was fetched from, not an SMTP client.
"""

from __future__ import annotations

from mailtrace.parse.received.dialects.base import Dialect
from mailtrace.parse.received.draft import Draft, Line

_FETCH = ("pop", "imap", "odmr")


def _matches(line: Line) -> bool:
    low = line.low
    return "fetchmail" in low or "getmail" in low or line.with_word.startswith(_FETCH)


def _apply(line: Line, draft: Draft) -> None:
    draft.kind = "fetch"


DIALECT = Dialect(
    name="fetchmail",
    title="fetchmail / getmail (IMAP, POP3)",
    matches=_matches,
    apply=_apply,
    example=(
        "from jalapeno [127.0.0.1] by localhost with IMAP (fetchmail-5.9.0) for jm@localhost (single-drop);"
        " Wed, 28 Aug 2002 17:56:47 +0100 (IST)"
    ),
)
