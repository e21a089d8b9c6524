"""Reported mail as it arrives (mailtrace.load.nested): attached messages get their own reports."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

import mailtrace
import mailtrace.load.nested as nested
from mailtrace import Report

ORIGINAL = (
    b"Received: from evil.example (evil.example [203.0.113.66])\n\tby mx.victim.example with ESMTP id X1;"
    b" Mon, 13 May 2024 09:00:00 +0000\nFrom: ceo@victim.example\nSubject: urgent wire\n\npay now\n"
)


def _report(parts: list[bytes], boundary: bytes = b"b1", ctype: bytes = b"multipart/mixed") -> bytes:
    head = (
        b"From: user@victim.example\nTo: abuse@victim.example\nSubject: reported phish\n"
        b"Content-Type: " + ctype + b'; boundary="' + boundary + b'"\n\n'
    )
    body = b"".join(b"--" + boundary + b"\n" + p + b"\n" for p in parts) + b"--" + boundary + b"--\n"
    return head + b"preamble\n" + body


TEXT = b"Content-Type: text/plain\n\nPlease look at the attached.\n"
RFC822 = b"Content-Type: message/rfc822\nContent-Disposition: attachment\n\n" + ORIGINAL


def _subjects(reports: list[Report]) -> list[str | None]:
    return [r.headers.subject.value if r.headers.subject else None for r in reports]


def test_a_reported_message_is_analysed_as_its_own_report(tmp_path: Path) -> None:
    path = tmp_path / "report.eml"
    path.write_bytes(_report([TEXT, RFC822]))
    wrapper, attached = mailtrace.analyze_many(path)
    assert _subjects([wrapper, attached]) == ["reported phish", "urgent wire"]
    assert attached.source.name == str(path) and attached.source.part == "2"
    assert attached.received[0].from_.ip == "203.0.113.66"
    doc = wrapper.to_dict()
    assert doc["attachments"] == [
        {"part": "2", "content_type": "message/rfc822", "filename": None, "size": len(ORIGINAL), "analysed": True}
    ]
    assert attached.to_dict()["source"]["part"] == "2" and attached.to_dict()["attachments"] == []
    assert [r.source.part for r in mailtrace.analyze_many(path, nested=False)] == [None]
    assert mailtrace.analyze(path).source.part is None  # analyze() reads the one message it was given


def test_arf_and_bounce_headers_part_and_a_base64_eml_attachment() -> None:
    arf = _report(
        [
            TEXT,
            b"Content-Type: message/feedback-report\n\nFeedback-Type: abuse\n",
            b"Content-Type: text/rfc822-headers\n\n" + ORIGINAL.split(b"\n\n")[0] + b"\n",
        ],
        ctype=b"multipart/report; report-type=feedback-report",
    )
    wrapper, headers_only = mailtrace.analyze_many(arf)
    assert headers_only.source.part == "3" and headers_only.message.header_only
    assert wrapper.source.attachments[0].content_type == "text/rfc822-headers"
    encoded = base64.encodebytes(ORIGINAL)
    eml = (
        b'Content-Type: application/octet-stream; name="phish.eml"\nContent-Transfer-Encoding: base64\n'
        b'Content-Disposition: attachment; filename="phish.eml"\n\n' + encoded
    )
    wrapper, attached = mailtrace.analyze_many(_report([TEXT, eml], boundary=b"=_x y"))
    assert attached.message.raw == ORIGINAL and wrapper.source.attachments[0].filename == "phish.eml"


def test_parts_are_numbered_as_imap_sections_through_nesting() -> None:
    inner = _report([TEXT, RFC822], boundary=b"inner")
    alternative = b'Content-Type: multipart/alternative; boundary="alt"\n\n--alt\n' + TEXT + b"\n--alt--\n"
    outer = _report([alternative, b"Content-Type: message/rfc822\n\n" + inner], boundary=b"outer")
    reports = list(mailtrace.analyze_many(outer))
    assert [r.source.part for r in reports] == [None, "2", "2.2"]
    assert _subjects(reports) == ["reported phish", "reported phish", "urgent wire"]
    assert [a.part for a in reports[1].source.attachments] == ["2.2"]


def test_the_walk_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nested, "MAX_ATTACHED", 2)
    reports = list(mailtrace.analyze_many(_report([RFC822, RFC822, RFC822])))
    assert len(reports) == 3
    assert [a.analysed for a in reports[0].source.attachments] == [True, True, False]
    assert "mime.limit" in {d.code for d in reports[0].defects}
    monkeypatch.setattr(nested, "MAX_PARTS", 1)
    reports = list(mailtrace.analyze_many(_report([TEXT, RFC822])))
    assert len(reports) == 1 and "more than 1 MIME parts" in str(reports[0].defects)


def test_a_message_without_attached_mail_keeps_its_source() -> None:
    (report,) = mailtrace.analyze_many(_report([TEXT, TEXT]))
    assert report.source.attachments == ()
    assert not [d for d in report.defects if d.code == "mime.limit"]


@pytest.mark.parametrize(
    "part",
    [
        b'Content-Type: application/octet-stream; name="FW_ invoice.MSG"\n\n' + ORIGINAL,
        b"Content-Type: message/GLOBAL\n\n" + ORIGINAL,
        b'Content-Type: application/octet-stream\nContent-Disposition: attachment; filename="Phish.Eml"\n\n' + ORIGINAL,
    ],
    ids=["upper-case .MSG", "message/GLOBAL", "mixed-case .Eml"],
)
def test_attachments_that_no_byte_search_named_are_found(part: bytes) -> None:
    # none of these holds "822", ".eml", ".EML", ".msg" or "/global": the searches that used to decide
    # whether to walk a message at all missed them
    raw = _report([TEXT, part])
    assert not nested.might_hold_messages(raw)
    wrapper, attached = mailtrace.analyze_many(raw)
    assert [a.part for a in wrapper.source.attachments] == ["2"]
    assert _subjects([attached]) == ["urgent wire"]


def test_a_bound_reached_is_reported_only_where_a_message_may_hide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nested, "MAX_PARTS", 1)
    (plain,) = mailtrace.analyze_many(_report([TEXT, TEXT]))
    assert not [d for d in plain.defects if d.code == "mime.limit"]  # nothing in it names an attached message
    (hiding,) = mailtrace.analyze_many(_report([TEXT, RFC822]))
    assert "more than 1 MIME parts" in str(hiding.defects)


def test_an_attached_message_is_cut_where_the_parser_cuts_a_message() -> None:
    # the part's header ends "\n\r\n\n": a line holding a lone CR, then the empty line. The parser takes
    # the "\n\n" as the end of a header block; the walk took the "\n\r\n", and the attached message then
    # began with an empty line: no header, no Received line, no From.
    part = b"Content-Type: message/rfc822\n\r\n\n" + ORIGINAL
    wrapper, attached = mailtrace.analyze_many(_report([TEXT, part]))
    assert attached.message.raw == ORIGINAL
    assert [a.part for a in wrapper.source.attachments] == ["2"]
    assert _subjects([attached]) == ["urgent wire"]
    assert attached.received[0].from_.ip == "203.0.113.66"
    alone = mailtrace.analyze(b"Subject: wrapper\n\r\n\n" + ORIGINAL)
    assert alone.message.body.startswith(b"Received:")  # the parser's own reading of the same bytes
