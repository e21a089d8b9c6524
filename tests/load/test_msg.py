"""Outlook .msg files (mailtrace.load.msg), through the optional extract-msg package.

The fixture is built here with extract-msg's own OLE writer: an Outlook message holds its transport
headers as the UTF-16 property stream ``__substg1.0_007D001F`` (PR_TRANSPORT_MESSAGE_HEADERS).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import mailtrace

HEADERS = (
    "Received: from mail.sender.example (mail.sender.example [198.51.100.7])\r\n"
    "\tby mx.recipient.example (Postfix) with ESMTPS id 4Vx1;\r\n\tMon, 13 May 2024 10:00:00 +0000 (UTC)\r\n"
    "Authentication-Results: mx.recipient.example; spf=pass smtp.mailfrom=sender.example\r\n"
    "From: Alice <alice@sender.example>\r\nSubject: quarterly figures\r\n"
    "DKIM-Signature: v=1; a=rsa-sha256; d=sender.example; s=s1; h=from:subject; bh=YWJj; b=ZGVm\r\n\r\n"
)


def _msg(path: Path, headers: str | None) -> Path:
    ole_writer = pytest.importorskip("extract_msg.ole_writer")
    writer = ole_writer.OleWriter()
    streams = {"001A001F": "IPM.Note", "0037001F": "quarterly figures", "1000001F": "converted body text"}
    if headers is not None:
        streams["007D001F"] = headers
    for tag, text in streams.items():
        writer.addEntry(f"__substg1.0_{tag}", text.encode("utf-16-le"))
    writer.addEntry("__properties_version1.0", b"\0" * 32)
    writer.write(str(path))
    return path


def test_a_msg_file_is_read_through_its_transport_headers(tmp_path: Path) -> None:
    path = _msg(tmp_path / "reported.msg", HEADERS)
    report = mailtrace.analyze(path)
    assert report.source.format == "msg" and report.source.name == str(path)
    assert report.received[0].from_.ip == "198.51.100.7"
    assert report.headers.subject is not None and report.headers.subject.value == "quarterly figures"
    assert report.message.header_only and b"converted body text" not in report.message.raw
    (defect,) = [d for d in report.defects if d.code == "msg.no_original_body"]
    assert "DKIM body hashes cannot be re-checked" in defect.message


def test_a_msg_without_transport_headers_is_an_error_result(tmp_path: Path) -> None:
    path = _msg(tmp_path / "draft.msg", None)
    (result,) = mailtrace.analyze_many(path, errors="report")
    assert isinstance(result, mailtrace.InputError) and result.code == "input.not_mail"
    assert "no transport headers" in result.message and str(path) in result.message


def test_without_the_extra_a_msg_is_refused_with_the_install_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _msg(tmp_path / "reported.msg", HEADERS)
    monkeypatch.setitem(sys.modules, "extract_msg", None)  # import fails as if not installed
    with pytest.raises(mailtrace.UnsupportedFormatError, match=r"mailtrace\[msg\]"):
        mailtrace.analyze(path)


def test_corpus_files_named_msg_are_rfc5322_text_and_read_as_such(corpus: Path) -> None:
    files = sorted(corpus.rglob("*.msg"))
    assert files
    for path in files[:20]:
        report = mailtrace.analyze(path)
        assert report.source.format == "eml" and report.message.fields


def test_a_real_outlook_msg_from_the_corpus(corpus: Path) -> None:
    pytest.importorskip("extract_msg")
    report = mailtrace.analyze(corpus / "mail-parser-tests" / "mail_outlook_1")
    assert report.source.format == "msg" and report.message.header_only
    assert len(report.received) == 10
    assert (report.received[0].from_.ip, report.received[0].by.host) == ("10.191.70.10", "EX-01.auenland.lkt")
    assert [d.code for d in report.defects] == ["msg.no_original_body"]


def test_a_short_ole2_header_is_never_handed_to_olefile_as_a_file_name(tmp_path: Path) -> None:
    # olefile reads bytes shorter than 1536 as a path: these must not make it open anything
    (result,) = mailtrace.analyze_many(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1/etc/hostname", errors="report")
    assert isinstance(result, mailtrace.InputError) and result.code == "input.not_mail"
    assert "too short for an Outlook .msg" in result.message
