"""Verdict details at the edges: a Message-ID written by the recipient's side, re-checks made without a
border, and a bounce (DSN) from the reporting MTA (scenario 19)."""

from __future__ import annotations

from mailtrace.testing import build_message
from mailtrace.trace.model import Role
from mailtrace.verdict import VerdictResult
from tests.trace._mail import (
    BORDER,
    DATE,
    DELIVERED,
    FROM,
    LMTP,
    RETURN_PATH,
    STAMP_PASS,
    SUBJECT,
    SUBMISSION,
    TO,
    run,
)


def codes(report: object) -> set[str]:
    return {f.code for f in getattr(report, "findings", ())}


def test_message_id_written_by_the_recipients_mx_is_a_finding() -> None:
    mid = "Message-ID: <20250304091510.4Yx1B2b3C4@mx.recipient.example>"
    report = run(RETURN_PATH, DELIVERED, LMTP, STAMP_PASS, BORDER, SUBMISSION, FROM, TO, SUBJECT, DATE, mid)
    found = [f for f in report.findings if f.code == "header.message_id_inconsistent"]
    assert found and "recipient.example" in found[0].message


def test_message_id_of_the_sender_organisation_is_not_a_finding() -> None:
    mid = "Message-ID: <20250304091450.1234@mail.sender.example>"
    report = run(RETURN_PATH, DELIVERED, LMTP, STAMP_PASS, BORDER, SUBMISSION, FROM, TO, SUBJECT, DATE, mid)
    assert "header.message_id_inconsistent" not in codes(report)


def test_message_id_of_a_recipient_that_also_sends_is_not_a_finding() -> None:
    # the sender-side relay is in the recipient's organisation: the Message-ID may well be its own
    mid = "Message-ID: <20250304091450.1234@mx.recipient.example>"
    sub = SUBMISSION.replace("by mail.sender.example", "by out.recipient.example")
    border = BORDER.replace("mail.sender.example (mail.sender.example", "out.recipient.example (out.recipient.example")
    report = run(RETURN_PATH, DELIVERED, LMTP, STAMP_PASS, border, sub, FROM, TO, SUBJECT, DATE, mid)
    assert "header.message_id_inconsistent" not in codes(report)


def test_re_checks_against_the_fallback_ip_without_a_border_are_set_aside_and_the_verdict_says_so() -> None:
    built = build_message(
        "Author ==> MSA/Transmitter/Receiver/MDA ==> Recipient",
        recipient="bob@sender.example",
        author_ip="81.2.69.160",
    )
    report = built.analyze()
    assert report.path.border is None
    assert str(report.verification.dmarc.result) == "fail"  # checked against the fallback client, a guess
    assert report.verdict.result is VerdictResult.AUTHENTIC
    assert "auth.dmarc_fail" not in codes(report)
    assert any("81.2.69.160" in r and "no border" in r for r in report.verdict.reasons), report.verdict.reasons


BOUNCE = (
    "Return-Path: <>",
    DELIVERED,
    LMTP,
    (
        "Authentication-Results: mx.recipient.example;\n\tspf=pass (mx.recipient.example: domain of "
        "postmaster@mail.sender.example designates 198.51.100.10 as permitted sender) "
        "smtp.mailfrom=<> smtp.helo=mail.sender.example"
    ),
    BORDER,
    "From: Mail Delivery System <MAILER-DAEMON@mail.sender.example>",
    TO,
    "Subject: Undelivered Mail Returned to Sender",
    DATE,
    "Message-ID: <20250304091508.ABC@mail.sender.example>",
    "MIME-Version: 1.0",
    "Content-Type: multipart/report; report-type=delivery-status; boundary=b1",
)


def test_scenario_19_bounce_names_the_reporting_mta_as_author_and_checks_spf_on_helo() -> None:
    report = run(*BOUNCE)
    assert report.path.notation == "Author/Transmitter --> / --> Receiver/MDA ==> Recipient"
    author = report.path.actors[0]
    assert author.name == "mail.sender.example"
    evidence = " ".join(e.text for r in author.roles if r.role is Role.AUTHOR for e in r.evidence)
    assert "null envelope sender" in evidence and "multipart/report" in evidence
    spf = [f for f in report.findings if f.code == "auth.spf_pass"]
    assert spf and "HELO" in spf[0].message and "mail.sender.example" in spf[0].message
    assert report.verdict.result is VerdictResult.AUTHENTIC


def test_scenario_19_received_spf_on_the_helo_identity_is_read_as_such() -> None:
    spf = (
        "Received-SPF: Pass (mailfrom) identity=helo; client-ip=198.51.100.10; helo=mail.sender.example;\n\t"
        "envelope-from=<>; receiver=mx.recipient.example"
    )
    fields = tuple(spf if f.startswith("Authentication-Results") else f for f in BOUNCE)
    report = run(*fields)
    spf_pass = [f for f in report.findings if f.code == "auth.spf_pass"]
    assert spf_pass and "HELO identity mail.sender.example" in spf_pass[0].message
    assert report.verdict.result is VerdictResult.AUTHENTIC


def test_a_bounce_without_a_report_body_keeps_the_from_address_as_author() -> None:
    fields = tuple(f for f in BOUNCE if not f.startswith("Content-Type"))
    report = run(*fields)
    assert report.path.actors[0].name == "MAILER-DAEMON@mail.sender.example"
