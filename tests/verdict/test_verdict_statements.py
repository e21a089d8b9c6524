"""The verdict as statements (issue 14): scenarios 22 to 26 and 29 of ``docs/scenarios.md``.

Builder messages where the builder can make the scenario, real corpus messages (skipped without
the corpus) where it cannot: Microsoft 365's compauth, an abused tenant, a list rewriting From:.
"""

from __future__ import annotations

from pathlib import Path

from mailtrace import Policy, analyze
from mailtrace.dns import OfflineZone
from mailtrace.report import Report
from mailtrace.testing import Scenario, build_message
from mailtrace.verdict import VerdictResult
from mailtrace.verdict.receiver import explain_compauth

PLAIN = "Author ==> MSA/Transmitter --> / --> Receiver/MDA ==> Recipient"
FORWARDED = "Author ==> MSA/Transmitter --> / --> Receiver/Forwarder ~~> / ~~> Receiver/MDA ==> Recipient"
BOT_FORWARDED = "Author/Transmitter --> / --> Receiver/Forwarder ~~> / ~~> Receiver/MDA ==> Recipient"
USER_FORWARD = ["postfix", "gmail", "exchange"]  # Gmail forwards to a Microsoft 365 reporting mailbox


def codes(report: Report) -> set[str]:
    return {f.code for f in report.findings}


def corpus_report(corpus: Path, rel: str) -> Report:
    return analyze(corpus / rel)


def test_scenario_22_forward_explains_a_failure_only_with_evidence_from_before_it() -> None:
    # a list through Gmail into Microsoft 365: the footer breaks DKIM, the final receiver stamps DMARC fail, and the
    # first ARC instance records that the message passed at the first receiver
    report = build_message(FORWARDED, dialect=USER_FORWARD, scenario=Scenario(mailing_list=True)).analyze()
    med = report.verdict.parts.mediation
    assert report.verdict.parts.receiver.fails_from
    assert med.kind == "list"
    assert med.before is not None and med.before.passed and med.before.source.startswith("ARC i=1")
    assert "auth.dmarc_fail" in med.explains
    assert report.verdict.result is VerdictResult.FORWARDED
    # a spoofed message forwarded the same way: the first receiver recorded the failure; it is the author's
    spoofed = build_message(BOT_FORWARDED, dialect=USER_FORWARD, scenario=Scenario(spoofed_from="bank.example"))
    report = spoofed.analyze()
    med = report.verdict.parts.mediation
    assert med.kind == "forwarded" and med.before is not None and not med.before.passed and med.before.failed
    assert "auth.dmarc_fail" in med.unexplained and not med.explains
    assert report.verdict.result is VerdictResult.FORGED
    assert report.verdict.parts.from_auth.status == "fail"


def test_scenario_23_an_abused_tenant_is_the_authors_infrastructure_not_a_forwarder(corpus: Path) -> None:
    # a VPS (172.105.39.238) injects into theradesyume.onmicrosoft.com, whose outbound relays it to hotmail.com
    report = corpus_report(corpus, "phishing-pot-dev/sample-1757.eml")
    parts = report.verdict.parts
    assert parts.mediation.kind == "none"
    # the path reads one crossing, tenant to tenant (issue 13): the VPS's injection into the tenant is the
    # author's submission, so no second crossing is left for the mediation to explain
    assert len(report.path.borders) == 1 and report.path.border is not None
    assert report.path.border.ip == parts.origin.ip
    assert report.verdict.result is not VerdictResult.FORWARDED
    assert report.verdict.result in (VerdictResult.SUSPICIOUS, VerdictResult.FORGED)
    assert parts.receiver.compauth == "fail" and parts.receiver.compauth_reason == "001"
    assert parts.origin.tenant == "theradesyume.onmicrosoft.com"
    assert parts.origin.provider is not None and parts.origin.provider.name == "microsoft"


def test_scenario_24_an_esp_that_authenticates_only_itself_is_not_authentic() -> None:
    built = build_message(
        PLAIN, scenario=Scenario(envelope_domain="bounce.esp.example", dkim="none", receiver_stamps=False)
    )
    zone = {name: records for name, records in built.zone.items() if not name.startswith("_dmarc.")}
    report = analyze(built.raw, policy=Policy(resolver=OfflineZone.from_dict(zone)))
    fa = report.verdict.parts.from_auth
    assert fa.status == "unaligned_pass" and fa.source == "re-check"
    assert [(i.method, i.domain, i.aligned) for i in fa.authenticated_as] == [("spf", "bounce.esp.example", False)]
    assert "authenticated as bounce.esp.example (SPF)" in fa.summary
    assert "the From: domain sender.example is not authenticated" in fa.summary
    assert "auth.unaligned_pass" in codes(report)
    assert report.verdict.result is VerdictResult.INDETERMINATE


