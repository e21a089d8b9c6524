"""Verdicts with a resolver: the re-check as a second opinion (scenarios 1, 3, 15, 16), messages from the builder."""

from __future__ import annotations

from mailtrace import analyze
from mailtrace.testing import build_message
from mailtrace.testing.scenario import Scenario
from mailtrace.verdict import VerdictResult

PLAIN = "Author ==> MSA/Transmitter --> / --> Receiver/MDA ==> Recipient"


def test_plain_delivery_re_verified_is_authentic_from_the_re_check() -> None:
    built = build_message(PLAIN, seed=1)
    report = built.analyze()
    assert report.path.notation == PLAIN
    assert report.verdict.result is VerdictResult.AUTHENTIC
    assert report.verdict.evidence_source.startswith("re-verification")
    assert {"auth.dkim_pass", "auth.spf_pass"} <= {f.code for f in report.findings}


def test_rotated_key_is_unverifiable_now_and_the_stamp_decides() -> None:
    built = build_message(PLAIN, scenario=Scenario(revoked_key=True), seed=2)
    report = built.analyze()
    codes = {f.code for f in report.findings}
    assert "auth.dkim_header_fail" not in codes
    assert report.verdict.result is VerdictResult.AUTHENTIC


def test_stamp_contradicted_by_the_re_check_is_a_finding_and_the_verdict_says_so() -> None:
    built = build_message(PLAIN, seed=3)
    raw = built.raw.replace(b"dkim=pass header.i=@sender.example", b"dkim=fail header.i=@sender.example", 1)
    assert raw != built.raw
    report = analyze(raw, policy=built.policy())
    dis = [f for f in report.findings if f.code == "auth.stamp_disagreement"]
    assert dis and "dkim=fail" in dis[0].message
    assert report.verdict.result is VerdictResult.SUSPICIOUS
    assert any("re-check" in r for r in report.verdict.reasons)


def test_without_dkim_spf_and_dmarc_pass_still_make_it_authentic() -> None:
    built = build_message(PLAIN, scenario=Scenario(dkim="none"), seed=4)
    report = built.analyze()
    codes = {f.code for f in report.findings}
    assert "auth.dkim_pass" not in codes
    assert {"auth.spf_pass", "auth.dmarc_pass"} <= codes
    assert report.verdict.result is VerdictResult.AUTHENTIC


def test_spf_outside_the_record_without_forwarding_is_forged() -> None:
    built = build_message(PLAIN, scenario=Scenario(ip_outside_spf=True, dkim="none"), seed=5)
    report = built.analyze()
    assert "auth.spf_fail" in {f.code for f in report.findings}
    assert report.verdict.result is VerdictResult.FORGED
