"""The hand split of the header block (mailtrace.parse.message)."""

from __future__ import annotations

import email.parser
import email.policy

import pytest

from mailtrace.limits import Limits
from mailtrace.parse.message import parse_message

SIMPLE = (
    b"Received: from a.example (a.example [192.0.2.1])\n"
    b"\tby b.example (Postfix) with ESMTP id 4AB;\n"
    b"\tMon, 13 May 2024 10:00:00 +0000\n"
    b"From: Alice <alice@example.com>\n"
    b"Subject: =?utf-8?q?Caf=C3=A9?= menu\n"
    b"\n"
    b"Body line\n"
)


def test_split_keeps_order_index_and_raw_bytes() -> None:
    msg = parse_message(SIMPLE)
    assert [f.name for f in msg.fields] == ["Received", "From", "Subject"]
    assert [f.index for f in msg.fields] == [0, 1, 2]
    assert msg.fields[0].raw == SIMPLE[: SIMPLE.index(b"\nFrom:")]
    assert msg.fields[0].value == (
        "from a.example (a.example [192.0.2.1])\tby b.example (Postfix) with ESMTP id 4AB;"
        "\tMon, 13 May 2024 10:00:00 +0000"
    )
    assert msg.body == b"Body line\n"
    assert msg.defects == ()


def test_split_decodes_rfc2047_into_decoded_only() -> None:
    subject = parse_message(SIMPLE).get("subject")
    assert subject is not None
    assert subject.value == "=?utf-8?q?Caf=C3=A9?= menu"
    assert subject.decoded == "Café menu"


def test_split_crlf_gives_same_values_as_lf_and_keeps_crlf_raw() -> None:
    crlf = SIMPLE.replace(b"\n", b"\r\n")
    lf_msg, crlf_msg = parse_message(SIMPLE), parse_message(crlf)
    assert [f.value for f in crlf_msg.fields] == [f.value for f in lf_msg.fields]
    assert crlf_msg.newline == "\r\n"
    assert b"\r\n\tby" in crlf_msg.fields[0].raw
    assert crlf_msg.body == b"Body line\r\n"


def test_split_agrees_with_stdlib_on_values() -> None:
    ours = parse_message(SIMPLE)
    theirs = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(SIMPLE)
    assert [f.name for f in ours.fields] == list(theirs.keys())
    for field, (_, value) in zip(ours.fields, theirs.items(), strict=True):
        assert field.value == "".join(value.splitlines()).strip()


def test_mbox_from_line_is_removed_and_kept() -> None:
    msg = parse_message(b"From alice@example.com Mon May 13 10:00:00 2024\n" + SIMPLE)
    assert msg.mbox_from == "alice@example.com Mon May 13 10:00:00 2024"
    assert msg.fields[0].name == "Received"


def test_invalid_utf8_is_a_defect_and_raw_is_lossless() -> None:
    msg = parse_message(b"Subject: caf\xe9\n\nx")
    field = msg.fields[0]
    assert field.raw == b"Subject: caf\xe9"
    assert [d.code for d in field.defects] == ["header.invalid_utf8"]
    assert field.value == "caf\ufffd"


def test_header_only_input_without_trailing_newline() -> None:
    msg = parse_message(b"Received: from x by y; Mon, 13 May 2024 10:00:00 +0000")
    assert msg.header_only
    assert msg.fields[0].value.startswith("from x by y")


def test_non_header_line_ends_block_with_defect() -> None:
    msg = parse_message(b"From: a@example.com\nthis is body text\nTo: b@example.com\n")
    assert [f.name for f in msg.fields] == ["From"]
    assert msg.body.startswith(b"this is body text")
    assert [d.code for d in msg.defects] == ["message.missing_separator"]


def test_space_before_colon_is_accepted_with_defect() -> None:
    msg = parse_message(b"Subject : hi\n\n")
    assert msg.fields[0].name == "Subject"
    assert msg.fields[0].value == "hi"
    assert [d.code for d in msg.fields[0].defects] == ["header.space_before_colon"]


@pytest.mark.parametrize(
    ("limits", "data", "code"),
    [
        (Limits(max_fields=3), b"".join(b"X-%d: v\n" % i for i in range(10)) + b"\n", "message.too_many_fields"),
        (Limits(max_header_bytes=100), b"X: " + b"a" * 500 + b"\n\nbody", "message.header_too_large"),
    ],
)
def test_bounds_become_message_defects(limits: Limits, data: bytes, code: str) -> None:
    msg = parse_message(data, limits)
    assert code in [d.code for d in msg.defects]
    assert len(msg.fields) <= limits.max_fields


def test_field_length_bound_cuts_value_with_defect() -> None:
    msg = parse_message(b"Subject: " + b"a" * 5000 + b"\n\n", Limits(max_field_bytes=1000))
    field = msg.fields[0]
    assert len(field.value) <= 1000
    assert [d.code for d in field.defects] == ["header.too_long"]


def test_get_and_get_all_are_case_insensitive_and_ordered() -> None:
    msg = parse_message(b"received: one\nReceived: two\nRECEIVED: three\n\n")
    assert [f.value for f in msg.get_all("Received")] == ["one", "two", "three"]
    first = msg.get("RECEIVED")
    assert first is not None and first.value == "one"
    assert msg.get("Missing") is None