def test_scenario_24_the_receivers_composite_failure_makes_it_suspicious(corpus: Path) -> None:
    # SPF passes for the ESP's bounce domain smtplw-06.com, DKIM for smtplw-06.com; From: uorak.com has no DMARC
    # record; Microsoft stamped compauth=fail reason=001 (this read authentic before issue 14)
    report = corpus_report(corpus, "phishing-pot-dev/sample-1049.eml")
    fa = report.verdict.parts.from_auth
    assert fa.domain == "uorak.com" and fa.status == "fail"
    assert {i.domain for i in fa.authenticated_as} == {"smtplw-06.com"}
    assert report.verdict.result is VerdictResult.SUSPICIOUS
    assert "auth.compauth_fail" in report.verdict.decided_by


def test_scenario_25_the_receivers_composite_verdict_in_words(corpus: Path) -> None:
    report = corpus_report(corpus, "phishing-pot-dev/sample-1192.eml")
    rj = report.verdict.parts.receiver
    assert rj.compauth == "fail" and rj.compauth_reason == "001"
    assert rj.dmarc == "none" and rj.dmarc_action == "none" and rj.dmarc_domain == "livelo.com"
    assert "implicit authentication failure" in rj.compauth_explained
    assert "implicit authentication failure" in rj.summary
    assert report.verdict.result is VerdictResult.SUSPICIOUS
    assert report.verdict.parts.from_auth.status == "fail"


def test_compauth_reason_codes_follow_microsofts_families() -> None:
    assert "explicit authentication failure" in (explain_compauth("000") or "")
    assert "implicit authentication failure" in (explain_compauth("001") or "")
    assert "explicitly prohibits" in (explain_compauth("002") or "")
    assert "accepted domains" in (explain_compauth("010") or "")
    assert "passed" in (explain_compauth("130") or "") and "passed" in (explain_compauth("701") or "")
    assert "soft-passed" in (explain_compauth("201") or "")
    assert "not checked" in (explain_compauth("301") or "")
    assert "bypassed" in (explain_compauth("451") or "") and "bypassed" in (explain_compauth("905") or "")
    assert "accepted domains" in (explain_compauth("601") or "")
    assert "not documented" in (explain_compauth("803") or "")
    assert explain_compauth(None) is None


def test_scenario_25_compauth_pass_reason_100_counts_as_aligned(corpus: Path) -> None:
    # autodoc.de: aligned SPF pass, dmarc=pass compauth=pass reason=100
    report = corpus_report(corpus, "phishing-pot-dev/sample-1059.eml")
    assert report.verdict.parts.receiver.passes_from
    assert report.verdict.parts.from_auth.status == "aligned_pass"


def test_scenario_26_a_list_that_rewrites_from_is_mediation_not_hijack(corpus: Path) -> None:
    # From: "Zhao Gongyi via ltp" <ltp@lists.linux.it>, Reply-To: the author at huawei.com
    report = corpus_report(corpus, "lfdr-list-archives/ltp.lists.linux.it.0/14398-87d39e37a00a.eml")
    assert "header.reply_to_unrelated" not in codes(report)
    assert report.verdict.parts.mediation.kind == "list"
    assert report.verdict.result is VerdictResult.FORWARDED


def test_scenario_26_a_reply_to_elsewhere_without_the_rewrite_is_still_reported() -> None:
    # the same Reply-To at a free-mail provider on a message From: its author (no list rewrite) stays a finding
    built = build_message(PLAIN, scenario=Scenario(reply_to="payments.desk@freemail.example"))
    report = built.analyze()
    assert "header.reply_to_unrelated" in codes(report)
    assert report.verdict.result is VerdictResult.SUSPICIOUS


def test_scenario_29_the_receivers_dmarc_pass_outranks_one_failing_signature(corpus: Path) -> None:
    # autodoc.de: dkim=fail (signature did not verify), spf=pass aligned, dmarc=pass, compauth=pass reason=100
    report = corpus_report(corpus, "phishing-pot-dev/sample-1059.eml")
    failing = [f for f in report.findings if f.code == "auth.dkim_header_fail"]
    assert failing and failing[0].severity.value == "low"
    assert "outranks" in failing[0].message
    assert report.verdict.result is not VerdictResult.FORGED
    assert "auth.dkim_header_fail" not in report.verdict.decided_by


