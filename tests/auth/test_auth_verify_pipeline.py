"""verify(): the whole re-check through analyze(), stamped versus re-checked, offline, replay."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import dns.resolver
import pytest
import spf as pyspf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mailtrace.analyze import analyze
from mailtrace.auth import Agreement, DkimResult, DmarcResult, SpfResult, Verification
from mailtrace.dns import OfflineZone, RecordingResolver, ReplayResolver
from mailtrace.limits import Limits
from mailtrace.policy import Policy

from .conftest import MESSAGE, Signer

STAMP = (
    b"Authentication-Results: mx.example.org; spf=pass smtp.mailfrom=alice@example.com;\r\n"
    b"\tdkim=pass header.d=example.com header.s=ed1; dmarc=pass header.from=example.com\r\n"
)


def _zone(signer: Signer, **extra: Any) -> dict[str, Any]:
    return {
        signer.name: {"TXT": [signer.record]},
        "example.com": {"TXT": ["v=spf1 ip4:93.184.216.0/24 -all"]},
        "_dmarc.example.com": {"TXT": ["v=DMARC1; p=reject"]},
        **extra,
    }


def _verification(raw: bytes, policy: Policy) -> Verification:
    report = analyze(raw, policy=policy)
    assert isinstance(report.verification, Verification)
    return report.verification


def test_full_recheck_passes_and_agrees_with_the_stamp(signer: Signer) -> None:
    raw = STAMP + signer.sign(MESSAGE)
    v = _verification(raw, Policy(resolver=OfflineZone.from_dict(_zone(signer))))
    assert v.checked and v.spf.result is SpfResult.PASS and v.spf.ip == "93.184.216.34"
    assert v.spf.mail_from == "alice@example.com" and v.spf.border_note
    assert [d.result for d in v.dkim] == [DkimResult.PASS]
    assert v.dmarc.result is DmarcResult.PASS and v.dmarc.policy == "reject"
    assert v.stamped.authserv_id == "mx.example.org"
    assert {c.method: c.agreement for c in v.stamped.comparisons} == {
        "spf": Agreement.AGREE,
        "dkim": Agreement.AGREE,
        "dmarc": Agreement.AGREE,
    }
    assert v.dns.lookups >= 3 and v.dns.refused == 0
    out = v.to_dict()
    assert set(out) >= {"spf", "dkim", "arc", "dmarc", "stamped"}
    assert set(out["spf"]) >= {"result", "ip", "mail_from", "helo", "mechanism", "lookups", "explanation"}
    assert set(out["dkim"][0]) >= {"domain", "selector", "algorithm", "result", "key_bits", "reason"}
    assert set(out["dmarc"]) >= {"result", "domain", "policy", "spf_aligned", "dkim_aligned"}


def test_a_key_gone_now_is_unverifiable_not_forged(signer: Signer) -> None:
    raw = STAMP + signer.sign(MESSAGE)
    zone = _zone(signer)
    del zone[signer.name]
    v = _verification(raw, Policy(resolver=OfflineZone.from_dict(zone)))
    (dkim,) = [c for c in v.stamped.comparisons if c.method == "dkim"]
    assert dkim.agreement is Agreement.UNVERIFIABLE_NOW and "not forged" in dkim.note
    assert v.dkim[0].result is DkimResult.KEY_UNAVAILABLE


def test_an_altered_body_disagrees_with_the_stamp(signer: Signer) -> None:
    raw = STAMP + signer.sign(MESSAGE) + b"P.S. wire the money elsewhere\r\n"
    v = _verification(raw, Policy(resolver=OfflineZone.from_dict(_zone(signer))))
    (dkim,) = [c for c in v.stamped.disagreements if c.method == "dkim"]
    assert dkim.rechecked == "body_hash_mismatch"


def test_no_resolver_means_everything_not_checked(signer: Signer) -> None:
    v = _verification(STAMP + signer.sign(MESSAGE), Policy())
    assert not v.checked
    assert v.spf.result is SpfResult.NOT_CHECKED and v.dmarc.result is DmarcResult.NOT_CHECKED
    assert [d.result for d in v.dkim] == [DkimResult.NOT_CHECKED]
    assert all(c.agreement is Agreement.NOT_RECHECKED for c in v.stamped.comparisons)
    assert v.stamped.results  # the stamp is still reported


def test_dns_budget_bounds_the_work_and_says_so(signer: Signer) -> None:
    policy = Policy(resolver=OfflineZone.from_dict(_zone(signer)), limits=Limits(max_dns_lookups=1))
    v = _verification(signer.sign(MESSAGE), policy)
    assert v.dns.lookups == 1 and v.dns.refused >= 1
    assert "dns.budget_exhausted" in {d.code for d in v.defects}
    assert v.dkim[0].result is DkimResult.TEMPERROR  # refused lookups are temporary, never "no key"


def test_offline_mode_never_touches_the_network(signer: Signer, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every way out is made to explode: sockets, dnspython's resolver and pyspf's own backend."""
    attempts: list[str] = []

    def boom(*args: object, **kwargs: object) -> Any:
        attempts.append(repr(args[:2]))
        raise AssertionError("network used in offline mode")

    monkeypatch.setattr(socket, "socket", boom)
    monkeypatch.setattr(socket, "create_connection", boom)
    monkeypatch.setattr(socket, "getaddrinfo", boom)
    monkeypatch.setattr(dns.resolver.Resolver, "resolve", boom)
    monkeypatch.setattr(dns.resolver, "resolve", boom)
    monkeypatch.setattr(pyspf, "DNSLookup_dnspython", boom)
    raw = STAMP + signer.sign(MESSAGE)
    v = _verification(raw, Policy(resolver=OfflineZone.from_dict(_zone(signer))))
    assert v.spf.result is SpfResult.PASS and v.dkim[0].result is DkimResult.PASS
    empty = _verification(raw, Policy(resolver=OfflineZone.from_dict({})))
    assert empty.spf.result is SpfResult.NONE and empty.dkim[0].result is DkimResult.KEY_UNAVAILABLE
    assert attempts == []


