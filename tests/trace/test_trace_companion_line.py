"""qmail writes two lines per receipt: ``(qmail N invoked from network[ip])`` above its SMTP line."""

from __future__ import annotations

from pathlib import Path

import pytest

import mailtrace
from mailtrace.trace.model import LinkStatus
from tests.trace._mail import BORDER, LMTP, ORIGINATOR, run

SMTP = (
    "Received: from unknown (HELO client) (203.0.113.9)\n\tby mail.sender.example with SMTP; "
    "Tue, 4 Mar 2025 09:15:01 -0000"
)
QUEUE = "Received: (qmail 20521 invoked from network[203.0.113.9]); Tue, 4 Mar 2025 09:15:01 -0000"
OTHER_IP = "Received: (qmail 20521 invoked from network[198.51.100.99]); Tue, 4 Mar 2025 09:15:01 -0000"


def _links(report: mailtrace.Report) -> dict[int | None, LinkStatus]:
    return {h.received_index: h.link for h in report.path.hops}


def test_the_queue_line_is_the_same_receipt_and_the_next_line_links_past_it() -> None:
    links = _links(run(LMTP, BORDER, QUEUE, SMTP, *ORIGINATOR))
    # received[2] (the queue line) repeats received[3]'s client; received[1] names mail.sender.example,
    # the receiving host of received[3]
    assert links[2] is LinkStatus.LINKED and links[1] is LinkStatus.LINKED


def test_a_line_naming_another_client_is_still_broken() -> None:
    links = _links(run(LMTP, BORDER, OTHER_IP, SMTP, *ORIGINATOR))
    assert links[2] is LinkStatus.BROKEN


@pytest.mark.corpus
def test_spamassassin_ham_through_eircom_qmail_is_not_suspicious(corpus: Path) -> None:
    path = corpus / "spamassassin-public-corpus" / "easy-ham-1" / "00054.f3e1dc8f3a7fdc5bec424db5e07e8ef8.txt"
    report = mailtrace.analyze(path)
    assert "trace.link_broken" not in {f.code for f in report.findings}
    assert all(h.link is not LinkStatus.BROKEN for h in report.path.hops)
