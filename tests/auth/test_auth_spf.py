"""SPF re-check through our resolver (pyspf underneath), typed results, bounded work."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
import spf as pyspf

from mailtrace.auth.results import SpfResult
from mailtrace.auth.spf import check_spf
from mailtrace.dns import Answer, OfflineZone, Status

ZONE = {
    "example.com": {"TXT": ["v=spf1 ip4:192.0.2.0/24 include:_spf.example.net ~all"]},
    "_spf.example.net": {"TXT": ["v=spf1 a:out.example.net -all"]},
    "out.example.net": {"A": ["198.51.100.7"]},
    "fail.example": {"TXT": ["v=spf1 -all exp=explain.fail.example"]},
    "explain.fail.example": {"TXT": ["%{i} is not allowed to send for %{d} (t=%{t})"]},
    "slow.example": "TIMEOUT",
    "broken.example": {"TXT": ["v=spf1 ip4:192.0.2.300 -all"]},
    "two.example": {"TXT": ["v=spf1 -all", "v=spf1 +all"]},
    "mx.example.org": {"TXT": ["v=spf1 a -all"], "A": ["203.0.113.5"]},
    **{f"l{i}.example": {"TXT": [f"v=spf1 include:l{i + 1}.example -all"]} for i in range(12)},
}


def _check(ip: str, mail_from: str, helo: str = "mail.example.com", **kw: object) -> object:
    return check_spf(OfflineZone.from_dict(ZONE), ip=ip, mail_from=mail_from, helo=helo, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("ip", "sender", "result", "mechanism"),
    [
        ("192.0.2.9", "a@example.com", SpfResult.PASS, "ip4:192.0.2.0/24"),
        ("198.51.100.7", "a@example.com", SpfResult.PASS, "include:_spf.example.net"),
        ("203.0.113.1", "a@example.com", SpfResult.SOFTFAIL, "~all"),
        ("203.0.113.1", "a@fail.example", SpfResult.FAIL, "-all"),
        ("203.0.113.1", "a@nowhere.example", SpfResult.NONE, None),
        ("203.0.113.1", "a@slow.example", SpfResult.TEMPERROR, None),
        ("203.0.113.1", "a@broken.example", SpfResult.PERMERROR, None),
        ("203.0.113.1", "a@two.example", SpfResult.PERMERROR, None),
    ],
)
def test_spf_results_and_matching_mechanism(ip: str, sender: str, result: SpfResult, mechanism: str | None) -> None:
    check = _check(ip, sender)
    assert check.result is result, check  # type: ignore[attr-defined]
    if mechanism:
        assert check.mechanism == mechanism  # type: ignore[attr-defined]


def test_spf_counts_lookups_and_reports_identity_and_note() -> None:
    check = _check("198.51.100.7", "a@example.com", border_note="border hop 1 (trusted)")
    assert check.lookups == 2 and check.dns_queries == 3  # type: ignore[attr-defined]
    assert check.identity == "mailfrom" and check.domain == "example.com"  # type: ignore[attr-defined]
    assert check.border_note == "border hop 1 (trusted)"  # type: ignore[attr-defined]


def test_spf_null_sender_falls_back_to_helo() -> None:
    check = _check("203.0.113.5", "", helo="mx.example.org")
    assert check.result is SpfResult.PASS and check.identity == "helo"  # type: ignore[attr-defined]
    assert check.mail_from is None and check.domain == "mx.example.org"  # type: ignore[attr-defined]


def test_spf_explanation_uses_the_analysis_clock() -> None:
    clock = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    check = _check("203.0.113.1", "a@fail.example", clock=clock)
    assert check.explanation == f"203.0.113.1 is not allowed to send for fail.example (t={int(clock.timestamp())})"  # type: ignore[attr-defined]


def test_spf_ten_lookup_limit_is_permerror() -> None:
    check = _check("203.0.113.1", "a@l0.example")
    assert check.result is SpfResult.PERMERROR and "DNS lookups" in (check.explanation or "")  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("ip", "sender", "helo"),
    [
        ("not-an-ip", "a@example.com", "h"),
        ("203.0.113.1", "a@" + "x" * 300 + ".example", "h"),
        ("203.0.113.1", "a@" + ".".join(["a" * 63] * 5), "h"),
        ("203.0.113.1", "@@@", ""),
        ("203.0.113.1", "a@exa mple.com", "h e l o"),
        (None, "a@example.com", "h"),
    ],
)
def test_spf_hostile_input_gives_a_result_not_an_exception(ip: str | None, sender: str, helo: str) -> None:
    check = check_spf(OfflineZone.from_dict(ZONE), ip=ip, mail_from=sender, helo=helo)
    assert isinstance(check.result, SpfResult)


def test_spf_uses_only_the_resolver_passed_in_even_across_threads() -> None:
    """Two threads with different resolvers never see each other's answers (ContextVar dispatch)."""
    allow = OfflineZone.from_dict({"t.example": {"TXT": ["v=spf1 +all"]}})
    deny = OfflineZone.from_dict({"t.example": {"TXT": ["v=spf1 -all"]}})
    results: dict[str, set[SpfResult]] = {"allow": set(), "deny": set()}
    barrier = threading.Barrier(2)

    def run(name: str, zone: OfflineZone) -> None:
        barrier.wait()
        for _ in range(50):
            results[name].add(check_spf(zone, ip="192.0.2.1", mail_from="a@t.example", helo="h").result)

    threads = [threading.Thread(target=run, args=a) for a in (("allow", allow), ("deny", deny))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {"allow": {SpfResult.PASS}, "deny": {SpfResult.FAIL}}


def test_spf_dispatch_leaves_other_pyspf_users_alone() -> None:
    _check("192.0.2.9", "a@example.com")  # installs the dispatcher

    def lookup(name: str, qtype: str, strict: object = True, timeout: float = 20) -> list[object]:
        return [((name, qtype), (b"v=spf1 +all",))] if qtype == "TXT" else []

    import mailtrace.auth.spf as ours

    saved = ours._original
    ours._original = lookup
    try:
        assert pyspf.query(i="192.0.2.1", s="a@x.example", h="h").check()[0] == "pass"
    finally:
        ours._original = saved


class _Counter:
    def __init__(self) -> None:
        self.calls = 0

    def resolve(self, name: str, rtype: str, *, timeout: float | None = None) -> Answer:
        self.calls += 1
        return Answer(name=name, rtype=rtype, status=Status.NXDOMAIN)


def test_spf_asks_every_question_through_the_resolver() -> None:
    counter = _Counter()
    check = check_spf(counter, ip="192.0.2.1", mail_from="a@x.example", helo="h")
    assert check.result is SpfResult.NONE and counter.calls == check.dns_queries >= 1
