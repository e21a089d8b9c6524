"""header.from_unregistrable: a From: domain nobody can own, on mail from outside that nothing authenticated."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import mailtrace
from mailtrace.verdict import VerdictResult
from tests.trace._mail import BORDER, DATE, LMTP, MSGID, SUBJECT, SUBMISSION, TO, run

CODE = "header.from_unregistrable"


def _codes(report: mailtrace.Report) -> set[str]:
    return {f.code for f in report.findings}


@pytest.mark.parametrize(
    "address",
    [
        "global@correios",  # a single label
        "root@ubuntu-s-1vcpu-512mb-10gb-nyc1-01",  # a cloud VM's host name
        "billing@co.uk",  # a public suffix itself: nobody owns co.uk
        "it@mail.corp.internal",  # a top-level domain the Public Suffix List does not know
        "user@host.localdomain",
    ],
)
def test_mail_from_outside_at_a_domain_nobody_can_own_is_suspicious(address: str) -> None:
    report = run(LMTP, BORDER, SUBMISSION, f"From: Correios <{address}>", TO, SUBJECT, DATE, MSGID)
    (found,) = [f for f in report.findings if f.code == CODE]
    assert address in found.message and "came in from outside" in found.message
    assert found.evidence[0].header == "From"
    assert report.verdict is not None and report.verdict.result is VerdictResult.SUSPICIOUS


@pytest.mark.parametrize("address", ["alice@sender.example", "alice@gmail.com", "a@mail.example.co.uk"])
def test_a_domain_that_can_be_registered_is_not_flagged(address: str) -> None:
    report = run(LMTP, BORDER, SUBMISSION, f"From: Alice <{address}>", TO, SUBJECT, DATE, MSGID)
    assert CODE not in _codes(report)


def test_internal_mail_may_carry_a_host_name() -> None:
    local = "Received: by mailhost.corp (Postfix, from userid 0) id 1A2B3C; Tue, 4 Mar 2025 10:15:00 +0100"
    report = run(local, "From: root@mailhost", "To: admin@mailhost", SUBJECT, DATE, MSGID)
    assert report.path.border is None or report.path.internal
    assert CODE not in _codes(report)


def test_a_domain_the_receiver_authenticated_is_not_flagged() -> None:
    # a receiver that found DNS for the domain found a domain (an anonymised corpus writes such names)
    stamp = (
        "Authentication-Results: mx.recipient.example;\n\tspf=pass smtp.mailfrom=alice@pot;\n\t"
        "dmarc=pass header.from=pot"
    )
    report = run(LMTP, stamp, BORDER, SUBMISSION, "From: Alice <alice@pot>", TO, SUBJECT, DATE, MSGID)
    parts = report.verdict.parts if report.verdict is not None else None
    assert parts is not None and parts.from_auth.status == "aligned_pass"
    assert CODE not in _codes(report)


@pytest.mark.corpus
def test_the_receiver_junked_the_real_mail_this_finding_names(corpus: Path) -> None:
    # Microsoft's spam confidence level is a label to measure against: 5 and above is junk
    flagged = junk = 0
    for path in sorted((corpus / "phishing-pot-dev").glob("*.eml")):
        raw = path.read_bytes()
        report = mailtrace.analyze(raw)
        if CODE not in _codes(report):
            continue
        flagged += 1
        scl = re.search(rb"X-MS-Exchange-Organization-SCL:\s*(-?\d+)", raw, re.IGNORECASE)
        junk += scl is not None and int(scl.group(1)) >= 5
    if flagged == 0:
        pytest.skip("phishing-pot-dev missing")
    assert flagged >= 50 and junk / flagged >= 0.95  # measured: 103 flagged, all 103 junked
