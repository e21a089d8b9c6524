"""The one-pass split (``_fast_split``) reads what the careful split reads, on any header block.

The careful path (a field limit other than the default sends every message there) finds the empty
line with :func:`~mailtrace.parse.message._blank_line` and splits the block at each line break not
followed by white space; the one-pass split finds both in one ``findall``. Both must give the same
fields, index, body offset and defects, whatever the line breaks, the mbox ``From`` line, the
header size limit (cutting a field, a line break or the empty line) and the field count limit.
"""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from mailtrace.limits import Limits
from mailtrace.model.fields import Message
from mailtrace.parse.message import parse_message

_PIECES = st.sampled_from(
    [
        b"From: a@example.com",
        b"Subject: hi",
        b"Received: from x by y; Mon, 3 Jun 2024 10:00:00 +0000",
        b"\tfolded",
        b" more",
        b"X-A :b",
        b"bad line",
        b"",
        b"\r",
        b"To:",
        b":x",
        b"X-Nul: a\x00b",
        b"X-Cr: a\rb",
        b"From x@y Mon Jun  3 10:00:00 2024",
        b"Subject: =?utf-8?q?caf=C3=A9?= and =?bad",
        b"X-Utf: caf\xc3\xa9",
        b"X-Cut: caf\xc3",
        b"\t\xa9 tail",
        b"X-Latin: \xe9t\xe9",
        b"Subject:   spaced \t",
        b"X-Empty:",
        b"X-Eq: a=?b",
        b"From: caf\xc3\xa9 <a@b.example>",
        b"Received: from h\xe9 by x",
        b"To: =?utf-8?b?w6k=?= <a@b.example>",
        b"Content-Type: text/plain;\r\n\tcharset=x? y",
    ]
)
_BREAKS = st.sampled_from([b"\n", b"\r\n", b"\n\r\n", b"\n\n", b"\r\n\n"])


def _shape(message: Message) -> tuple[object, ...]:
    fields = tuple((f.index, f.name, f.raw, f.parts) for f in message.fields)
    index = {key: tuple(f.index for f in found) for key, found in message._by_key.items()}
    return fields, index, message.body_offset, message.newline, message.mbox_from, message.defects


@settings(max_examples=1500, deadline=None)
@given(
    st.lists(st.tuples(_PIECES, _BREAKS), max_size=10),
    st.booleans(),
    st.sampled_from([b"", b"body\n", b"\nbody", b"\r\nx"]),
    st.integers(min_value=1, max_value=200),
    st.sampled_from([1, 2, 3, 1000]),
)
def test_one_pass_and_careful_split_agree(
    lines: list[tuple[bytes, bytes]], mbox: bool, tail: bytes, header_bytes: int, max_fields: int
) -> None:
    raw = (b"From sender@example.com Mon Jun  3 10:00:00 2024\n" if mbox else b"") + b"".join(
        line + brk for line, brk in lines
    )
    raw += tail
    for limits in (Limits(), Limits(max_header_bytes=header_bytes), Limits(max_fields=max_fields)):
        fast = parse_message(raw, limits)
        careful = parse_message(raw, dataclasses.replace(limits, max_field_bytes=64 * 1024 + 1))
        assert _shape(fast) == _shape(careful), raw


def test_one_pass_split_ends_where_the_blank_line_rule_says() -> None:
    # "\n\r\n\n": the empty line is the "\n\n", not the "\n\r\n" that overlaps it (_blank_line's rule)
    for raw in (b"A: b\n\r\n\nbody", b"A: b\r\n\r\nbody", b"A: b\n\nbody", b"A: b\n", b"A: b", b"A: b\n\r\nx"):
        careful = parse_message(raw, Limits(max_field_bytes=64 * 1024 + 1))
        assert _shape(parse_message(raw)) == _shape(careful)
    assert parse_message(b"A: b\r\n\r\nbody").body == b"body"
