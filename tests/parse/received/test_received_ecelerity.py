"""Momentum (ecelerity) lines (issue 13): their own dialect, not Exim with a malformed id."""

from __future__ import annotations

from pathlib import Path

import pytest

import mailtrace
from mailtrace.parse.received import parse_received_value

# The shapes of the phishing-pot-dev lines (sample-6655, sample-7445, sample-1627), addresses replaced by
# RFC 5737 ones.
SMTP = (
    "from [192.0.2.119] ([192.0.2.119:37400] helo=[10.88.176.129])\n\t"
    "by i-082b5fe06eb67de50.mta2vsmtp.sd.prd.sparkpost (envelope-from <survey-noreply@example.com>)\n\t"
    "(ecelerity 5.1.0.74856 r(msys-ecelerity:tags/5.1.0.29)) with ESMTPSA (cipher=AES-256-GCM) \n\t"
    "id D4/52-37715-B44A9596; Sat, 03 Jan 2026 23:20:43 +0000"
)
REST = (
    "from [10.90.38.32] ([10.90.38.32])\n\t"
    "by i-0b81e668203cef5c0.mta1vrest.sd.prd.sparkpost (ecelerity 5.1.0.75076 r(msys-ecelerity:tags/5.1.0.46)) "
    "with REST\n\tid 6B/73-64619-509DE896; Fri, 13 Feb 2026 07:55:49 +0000"
)
ISP = (
    "from [198.51.100.124] ([198.51.100.124:55443] helo=localhost)\n\tby mail.mymts.net "
    "(envelope-from <noreply@example.com>)\n\t(ecelerity 4.4.1.20033 r(msys-ecelerity:tags/4.4.1.0^0)) with "
    "ESMTPSA (cipher=DHE-RSA-AES128-GCM-SHA256) \n\tid FF/E0-07263-3CF75356; Sun, 22 Oct 2023 16:02:13 -0400"
)


def test_smtp_line_is_momentum_with_its_client_and_id() -> None:
    hop = parse_received_value(SMTP)
    assert hop.software == "ecelerity"
    assert hop.kind == "smtp"
    assert hop.from_.ip == "192.0.2.119"
    assert hop.by.host == "i-082b5fe06eb67de50.mta2vsmtp.sd.prd.sparkpost"
    assert hop.id == "D4/52-37715-B44A9596"
    assert hop.authenticated
    assert hop.timestamp is not None and hop.timestamp.year == 2026


def test_rest_injection_is_an_http_submission() -> None:
    hop = parse_received_value(REST)
    assert hop.software == "ecelerity"
    assert hop.kind == "http"
    assert hop.with_ == "REST"


def test_isp_line_and_a_line_without_the_comment_are_told_apart() -> None:
    assert parse_received_value(ISP).software == "ecelerity"
    exim = ISP.replace("(ecelerity 4.4.1.20033 r(msys-ecelerity:tags/4.4.1.0^0)) ", "")
    assert parse_received_value(exim).software != "ecelerity"


def test_a_momentum_hop_is_no_implausible_exim_hop() -> None:
    raw = (
        "Received: from mta.example.net (mta.example.net [198.51.100.7]) by mx.example.org (Postfix) with ESMTPS "
        "id 4Yx1B2b3C4 for <bob@example.org>; Sat, 03 Jan 2026 23:20:45 +0000\r\n"
        f"Received: {ISP.replace(chr(10), chr(13) + chr(10))}\r\n"
        "From: a@example.com\r\nTo: bob@example.org\r\nSubject: s\r\nDate: Sat, 03 Jan 2026 23:20:40 +0000\r\n"
        "Message-ID: <x@example.com>\r\n\r\nbody\r\n"
    ).encode()
    report = mailtrace.analyze(raw)
    assert "trace.implausible_hop" not in {f.code for f in report.findings}


@pytest.mark.corpus
def test_corpus_momentum_lines(corpus: Path) -> None:
    # every Received line with the ecelerity comment in the development corpus (seven messages)
    files = sorted(p for p in corpus.rglob("*.eml") if b"(ecelerity " in p.read_bytes())
    if not files:
        pytest.skip("no Momentum lines in this corpus")
    seen = 0
    for path in files:
        report = mailtrace.analyze(path)
        for hop in report.received:
            if "(ecelerity " in hop.raw:
                seen += 1
                assert hop.software == "ecelerity", (path.name, hop.raw)
                assert hop.id is not None and "/" in hop.id
        assert "trace.implausible_hop" not in {f.code for f in report.findings}, path.name
    assert seen >= len(files)
