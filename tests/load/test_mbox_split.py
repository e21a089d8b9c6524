"""The in-memory mbox splitter gives exactly what the streaming one gives (mailtrace.load.mbox)."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from mailtrace.load.mbox import iter_mbox, split_mbox, unquote_from

_PIECES = st.sampled_from(
    [b"From ", b"\n", b"\r\n", b"x", b">From ", b">>From ", b" ", b"\r", b"\n\nFrom a\n", b"\r\n"]
)


def _streamed(data: bytes, max_bytes: int) -> list[tuple[int, bytes]]:
    return list(iter_mbox(io.BufferedReader(io.BytesIO(data)), max_bytes))


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=30), st.sampled_from([1, 3, 10, 1000]))
def test_split_mbox_matches_the_line_loop(pieces: list[bytes], max_bytes: int) -> None:
    data = b"From " + b"".join(pieces)
    assert list(split_mbox(data, max_bytes)) == _streamed(data, max_bytes)


def test_separator_needs_an_empty_line_before_it() -> None:
    data = b"From a\nX: 1\n\nbody\nFrom not a separator\n\r\nFrom b\nY: 2\n"
    assert [offset for offset, _ in split_mbox(data, 1000)] == [0, data.index(b"From b")]


def test_unquote_from_removes_one_level() -> None:
    assert unquote_from(b">From a\n>>From b\n>Fromage\n x>From c\n") == b"From a\n>From b\n>Fromage\n x>From c\n"
