"""The mbox reader (mailtrace.load.mbox): chunked, bounded, and honest about the variant."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mailtrace.load.mbox as mbox
from mailtrace.load.mbox import MboxMessage, Window, read_mbox

SEP = b"From sender@example.com Mon May 13 10:00:00 2024\n"

_PIECES = st.sampled_from(
    [b"From ", b"\n", b"\r\n", b"x", b">From ", b">>From ", b" ", b"\r", b"\n\nFrom a\n", b"\r\n", SEP, b"X-A: 1\n",
     b"Content-Length: 3\n", b"\n\n", b"12:00 2024 "]
)  # fmt: skip


def _codes(found: MboxMessage) -> list[str]:
    return [d.code for d in found.defects]


def _streamed(data: bytes, max_bytes: int, chunk: int, monkeypatch: pytest.MonkeyPatch) -> list[MboxMessage]:
    monkeypatch.setattr(mbox, "CHUNK", chunk)
    return list(read_mbox(Window(stream=io.BufferedReader(io.BytesIO(data), 1)), max_bytes))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_PIECES, max_size=30),
    st.sampled_from([1, 3, 10, 1000]),
    st.sampled_from([1, 2, 7, 4096]),
    st.sampled_from(["auto", "mboxo", "mboxrd"]),
)
def test_a_stream_read_in_any_chunks_splits_as_bytes_in_memory(
    pieces: list[bytes], max_bytes: int, chunk: int, variant: str
) -> None:
    data = b"From " + b"".join(pieces)
    found = list(read_mbox(Window(data), max_bytes, variant=variant))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(mbox, "CHUNK", chunk)
        stream = Window(stream=io.BufferedReader(io.BytesIO(data), 1))
        assert list(read_mbox(stream, max_bytes, variant=variant)) == found
    assert all(len(m.data) <= max_bytes for m in found)
    # Nothing is lost or invented: uncut messages put back together are the input (mboxrd unquotes).
    if variant != "mboxrd" and all(len(m.data) < max_bytes for m in found):
        assert b"".join(m.data for m in found) == data


def test_separator_needs_an_empty_line_or_a_separators_form() -> None:
    data = (
        SEP + b"X: 1\n\nbody\nFrom not a separator\nFrom what I hear: it is\n\r\n"
        + SEP + b"Y: 2\n\nbody\n"
        + SEP + b"Z: 3\n\nlast\n"
    )  # fmt: skip
    found = list(read_mbox(Window(data), 1000))
    assert [m.offset for m in found] == [0, data.index(SEP, 1), data.rindex(SEP)]
    assert [_codes(m) for m in found] == [[], [], ["mbox.separator_without_blank_line"]]


def test_mboxo_keeps_a_genuine_quoted_from_line_and_says_it_may_be_quoting() -> None:
    data = SEP + b"Subject: x\n\n>From the archive\n>>From deeper\n"
    (found,) = read_mbox(Window(data), 1000)
    assert found.variant == "mboxo"
    assert found.data == data  # byte for byte: the evidence is what the file holds
    assert _codes(found) == ["mbox.body_quoting"]
    assert "1 line(s)" in found.defects[0].message and "DKIM" in found.defects[0].message


def test_mboxrd_when_asked_unquotes_one_level_and_says_so() -> None:
    data = SEP + b"Subject: x\n\n>From the archive\n>>From deeper\n"
    (found,) = read_mbox(Window(data), 1000, variant="mboxrd")
    assert found.variant == "mboxrd"
    assert found.data == SEP + b"Subject: x\n\nFrom the archive\n>From deeper\n"
    assert _codes(found) == ["mbox.body_quoting"] and "unquoted" in found.defects[0].message


def test_content_length_frames_mboxcl2_with_unquoted_from_lines() -> None:
    body = b"From the body, unquoted\n\nFrom here too\n"
    data = SEP + b"Content-Length: %d\n\n" % len(body) + body + b"\n" + SEP + b"Subject: 2\n\nx\n"
    first, second = read_mbox(Window(data), 1000)
    assert (first.variant, second.variant) == ("mboxcl2", "mboxo")
    assert first.data.endswith(body + b"\n") and second.offset == data.rindex(SEP)
    assert _codes(first) == []


def test_content_length_that_does_not_land_on_a_separator_is_ignored() -> None:
    data = SEP + b"Content-Length: 3\n\nbody text\n\n" + SEP + b"Subject: 2\n\nx\n"
    first, _second = read_mbox(Window(data), 1000)
    assert first.variant == "mboxo" and first.data.endswith(b"body text\n\n")


def test_truncated_last_message() -> None:
    cut_in_line = SEP + b"Subject: 1\n\nbody\n\n" + SEP + b"Subject: 2\n\nthe file ends here wit"
    assert [_codes(m) for m in read_mbox(Window(cut_in_line), 1000)] == [[], ["mbox.truncated"]]
    short = SEP + b"Content-Length: 500\n\nonly a few bytes\n"
    (found,) = read_mbox(Window(short), 1000)
    assert _codes(found) == ["mbox.truncated"] and "Content-Length says 500" in found.defects[0].message


def test_an_oversized_message_is_cut_and_the_rest_skipped_up_to_the_next_separator(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    huge_line = b"y" * 50_000  # one line, far longer than the chunk and the limit
    data = SEP + b"Subject: big\n\n" + huge_line + b"\n\n" + SEP + b"Subject: next\n\nx\n"
    big, nxt = _streamed(data, 1000, 4096, monkeypatch)
    assert len(big.data) == 1000 and _codes(big) == ["message.too_large"]
    assert str(len(data) - len(nxt.data) - 1000) in big.defects[0].message  # the skipped byte count
    assert nxt.data == SEP + b"Subject: next\n\nx\n" and nxt.offset == data.rindex(SEP)


def test_window_holds_only_what_the_reader_needs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mbox, "CHUNK", 4096)
    data = SEP + b"Subject: big\n\n" + b"z" * 1_000_000 + b"\n\n" + SEP + b"Subject: next\n\nx\n"
    inner = io.BytesIO(data)
    held: list[int] = []

    class Spy:
        def read(self, size: int) -> bytes:
            held.append(len(window.buf))
            return inner.read(size)

    window = Window(stream=Spy())  # type: ignore[arg-type]
    assert [len(m.data) for m in read_mbox(window, 10_000)] == [10_000, len(SEP) + 17]
    assert len(held) > 200 and max(held) < 10_000 + 2 * 4096  # never the 1 MB line
