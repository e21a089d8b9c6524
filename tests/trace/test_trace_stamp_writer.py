"""Receiver stamps and their writers: a stamp decides the border only when its writer is a host of the trace.

RFC 7208 section 9.1 (``Received-SPF``, ``receiver=``), RFC 8601 section 2.5 (the authserv-id).
"""

from __future__ import annotations

from pathlib import Path

from mailtrace import analyze
from mailtrace.trace.model import BorderMethod
from mailtrace.trace.stamps import find_stamps, stamp_writer, writes_as
from tests.trace._mail import BORDER, DELIVERED, LMTP, ORIGINATOR, RETURN_PATH, SUBMISSION, run

#: The receiving MX's milter line: written by mx.recipient.example about a loopback hand-off from its filter.
MILTER = (
    "Received: from mailmx.nyi.internal (localhost [127.0.0.1])\n\t"
    "by mx.recipient.example (Authentication Milter) with ESMTP id B6B15C09D69;\n\t"
    "Tue, 4 Mar 2025 10:15:11 +0100"
)
#: Internal relay lines below the stamp (names in no registrable domain, as Fastmail's ``*.nyi.internal``):
#: the SMTP line from the outside client is missing.
INTERNAL = (
    "Received: from outbound.nyi.internal (outbound.nyi.internal [10.0.0.5])\n\t"
    "by mailmx.nyi.internal (Postfix) with ESMTP id 0FEB627200B2;\n\tTue, 4 Mar 2025 10:15:10 +0100"
)
#: The author's webmail hand-off.
WEBMAIL = "Received: from web3 ([10.0.0.9])\n\tby outbound.nyi.internal (MEProxy); Tue, 4 Mar 2025 10:15:09 +0100"


def spf(ip: str, receiver: str) -> str:
    return (
        f"Received-SPF: pass (sender.example: {ip} is authorized to use 'alice@sender.example' in 'mfrom' "
        f'identity)\n\treceiver={receiver}; identity=mailfrom; envelope-from="alice@sender.example";\n\t'
        f"helo=mail.sender.example; client-ip={ip}"
    )


def ar(ip: str, authserv: str) -> str:
    return (
        f"Authentication-Results: {authserv};\n\tiprev=pass smtp.remote-ip={ip} (mail.sender.example);\n\t"
        "spf=pass smtp.mailfrom=alice@sender.example"
    )


def codes(report: object) -> set[str]:
    return {f.code for f in getattr(report, "findings", ())}


def test_stamp_by_a_host_of_the_trace_places_the_border_when_the_crossing_line_is_missing() -> None:
    report = run(RETURN_PATH, DELIVERED, LMTP, MILTER, spf("198.51.100.10", "mx.recipient.example"), INTERNAL, WEBMAIL)
    border = report.path.border
    assert border is not None
    assert (border.index, border.ip, border.receiver) == (1, "198.51.100.10", "mx.recipient.example")
    assert border.method is BorderMethod.RECEIVED_SPF
    assert border.recipient and border.client is None
    assert "missing" in border.evidence[0].text and border.evidence[0].header == "Received-SPF"
    assert border.evidence[1].hop == 1  # the lowest line the stamping host wrote
    found = [f for f in report.findings if f.code == "trace.crossing_line_missing"]
    assert len(found) == 1 and found[0].severity.value == "info"
    assert "198.51.100.10" in found[0].message and "received[1]" in found[0].message
    assert report.path.to_dict()["border"]["method"] == "received_spf"
    assert any("crossing line is missing" in n for n in report.path.notes)


def test_authentication_results_by_the_same_organisation_counts_as_a_host_of_the_trace() -> None:
    report = run(RETURN_PATH, DELIVERED, LMTP, MILTER, ar("198.51.100.10", "recipient.example"), INTERNAL, WEBMAIL)
    border = report.path.border
    assert border is not None
    assert (border.index, border.ip, border.method) == (1, "198.51.100.10", BorderMethod.AUTHENTICATION_RESULTS)
    assert "trace.crossing_line_missing" in codes(report)


def test_stamp_by_a_name_the_trace_never_shows_decides_nothing() -> None:
    for writer in ("test.module", "FC5-VPC"):
        report = run(RETURN_PATH, DELIVERED, LMTP, MILTER, spf("198.51.100.10", writer), INTERNAL, WEBMAIL)
        assert report.path.border is None, writer
        assert "trace.crossing_line_missing" not in codes(report)
        heuristic = run(RETURN_PATH, DELIVERED, LMTP, spf("203.0.113.77", writer), BORDER, SUBMISSION, *ORIGINATOR)
        border = heuristic.path.border
        assert border is not None and border.method is BorderMethod.ORGANISATION
        assert border.ip == "198.51.100.10"
        assert not codes(heuristic) & {"trace.crossing_line_missing", "trace.border_stamp_disagreement"}


def test_stamp_by_an_unknown_writer_naming_a_hop_of_the_trace_does_not_move_the_border() -> None:
    # the stamp names the client of the submission hop; its writer is no host of this trace
    stamp = spf("203.0.113.201", "harness.invalid")
    report = run(RETURN_PATH, DELIVERED, LMTP, stamp, BORDER, SUBMISSION, *ORIGINATOR)
    border = report.path.border
    assert border is not None
    assert (border.index, border.ip, border.method) == (1, "198.51.100.10", BorderMethod.ORGANISATION)


