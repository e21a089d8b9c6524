"""The one-``findall`` split of a header block equals the line-by-line split it replaced (mailtrace.parse.message)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from mailtrace.limits import Limits
from mailtrace.model.fields import HeaderField, Message
from mailtrace.parse.message import _blank_line, _index, parse_message

_FIELD_BREAK = re.compile(rb"\n(?![ \t])")
_NAME_COLON = re.compile(rb"([!-9;-~]+):")

_LINES = st.one_of(
    st.sampled_from(
        [
            b"From: a@example.com",
            b"Received: from a by b;",
            b"received:x",
            b"\tfolded",
            b" more",
            b"X-A :b",
            b"bad line",
            b"",
            b"\r",
            b"To:",
            b":x",
            b"Subject: caf\xc3\xa9 \r",
            b"A:b\rc",
            b"N\x00: v",
            b"\xff: v",
        ]
    ),
    st.binary(max_size=12),
)


def _reference(raw: bytes) -> tuple[list[tuple[int, str, bytes]], dict[str, tuple[int, ...]]] | None:
    """The fields and index of the split that :func:`_fast_fields` replaced, or ``None`` where it fell back."""
    start = raw.find(b"\n") + 1 if raw.startswith(b"From ") else 0
    if start == 0 and raw.startswith(b"From "):
        return None
    newline = "\r\n" if raw.find(b"\r\n", start, start + 4096) >= 0 else "\n"
    blank = _blank_line(raw, start, len(raw), newline)
    end = blank + 1 if blank >= 0 else len(raw)
    block = b"" if raw[start : start + 1] in (b"\n", b"\r") else raw[start:end]
    chunks = _FIELD_BREAK.split(block)
    if chunks and not chunks[-1]:
        chunks.pop()
    names = [m for m in map(_NAME_COLON.match, chunks) if m is not None]
    if len(names) != len(chunks):
        return None
    fields = [
        (i, name[1].decode("ascii"), chunk[:-1] if chunk[-1:] == b"\r" else chunk)
        for i, (name, chunk) in enumerate(zip(names, chunks, strict=True))
    ]
    index: dict[str, list[int]] = {}
    for i, name_text, _ in fields:
        index.setdefault(name_text.lower(), []).append(i)
    return fields, {key: tuple(found) for key, found in index.items()}


def _shape(message: Message) -> tuple[list[tuple[int, str, bytes]], dict[str, tuple[int, ...]]]:
    fields = [(f.index, f.name, f.raw) for f in message.fields]
    return fields, {key: tuple(f.index for f in found) for key, found in message._by_key.items()}


@settings(max_examples=400, deadline=None)
@given(st.lists(_LINES, max_size=14), st.sampled_from([b"\n", b"\r\n"]), st.booleans())
def test_findall_split_equals_line_split(lines: list[bytes], newline: bytes, body: bool) -> None:
    raw = newline.join(lines) + (newline + newline + b"body" + newline if body else b"")
    fast = parse_message(raw)
    careful = parse_message(raw, Limits(max_field_bytes=64 * 1024 + 1))
    assert _shape(fast) == _shape(careful)
    assert (fast.body_offset, fast.defects, fast.newline) == (careful.body_offset, careful.defects, careful.newline)
    expected = _reference(raw)
    if expected is not None:
        assert _shape(fast) == expected
    for f in fast.fields:
        assert type(f) is HeaderField or f.space_before_colon


def test_index_keeps_first_appearance_order_and_field_order() -> None:
    names = ["Received", "From", "received", "X-A", "RECEIVED", "x-a", "To"]
    fields = [HeaderField(index=i, name=n, raw=n.encode() + b": v") for i, n in enumerate(names)]
    by_key = _index(fields, [n.lower() for n in names])
    assert list(by_key) == ["received", "from", "x-a", "to"]
    assert {k: [f.index for f in v] for k, v in by_key.items()} == {
        "received": [0, 2, 4],
        "from": [1],
        "x-a": [3, 5],
        "to": [6],
    }
    assert all(type(v) is tuple for v in by_key.values()) and type(by_key) is dict
