"""Actor roles at the edges of the path: submission without authentication, local pickup, a filtering
gateway in front of a separate mailbox provider, internal mail submitted from home, and a resent message.

Synthetic messages (RFC 5737 addresses, ``.example`` names) and messages from the builder.
"""

from __future__ import annotations

from mailtrace.testing import build_message
from mailtrace.trace.model import Role
from mailtrace.verdict import VerdictResult
from tests.trace._mail import (
    BORDER,
    DELIVERED,
    LMTP,
    ORIGINATOR,
    RETURN_PATH,
    STAMP_PASS,
    SUBMISSION,
    run,
)

PLAIN = "Author ==> MSA/Transmitter --> / --> Receiver/MDA ==> Recipient"


def test_unauthenticated_submission_is_flow_to_a_transmitter_not_an_msa() -> None:
    sub = SUBMISSION.replace("(Authenticated sender: alice@sender.example)\n\t", "").replace("ESMTPSA", "ESMTPS")
    report = run(RETURN_PATH, DELIVERED, LMTP, STAMP_PASS, BORDER, sub, *ORIGINATOR)
    assert report.path.notation == "Author --> Transmitter --> / --> Receiver/MDA ==> Recipient"
    sender = report.path.actors[1]
    assert sender.role_names == (Role.TRANSMITTER,)
    assert report.verdict.result is VerdictResult.AUTHENTIC


def test_unauthenticated_submission_from_the_lan_or_on_port_587_keeps_the_msa() -> None:
    lan = SUBMISSION.replace("(Authenticated sender: alice@sender.example)\n\t", "").replace("ESMTPSA", "ESMTP")
    lan = lan.replace("unknown [203.0.113.201]", "unknown [192.168.1.23]")
    report = run(RETURN_PATH, DELIVERED, LMTP, STAMP_PASS, BORDER, lan, *ORIGINATOR)
    assert report.path.notation == PLAIN


def test_local_pickup_makes_the_author_a_user_of_the_msa_host() -> None:
    pickup = (
        "Received: by mail.sender.example (Postfix, from userid 1000)\n\tid 4Yx0Z9y8X7; Tue, 4 Mar 2025 10:15:02 +0100"
    )
    report = run(RETURN_PATH, DELIVERED, LMTP, STAMP_PASS, BORDER, pickup, *ORIGINATOR)
    assert report.path.notation == "Author/MSA/Transmitter --> / --> Receiver/MDA ==> Recipient"
    author = report.path.actors[0]
    assert author.hops == (2,)
    assert any("local" in e.text for r in author.roles if r.role is Role.MSA for e in r.evidence)


def test_local_pickup_round_trips_through_the_builder() -> None:
    path = "Author/MSA/Transmitter --> / --> Receiver/MDA ==> Recipient"
    built = build_message(path, dialect=["postfix", "postfix"], seed=0)
    report = built.analyze()
    assert report.path.notation == path


def test_filtering_gateway_relaying_with_authentication_to_a_mailbox_provider_is_two_actors() -> None:
    gateway_border = BORDER.replace("by mx.recipient.example", "by mx.gateway.example")
    handover = (
        "Received: from mx.gateway.example (mx.gateway.example [203.0.113.10])\n\t"
        "(Authenticated sender: relay@gateway.example)\n\tby mail.recipient.example (Postfix) with ESMTPSA id 4qc\n\t"
        "for <bob@recipient.example>; Tue, 4 Mar 2025 10:15:11 +0100"
    )
    lmtp = LMTP.replace("from mx.recipient.example", "from mail.recipient.example")
    stamp = STAMP_PASS.replace("mx.recipient.example", "mx.gateway.example")
    report = run(RETURN_PATH, DELIVERED, lmtp, handover, stamp, gateway_border, SUBMISSION, *ORIGINATOR)
    assert report.path.notation == "Author ==> MSA/Transmitter --> / --> Receiver ==> MDA ==> Recipient"
    assert report.path.border is not None and report.path.border.index == 2
    names = [a.name for a in report.path.actors]
    assert names[2:4] == ["gateway.example", "recipient.example"]
    assert report.verdict.result is VerdictResult.AUTHENTIC