def test_replay_reproduces_a_recorded_analysis_byte_for_byte(signer: Signer, tmp_path: Path) -> None:
    raw = STAMP + signer.sign(MESSAGE)
    evidence = tmp_path / "case.dns.jsonl"
    with RecordingResolver(OfflineZone.from_dict(_zone(signer)), evidence) as rec:
        recorded = analyze(raw, policy=Policy(resolver=rec)).to_json()
    replayed = analyze(raw, policy=Policy(resolver=ReplayResolver.from_file(evidence))).to_json()
    assert replayed == recorded
    # and the evidence, not today's DNS, decides: an empty zone now would say something else
    assert analyze(raw, policy=Policy(resolver=OfflineZone.from_dict({}))).to_json() != recorded


HOSTILE_FIELDS = st.sampled_from(
    [
        b"DKIM-Signature",
        b"ARC-Seal",
        b"ARC-Message-Signature",
        b"ARC-Authentication-Results",
        b"Authentication-Results",
        b"Return-Path",
        b"From",
        b"Received",
    ]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fields=st.lists(st.tuples(HOSTILE_FIELDS, st.binary(max_size=150)), max_size=6))
def test_verification_never_raises_on_hostile_authentication_headers(
    signer: Signer, fields: list[tuple[bytes, bytes]]
) -> None:
    head = b"".join(n + b": " + v.replace(b"\r", b" ").replace(b"\n", b" ") + b"\r\n" for n, v in fields)
    policy = Policy(resolver=OfflineZone.from_dict(_zone(signer, **{"slow.example": "TIMEOUT"})))
    v = _verification(head + signer.sign(MESSAGE), policy)
    assert isinstance(v.spf.result, SpfResult) and isinstance(v.dmarc.result, DmarcResult)


@pytest.mark.live_dns
def test_live_dns_recheck_of_a_public_dmarc_record() -> None:  # pragma: no cover - needs the network
    from mailtrace.dns import LiveResolver

    answer = LiveResolver().resolve("_dmarc.gmail.com", "TXT")
    assert answer.status.value == "NOERROR" and any(r.startswith("v=DMARC1") for r in answer.records)
