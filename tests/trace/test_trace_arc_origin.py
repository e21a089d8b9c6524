"""An ARC set sealed by the author's own platform on the way out records no intermediary.

Microsoft 365 seals its tenants' outgoing mail (``d=microsoft.com`` from ``*.outlook.com``
hosts): before this rule such a set read as forwarding evidence and, naming a "forwarder",
put a crossing inside Microsoft's network.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import mailtrace
from mailtrace.verdict import VerdictResult
from tests.trace._mail import BORDER, LMTP, ORIGINATOR, SUBMISSION, run


def _seal(instance: int, domain: str) -> str:
    return f"ARC-Seal: i={instance}; a=rsa-sha256; cv=none; d={domain}; s=arc; t=1741079710; b=AAAA"


def _arc_evidence(report: mailtrace.Report) -> list[int | None]:
    return [e.header_index for f in report.findings if f.code == "forwarding.arc" for e in f.evidence]


def test_the_first_set_sealed_before_the_message_left_the_authors_network_is_the_origins() -> None:
    report = run(LMTP, BORDER, _seal(1, "sender.example"), SUBMISSION, *ORIGINATOR)
    (tie,) = report.path.arc
    assert tie.hop == 2 and tie.origin  # received[2]: the submission hop, by mail.sender.example
    assert "before the message left it" in tie.note
    assert _arc_evidence(report) == []
    assert report.verdict.result is not VerdictResult.FORWARDED


@pytest.mark.parametrize(
    ("seal", "why"),
    [
        (_seal(2, "sender.example"), "not the first set: someone sealed before it"),
        (_seal(1, "elsewhere.example"), "no hop of the author's network is the sealer's"),
    ],
)
def test_other_sets_stay_forwarding_evidence(seal: str, why: str) -> None:
    report = run(LMTP, BORDER, seal, SUBMISSION, *ORIGINATOR)
    (tie,) = report.path.arc
    assert not tie.origin, why
    assert _arc_evidence(report) == [tie.header_index], why


def test_a_trace_that_never_leaves_one_organisation_has_no_origin_set() -> None:
    inside = BORDER.replace("mx.recipient.example", "mx2.sender.example")
    lmtp = LMTP.replace("by imap.recipient.example", "by imap.sender.example").replace(
        "from mx.recipient.example", "from mx2.sender.example"
    )
    report = run(lmtp, inside, _seal(1, "sender.example"), SUBMISSION, *ORIGINATOR)
    assert [t.origin for t in report.path.arc] == [False]  # nothing shows where it left


@pytest.mark.corpus
def test_microsoft_365_outbound_seal_to_gmail_is_not_forwarding(corpus: Path) -> None:
    report = mailtrace.analyze(corpus / "rspamd-functional-messages" / "arcallow.eml")
    ties = {t.domain: t for t in report.path.arc}
    assert ties["microsoft.com"].origin and ties["microsoft.com"].hop == 2  # an outlook.com hop
    assert not ties["google.com"].origin  # Gmail's seal on receipt: the recipient's
    assert _arc_evidence(report) == []
    assert report.path.notation == "Author ==> MSA/Transmitter --> / --> Receiver/MDA ==> Recipient"
    assert report.verdict.result is VerdictResult.AUTHENTIC


@pytest.mark.corpus
def test_a_list_after_a_microsoft_365_author_keeps_its_own_set(corpus: Path) -> None:
    path = corpus / "lfdr-list-archives" / "ntb.lists.linux.dev.0" / "01539-54de6bec92b7.eml"
    report = mailtrace.analyze(path)
    ties = {t.instance: t for t in report.path.arc}
    assert ties[1].domain == "microsoft.com" and ties[1].origin
    assert ties[2].domain == "subspace.kernel.org" and not ties[2].origin
    assert _arc_evidence(report) == [ties[2].header_index]
    # no crossing between two Microsoft hosts: the author's platform is one MSA/Transmitter
    assert [b.receiver for b in report.path.borders] == ["smtp.subspace.kernel.org", "mail.lfdr.de"]
    assert report.verdict.result is VerdictResult.FORWARDED
