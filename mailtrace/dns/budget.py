"""Per-analysis bounds on DNS work: a lookup count and a time budget.

One :class:`BudgetedResolver` is made for each message verified (never
shared), wrapping the resolver from the policy. When the budget is spent
every further question is answered TIMEOUT with a detail saying so: the
checks that needed it report ``temperror`` ("unverifiable now"), never a
negative result. The per-question timeout handed down is never more than
the time left. Defaults: ``Limits.max_dns_lookups`` (60) and
``Limits.dns_time_budget`` (20 s); SPF keeps its own RFC 7208 section 4.6.4
limit of 10 DNS-querying terms and 2 void lookups inside that.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from mailtrace.dns.answer import Answer, Status, normalize_name, normalize_type
from mailtrace.dns.resolver import Resolver


class BudgetedResolver:
    """Counts the questions asked through it and refuses to exceed the bounds."""

    def __init__(
        self,
        inner: Resolver,
        *,
        max_lookups: int,
        time_budget: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.inner = inner
        self.max_lookups = max_lookups
        self.time_budget = time_budget
        self._clock = clock
        self._start = clock()
        self.lookups = 0
        self.refused = 0

    @property
    def remaining_time(self) -> float:
        return self.time_budget - (self._clock() - self._start)

    @property
    def exhausted(self) -> bool:
        return self.lookups >= self.max_lookups or self.remaining_time <= 0

    def resolve(self, name: str, rtype: str, *, timeout: float | None = None) -> Answer:
        left = self.remaining_time
        if self.lookups >= self.max_lookups or left <= 0:
            self.refused += 1
            why = (
                f"DNS lookup budget of {self.max_lookups} spent"
                if self.lookups >= self.max_lookups
                else f"DNS time budget of {self.time_budget:g} s spent"
            )
            return Answer(name=normalize_name(name), rtype=normalize_type(rtype), status=Status.TIMEOUT, detail=why)
        self.lookups += 1
        return self.inner.resolve(name, rtype, timeout=left if timeout is None else min(timeout, left))
