"""ARF (RFC 5965) and X-ARF reports: structure, round trip through the email package, redaction, injection."""

from __future__ import annotations

import email
import json
from dataclasses import replace
from datetime import UTC, datetime
from email.message import Message
from pathlib import Path

import pytest
import yaml

from mailtrace import analyze
from mailtrace.abuse import ReportOptions, incident_of, write_arf, write_xarf
from mailtrace.abuse.redact import redacted_local
from mailtrace.dns import OfflineZone
from mailtrace.enrich import Enrichment
from mailtrace.indicators import IndicatorOptions
from mailtrace.policy import Policy

EXAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "examples"
BODY_URL = "https://login.bad.example/verify?id=1"
RAW = (
    (EXAMPLES / "plain.eml").read_bytes().replace(b"\r\n\r\n", f"\r\n\r\nPlease visit {BODY_URL} now.\r\n".encode(), 1)
)
ZONE = {"10.100.51.198.abuse-contacts.abusix.zone": {"TXT": ["abuse@sender-hosting.example"]}}
NOW = datetime(2025, 3, 5, 9, 0, tzinfo=UTC)
OPTIONS = ReportOptions(sender="desk@recipient.example", to="abuse@sender-hosting.example", now=NOW, redact_key=b"k")


def incident(raw: bytes = RAW):  # type: ignore[no-untyped-def]
    policy = Policy(resolver=OfflineZone.from_dict(ZONE), enrichment=Enrichment(), indicators=IndicatorOptions())
    return incident_of(analyze(raw, policy=policy))


def parse(data: bytes) -> Message:
    return email.message_from_bytes(data)


def test_arf_structure_matches_rfc5965() -> None:
    report = parse(write_arf([incident()], OPTIONS))
    assert report.get_content_type() == "multipart/report"
    assert report.get_param("report-type") == "feedback-report"
    assert report["To"] == "abuse@sender-hosting.example" and report["From"] == "desk@recipient.example"
    parts = report.get_payload()
    assert isinstance(parts, list)
    assert [p.get_content_type() for p in parts] == ["text/plain", "message/feedback-report", "message/rfc822"]
    assert not report.defects and not any(p.defects for p in report.walk())


def test_feedback_fields_round_trip() -> None:
    inc = incident()
    report = parse(write_arf([inc], OPTIONS))
    feedback = report.get_payload()[1].get_payload()[0]  # type: ignore[index, union-attr]
    assert feedback["Feedback-Type"] == "abuse"
    assert feedback["User-Agent"].startswith("mailtrace/")
    assert feedback["Version"] == "1"
    assert feedback["Source-IP"] == "198.51.100.10"
    assert feedback["Arrival-Date"] == "Tue, 04 Mar 2025 10:15:06 +0100"
    assert feedback["Original-Mail-From"] == "<alice@sender.example>"
    assert feedback["Original-Rcpt-To"] == "<bob@recipient.example>"
    assert feedback["Reported-Domain"] == "sender.example"
    assert feedback.get_all("Reported-Uri") == [BODY_URL]
    stamped = " ".join(feedback["Authentication-Results"].split())
    assert stamped.startswith("mx.recipient.example; dkim=pass header.i=@sender.example")
    original = report.get_payload()[2].get_payload()[0]  # type: ignore[index, union-attr]
    assert original["Message-ID"] == "<bf8474688db4035c2373@sender.example>"
    assert BODY_URL in original.get_payload()


