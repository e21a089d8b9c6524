"""Verdict gaps found by the fixtures collection: ``auth.none`` whatever the evidence source, and a DKIM key
removed since delivery (scenario 15) reported beside the receiver's stamped pass."""

from __future__ import annotations

from pathlib import Path

from mailtrace.testing import Scenario, build_message
from mailtrace.testing.collection import open_collection
from mailtrace.verdict import VerdictResult
from mailtrace.verdict.catalogue import Severity

PLAIN = "Author ==> MSA/Transmitter --> / --> Receiver/MDA ==> Recipient"
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def codes(report: object) -> set[str]:
    return {f.code for f in getattr(report, "findings", ())}


def test_no_authentication_with_a_resolver_fires_auth_none_although_spf_reads_none() -> None:
    report = build_message(PLAIN, scenario=Scenario(unauthenticated=True)).analyze()
    assert str(report.verification.spf.result) == "none"  # the re-check ran: no SPF record
    found = [f for f in report.findings if f.code == "auth.none"]
    assert len(found) == 1
    assert "no resolver" not in found[0].message and "other than none" in found[0].message
    assert report.verdict.result is VerdictResult.INDETERMINATE
    assert "auth.none" in report.verdict.decided_by


def test_no_authentication_fixture_without_dns_fires_auth_none() -> None:
    report = open_collection(FIXTURES)["scenarios/no-authentication"].analyze()
    assert "auth.none" in codes(report)
    assert report.verdict.result is VerdictResult.INDETERMINATE


def test_authenticated_message_with_a_resolver_has_no_auth_none() -> None:
    report = build_message(PLAIN).analyze()
    assert "auth.none" not in codes(report)
    assert report.verdict.result is VerdictResult.AUTHENTIC


def test_key_removed_since_delivery_reports_stamped_pass_and_unverifiable_now() -> None:
    report = build_message(PLAIN, scenario=Scenario(key_removed=True)).analyze()
    assert [str(d.result) for d in report.verification.dkim] == ["key_unavailable"]
    assert {"auth.dkim_pass", "auth.dkim_unverifiable"} <= codes(report)
    unverifiable = [f for f in report.findings if f.code == "auth.dkim_unverifiable"]
    assert len(unverifiable) == 1 and unverifiable[0].severity is Severity.INFO
    assert "key_unavailable" in unverifiable[0].message and "dkim=pass" in unverifiable[0].message
    assert report.verdict.result is VerdictResult.AUTHENTIC


def test_key_removed_without_a_stamp_reports_unverifiable_once() -> None:
    report = build_message(PLAIN, scenario=Scenario(key_removed=True, receiver_stamps=False)).analyze()
    assert [f.code for f in report.findings].count("auth.dkim_unverifiable") == 1
    assert "auth.dkim_pass" not in codes(report)