def test_stamp_by_the_border_host_naming_another_client_is_a_disagreement_finding() -> None:
    report = run(RETURN_PATH, DELIVERED, LMTP, ar("203.0.113.99", "mx.recipient.example"), BORDER, *ORIGINATOR)
    border = report.path.border
    assert border is not None and (border.index, border.ip) == (1, "198.51.100.10")  # the trace decides
    found = [f for f in report.findings if f.code == "trace.border_stamp_disagreement"]
    assert len(found) == 1
    assert found[0].severity.value == "low" and found[0].indicates.value == "suspicion"
    assert "203.0.113.99" in found[0].message and "198.51.100.10" in found[0].message
    assert found[0].evidence[0].header == "Authentication-Results"
    assert "trace.crossing_line_missing" not in codes(report)


def test_stamp_supplies_the_ip_a_crossing_line_omits() -> None:
    line = (
        "Received: from mail.sender.example\n\tby mx.recipient.example (Postfix) with ESMTPS id 4Yx1B2b3C4\n\t"
        "for <bob@recipient.example>; Tue, 4 Mar 2025 10:15:10 +0100"
    )
    report = run(RETURN_PATH, DELIVERED, line, spf("198.51.100.10", "mx.recipient.example"), *ORIGINATOR)
    border = report.path.border
    assert border is not None
    assert (border.index, border.ip, border.client) == (0, "198.51.100.10", "mail.sender.example")
    assert border.method is BorderMethod.RECEIVED_SPF
    assert not codes(report) & {"trace.crossing_line_missing", "trace.border_stamp_disagreement"}


def test_writes_as_same_host_or_organisation_only() -> None:
    assert writes_as("mx5.messagingengine.com", "MX5.messagingengine.com.")
    assert writes_as("messagingengine.com", "mx5.messagingengine.com")
    assert not writes_as("test.module", "mx.google.com")
    assert not writes_as("FC5-VPC", "fc5-vpc.example.org")  # a bare name is no organisation
    assert writes_as("FC5-VPC", "fc5-vpc")
    assert not writes_as(None, "mx.example.org") and not writes_as("mx.example.org", None)


def test_stamp_writer_finds_the_line_just_below_gmail_style() -> None:
    gmail = (
        "Received: from mail.sender.example (mail.sender.example. [198.51.100.10])\n\t"
        "by mx.google.com with ESMTPS id a1si2;\n\tTue, 4 Mar 2025 10:15:10 -0800 (PST)"
    )
    report = run(ar("198.51.100.10", "mx.google.com"), gmail, *ORIGINATOR)
    (stamp,) = find_stamps(report.message)
    writer = stamp_writer(stamp, report.path.hops)
    assert writer is not None and writer.received_index == 0
    border = report.path.border
    assert border is not None and border.method is BorderMethod.AUTHENTICATION_RESULTS


def test_fastmail_delivery_border_is_the_stamped_client(corpus: Path) -> None:
    folder = corpus / "dkim_verifier-testdata" / "original"
    for name, mx in (
        ("Fastmail from Fastmail - How to keep your email private.eml", "mx5.messagingengine.com"),
        ("Fastmail from Fastmail - Welcome! Get set up in 3 steps..eml", "mx3.messagingengine.com"),
    ):
        report = analyze(folder / name)
        border = report.path.border
        assert border is not None, name
        assert (border.ip, border.receiver, border.index) == ("66.111.4.25", mx, 3)
        assert report.received[3].by.host == mx
        assert "trace.crossing_line_missing" in codes(report)


def test_fabricated_stamps_of_test_harnesses_do_not_decide_the_border(corpus: Path) -> None:
    for rel, stamped in (
        ("authentication_milter-testdata/example/google_apps_good.eml", "74.125.82.171"),
        ("spamassassin-t-data/nice/spf3-received-spf", "69.61.78.188"),
    ):
        report = analyze(corpus / rel)
        border = report.path.border
        assert border is None or border.ip != stamped, rel
        assert border is None or border.method is BorderMethod.ORGANISATION
        assert not codes(report) & {"trace.crossing_line_missing", "trace.border_stamp_disagreement"}


def test_stamp_below_the_next_line_does_not_supply_a_missing_ip() -> None:
    line = (
        "Received: from mail.sender.example\n\tby mx.recipient.example (Postfix) with ESMTPS id 4Yx1B2b3C4\n\t"
        "for <bob@recipient.example>; Tue, 4 Mar 2025 10:15:10 +0100"
    )
    lower = (
        "Received: from [203.0.113.201]\n\tby mail.sender.example (Postfix) with ESMTP id 4Yx0Z9y8X7;\n\t"
        "Tue, 4 Mar 2025 10:15:02 +0100"
    )
    # sender-side text under the sender's own line: it cannot speak for mx.recipient.example
    report = run(RETURN_PATH, DELIVERED, line, lower, spf("198.51.100.10", "mx.recipient.example"), *ORIGINATOR)
    border = report.path.border
    assert border is None or border.ip != "198.51.100.10"
