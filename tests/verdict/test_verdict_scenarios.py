"""The analyst scenarios of ``docs/scenarios.md``: the path and the verdict each must get.

Messages are short synthetic ones written for these tests (RFC 5737 addresses, ``.example`` names);
no resolver, so the receiver's stamped ``Authentication-Results`` is the authentication evidence.
"""

from __future__ import annotations

from mailtrace.trace.model import BorderMethod, HopKind, Role
from mailtrace.verdict import VerdictResult
from tests.trace._mail import (
    BORDER,
    DATE,
    DELIVERED,
    FROM,
    LMTP,
    MSGID,
    ORIGINATOR,
    RETURN_PATH,
    STAMP_FAIL,
    STAMP_PASS,
    SUBJECT,
    SUBMISSION,
    TO,
    run,
)

PLAIN = "Author ==> MSA/Transmitter --> / --> Receiver/MDA ==> Recipient"
FORWARDED = "Author ==> MSA/Transmitter --> / --> Receiver/Forwarder ~~> / ~~> Receiver/MDA ==> Recipient"


def codes(report: object) -> set[str]:
    return {f.code for f in getattr(report, "findings", ())}


def test_scenario_1_plain_delivery_is_authentic() -> None:
    report = run(RETURN_PATH, DELIVERED, LMTP, STAMP_PASS, BORDER, SUBMISSION, *ORIGINATOR)
    assert report.path.notation == PLAIN
    assert report.verdict.result is VerdictResult.AUTHENTIC
    assert {"auth.spf_pass", "auth.dmarc_pass"} <= codes(report)
    assert report.verdict.evidence_source == "stamped by mx.recipient.example"
    assert report.verdict.domain == "sender.example"


def test_scenario_2_separate_outbound_relay_of_another_organisation() -> None:
    relay = (
        "Received: from mail.sender.example (mail.sender.example [198.51.100.10])\n\tby out.relay-isp.example "
        "(Postfix) with ESMTP id 77a\n\tfor <bob@recipient.example>; Tue, 4 Mar 2025 10:15:05 +0100"
    )
    border = BORDER.replace(
        "mail.sender.example (mail.sender.example [198.51.100.10])",
        "out.relay-isp.example (out.relay-isp.example [198.51.100.20])",
    )
    rp = "Return-Path: <bounce@relay-isp.example>"
    report = run(rp, DELIVERED, LMTP, border, relay, SUBMISSION, *ORIGINATOR)
    assert report.path.notation == "Author ==> MSA --> Transmitter --> / --> Receiver/MDA ==> Recipient"
    names = [a.name for a in report.path.actors]
    assert names[1:3] == ["sender.example", "relay-isp.example"]
    same_org = run(RETURN_PATH, DELIVERED, LMTP, BORDER, SUBMISSION, *ORIGINATOR)
    assert same_org.path.notation == PLAIN


