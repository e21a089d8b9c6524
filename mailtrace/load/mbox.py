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

_QUOTED_FROM = re.compile(rb"^>(>*From )", re.MULTILINE)


def unquote_from(data: bytes) -> bytes:
    return _QUOTED_FROM.sub(rb"\1", data) if b">From " in data else data


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