@pytest.mark.corpus
def test_same_structure_as_the_mimekit_sample(corpus: Path) -> None:
    sample = corpus / "mimekit-testdata" / "messages" / "feedback-report.txt"
    if not sample.is_file():
        pytest.skip("mimekit sample absent")
    theirs = parse(sample.read_bytes().lstrip(b"\xef\xbb\xbf"))
    ours = parse(write_arf([incident()], OPTIONS))

    def shape(m: Message) -> list[str]:
        return [p.get_content_type() for p in m.walk()]

    assert (
        shape(ours)
        == shape(theirs)
        == [
            "multipart/report",
            "text/plain",
            "message/feedback-report",
            "text/plain",  # the feedback fields, read by the email package as a header-only message
            "message/rfc822",
            "text/plain",
        ]
    )
    their_fields = set(theirs.get_payload()[1].get_payload()[0].keys())  # type: ignore[index, union-attr]
    our_fields = set(ours.get_payload()[1].get_payload()[0].keys())  # type: ignore[index, union-attr]
    required = {"Feedback-Type", "User-Agent", "Version"}
    assert required <= their_fields and required <= our_fields
    shared = {"Original-Mail-From", "Original-Rcpt-To", "Source-IP", "Authentication-Results", "Reported-Domain"}
    assert shared <= their_fields and shared <= our_fields


def test_redacted_report_carries_headers_only_and_hashed_local_parts() -> None:
    data = write_arf([incident()], replace(OPTIONS, redact=True))
    report = parse(data)
    third = report.get_payload()[2]  # type: ignore[index]
    assert third.get_content_type() == "text/rfc822-headers"
    assert b"bob@recipient.example" not in data
    assert f"{redacted_local('bob', b'k')}@recipient.example".encode() in data
    assert BODY_URL.encode() not in third.as_bytes()
    feedback = report.get_payload()[1].get_payload()[0]  # type: ignore[index, union-attr]
    assert feedback["Original-Rcpt-To"] == f"<{redacted_local('bob', b'k')}@recipient.example>"


def test_xarf_report_parses_as_yaml() -> None:
    report = parse(write_xarf([incident()], replace(OPTIONS, feedback_type="fraud")))
    assert report["X-XARF"] == "PLAIN" and report["Auto-Submitted"] == "auto-generated"
    assert report.get_content_type() == "multipart/mixed"
    human, yml, evidence = report.get_payload()  # type: ignore[misc]
    assert "198.51.100.10" in human.get_payload()
    assert yml.get_filename() == "report.txt"
    fields = yaml.safe_load(yml.get_payload(decode=True))
    assert fields["Version"] == "0.2" and fields["Category"] == "fraud" and fields["Report-Type"] == "phishing"
    assert (fields["Source"], fields["Source-Type"], fields["Port"]) == ("198.51.100.10", "ipv4", 25)
    assert fields["Schema-URL"].endswith("fraud_0.1.4.json")
    assert evidence.get_content_type() == "message/rfc822"


def test_header_injection_from_message_values_is_neutralised() -> None:
    hostile = replace(
        incident(),
        mail_from="a@b.example\r\nBcc: victim@example.org",
        authentication_results="mx; spf=pass\nX-Injected: yes",
        uris=("http://x.example/\r\nX-Injected: 2",),
        reported_domain="evil.example\nX-Injected: 3",
        source_ip="192.0.2.1\r\nX-Injected: 4",
    )
    data = write_arf([hostile], replace(OPTIONS, to="abuse@x.example\r\nBcc: y@example.org"))
    report = parse(data)
    assert report["Bcc"] is None and "X-Injected" not in report
    feedback = report.get_payload()[1].get_payload()[0]  # type: ignore[index, union-attr]
    assert feedback["X-Injected"] is None and feedback["Bcc"] is None
    assert feedback["Original-Mail-From"] == "<a@b.example Bcc: victim@example.org>"
    assert all(len(line) <= 998 for line in data.split(b"\n"))


def test_grouped_report_counts_incidents() -> None:
    a, b = incident(), incident(RAW.replace(b"Subject:", b"X-Other: 1\nSubject:", 1))
    feedback = parse(write_arf([a, b], OPTIONS)).get_payload()[1].get_payload()[0]  # type: ignore[index, union-attr]
    assert feedback["Incidents"] == "2"


def test_the_report_is_deterministic_given_the_time() -> None:
    assert write_arf([incident()], OPTIONS) == write_arf([incident()], OPTIONS)
    assert json.dumps(OPTIONS.to) == '"abuse@sender-hosting.example"'
