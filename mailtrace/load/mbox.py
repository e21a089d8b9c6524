"""Split an mbox into messages in bounded memory, keeping the evidence (``docs/inputs.md``, "mbox").

The stream is read in chunks (:class:`Window`), never by lines, so one 600 MB line costs no more
memory than a 600 MB message: at most ``max_bytes`` of a message is kept, the rest is skipped
(defect ``message.too_large``) while the reader looks for the next separator.

A message starts at a ``From `` line that is the first line of the file or follows an empty line.
A ``From `` line that does not follow an empty line is a separator only when it has a separator's
form (``From`` sender date with a time and a year, or Netscape's bare ``From -``) and a header
field follows it; the new message
then gets the defect ``mbox.separator_without_blank_line``. Any other ``From `` line stays in the
body.

Variants (``Source.mbox_variant``), decided per message:

* ``mboxcl2`` / ``mboxcl``: the header has one ``Content-Length`` and the body of that length ends
  exactly at a separator or at the end of the file. The length frames the message (a ``From `` line
  inside it is body). ``mboxcl2`` when the body holds an unquoted ``From `` line (its writer does not
  quote), else ``mboxcl``.
* ``mboxo``: otherwise (or when asked). Nothing is unquoted: ``>From `` is kept as in the file.
* ``mboxrd``: only when asked (``mbox_variant="mboxrd"``): one ``>`` is removed from every
  ``>From ``, ``>>From ``... line. mboxrd and mboxo files cannot be told apart from their content.

A ``>From `` line that may be the writer's quoting (``mboxo``, ``mboxcl``) or that was unquoted
(``mboxrd``) gives the defect ``mbox.body_quoting``: the body may differ from what was sent, so a
DKIM body hash may fail. A last message cut inside a line, or shorter than its ``Content-Length``,
gives ``mbox.truncated``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from mailtrace.defects import Defect

#: Bytes read per call from a stream.
CHUNK = 1 << 18
#: mbox variants accepted by ``mbox_variant=``.
VARIANTS = ("auto", "mboxo", "mboxrd")

#: A separator line (at most ``_LINE`` bytes) holds a time and a year (or is Netscape's bare ``From -``),
#: and a header field follows it.
_LINE = 256
_TIME = re.compile(rb" \d\d?:\d\d")
_YEAR = re.compile(rb" \d{4}\b")
_FIELD = re.compile(rb"[!-9;-~]{1,200}:")
_CONTENT_LENGTH = re.compile(rb"\ncontent-length:[ \t]*+(\d{1,12})[ \t]*+\r?(?=\n)", re.IGNORECASE)
_QUOTED_FROM = re.compile(rb"\n>(>*+From )")
_MBOXO_QUOTE = b"\n>From "


@dataclass(frozen=True, slots=True)
class MboxMessage:
    offset: int  #: byte offset of its ``From `` line in the file
    data: bytes  #: the message, ``From `` line included, at most ``max_bytes``
    variant: str  #: ``mboxo``, ``mboxrd``, ``mboxcl`` or ``mboxcl2``
    defects: tuple[Defect, ...]


class Window:
    """The bytes of a stream (or of ``bytes`` already in memory) from offset ``base`` on.

    Positions are offsets in the whole input. Only what the reader still needs is kept.
    """

    __slots__ = ("base", "buf", "eof", "stream")

    def __init__(self, data: bytes = b"", stream: BinaryIO | None = None) -> None:
        self.buf: bytes | bytearray = data if stream is None else bytearray(data)
        self.base = 0
        self.stream = stream
        self.eof = stream is None

    @property
    def end(self) -> int:
        return self.base + len(self.buf)

    def fill(self) -> bool:
        """Read one more chunk; ``False`` at the end of the input."""
        if self.stream is None or self.eof:
            return False
        data = self.stream.read(CHUNK)
        if not data:
            self.eof = True
            return False
        assert isinstance(self.buf, bytearray)
        self.buf += data
        return True

    def ensure(self, pos: int) -> bool:
        """Read until ``pos`` is held; ``False`` if the input ends before it."""
        while self.end <= pos:
            if not self.fill():
                return False
        return True

    def find(self, sub: bytes, start: int, stop: int | None = None) -> int:
        """Where ``sub`` is in what is held from ``start`` (to ``stop``) on, or -1."""
        i = self.buf.find(sub, max(start - self.base, 0), None if stop is None else stop - self.base)
        return -1 if i < 0 else i + self.base

    def byte(self, pos: int) -> int:
        return self.buf[pos - self.base]

    def get(self, start: int, stop: int) -> bytes:
        if isinstance(self.buf, bytes):
            return self.buf[start - self.base : stop - self.base]
        with memoryview(self.buf) as view:
            return bytes(view[start - self.base : stop - self.base])

    def copy_to(self, out: io.BytesIO, start: int, stop: int) -> None:
        """Append the bytes from ``start`` to ``stop`` to ``out``."""
        with memoryview(self.buf) as view, view[start - self.base : stop - self.base] as part:
            out.write(part)

    def release(self, pos: int) -> None:
        """Forget what lies before ``pos``."""
        if self.stream is not None and pos > self.base:
            assert isinstance(self.buf, bytearray)
            del self.buf[: pos - self.base]
            self.base = pos


def read_mbox(
    window: Window, max_bytes: int, *, variant: str = "auto", max_header_bytes: int = 1 << 20
) -> Iterator[MboxMessage]:
    """Every message of the mbox in ``window`` (which starts with ``From ``)."""
    start = 0
    irregular = False
    while True:
        defects: list[Defect] = []
        if irregular:
            defects.append(
                Defect(
                    "mbox.separator_without_blank_line",
                    "this message's From line does not follow an empty line; it was taken as a separator "
                    "because it has a separator's form and a header field follows it",
                )
            )
        framed = _framed(window, start, max_bytes, max_header_bytes, defects) if variant == "auto" else None
        if isinstance(framed, tuple):
            stop, kind = framed
            data, nxt, irregular = window.get(start, stop), (stop if stop < window.end else -1), False
        else:
            nxt, data, irregular = _next_separator(window, start, max_bytes, defects)
            kind = variant if variant == "mboxrd" else "mboxo"
            data = _quoting(data, kind, defects)
            if nxt < 0:
                _check_end(data, framed, defects)
        yield MboxMessage(start, data, kind, tuple(defects))
        if nxt < 0:
            return
        window.release(nxt - 2)
        start = nxt


def _check_end(data: bytes, claimed: int | None, defects: list[Defect]) -> None:
    """Defect ``mbox.truncated`` when the last message ends inside a line or before its ``Content-Length``."""
    if claimed is not None:
        defects.append(
            Defect(
                "mbox.truncated",
                f"Content-Length says {claimed} body bytes, more than the file holds: the last message was cut",
            )
        )
    elif not data.endswith(b"\n") and not any(d.code == "message.too_large" for d in defects):
        defects.append(Defect("mbox.truncated", "the file ends inside a line: the last message may have been cut"))


def _next_separator(window: Window, start: int, max_bytes: int, defects: list[Defect]) -> tuple[int, bytes, bool]:
    """The next separator after the message at ``start`` (-1: none), the message (its first ``max_bytes``
    if longer, with a defect), and whether that separator lacks an empty line before it."""
    i = start + 1
    kept = _Kept(window, start, max_bytes)
    while True:
        hit = window.find(b"\nFrom ", i)
        if hit < 0:
            i = max(i, window.end - 5)  # "\nFrom " may begin in the last 5 bytes held
            kept.move(i - 2)  # two bytes stay to see an empty line before a separator
            if not window.fill():
                return -1, kept.message(window.end, defects), False
            continue
        if window.byte(hit - 1) == 0x0A or (window.byte(hit - 1) == 0x0D and window.byte(hit - 2) == 0x0A):
            return hit + 1, kept.message(hit + 1, defects), False
        if _looks_like_separator(window, hit + 1):
            return hit + 1, kept.message(hit + 1, defects), True
        i = hit + 1


class _Kept:
    """The bytes of the message being read, at most ``max_bytes``.

    Read from a stream, they move out of the window as the separator search passes them, into a
    ``BytesIO`` whose ``getvalue()`` hands its buffer over without a copy: a message costs its own
    size once, never twice, and the window stays a few chunks long. In memory they are sliced.
    """

    __slots__ = ("cap", "moved", "out", "start", "window")

    def __init__(self, window: Window, start: int, max_bytes: int) -> None:
        self.window = window
        self.start = start
        self.cap = start + max_bytes
        self.moved = start
        self.out = io.BytesIO() if window.stream is not None else None

    def move(self, upto: int) -> None:
        """Keep the bytes before ``upto`` (up to the cap) and let the window forget them."""
        if self.out is None or upto <= self.moved:
            return
        if self.moved < self.cap:
            self.window.copy_to(self.out, self.moved, min(upto, self.cap))
        self.moved = upto
        self.window.release(upto)

    def message(self, stop: int, defects: list[Defect]) -> bytes:
        """The message that ends at ``stop``, cut to ``max_bytes`` with the defect ``message.too_large``."""
        end = min(stop, self.cap)
        if stop > self.cap:
            skipped = stop - self.cap
            defects.append(
                Defect(
                    "message.too_large",
                    f"message cut to {self.cap - self.start} bytes; the {skipped} bytes after them were skipped",
                )
            )
        if self.out is None:
            return self.window.get(self.start, end)
        if self.moved < end:
            self.window.copy_to(self.out, self.moved, end)
        return self.out.getvalue()


def _looks_like_separator(window: Window, line: int) -> bool:
    """A ``From `` line at ``line`` (no empty line before it) that has a separator's form."""
    window.ensure(line + 2 * _LINE)
    eol = window.find(b"\n", line, line + _LINE)
    if eol < 0:
        return False
    text = window.get(line, eol).rstrip()
    dated = text == b"From -" or (_TIME.search(text) is not None and _YEAR.search(text) is not None)
    return dated and _FIELD.match(window.get(eol + 1, eol + _LINE)) is not None


