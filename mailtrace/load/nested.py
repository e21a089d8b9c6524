"""Reported mail as it arrives: messages attached to a message are analysed as their own reports.

Found by a bounded MIME walk (``docs/inputs.md``, "Reported mail"):

* ``message/rfc822`` and ``message/global`` parts (a forwarded or reported message), the
  ``text/rfc822-headers`` part of a bounce (RFC 3464) or an ARF report (RFC 5965), an attachment
  whose file name ends ``.eml``, and an Outlook ``.msg`` attachment (with the ``msg`` extra);
* base64 and quoted-printable bodies are decoded;
* parts are numbered as IMAP sections: ``"2"`` is the second part of the message, ``"2.1"`` the
  first part of the message attached as part 2. The nested report's ``source.part`` holds it.

Bounds: :data:`MAX_DEPTH` levels of multipart nesting, :data:`MAX_PARTS` MIME parts walked per
message, :data:`MAX_ATTACHED` attached messages analysed per input message (all levels together),
:data:`MAX_LEVELS` levels of messages inside messages. Past a bound the walk stops with the defect
``mime.limit`` on the message whose walk stopped; attachments found but not analysed are listed
with ``analysed: false``.
"""

from __future__ import annotations

import binascii
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from mailtrace.defects import Defect
from mailtrace.errors import InputError
from mailtrace.limits import Limits
from mailtrace.load.msg import NO_ORIGINAL_BODY, read_msg
from mailtrace.load.source import Source

MAX_DEPTH = 16
MAX_PARTS = 1000
MAX_ATTACHED = 50
MAX_LEVELS = 5

_MESSAGE_TYPES = frozenset({"message/rfc822", "message/global", "text/rfc822-headers"})
_MSG_TYPES = frozenset({"application/vnd.ms-outlook", "application/x-msg"})
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: ``name=value`` parameters of a ``Content-Type`` or ``Content-Disposition`` value (linear: possessive).
_PARAM = re.compile(r';\s*+([^\s=;]++)\s*+=\s*+("(?:[^"\\]|\\.)*+"|[^;\s]*+)')


@dataclass(frozen=True, slots=True, kw_only=True)
class Attachment:
    """An attached message listed in its wrapper's report (``attachments`` in ``docs/schema.md``)."""

    part: str
    content_type: str
    filename: str | None = None
    size: int = 0
    analysed: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "part": self.part,
            "content_type": self.content_type,
            "filename": self.filename,
            "size": self.size,
            "analysed": self.analysed,
        }


@dataclass(slots=True)
class _Found:
    part: str
    content_type: str
    filename: str | None
    data: bytes
    is_msg: bool = False


def might_hold_messages(raw: bytes) -> bool:
    """Whether ``raw`` shows a sign of an attached message (byte searches in C): a bound of the walk that
    was reached is reported only then, as it may have hidden one."""
    return b"822" in raw or b".eml" in raw or b".EML" in raw or b"/global" in raw or b".msg" in raw


def expand(raw: bytes, source: Source, limits: Limits) -> Iterator[tuple[bytes, Source] | InputError]:
    """``(raw, source)`` with its attachments listed, then each attached message, depth first.

    Every message is walked: the walk reads the part headers only (:class:`_Walker`), which costs
    less than the five searches of the whole message that used to decide whether to walk, and it
    finds what those searches missed (``.MSG``, ``message/GLOBAL``, ``application/x-msg``).
    """
    yield from _expand(raw, source, limits, [MAX_ATTACHED], 0)


def _expand(
    raw: bytes, source: Source, limits: Limits, budget: list[int], level: int
) -> Iterator[tuple[bytes, Source] | InputError]:
    walker = _Walker(limits)
    prefix = f"{source.part}." if source.part else ""
    found = walker.walk(raw, prefix, 0) if level < MAX_LEVELS else []
    listed: list[Attachment] = []
    todo: list[_Found] = []
    for item in found:
        analysed = budget[0] > 0
        if analysed:
            budget[0] -= 1
            todo.append(item)
        else:
            walker.stopped = walker.stopped or f"more than {MAX_ATTACHED} attached messages"
        listed.append(
            Attachment(
                part=item.part,
                content_type=item.content_type,
                filename=item.filename,
                size=len(item.data),
                analysed=analysed,
            )
        )
    defects = source.defects
    if walker.stopped and (found or might_hold_messages(raw)):
        defects += (Defect("mime.limit", f"the MIME walk for attached messages stopped: {walker.stopped}"),)
    if level >= MAX_LEVELS and might_hold_messages(raw):
        defects += (Defect("mime.limit", f"attached messages deeper than {MAX_LEVELS} levels are not analysed"),)
    if not listed and defects is source.defects:  # nothing attached, nothing to say: the source as it came
        yield raw, source
        return
    yield raw, replace(source, attachments=tuple(listed), defects=defects)
    for item in todo:
        child = replace(source, part=item.part, attachments=(), defects=())
        if item.is_msg:
            converted = read_msg(item.data, f"{source.name}#{item.part}", source.position)
            if isinstance(converted, InputError):
                yield converted
                continue
            yield converted, replace(child, format="msg", defects=(NO_ORIGINAL_BODY,))
        else:
            yield from _expand(item.data, child, limits, budget, level + 1)


