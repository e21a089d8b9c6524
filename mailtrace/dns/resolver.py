"""The one seam through which SPF, DKIM, ARC and DMARC ask DNS questions."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from mailtrace.dns.answer import Answer


@runtime_checkable
class Resolver(Protocol):
    """Answers ``(name, type)`` with a typed :class:`~mailtrace.dns.answer.Answer`.

    Implementations never raise for a DNS failure: NXDOMAIN, NODATA,
    SERVFAIL and TIMEOUT are statuses. ``timeout`` (seconds) is the most the
    caller will wait for this one question; resolvers that do no I/O ignore it.
    They raise only for configuration errors (for example a strict offline
    zone asked a question it does not hold).
    """

    def resolve(self, name: str, rtype: str, *, timeout: float | None = None) -> Answer: ...