def _framed(
    window: Window, start: int, max_bytes: int, max_header_bytes: int, defects: list[Defect]
) -> tuple[int, str] | int | None:
    """Where the message at ``start`` ends by its ``Content-Length``, and ``mboxcl``/``mboxcl2``.

    ``None`` when it has no usable one; the length when the input ends before it (a cut message).
    """
    blank = _header_end(window, start, start + min(max_header_bytes, max_bytes))
    if blank < 0:
        return None
    if window.find(b"ength", start, blank) < 0 and window.find(b"ENGTH", start, blank) < 0:
        return None  # no Content-Length field (two byte searches instead of a regex over the header)
    lengths = _CONTENT_LENGTH.findall(window.buf, start - window.base, blank - window.base + 1)
    if len(lengths) != 1:
        return None
    body = blank + (2 if window.byte(blank + 1) == 0x0A else 3)
    stop = body + int(lengths[0])
    if stop - start > max_bytes:
        return None
    if not window.ensure(stop + 7) and window.end < stop:
        return int(lengths[0])
    after = window.get(stop, stop + 7)
    if after in (b"", b"\n", b"\r\n"):
        stop = window.end
    elif after.startswith((b"\nFrom ", b"\r\nFrom ")):
        stop += after.index(b"F")
    elif not after.startswith(b"From "):
        return None
    text = window.get(body, min(stop, body + int(lengths[0])))
    if text.startswith(b"From ") or b"\nFrom " in text:
        return stop, "mboxcl2"
    if text.startswith(b">From ") or _MBOXO_QUOTE in text:
        defects.append(_quoting_defect(text.count(_MBOXO_QUOTE) + text.startswith(b">From "), "mboxcl"))
    return stop, "mboxcl"


