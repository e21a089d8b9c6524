"""Stream messages out of an mbox file, one at a time, in bounded memory.

A message starts at a line beginning ``From `` that is the first line of the
file or follows an empty line (mboxo/mboxrd as written by Postfix, mutt,
Thunderbird and Mailman; a body line starting ``From `` without a blank line
before it stays in the body). ``>From `` quoting is undone (mboxrd). A
message longer than ``max_bytes`` is cut with the defect
``message.too_large`` recorded by the parser, and reading resumes at the
next separator.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

#: A quoted ``>From `` line (mboxrd). Matched from its line break: a pattern that starts with a
#: literal is searched for in C, where ``^`` with MULTILINE would be tried at every byte.
_QUOTED_FROM = re.compile(rb"\n>(>*From )")
_QUOTED_FROM_FIRST = re.compile(rb">>*From ")


def unquote_from(data: bytes) -> bytes:
    """``data`` with one ``>`` removed from each line that starts ``>From ``, ``>>From ``... (mboxrd)."""
    if b">From " not in data:
        return data
    if _QUOTED_FROM_FIRST.match(data):
        data = data[1:]
    return _QUOTED_FROM.sub(rb"\n\1", data)


def iter_mbox(stream: BinaryIO, max_bytes: int) -> Iterator[tuple[int, bytes]]:
    """Yield ``(byte offset, message bytes)`` for each message; the ``From `` line is kept."""
    chunks: list[bytes] = []
    size = 0
    overflow = False
    start = 0
    offset = 0
    previous_blank = True
    for line in stream:
        if line.startswith(b"From ") and previous_blank and (chunks or offset):
            if chunks:
                yield start, unquote_from(b"".join(chunks))
            chunks, size, overflow, start = [], 0, False, offset
        if not overflow:
            if size + len(line) > max_bytes:
                # Keep one byte past the limit so the parser records the cut.
                chunks.append(line[: max_bytes - size + 1])
                overflow = True
            else:
                chunks.append(line)
            size += len(line)
        offset += len(line)
        previous_blank = line in (b"\n", b"\r\n")
    if chunks:
        yield start, unquote_from(b"".join(chunks))


def split_mbox(data: bytes, max_bytes: int) -> Iterator[tuple[int, bytes]]:
    """:func:`iter_mbox` for an mbox already in memory (``data`` starts with ``From ``), same results.

    Finds the separators with C-level searches instead of a Python loop over the lines, and only
    as far as the caller reads: the first message of a single-message file costs one scan. A
    separator is a ``From `` line after an empty line (``\\n`` or ``\\r\\n``); the first line is never
    one (it starts the first message). A cut message keeps ``max_bytes + 1`` bytes, as in
    :func:`iter_mbox`.
    """
    if data.find(b"From ", 1) < 0:
        # The usual single message: no other "From " at all, so no separator and no ">From " to unquote.
        yield 0, data[: max_bytes + 1]
        return
    start = 0
    pos = data.find(b"\nFrom ")
    while pos >= 0:
        # data starts with "From ", so pos >= 5 and the two bytes before it exist.
        if data[pos - 1] == 0x0A or (data[pos - 1] == 0x0D and data[pos - 2] == 0x0A):
            yield start, unquote_from(data[start : min(pos + 1, start + max_bytes + 1)])
            start = pos + 1
        pos = data.find(b"\nFrom ", pos + 1)
    yield start, unquote_from(data[start : start + max_bytes + 1])