class _Walker:
    """Walks a message by positions in its bytes: only part headers are read, only attached messages copied."""

    __slots__ = ("data", "limits", "parts", "stopped")

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.parts = 0
        self.stopped = ""
        self.data = b""

    def walk(self, data: bytes, prefix: str, depth: int) -> list[_Found]:
        """The attached messages in ``data`` (a message whose own section number is ``prefix`` + ``.``)."""
        self.data = data
        start = data.find(b"\n") + 1 if data.startswith(b"From ") else 0
        head = self._head(start, len(data))
        if not head.ctype.startswith("multipart/"):
            if head.ctype in _MESSAGE_TYPES:
                return self._leaf(head, f"{prefix}1")
            return []
        return self._multipart(head, prefix, depth)

    def _multipart(self, head: _Head, prefix: str, depth: int) -> list[_Found]:
        boundary = head.params.get("boundary")
        if not boundary:
            return []
        if depth >= MAX_DEPTH:
            self.stopped = f"multipart nesting deeper than {MAX_DEPTH}"
            return []
        found: list[_Found] = []
        marker = boundary.encode("utf-8", "surrogateescape")
        for number, (start, end) in enumerate(_split(self.data, marker, head.body, head.end), 1):
            self.parts += 1
            if self.parts > MAX_PARTS:
                self.stopped = f"more than {MAX_PARTS} MIME parts"
                break
            section = f"{prefix}{number}"
            part = self._head(start, end)
            if part.ctype.startswith("multipart/"):
                found += self._multipart(part, f"{section}.", depth + 1)
            else:
                found += self._leaf(part, section)
        return found

    def _head(self, start: int, end: int) -> _Head:
        """The MIME fields of the entity ``data[start:end]`` and where its body starts."""
        data = self.data
        limit = min(end, start + self.limits.max_header_bytes)
        if data.startswith((b"\n", b"\r\n"), start, end):
            return _Head({}, data.find(b"\n", start) + 1, end)
        blank = _blank_line(data, start, limit)
        if blank < 0:
            return _Head(_fields(data[start:limit]), end, end)
        body = blank + (2 if data[blank + 1] == 0x0A else 3)
        return _Head(_fields(data[start : blank + 1]), body, end)

    def _leaf(self, head: _Head, section: str) -> list[_Found]:
        filename = head.params.get("name") if head.filename is None else head.filename
        lower = (filename or "").lower()
        is_msg = head.ctype in _MSG_TYPES or lower.endswith(".msg")
        if head.ctype not in _MESSAGE_TYPES and not lower.endswith(".eml") and not is_msg:
            return []
        data = _decode(self.data[head.body : head.end], head.encoding)
        if is_msg and not data.startswith(_OLE2):
            if not lower.endswith(".msg"):
                return []
            is_msg = False  # a ".msg" file holding RFC 5322 text
        if not data.strip():
            return []
        return [_Found(section, head.ctype, filename, data, is_msg)]


@dataclass(slots=True)
class _Head:
    fields: dict[str, str]
    body: int  #: where the entity's body starts in the walked bytes
    end: int  #: where the entity ends

    @property
    def ctype(self) -> str:
        return self.fields.get("content-type", "").partition(";")[0].strip().lower() or "text/plain"

    @property
    def params(self) -> dict[str, str]:
        return _params(";" + self.fields.get("content-type", "").partition(";")[2])

    @property
    def filename(self) -> str | None:
        return _params(";" + self.fields.get("content-disposition", "").partition(";")[2]).get("filename")

    @property
    def encoding(self) -> str:
        return self.fields.get("content-transfer-encoding", "").strip().lower()


