"""Local hand-overs with no network client: ``with local``, ``with LMTP``, ``with QMQP``, ``with BSMTP``.

Exim ``from alice by host with local (Exim 4.96)``; Dovecot/Cyrus delivery
``by imap.example.org with LMTP id x``; qmail ``with QMQP``. ``kind`` says
``local``, ``lmtp`` or ``internal``; the ``from`` word is a user name, kept as
``ident`` rather than as a HELO.
"""

from __future__ import annotations

from mailtrace.parse.received.dialects.base import Dialect
from mailtrace.parse.received.draft import Draft, Line

_LOCAL = ("local", "lmtp", "qmqp", "bsmtp", "utf8lmtp")


def _matches(line: Line) -> bool:
    return line.with_word.startswith(_LOCAL)


def _apply(line: Line, draft: Draft) -> None:
    word = line.with_word
    if word.startswith("local") and draft.ip is None and draft.helo is not None:
        draft.ident, draft.helo = draft.helo, None


DIALECT = Dialect(
    name="local",
    title="Local delivery and submission (local, LMTP, QMQP)",
    matches=_matches,
    apply=_apply,
    example=(
        "from carol by smtp.example.com with local (Exim 4.96) (envelope-from <carol@example.com>)"
        " id 1s6xyx-000GHI-0B for dave@example.org; Wed, 15 May 2024 10:00:00 +0000"
    ),
)