def test_gateway_then_mailbox_round_trips_through_the_builder() -> None:
    path = "Author ==> MSA/Transmitter --> / --> Receiver ==> MDA ==> Recipient"
    built = build_message(path, dialect=["postfix"] * 3, seed=0)
    report = built.analyze()
    assert report.path.notation == path
    assert report.path.border is not None and report.path.border.index == built.expected.border_index


def test_internal_mail_submitted_from_home_into_the_mx_is_no_crossing() -> None:
    built = build_message(
        "Author ==> MSA/Transmitter/Receiver/MDA ==> Recipient",
        recipient="bob@sender.example",
        author_ip="198.51.100.201",
    )
    report = built.analyze()
    assert report.path.border is None
    assert report.path.notation == "Author ==> MSA/Transmitter/Receiver/MDA ==> Recipient"
    assert report.verdict.result is VerdictResult.AUTHENTIC


#: Scenario 14: carol received alice's message at relay-user.example and resent it to bob.
RESENT_LEG2 = (
    "Return-Path: <carol@relay-user.example>",
    DELIVERED,
    LMTP.replace("10:15:13", "11:02:13"),
    STAMP_PASS.replace("alice@sender.example", "carol@relay-user.example")
    .replace("198.51.100.10", "198.51.100.60")
    .replace("sender.example", "relay-user.example"),
    BORDER.replace(
        "mail.sender.example (mail.sender.example [198.51.100.10])",
        "mail.relay-user.example (mail.relay-user.example [198.51.100.60])",
    ).replace("10:15:10", "11:02:10"),
    SUBMISSION.replace("alice@sender.example", "carol@relay-user.example")
    .replace("by mail.sender.example", "by mail.relay-user.example")
    .replace("10:15:02", "11:02:02"),
)
RESENT_BLOCK = (
    "Resent-From: Carol <carol@relay-user.example>",
    "Resent-To: bob@recipient.example",
    "Resent-Date: Tue, 4 Mar 2025 11:02:00 +0100",
    "Resent-Message-ID: <r-20250304110200.77@relay-user.example>",
)
RESENT_LEG1 = (
    "Delivered-To: carol@relay-user.example",
    LMTP.replace("recipient.example", "relay-user.example"),
    BORDER.replace("recipient.example", "relay-user.example"),
    SUBMISSION.replace("recipient.example", "relay-user.example"),
)


def test_scenario_14_resending_user_is_a_new_author_on_the_second_leg() -> None:
    report = run(*RESENT_LEG2, *RESENT_BLOCK, *RESENT_LEG1, *ORIGINATOR)
    assert report.path.notation == (
        "Author ==> MSA/Transmitter --> / --> Receiver/MDA ==> Recipient/Author "
        "==> MSA/Transmitter --> / --> Receiver/MDA ==> Recipient"
    )
    assert [b.index for b in report.path.borders] == [4, 1]
    assert report.path.border is not None and report.path.border.ip == "198.51.100.60"
    carol = next(a for a in report.path.actors if Role.AUTHOR in a.role_names and Role.RECIPIENT in a.role_names)
    assert carol.name == "carol@relay-user.example"
    assert any(e.header == "Resent-From" for r in carol.roles for e in r.evidence)
    names = [a.name for a in report.path.actors]
    assert names[0] == "alice@sender.example" and names[-1] == "bob@recipient.example"
    assert report.verdict.result is VerdictResult.FORWARDED


def test_resent_block_with_no_earlier_trace_names_the_resender_as_author() -> None:
    report = run(*RESENT_LEG2, *RESENT_BLOCK, *ORIGINATOR)
    assert report.path.notation == PLAIN
    assert report.path.actors[0].name == "carol@relay-user.example"
    assert report.verdict.result is VerdictResult.FORWARDED


def test_a_list_that_resends_with_resent_fields_is_not_a_new_author() -> None:
    listed = (*RESENT_LEG2, *RESENT_BLOCK, "List-Id: <friends.relay-user.example>", *RESENT_LEG1, *ORIGINATOR)
    report = run(*listed)
    assert "Recipient/Author" not in report.path.notation
    assert report.path.actors[0].name == "alice@sender.example"
