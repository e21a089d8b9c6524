"""Sending platforms from the fields they stamp: provider, identifier to quote, abuse address, side."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from mailtrace import analyze
from mailtrace.enrich import Enrichment, identify_platforms
from mailtrace.parse.message import parse_message
from mailtrace.policy import Policy
from mailtrace.trace.providers import PROVIDERS

EXAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "examples"
PLAIN = (EXAMPLES / "plain.eml").read_bytes()
BORDER_LINE = b"Received: from mail.sender.example"


def with_fields(below: bytes = b"", above: bytes = b"") -> bytes:
    """plain.eml with ``above`` at the top (the recipient's side) and ``below`` under the crossing line."""
    head, sep, rest = PLAIN.partition(BORDER_LINE)
    end = rest.index(b"\nDKIM-Signature:") + 1
    return above + head + sep + rest[:end] + below + rest[end:]


def stamps(raw: bytes) -> list[dict[str, object]]:
    report = analyze(raw, policy=Policy(enrichment=Enrichment()))
    assert report.enrichment is not None
    return [p.to_dict() for p in report.enrichment.platforms]


@pytest.mark.parametrize(
    ("field", "provider", "identifies", "identifier"),
    [
        (b"X-SG-EID: u001.abc", "sendgrid", "message", "u001.abc"),
        (b"X-Mailgun-Sid: WyJiZGE3IiwgInRvIl0=", "mailgun", "message", "WyJiZGE3IiwgInRvIl0="),
        (b"X-SES-Outgoing: 2023.08.02-54.240.8.1", "amazon-ses", "message", "2023.08.02-54.240.8.1"),
        (
            b"Feedback-ID: 1.us-east-1.Z6b43v90IK1XJvd5e665hkVaF1R+eqQ/API+gx0B6zA=:AmazonSES",
            "amazon-ses",
            "account",
            "1.us-east-1.Z6b43v90IK1XJvd5e665hkVaF1R+eqQ/API+gx0B6zA=:AmazonSES",
        ),
        (b"X-MC-User: 4f2a9c", "mailchimp", "account", "4f2a9c"),
        (b"X-Mandrill-User: md_30477602", "mailchimp", "account", "md_30477602"),
        (b"X-MSFBL: eyJyIjoiYiJ9", "sparkpost", "message", "eyJyIjoiYiJ9"),
        (b"X-Google-Smtp-Source: AGHT+IE1abc", "google", "message", "AGHT+IE1abc"),
        (
            b"X-Get-Message-Sender-Via: host4.example: authenticated_id: Shore@Example.ORG",
            "cpanel",
            "account",
            "shore@example.org",
        ),
        (b"X-Report-Abuse: Please report abuse to abuse@esp.example", "declared", "contact", "abuse@esp.example"),
    ],
)
def test_each_stamp_names_provider_identifier_and_abuse_address(
    field: bytes, provider: str, identifies: str, identifier: str
) -> None:
    everything = stamps(with_fields(below=field + b"\n"))
    found = [s for s in everything if (s["provider"], s["identifies"]) == (provider, identifies)]
    assert len(found) == 1
    (stamp,) = found
    assert (stamp["identifies"], stamp["identifier"], stamp["side"]) == (identifies, identifier, "sender")
    known = {p.name: p.abuse for p in PROVIDERS}
    expected = identifier if identifies == "contact" else known.get(provider)
    assert stamp["abuse"] == expected
    assert stamp["evidence"]["header"] == field.split(b":", 1)[0].decode()


def test_message_id_at_an_esp_names_it() -> None:
    head, sep, rest = with_fields().partition(b"\nMessage-ID:")
    raw = head + sep + b" <0100018a-62b5@email.amazonses.com>\nX-Old-Message-ID:" + rest
    (stamp,) = [s for s in stamps(raw) if s["provider"] == "amazon-ses"]
    assert stamp["identifies"] == "message"


def test_a_stamp_above_the_border_is_the_recipients() -> None:
    (stamp,) = [s for s in stamps(with_fields(above=b"X-SG-EID: mine\n")) if s["provider"] == "sendgrid"]
    assert stamp["side"] == "recipient"
    report = analyze(with_fields(above=b"X-SG-EID: mine\n"), policy=Policy(enrichment=Enrichment()))
    assert report.enrichment is not None and report.enrichment.contacts == ()


def test_microsoft_tenant_anonymous_is_the_receiving_tenant_internal_the_sender() -> None:
    tenant = b"X-MS-Exchange-CrossTenant-Id: 84df9e7f-e9f6-40af-b435-aaaaaaaaaaaa\n"
    received = with_fields(below=tenant + b"X-MS-Exchange-CrossTenant-AuthAs: Anonymous\n")
    sent = with_fields(below=tenant + b"X-MS-Exchange-CrossTenant-AuthAs: Internal\n")
    (r,) = [s for s in stamps(received) if s["identifies"] == "tenant"]
    (s,) = [s for s in stamps(sent) if s["identifies"] == "tenant"]
    assert (r["side"], s["side"]) == ("recipient", "sender")
    assert s["identifier"] == "84df9e7f-e9f6-40af-b435-aaaaaaaaaaaa" and s["abuse"] == "abuse@microsoft.com"


def test_values_are_cleaned_and_capped() -> None:
    (stamp,) = identify_platforms(parse_message(b"X-SG-EID: a\x1b[2Jb" + b"c" * 1000 + b"\n\nbody"), None)
    assert stamp.identifier.startswith("a[2Jb") and len(stamp.identifier) <= 300
    assert stamp.side == "unknown"


@pytest.mark.corpus
def test_dev_corpus_platforms(corpus: Path) -> None:
    """phishing-pot-dev: sender-side stamps per provider; no Microsoft tenant stamp is taken as the sender's."""
    folder = corpus / "phishing-pot-dev"
    if not folder.is_dir():
        pytest.skip("phishing-pot-dev absent")
    sides: Counter[tuple[str, str]] = Counter()
    for path in sorted(folder.glob("*.eml")):
        report = analyze(path, policy=Policy(enrichment=Enrichment()))
        assert report.enrichment is not None
        for p in report.enrichment.platforms:
            sides[(p.provider, p.side)] += 1
    assert sides[("microsoft", "recipient")] >= 1400
    assert sides[("sendgrid", "sender")] >= 20
    assert sides[("amazon-ses", "sender")] >= 20
    assert sides[("mailgun", "sender")] >= 10


def test_every_platform_is_in_the_provider_table_or_listed_as_unlisted() -> None:
    from mailtrace.enrich.platforms import FEEDBACK_SENDERS, STAMPS, UNLISTED

    named = {r.provider for r in STAMPS} | set(FEEDBACK_SENDERS.values())
    assert named - {p.name for p in PROVIDERS} == UNLISTED


def test_a_workspace_domain_signing_mail_google_sent_is_its_tenant() -> None:
    gmail = b"X-Google-Smtp-Source: AGHT+IE1abc\n"
    found = [s for s in stamps(with_fields(below=gmail)) if s["identifies"] == "tenant"]
    assert [(s["provider"], s["identifier"], s["evidence"]["header"]) for s in found] == [
        ("google", "sender.example", "DKIM-Signature")
    ]
    assert not [s for s in stamps(with_fields()) if s["identifies"] == "tenant"]  # no Google stamp: no tenant


def test_a_declared_abuse_address_is_never_whom_to_report_to() -> None:
    raw = with_fields(below=b"X-Report-Abuse-To: abuse@paypal.com\nX-SG-EID: u1\n")
    report = analyze(raw, policy=Policy(enrichment=Enrichment()))
    assert report.enrichment is not None
    assert [c.address for c in report.enrichment.contacts] == ["abuse@sendgrid.com"]
