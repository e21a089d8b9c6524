"""Watching a live resolver over a batch: a dead server fails fast, a sinkhole is named.

:class:`HealthMonitor` sits between the answer cache and the live resolver, so it
sees only the questions actually sent. It counts them, and:

* after ``dead_after`` (3) consecutive timeouts it declares the resolver dead
  (a timeout counts only when the question was allowed at least ``MIN_WAIT``
  seconds: a message's spent DNS budget says nothing about the server):
  later questions are answered TIMEOUT at once (the checks that needed it read
  ``temperror``) instead of waiting out each message's DNS budget, and one warning
  is given. A single answer in between resets the count. A dead resolver is probed
  again: one question is sent through after ``retry_after`` seconds (30), then after
  twice as long each time it still does not answer, up to :data:`MAX_RETRY_AFTER`
  (300); when it answers, questions are asked again and a second warning says so, so
  a short outage does not turn the rest of a long batch into ``temperror``.
* it notes answers that look like a sinkhole: NXDOMAIN for a name that must exist
  (the mail records of the large providers in :data:`MUST_EXIST`), or NXDOMAIN for
  every one of at least :data:`SINKHOLE_MIN_QUERIES` questions.

:func:`dns_statistics` collects the counters of a resolver chain for the one line a
run ends with.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from mailtrace.dns.answer import Answer, Status, normalize_name, normalize_type
from mailtrace.dns.resolver import Resolver

_LOG = logging.getLogger("mailtrace.dns")

#: Names whose TXT (SPF, DMARC) records every working resolver finds: NXDOMAIN for them is a sinkhole.
MUST_EXIST = frozenset(
    {
        "gmail.com",
        "_dmarc.gmail.com",
        "google.com",
        "_dmarc.google.com",
        "outlook.com",
        "_dmarc.outlook.com",
        "microsoft.com",
        "_dmarc.microsoft.com",
        "yahoo.com",
        "_dmarc.yahoo.com",
        "icloud.com",
        "_dmarc.icloud.com",
        "amazonses.com",
        "sendgrid.net",
        "_spf.google.com",
        "spf.protection.outlook.com",
    }
)
#: Every answer NXDOMAIN over at least this many questions reads as a sinkhole.
SINKHOLE_MIN_QUERIES = 20
DEAD_AFTER = 3
#: Seconds after a resolver is declared dead before one question probes it again; doubled per failed probe.
RETRY_AFTER = 30.0
MAX_RETRY_AFTER = 300.0
#: Seconds: a timeout of a question allowed less (its message's budget nearly spent) is not the server's fault.
MIN_WAIT = 0.5


class HealthMonitor:
    """Counts what ``inner`` answers; fails fast once it stops answering."""

    def __init__(
        self,
        inner: Resolver,
        *,
        dead_after: int = DEAD_AFTER,
        warn: Callable[[str], None] | None = None,
        retry_after: float = RETRY_AFTER,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.inner = inner
        self.dead_after = dead_after
        self.retry_after = retry_after
        self._clock = clock
        self._warn = warn or _LOG.warning
        self._lock = threading.Lock()
        self.queries = 0  #: questions sent to ``inner``
        self.failures = 0  #: TIMEOUT or SERVFAIL answers (including the ones given without asking)
        self.nxdomain = 0
        self.skipped = 0  #: questions answered TIMEOUT without asking, after the resolver was declared dead
        self.must_exist_missing: list[str] = []
        self.warnings = 0
        self._consecutive_timeouts = 0
        self.dead = False
        self.outages = 0  #: times the resolver was declared dead
        self.revivals = 0  #: times a probe found a dead resolver answering again
        self._wait = retry_after  # before the next probe of a dead resolver
        self._probe_at = 0.0
        self._probing = False

    def resolve(self, name: str, rtype: str, *, timeout: float | None = None) -> Answer:
        with self._lock:
            skip = self.dead and (self._probing or self._clock() < self._probe_at)
            probe = self.dead and not skip
            if probe:
                self._probing = True
            if skip:
                self.skipped += 1
                self.failures += 1
            else:
                self.queries += 1
        if skip:
            return Answer(
                name=normalize_name(name),
                rtype=normalize_type(rtype),
                status=Status.TIMEOUT,
                detail=f"resolver not answering ({self.dead_after} consecutive timeouts): not asked",
            )
        answer = self.inner.resolve(name, rtype, timeout=timeout)
        with self._lock:
            message = self._probed(answer) if probe else self._counted(answer, timeout)
            if answer.temporary:
                self.failures += 1
            if answer.status is Status.NXDOMAIN:
                self.nxdomain += 1
                if answer.name in MUST_EXIST and len(self.must_exist_missing) < 5:
                    self.must_exist_missing.append(f"{answer.rtype} {answer.name}")
        if message:
            self._warn(message)
        return answer

    def _counted(self, answer: Answer, timeout: float | None) -> str | None:
        """Count a timeout towards declaring the resolver dead (under the lock); the warning to give, if any."""
        if answer.status is not Status.TIMEOUT:
            self._consecutive_timeouts = 0
            return None
        if timeout is None or timeout >= MIN_WAIT:
            self._consecutive_timeouts += 1
        if self._consecutive_timeouts < self.dead_after or self.dead:
            return None
        self.dead = True
        self.outages += 1
        self.warnings += 1
        self._wait = self.retry_after
        self._probe_at = self._clock() + self._wait
        return (
            f"DNS: the resolver did not answer {self._consecutive_timeouts} questions in a row; "
            f"questions are not asked (results read temperror) until it answers a probe, "
            f"the first in {self._wait:.0f} s"
        )

    def _probed(self, answer: Answer) -> str | None:
        """A dead resolver's probe came back (under the lock): revive it, or wait longer for the next."""
        self._probing = False
        if answer.status is Status.TIMEOUT:
            self._wait = min(self._wait * 2, MAX_RETRY_AFTER)
            self._probe_at = self._clock() + self._wait
            return None
        self.dead = False
        self._consecutive_timeouts = 0
        self.revivals += 1
        self.warnings += 1
        return f"DNS: the resolver answers again; questions are asked again ({self.skipped} were not asked)"

    @property
    def sinkhole(self) -> str | None:
        """Why the answers look like a sinkhole, or ``None``."""
        if self.must_exist_missing:
            return "NXDOMAIN for names that exist: " + ", ".join(self.must_exist_missing)
        if self.queries >= SINKHOLE_MIN_QUERIES and self.nxdomain == self.queries:
            return f"every one of {self.queries} answers was NXDOMAIN"
        return None


