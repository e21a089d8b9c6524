"""An ARC set sealed by the recipient's own network on receipt is no forwarding evidence.

Gmail and Fastmail seal incoming mail at their MX: that set sits at or above the recipient's
border and records the receiver's checks. Before this rule, every message received by those
providers read ``forwarded`` (real messages from the corpus below).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import mailtrace
from mailtrace.verdict import VerdictResult


def _arc_evidence(report: mailtrace.Report) -> list[int | None]:
    return [e.header_index for f in report.findings if f.code == "forwarding.arc" for e in f.evidence]


@pytest.mark.corpus
@pytest.mark.parametrize(
    "rel",
    [
        "rspamd-functional-messages/dmarc/good_dkim_rspamd.eml",  # sent straight to Gmail, sealed by google.com
        "mailauth-fixtures/fixtures/bimi.eml",
    ],
)
def test_a_set_sealed_at_the_recipients_border_is_not_forwarding(corpus: Path, rel: str) -> None:
    report = mailtrace.analyze(corpus / rel)
    border = report.path.border
    assert border is not None and border.recipient
    ties = report.path.arc
    assert ties and all(t.hop is not None and t.hop <= border.index for t in ties)  # sealed at or above it
    assert _arc_evidence(report) == []
    assert report.verdict.result is not VerdictResult.FORWARDED


@pytest.mark.corpus
def test_fastmail_internal_mail_is_no_longer_read_as_forwarded(corpus: Path) -> None:
    paths = sorted((corpus / "dkim_verifier-testdata" / "original").glob("Fastmail from *"))
    if not paths:
        pytest.skip("dkim_verifier-testdata Fastmail messages not in the corpus")
    for path in paths:
        report = mailtrace.analyze(path)
        assert [t.domain for t in report.path.arc] and _arc_evidence(report) == [], path.name
        assert report.verdict.result is VerdictResult.AUTHENTIC, path.name


@pytest.mark.corpus
def test_a_forwarders_set_below_the_border_still_counts(corpus: Path) -> None:
    # Gmail to Gmail forwarding: i=2 sealed by the recipient's MX (hop 1, the border),
    # i=1 by the forwarding account's Gmail (hop 3, below it).
    report = mailtrace.analyze(corpus / "mailauth-fixtures" / "fixtures" / "arc-pass.eml")
    border = report.path.border
    assert border is not None
    below = [t.header_index for t in report.path.arc if t.hop is not None and t.hop > border.index]
    above = [t.header_index for t in report.path.arc if t.hop is not None and t.hop <= border.index]
    assert below and above
    assert _arc_evidence(report) == below
    assert report.verdict.result is VerdictResult.FORWARDED