def test_scenario_4_forwarded_alias_with_srs_is_forwarded_not_forged() -> None:
    second = (
        "Received: from fwd.oldmail.example (fwd.oldmail.example [192.0.2.77])\n\tby mx.recipient.example (Postfix) "
        "with ESMTPS id 5Ab\n\tfor <bob@recipient.example>; Tue, 4 Mar 2025 10:15:12 +0100"
    )
    first = BORDER.replace("by mx.recipient.example", "by fwd.oldmail.example").replace(
        "bob@recipient.example", "bob@oldmail.example"
    )
    # SPF and DMARC fail at the second crossing; the forwarder's own stamp shows both passed on receipt
    stamp = STAMP_FAIL.replace("198.51.100.10", "192.0.2.77")
    earlier = (
        "Authentication-Results: fwd.oldmail.example;\n\tspf=pass smtp.mailfrom=alice@sender.example;\n\t"
        "dmarc=pass header.from=sender.example"
    )
    rp = "Return-Path: <SRS0=abcd=VX=sender.example=alice@oldmail.example>"
    report = run(rp, DELIVERED, LMTP, stamp, second, earlier, first, SUBMISSION, *ORIGINATOR)
    assert report.path.notation == FORWARDED
    assert [b.index for b in report.path.borders] == [2, 1]
    assert report.path.border.ip == "192.0.2.77"
    assert report.verdict.result is VerdictResult.FORWARDED
    assert {"auth.spf_fail", "auth.dmarc_fail"} <= set(report.verdict.explained)
    assert report.verdict.parts.mediation.before.source == "stamp by fwd.oldmail.example"
    assert {"forwarding.srs", "forwarding.second_crossing"} <= codes(report)
    # issue 14: with nothing from before the forward (no DKIM, ARC or earlier stamp), the forward explains
    # no failure: the stamped DMARC fail may be the author's as well as the forwarder's
    bare = run(
        rp, DELIVERED, LMTP, STAMP_FAIL.replace("198.51.100.10", "192.0.2.77"), second, first, SUBMISSION, *ORIGINATOR
    )
    med = bare.verdict.parts.mediation
    assert med.kind == "forwarded" and med.before is None
    assert "auth.dmarc_fail" in med.unexplained and not med.explains
    assert bare.verdict.result is VerdictResult.SUSPICIOUS


def test_scenario_5_mailing_list_that_broke_the_signature_is_never_forged() -> None:
    list_hop = (
        "Received: from lists.project.example (lists.project.example [192.0.2.88])\n\tby mx.recipient.example "
        "(Postfix) with ESMTPS id 6Cd\n\tfor <bob@recipient.example>; Tue, 4 Mar 2025 10:15:14 +0100"
    )
    into_list = BORDER.replace("by mx.recipient.example", "by lists.project.example").replace(
        "bob@recipient.example", "dev@lists.project.example"
    )
    stamp = (
        "Authentication-Results: mx.recipient.example;\n\tspf=pass smtp.mailfrom=dev-bounces@lists.project.example;"
        "\n\tdkim=fail (body hash did not verify) header.d=sender.example;\n\tdmarc=fail header.from=sender.example"
    )
    fields = (
        "Return-Path: <dev-bounces@lists.project.example>",
        DELIVERED,
        LMTP,
        stamp,
        list_hop,
        into_list,
        SUBMISSION,
        *ORIGINATOR,
        "List-Id: Project developers <dev.lists.project.example>",
        "List-Post: <mailto:dev@lists.project.example>",
    )
    report = run(*fields)
    assert report.path.notation == FORWARDED
    assert report.path.borders[0].method is BorderMethod.CONTINUITY
    assert report.verdict.result is VerdictResult.FORWARDED
    assert {"auth.dkim_body_fail", "forwarding.list_modified", "forwarding.list"} <= codes(report)
    forwarder = report.path.actors[2]
    assert forwarder.name == "project.example"
    assert Role.FORWARDER in forwarder.role_names


def test_scenario_6_webmail_submission_gets_a_synthetic_client_hop() -> None:
    web = "Received: from [203.0.113.50] by webmail.sender.example with HTTP; Tue, 4 Mar 2025 10:15:01 +0100"
    report = run(RETURN_PATH, DELIVERED, LMTP, STAMP_PASS, BORDER, web, *ORIGINATOR, "X-Originating-IP: [203.0.113.99]")
    assert report.path.notation == PLAIN
    synthetic = [h for h in report.path.hops if h.synthetic]
    assert synthetic and synthetic[0].from_ip == "203.0.113.99" and synthetic[0].source == "X-Originating-IP"
    assert report.path.hops[1].kind is HopKind.HTTP
    assert report.verdict.result is VerdictResult.AUTHENTIC


