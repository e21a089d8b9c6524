"""Reply-To at another domain: the author's own other mailbox is told from a hijack."""

from __future__ import annotations

from pathlib import Path

import pytest

import mailtrace
from mailtrace.verdict import VerdictResult
from mailtrace.verdict.catalogue import Finding, Severity
from tests.trace._mail import BORDER, DATE, LMTP, MSGID, SUBJECT, SUBMISSION, TO, run


def _reply_to(reply_to: str, sender: str = "vincent") -> mailtrace.Report:
    return run(
        LMTP, BORDER, SUBMISSION, f"From: Vincent <{sender}@sender.example>", f"Reply-To: {reply_to}", TO, SUBJECT,
        DATE, MSGID,
    )  # fmt: skip


def _finding(report: mailtrace.Report) -> Finding:
    (found,) = [f for f in report.findings if f.code == "header.reply_to_unrelated"]
    return found


def test_the_same_personal_mailbox_name_at_another_domain_is_low() -> None:
    found = _finding(_reply_to("vincent@family-name.example"))
    assert found.severity is Severity.LOW
    assert "the same mailbox name as From:" in found.message


@pytest.mark.parametrize(
    ("reply_to", "sender"),
    [
        ("vincent@gmail.com", "vincent"),  # free-mail with the same name: the business-email-compromise pattern
        ("info@elsewhere.example", "info"),  # a role mailbox names nobody
        ("vince@elsewhere.example", "vincent"),  # another name
    ],
)
def test_free_mail_role_names_and_other_names_stay_medium(reply_to: str, sender: str) -> None:
    assert _finding(_reply_to(reply_to, sender)).severity is Severity.MEDIUM


@pytest.mark.corpus
def test_a_display_name_written_as_an_address_is_not_the_sender(corpus: Path) -> None:
    # From: purchasing@aquillaindustries.com <do-not-reply@ncs.gov.ng>, Reply-To a look-alike (capital I for l)
    report = mailtrace.analyze(corpus / "mail-parser-tests" / "mail_test_15")
    sender = report.headers.from_.first if report.headers.from_ is not None else None
    assert sender is not None and sender.address == "do-not-reply@ncs.gov.ng"
    assert sender.display_name == "purchasing@aquillaindustries.com"
    codes = {f.code for f in report.findings}
    assert {"header.display_name_address", "header.reply_to_unrelated"} <= codes
    assert _finding(report).severity is Severity.MEDIUM
    assert report.verdict.result is VerdictResult.SUSPICIOUS
