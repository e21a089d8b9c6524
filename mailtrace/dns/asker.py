"""Which message is asking: the key that ties a recorded DNS answer to the message it was for.

A question asked for several messages may get different answers over a run (a record
that changes, a timeout then an answer). Replay must give each message the answer it
got, whatever order the messages are analysed in (``--jobs``, Dask, another input
order). :func:`asking_for` marks the analysis of one message (its SHA-256); the
recording resolver writes the mark on each line and the replaying resolver serves a
message its own answers first. Context variables are per thread, so the threads of a
batch run each carry their own message.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_ASKER: ContextVar[str | None] = ContextVar("mailtrace_dns_asker", default=None)


@contextmanager
def asking_for(raw: bytes) -> Iterator[str]:
    """DNS questions asked inside the block are asked for the message ``raw`` (its SHA-256, hex)."""
    key = hashlib.sha256(raw).hexdigest()
    token = _ASKER.set(key)
    try:
        yield key
    finally:
        _ASKER.reset(token)


def current_asker() -> str | None:
    """The SHA-256 of the message being analysed in this thread, or None outside an analysis."""
    return _ASKER.get()