@dataclass(frozen=True, slots=True)
class DnsStatistics:
    """What a run asked DNS, for the line it ends with."""

    queries: int
    cache_hits: int
    failures: int
    skipped: int
    dead: bool
    sinkhole: str | None
    outages: int = 0

    def line(self) -> str:
        parts = [
            f"DNS: {self.queries} queries sent",
            f"{self.cache_hits} cache hits",
            f"{self.failures} failures",
        ]
        if self.dead:
            parts.append(f"resolver not answering ({self.skipped} questions not asked)")
        elif self.skipped:
            parts.append(
                f"resolver not answering {self.outages} time(s) ({self.skipped} questions not asked), answering again"
            )
        parts.append(f"sinkhole suspected: {self.sinkhole}" if self.sinkhole else "no sign of a sinkhole")
        return ", ".join(parts)


def dns_statistics(resolver: object) -> DnsStatistics | None:
    """The counters of the :class:`HealthMonitor` in ``resolver``'s chain (``.inner`` links), if any."""
    hits = 0
    current: object | None = resolver
    for _ in range(8):
        if current is None:
            break
        if isinstance(current, HealthMonitor):
            return DnsStatistics(
                queries=current.queries,
                cache_hits=hits,
                failures=current.failures,
                skipped=current.skipped,
                dead=current.dead,
                sinkhole=current.sinkhole,
                outages=current.outages,
            )
        hits += int(getattr(current, "hits", 0) or 0)
        current = getattr(current, "inner", None)
    return None