def _blank_line(data: bytes, start: int, limit: int) -> int:
    """Where the empty line that ends a header block in ``data[start:limit]`` starts (the ``\\n`` before
    it), or -1: the rule of :func:`mailtrace.parse.message._blank_line`, so an attached message is cut where
    the parser would cut it read alone. The first ``\\n\\n``, or an earlier ``\\n\\r\\n`` not followed by
    ``\\n`` (in ``\\n\\r\\n\\n`` the empty line is the ``\\n\\n``).

    One search for both, which stops at the first: two ``find`` calls, one per kind, read past the header
    block (the whole message, for the kind of line break it does not use), and a ``find`` of ``\\n\\n``
    is slow on text with a line break every few dozen bytes.
    """
    found = _BLANK.search(data, start, limit)
    return -1 if found is None else found.start()


#: The empty line that ends a header block (linear: no repetition; the lookahead reads one byte).
_BLANK = re.compile(rb"\n(?:\r\n(?!\n)|\n)")


#: One of the three MIME fields the walk reads, after the line break that starts its line (linear: each piece
#: is possessive and stops at a line break).
_MIME_FIELD = re.compile(
    rb"\n(content-(?:type|transfer-encoding|disposition))[ \t]*+:([^\n]*+(?:\n[ \t][^\n]*+)*+)", re.IGNORECASE
)
_FOLD = re.compile(rb"\r?\n[ \t]")


def _fields(header: bytes) -> dict[str, str]:
    """The first ``Content-Type``, ``Content-Transfer-Encoding`` and ``Content-Disposition`` of a header block.

    The pattern starts with a line break, which ``re`` looks for from one to the next; a pattern starting
    ``(?:^|\\n)`` is tried at every byte of a header block of several kilobytes (20 ns a byte on the corpus).
    A line break put before the block lets a field at its very start be found as the others are.
    """
    found: dict[str, str] = {}
    for name, value in _MIME_FIELD.findall(b"\n" + header):
        text = _FOLD.sub(b" ", value).strip().decode("utf-8", "replace")
        found.setdefault(name.decode("ascii").lower(), text)
    return found


def _params(text: str) -> dict[str, str]:
    params: dict[str, str] = {}
    for name, value in _PARAM.findall(text):
        if value.startswith('"'):
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        params.setdefault(name.lower(), value)
    return params


def _decode(body: bytes, encoding: str) -> bytes:
    try:
        if encoding == "base64":
            return binascii.a2b_base64(body)
        if encoding == "quoted-printable":
            return binascii.a2b_qp(body)
    except (binascii.Error, ValueError):
        return body
    return body


def _split(data: bytes, boundary: bytes, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Where the parts between ``--boundary`` lines of ``data[start:end]`` lie (RFC 2046 5.1.1).

    A missing close delimiter ends the last part at ``end``.
    """
    marker = b"\n--" + boundary
    pos = start if _delimiter_end(data, start + len(marker) - 1, end) and data.startswith(marker[1:], start) else -1
    if pos < 0:
        pos = _delimiter(data, marker, start, end)
    while pos >= 0:
        after = pos + len(marker) - 1
        if data.startswith(b"--", after, end):
            return
        eol = data.find(b"\n", after, end)
        if eol < 0:
            return
        nxt = _delimiter(data, marker, eol, end)
        if nxt < 0:
            yield eol + 1, end
            return
        stop = nxt - 2 if data[nxt - 2 : nxt] == b"\r\n" else nxt - 1  # the line break belongs to the delimiter
        yield eol + 1, max(eol + 1, stop)
        pos = nxt


def _delimiter(data: bytes, marker: bytes, start: int, end: int) -> int:
    """Where the next delimiter line (``--boundary`` then ``--``, white space or a line break) starts, or -1."""
    hit = data.find(marker, start, end)
    while hit >= 0 and not _delimiter_end(data, hit + len(marker), end):
        hit = data.find(marker, hit + 1, end)
    return -1 if hit < 0 else hit + 1


def _delimiter_end(data: bytes, pos: int, end: int) -> bool:
    """What follows ``--boundary`` at ``pos`` makes it a delimiter: ``--``, white space, a line break, the end."""
    rest = data[pos : min(pos + 2, end)]
    return not rest or rest == b"--" or rest[:1] in (b" ", b"\t", b"\r", b"\n")
