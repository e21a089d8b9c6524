"""A recipient domain guessed from ``To:`` that the border contradicts raises no recipient-claim findings.

Old list software (Majordomo) leaves the list's own address in ``To:`` and adds no ``List-*``
field; with no ``Delivered-To`` the recipient's domain is guessed from ``To:``, the sender's side.
When the receiver's reverse lookup puts the border client in that organisation, the guess names
the sender, and the sender's own relays below the border are no "recipient relays".
"""

from __future__ import annotations

from pathlib import Path

import pytest

import mailtrace
from mailtrace.verdict import VerdictResult
from tests.trace._mail import DATE, MSGID, SUBJECT, run

_CLAIMS = {"trace.claims_recipient_relay", "trace.helo_recipient_domain"}

BORDER = (
    "Received: from relay.lists.example (relay.lists.example [198.51.100.20])\n\t"
    "by mx.subscriber.example (Postfix) with ESMTP id 4Yx1B2b3C4; Tue, 4 Mar 2025 10:15:10 +0100"
)
LIST_HOP = (
    "Received: from mail.sender.example (mail.sender.example [203.0.113.5])\n\t"
    "by relay.lists.example (Postfix) with ESMTP id 4Yx0A1b2C3\n\t"
    "for <team@lists.example>; Tue, 4 Mar 2025 10:15:05 +0100"
)


def test_the_lists_own_relay_below_the_border_is_not_a_recipient_relay() -> None:
    report = run(BORDER, LIST_HOP, "From: Alice <alice@sender.example>", "To: team@lists.example", SUBJECT, DATE, MSGID)
    assert report.path.recipient_domain == "lists.example"  # the guess, from For:/To:
    assert not _CLAIMS & {f.code for f in report.findings}
    assert report.verdict.result is not VerdictResult.FORGED


def test_a_real_recipient_relay_below_the_border_still_counts() -> None:
    # the border client is outside the recipient's organisation: a line below it by the recipient's host is a lie
    border = BORDER.replace("relay.lists.example (relay.lists.example", "relay.other.example (relay.other.example")
    report = run(border, LIST_HOP, "From: Alice <alice@sender.example>", "To: team@lists.example", SUBJECT, DATE, MSGID)
    assert "trace.claims_recipient_relay" in {f.code for f in report.findings}


@pytest.mark.corpus
def test_majordomo_newsletter_is_not_forged(corpus: Path) -> None:
    # Matrox's list relay oasis.matrox.net (rDNS oasis.matrox.com) delivers to ruhr-uni-bochum.de; To: is the list
    path = corpus / "spamassassin-public-corpus" / "hard-ham-1" / "00149.f6fddcb1750a61e5e085e22a4fa08912.txt"
    report = mailtrace.analyze(path)
    assert not _CLAIMS & {f.code for f in report.findings}
    assert report.verdict.result is not VerdictResult.FORGED


@pytest.mark.corpus
def test_a_list_echoing_the_recipients_own_post_is_not_a_helo_claim(corpus: Path) -> None:
    # SpamAssassin ham: the recipient (netnoteinc.com) posts from home (HELO mandark.labs.netnoteinc.com, an
    # eircom dial-up address) to a SourceForge list, which delivers the post back to him
    path = corpus / "spamassassin-public-corpus" / "easy-ham-1" / "01311.bcbaf39917e22619944a0e18eb7233f7.txt"
    report = mailtrace.analyze(path)
    assert len(report.path.borders) == 2
    assert "trace.helo_recipient_domain" not in {f.code for f in report.findings}
    assert report.verdict.result is VerdictResult.FORWARDED
