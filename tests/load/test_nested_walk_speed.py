"""The MIME walk's two shortcuts (mailtrace.load.nested) read what the plain forms they replaced read.

* ``_fields`` finds the ``Content-*`` fields with a pattern that starts with a line break (a line break put
  before the block); the reference is the pattern starting ``(?:^|\\n)`` that it replaced, which ``re``
  tries at every byte.
* ``_blank_line`` finds the empty line of either kind with one search; the reference is the parser's
  ``_blank_line`` (``mailtrace.parse.message``), so an attached message is cut where the parser cuts a
  message read alone. (The two ``find`` calls the walker used before took ``\\n\\r\\n`` in ``\\n\\r\\n\\n``,
  where the parser takes the ``\\n\\n``.)

Both are checked on generated text built to hit the edges (case, folds, CRLF, white space before the
colon, look-alike names, a field at the very start) and on every header block of the corpus.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import mailtrace.load.nested as nested
import mailtrace.parse.message as message
from mailtrace.limits import DEFAULT_LIMITS

#: The pattern ``_fields`` used before (the reference).
_REFERENCE = re.compile(
    rb"(?:^|\n)(content-(?:type|transfer-encoding|disposition))[ \t]*+:([^\n]*+(?:\n[ \t][^\n]*+)*+)",
    re.IGNORECASE,
)


def _reference_fields(header: bytes) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, value in _REFERENCE.findall(header):
        text = nested._FOLD.sub(b" ", value).strip().decode("utf-8", "replace")
        found.setdefault(name.decode("ascii").lower(), text)
    return found


def _reference_blank(data: bytes, start: int, limit: int) -> int:
    """The parser's rule; it searches in another order for each kind of line break, with the same result."""
    found = {message._blank_line(data, start, limit, newline) for newline in ("\n", "\r\n")}
    assert len(found) == 1
    return found.pop()


_PIECES = st.sampled_from(
    [
        b"Content-Type",
        b"content-type",
        b"CONTENT-TRANSFER-ENCODING",
        b"Content-Disposition",
        b"Content-Typo",
        b"Content-",
        b"X-Content-Type",
        b"content-type ",
        b"\t",
        b" ",
        b":",
        b";",
        b"\n",
        b"\r\n",
        b"\n ",
        b"\n\t",
        b"multipart/mixed",
        b'boundary="b"',
        b"name=a.eml",
        b"\xc3\xa9",
        b"\xff",
        b"x",
    ]
)


@settings(max_examples=600, deadline=None)
@given(st.lists(_PIECES, max_size=40).map(b"".join))
@example(b"Content-Type: text/plain\nContent-Type: multipart/mixed\n")
@example(b"content-type : message/rfc822\n\tx\nCONTENT-DISPOSITION:attachment; filename=A.EML\n")
@example(b"X-Content-Type: a\ncontent-type: b\n")
@example(b"\ncontent-type: a")
def test_fields_equals_the_case_insensitive_pattern(header: bytes) -> None:
    assert nested._fields(header) == _reference_fields(header)


@settings(max_examples=600, deadline=None)
@given(
    st.lists(st.sampled_from([b"\n", b"\r", b"\r\n", b"a", b" ", b"\n\n", b"\n\r\n"]), max_size=30).map(b"".join),
    st.integers(0, 40),
    st.integers(0, 40),
)
@example(b"a\r\nb\n\nc\r\n\r\n", 0, 40)
@example(b"a\nb\r\n\r\nc\n\n", 0, 40)
@example(b"\r\n\r\n\n", 0, 40)
@example(b"a\n\r\n\n", 0, 40)
@example(b"a\n\r\n", 0, 4)
@example(b"a\n\r\n\n", 0, 4)
def test_blank_line_equals_searching_for_both_kinds(data: bytes, start: int, limit: int) -> None:
    assert nested._blank_line(data, start, limit) == _reference_blank(data, start, limit)


@pytest.mark.corpus
def test_both_equal_their_references_on_every_corpus_header(corpus_files: list[Path]) -> None:
    checked = 0
    for path in corpus_files:
        data = path.read_bytes()
        limit = min(len(data), DEFAULT_LIMITS.max_header_bytes)
        blank = nested._blank_line(data, 0, limit)
        assert blank == _reference_blank(data, 0, limit), path
        header = data[: blank + 1] if blank >= 0 else data[:limit]
        assert nested._fields(header) == _reference_fields(header), path
        checked += 1
    assert checked > 4_000
