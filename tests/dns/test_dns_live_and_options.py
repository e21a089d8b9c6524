"""LiveResolver's mapping of dnspython outcomes (no network: dnspython is stubbed) and resolver_from_options."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import dns.exception
import dns.message
import dns.name
import dns.rdataclass
import dns.rdatatype
import dns.resolver
import dns.rrset
import pytest

from mailtrace.dns import (
    CachingResolver,
    LiveResolver,
    OfflineZone,
    RecordingResolver,
    ReplayResolver,
    Status,
    resolver_from_options,
)
from mailtrace.dns.health import HealthMonitor
from mailtrace.errors import ConfigurationError


class _FakeAnswer:
    def __init__(self, rrset: Any, expiration: float) -> None:
        self.rrset = rrset
        self.expiration = expiration


def _stub(monkeypatch: pytest.MonkeyPatch, outcome: Any) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []

    def resolve(self: Any, qname: Any, rdtype: Any, **kw: Any) -> Any:
        calls.append({"qname": qname, "rdtype": rdtype, **kw})
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    monkeypatch.setattr(dns.resolver.Resolver, "resolve", resolve)
    return calls


def test_live_resolver_maps_txt_answer_with_ttl_and_joined_strings(monkeypatch: pytest.MonkeyPatch) -> None:
    rrset = dns.rrset.from_text("sel._domainkey.example.com.", 120, "IN", "TXT", '"v=DKIM1; " "p=abc"')
    calls = _stub(monkeypatch, _FakeAnswer(rrset, time.time() + 120))
    live = LiveResolver(nameservers=["192.0.2.53"], timeout=1.0, lifetime=2.0)
    answer = live.resolve("sel._domainkey.example.com", "TXT", timeout=0.5)
    assert answer.status is Status.NOERROR and answer.records == ("v=DKIM1; p=abc",) and answer.ttl == 120
    assert calls[0]["lifetime"] == 0.5 and calls[0]["search"] is False and calls[0]["raise_on_no_answer"] is False


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (dns.resolver.NXDOMAIN(), Status.NXDOMAIN),
        (dns.resolver.LifetimeTimeout(timeout=1.0, errors=[]), Status.TIMEOUT),
        (dns.exception.Timeout(), Status.TIMEOUT),
        (dns.resolver.NoNameservers(), Status.SERVFAIL),
        (OSError("unreachable"), Status.SERVFAIL),
    ],
)
def test_live_resolver_turns_each_failure_into_a_status(
    monkeypatch: pytest.MonkeyPatch, error: BaseException, status: Status
) -> None:
    _stub(monkeypatch, error)
    assert LiveResolver(nameservers=["192.0.2.53"]).resolve("x.example", "A").status is status


def test_live_resolver_no_answer_is_nodata(monkeypatch: pytest.MonkeyPatch) -> None:
    _stub(monkeypatch, _FakeAnswer(None, time.time() + 30))
    answer = LiveResolver(nameservers=["192.0.2.53"]).resolve("x.example", "MX")
    assert answer.status is Status.NODATA and answer.ttl is not None and answer.ttl <= 30


def test_live_resolver_enables_edns_and_rejects_bad_settings() -> None:
    live = LiveResolver(nameservers=["192.0.2.53"], edns_payload=1232)
    assert live._resolver.payload == 1232 and live._resolver.edns == 0
    with pytest.raises(ConfigurationError):
        LiveResolver(nameservers=["192.0.2.53"], timeout=0)


def test_options_offline_default_is_an_empty_zone_and_zone_files_load(tmp_path: Path) -> None:
    assert resolver_from_options("offline", None, None).resolve("a.example", "A").status is Status.NXDOMAIN
    zone = tmp_path / "z.txt"
    zone.write_text('example.com. IN TXT "v=spf1 -all"\n')
    resolver = resolver_from_options("offline", None, str(zone))
    assert isinstance(resolver, OfflineZone)
    assert resolver.resolve("example.com", "TXT").records == ("v=spf1 -all",)


def test_options_record_then_replay(tmp_path: Path) -> None:
    zone, evidence = tmp_path / "z.json", tmp_path / "dns.jsonl"
    zone.write_text('{"example.com": {"TXT": ["v=spf1 -all"]}}')
    rec = resolver_from_options("record", str(evidence), str(zone))
    assert isinstance(rec, RecordingResolver)
    first = rec.resolve("example.com", "TXT")
    rec.close()
    replay = resolver_from_options("replay", str(evidence), None)
    assert isinstance(replay, ReplayResolver) and replay.resolve("example.com", "TXT") == first


def test_options_live_is_cached() -> None:
    try:
        resolver = resolver_from_options("live", None, None)
    except ConfigurationError:  # no /etc/resolv.conf here
        pytest.skip("no system DNS configuration")
    assert isinstance(resolver, CachingResolver) and isinstance(resolver.inner, HealthMonitor)
    assert isinstance(resolver.inner.inner, LiveResolver)


@pytest.mark.parametrize(
    ("mode", "path", "zone"),
    [
        ("bogus", None, None),
        ("record", None, None),
        ("replay", None, None),
        ("offline", "x", None),
        ("live", None, "z"),
    ],
)
def test_options_reject_bad_combinations(mode: str, path: str | None, zone: str | None) -> None:
    with pytest.raises(ConfigurationError):
        resolver_from_options(mode, path, zone)
