"""Property: analyze() returns a report for any input whatsoever."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mailtrace
from mailtrace.errors import UnsupportedFormatError
from mailtrace.load.sniff import OLE2, unsupported_format

_NAMES = st.sampled_from(
    [
        "Received",
        "From",
        "To",
        "Date",
        "Subject",
        "Return-Path",
        "Reply-To",
        "Message-ID",
        "DKIM-Signature",
        "ARC-Seal",
        "ARC-Message-Signature",
        "ARC-Authentication-Results",
        "Authentication-Results",
        "Received-SPF",
        "Resent-From",
        "Resent-Date",
        "List-Id",
        "X-Originating-IP",
        "Delivered-To",
    ]
)
_TOKENS = st.sampled_from(
    [
        "from",
        "by",
        "with",
        "id",
        "for",
        "via",
        ";",
        "(",
        ")",
        "[",
        "]",
        "<",
        ">",
        "@",
        "=",
        '"',
        "\\",
        ":",
        "192.0.2.1",
        "IPv6:2001:db8::1",
        "helo=",
        "ESMTPSA",
        "Mon, 13 May 2024 10:00:00 +0000",
        "=?utf-8?q?x?=",
        "d=example.com",
        "s=sel",
        "b=",
        "v=1",
        "spf=pass",
        "dkim=fail",
        "i=1",
        "\t",
        " ",
        "\r\n ",
        "\xff",
        "\x00",
    ]
)
_VALUE = st.lists(st.one_of(_TOKENS, st.text(max_size=12)), max_size=40).map("".join)
_FIELD = st.tuples(_NAMES, _VALUE).map(lambda nv: f"{nv[0]}: {nv[1]}")
_HEADER_BLOCK = st.lists(_FIELD, max_size=25).map(
    lambda fs: ("\n".join(fs) + "\n\nbody\n").encode("utf-8", "surrogatepass")
)


def _check(data: bytes) -> None:
    try:
        report = mailtrace.analyze(data)
    except UnsupportedFormatError:
        # a refused format, or an OLE2 file that is no readable Outlook .msg
        assert unsupported_format(data[:8]) is not None or data.startswith(OLE2)
        return
    report.to_json()
    assert report.message.raw == data[: len(report.message.raw)]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_analyze_never_raises_on_arbitrary_bytes(data: bytes) -> None:
    if data.startswith(b"From ") and b"\nFrom " in data:
        return  # several mbox messages: analyze() asks for analyze_many(), by design
    _check(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_HEADER_BLOCK)
def test_analyze_never_raises_on_arbitrary_header_blocks(data: bytes) -> None:
    _check(data)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000))
def test_analyze_many_never_raises_on_mbox_like_bytes(data: bytes) -> None:
    for report in mailtrace.analyze_many(b"From x\n" + data):
        report.to_dict()