def test_scenario_29_builder_tampered_header_with_the_receivers_dmarc_pass() -> None:
    built = build_message(PLAIN, scenario=Scenario(tampered_header="Subject"))
    report = built.analyze()
    failing = [f for f in report.findings if f.code == "auth.dkim_header_fail"]
    assert failing and failing[0].severity.value == "low"
    assert report.verdict.result is VerdictResult.AUTHENTIC
    assert built.expected.verdict == "authentic"
    # without the receiver's stamp, nothing outranks the failing signature
    unstamped = build_message(PLAIN, scenario=Scenario(tampered_header="Subject", receiver_stamps=False))
    assert unstamped.analyze().verdict.result is VerdictResult.FORGED


def test_authentic_rests_on_the_from_domain_not_on_any_pass() -> None:
    report = build_message(PLAIN, dialect="exim").analyze()
    fa = report.verdict.parts.from_auth
    assert report.verdict.result is VerdictResult.AUTHENTIC
    assert fa.status == "aligned_pass" and fa.source == "both" and fa.disagreement is None
    assert "sender.example is authenticated" in report.verdict.reasons[0]
    origin = report.verdict.parts.origin
    assert origin.ip == report.path.border.ip
    assert any(i.method == "dkim" and i.aligned for i in origin.authenticated)
    assert report.verdict.parts.integrity.status == "consistent"
    assert report.verdict.parts.mediation.kind == "none"


def test_statements_are_in_the_json() -> None:
    verdict = build_message(FORWARDED, dialect=USER_FORWARD).analyze().to_dict()["verdict"]
    for key in ("origin", "from_authentication", "receiver_judgement", "mediation", "trace_integrity"):
        assert key in verdict
    assert verdict["mediation"]["kind"] == "forwarded"
    assert verdict["mediation"]["before_forward"]["source"].startswith("ARC i=1")
    assert verdict["receiver_judgement"]["compauth"]["reason"] == "100"
    assert verdict["from_authentication"]["status"] == "aligned_pass"


def test_receiver_judgement_reads_microsofts_filter_fields_above_the_border() -> None:
    built = build_message(PLAIN, dialect=["exim", "exchange"], scenario=Scenario(spoofed_from="bank.example"))
    fields = (
        b"X-Forefront-Antispam-Report: CIP:198.51.100.10;CTRY:;LANG:en;SCL:5;SRV:;IPV:NLI;SFV:SPM;H:x;"
        b"PTR:x;CAT:SPOOF;SFS:;DIR:INB;\r\nX-Microsoft-Antispam: BCL:7;\r\n"
        b"X-Microsoft-Antispam-Mailbox-Delivery: ucf:0;jmr:0;auth:0;dest:J;\r\n"
    )
    report = analyze(fields + built.raw)
    rj = report.verdict.parts.receiver
    assert (rj.sfv, rj.category, rj.scl, rj.bcl) == ("SPM", "SPOOF", 5, 7)
    assert rj.delivered_to == "the junk folder"
    assert "category SPOOF (spoofing)" in rj.summary and "bulk complaint level 7" in rj.summary
    assert rj.fails_from and rj.compauth == "fail"
    compauth = next(f for f in report.findings if f.code == "auth.compauth_fail")
    assert "CAT:SPOOF" in compauth.message


def test_receiver_judgement_ignores_filter_fields_a_sender_wrote_below_the_border() -> None:
    # a Postfix recipient: the fields sit in the sender's header block, below the crossing line
    built = build_message(PLAIN, dialect="postfix")
    raw = built.raw.replace(b"\r\nFrom:", b"\r\nX-Spam-Status: No, score=-5\r\nX-Rspamd-Action: no action\r\nFrom:", 1)
    rj = analyze(raw).verdict.parts.receiver
    assert rj is not None and rj.dmarc == "pass"
    assert rj.spam_action is None


def test_a_lone_sender_side_link_break_is_low(corpus: Path) -> None:
    # issue 14: sender-side naming (an internal host name against the external one) breaks links on its own
    report = corpus_report(corpus, "phishing-pot-dev/sample-1049.eml")
    links = [f for f in report.findings if f.code == "trace.link_broken"]
    assert links and all(f.severity.value == "low" for f in links)
    assert "Nothing else in the trace agrees" in links[0].message