def _header_end(window: Window, start: int, limit: int) -> int:
    """The ``\\n`` that starts the empty line ending the header block at ``start``, or -1 before ``limit``."""
    i = start
    while True:
        # "\n\n" first (most mail is LF), then "\n\r\n" only up to it: neither search runs into the body.
        lf = window.find(b"\n\n", i, limit + 2)
        crlf = window.find(b"\n\r\n", i, (limit if lf < 0 else lf) + 3)
        if lf >= 0 or crlf >= 0:
            pos = lf if crlf < 0 else crlf if lf < 0 else min(lf, crlf)
            return pos if pos < limit else -1
        i = max(start, window.end - 2)  # a match may begin in the last 2 bytes held
        if window.end >= limit or not window.fill():
            return -1


def _quoting(data: bytes, variant: str, defects: list[Defect]) -> bytes:
    """``data`` unquoted if ``variant`` is ``mboxrd``; a defect when ``>From `` lines may be quoting."""
    if b">From " not in data:
        return data
    if variant == "mboxrd":
        count = len(_QUOTED_FROM.findall(data))
        if count:
            defects.append(_quoting_defect(count, variant))
        return _QUOTED_FROM.sub(rb"\n\1", data)
    count = data.count(_MBOXO_QUOTE)
    if count:
        defects.append(_quoting_defect(count, variant))
    return data


def _quoting_defect(count: int, variant: str) -> Defect:
    if variant == "mboxrd":
        text = f"{count} line(s) '>From ' were unquoted one level (mboxrd, as asked)"
    else:
        text = (
            f"{count} line(s) start '>From ': the mbox writer may have added the '>' ({variant} quoting cannot be "
            "undone), so the body may differ from what was sent"
        )
    return Defect("mbox.body_quoting", text + "; a DKIM body hash may fail for that reason alone")
