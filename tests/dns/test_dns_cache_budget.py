"""CachingResolver (TTL, never caching temporary failures) and BudgetedResolver (lookup/time bounds)."""

from __future__ import annotations

from mailtrace.dns import Answer, BudgetedResolver, CachingResolver, Status


class Scripted:
    """Answers from a script and counts the questions asked."""

    def __init__(self, status: Status = Status.NOERROR, ttl: int | None = 60) -> None:
        self.calls = 0
        self.status = status
        self.ttl = ttl
        self.timeouts: list[float | None] = []

    def resolve(self, name: str, rtype: str, *, timeout: float | None = None) -> Answer:
        self.calls += 1
        self.timeouts.append(timeout)
        records = ("192.0.2.1",) if self.status is Status.NOERROR else ()
        return Answer(name=name, rtype=rtype, status=self.status, records=records, ttl=self.ttl)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_cache_serves_until_ttl_expires() -> None:
    inner, clock = Scripted(ttl=60), Clock()
    cache = CachingResolver(inner, clock=clock)
    cache.resolve("a.example", "A")
    cache.resolve("A.example.", "a")
    assert inner.calls == 1 and cache.hits == 1
    clock.now += 61
    cache.resolve("a.example", "A")
    assert inner.calls == 2


def test_cache_never_caches_temporary_failures() -> None:
    for status in (Status.TIMEOUT, Status.SERVFAIL):
        inner = Scripted(status=status)
        cache = CachingResolver(inner, clock=Clock())
        cache.resolve("a.example", "A")
        cache.resolve("a.example", "A")
        assert inner.calls == 2, status


def test_cache_keeps_negative_answers_for_negative_ttl() -> None:
    inner, clock = Scripted(status=Status.NXDOMAIN, ttl=None), Clock()
    cache = CachingResolver(inner, clock=clock, negative_ttl=30)
    cache.resolve("gone.example", "TXT")
    cache.resolve("gone.example", "TXT")
    assert inner.calls == 1
    clock.now += 31
    cache.resolve("gone.example", "TXT")
    assert inner.calls == 2


def test_cache_is_bounded() -> None:
    cache = CachingResolver(Scripted(), clock=Clock(), max_entries=3)
    for i in range(10):
        cache.resolve(f"n{i}.example", "A")
    assert len(cache) == 3


def test_budget_refuses_past_the_lookup_count_with_a_timeout_answer() -> None:
    inner = Scripted()
    budget = BudgetedResolver(inner, max_lookups=2, time_budget=10, clock=Clock())
    assert budget.resolve("a.example", "A").status is Status.NOERROR
    assert budget.resolve("b.example", "A").status is Status.NOERROR
    refused = budget.resolve("c.example", "A")
    assert refused.status is Status.TIMEOUT and "budget" in refused.detail
    assert inner.calls == 2 and budget.refused == 1


def test_budget_refuses_past_the_time_budget_and_hands_down_the_time_left() -> None:
    inner, clock = Scripted(), Clock()
    budget = BudgetedResolver(inner, max_lookups=100, time_budget=5, clock=clock)
    clock.now += 3
    budget.resolve("a.example", "A", timeout=10)
    assert inner.timeouts == [2.0]
    clock.now += 3
    assert budget.resolve("b.example", "A").status is Status.TIMEOUT
    assert inner.calls == 1