def test_scenario_7_internal_mail_has_no_crossing_and_is_authentic() -> None:
    to = "To: Bob <bob@sender.example>"
    lmtp = LMTP.replace("recipient.example", "sender.example")
    sub = SUBMISSION.replace("recipient.example", "sender.example")
    report = run("Delivered-To: bob@sender.example", lmtp, sub, FROM, to, SUBJECT, DATE, MSGID)
    assert report.path.border is None
    assert report.path.internal
    assert report.path.notation == "Author ==> MSA/Transmitter/Receiver/MDA ==> Recipient"
    assert report.verdict.result is VerdictResult.AUTHENTIC


def test_scenario_8_spoofed_from_sent_by_a_bot_is_forged() -> None:
    bot = (
        "Received: from dsl-7.attacker.example (dsl-7.attacker.example [192.0.2.10])\n\tby mx.recipient.example "
        "(Postfix) with ESMTP id 4Nk\n\tfor <bob@recipient.example>; Tue, 4 Mar 2025 10:15:02 +0100"
    )
    stamp = STAMP_FAIL.replace("198.51.100.10", "192.0.2.10")
    report = run(RETURN_PATH, DELIVERED, LMTP, stamp, bot, *ORIGINATOR)
    assert report.path.notation == "Author/Transmitter --> / --> Receiver/MDA ==> Recipient"
    assert report.verdict.result is VerdictResult.FORGED
    assert set(report.verdict.decided_by) == {"auth.spf_fail", "auth.dmarc_fail"}


def test_scenario_9_faked_lower_hops_each_give_a_finding() -> None:
    bot = (
        "Received: from mx.recipient.example (dsl-7.attacker.example [192.0.2.10])\n\tby mx.recipient.example "
        "(Postfix) with ESMTP id 4Nk\n\tfor <bob@recipient.example>; Tue, 4 Mar 2025 10:15:02 +0100"
    )
    fake1 = (
        "Received: from smtp1.sender.example (smtp1.sender.example [203.0.113.201])\n\tby mail2.sender.example "
        "(Postfix) with ESMTP id 4GGv\n\tfor <bob@recipient.example>; Tue, 4 Mar 2025 13:14:00 +0100"
    )
    fake2 = (
        "Received: from smtp0.sender.example (smtp0.sender.example [203.0.113.200])\n\tby mail1.sender.example "
        "(Postfix) with ESMTP id 46l7\n\tfor <bob@recipient.example>; Sun, 2 Mar 2025 10:15:00 +0100"
    )
    stamp = STAMP_FAIL.replace("198.51.100.10", "192.0.2.10")
    report = run(RETURN_PATH, DELIVERED, LMTP, stamp, bot, fake1, fake2, *ORIGINATOR)
    assert report.verdict.result is VerdictResult.FORGED
    found = codes(report)
    assert {"trace.helo_recipient_domain", "trace.link_broken", "trace.time_future"} <= found
    assert {h.received_index for h in report.path.hops if h.claim} == {2, 3}


def test_scenario_10_display_name_holding_another_address_is_suspicious() -> None:
    spoof = 'From: "PayPal Security <service@paypal.example>" <x@attacker.example>'
    rp = "Return-Path: <x@attacker.example>"
    stamp = STAMP_PASS.replace("sender.example", "attacker.example")
    border = BORDER.replace("mail.sender.example", "mail.attacker.example")
    report = run(rp, DELIVERED, LMTP, stamp, border, spoof, TO, SUBJECT, DATE, MSGID)
    assert report.path.notation == "Author/Transmitter --> / --> Receiver/MDA ==> Recipient"
    assert report.verdict.result is VerdictResult.SUSPICIOUS
    # the display name names PayPal beside attacker.example: the brand finding decides too (issue 14)
    assert report.verdict.decided_by == ("header.display_name_address", "header.display_name_brand")


def test_scenario_12_reply_to_at_a_free_mail_domain_is_suspicious() -> None:
    reply = "Reply-To: Alice <alice.sender@gmail.com>"
    report = run(RETURN_PATH, DELIVERED, LMTP, STAMP_PASS, BORDER, SUBMISSION, *ORIGINATOR, reply)
    assert report.path.notation == PLAIN
    assert report.verdict.result is VerdictResult.SUSPICIOUS
    assert "header.reply_to_unrelated" in report.verdict.decided_by


def test_scenario_14_resent_message_is_forwarded() -> None:
    resent = ("Resent-From: carol@relay-user.example", "Resent-Date: Tue, 4 Mar 2025 10:15:00 +0100")
    report = run(RETURN_PATH, DELIVERED, LMTP, STAMP_PASS, *resent, BORDER, SUBMISSION, *ORIGINATOR)
    assert report.verdict.result is VerdictResult.FORWARDED
    assert "forwarding.resent" in codes(report)


def test_scenario_17_fetched_mail_is_a_retrieval_not_a_crossing() -> None:
    fetch = (
        "Received: from imap.recipient.example [192.0.2.200]\n\tby laptop.home with IMAP (fetchmail-6.4.37)\n\t"
        "for <bob@localhost> (single-drop); Tue, 4 Mar 2025 10:20:00 +0100"
    )
    report = run(fetch, RETURN_PATH, DELIVERED, LMTP, STAMP_PASS, BORDER, SUBMISSION, *ORIGINATOR)
    assert report.path.notation == PLAIN
    assert report.path.border is not None and report.path.border.index == 2
    assert report.path.hops[-1].kind is HopKind.FETCH
    assert report.verdict.result is VerdictResult.AUTHENTIC


def test_scenario_18_clock_skew_is_a_finding_with_a_negative_delay() -> None:
    skewed = BORDER.replace("10:15:10", "10:11:10")
    report = run(RETURN_PATH, DELIVERED, LMTP, STAMP_PASS, skewed, SUBMISSION, *ORIGINATOR)
    border_hop = report.path.hop(1)
    assert border_hop is not None and border_hop.delay_seconds == -232.0
    assert "trace.clock_skew" in codes(report)
    assert report.verdict.result is VerdictResult.AUTHENTIC


def test_scenario_19_bounce_from_the_reporting_mta() -> None:
    bounce = (
        "Return-Path: <>",
        DELIVERED,
        LMTP,
        STAMP_PASS,
        BORDER,
        "From: Mail Delivery System <MAILER-DAEMON@mail.sender.example>",
        TO,
        "Subject: Undelivered Mail",
        DATE,
        MSGID,
        "Content-Type: multipart/report; report-type=delivery-status; boundary=b1",
    )
    report = run(*bounce)
    assert report.path.notation == "Author/Transmitter --> / --> Receiver/MDA ==> Recipient"
    assert report.verdict.result in (VerdictResult.AUTHENTIC, VerdictResult.INDETERMINATE)
    assert report.verdict.result is not VerdictResult.FORGED


def test_scenario_20_open_relay_is_suspicious_not_forged() -> None:
    relay = (
        "Received: from mail.sender.example (mail.sender.example [198.51.100.10])\n\tby smtp.openrelay.example "
        "(Postfix) with ESMTP id 4MC\n\tfor <bob@recipient.example>; Tue, 4 Mar 2025 10:15:06 +0100"
    )
    sub = SUBMISSION.replace("(Authenticated sender: alice@sender.example)\n\t", "").replace("ESMTPSA", "ESMTP")
    border = BORDER.replace(
        "mail.sender.example (mail.sender.example [198.51.100.10])",
        "smtp.openrelay.example (smtp.openrelay.example [203.0.113.10])",
    )
    stamp = STAMP_FAIL.replace("198.51.100.10", "203.0.113.10")
    report = run(RETURN_PATH, DELIVERED, LMTP, stamp, border, relay, sub, *ORIGINATOR)
    assert report.path.notation == "Author --> Transmitter --> OpenRelay --> / --> Receiver/MDA ==> Recipient"
    assert report.verdict.result is VerdictResult.SUSPICIOUS
    assert "trace.open_relay" in report.verdict.decided_by
