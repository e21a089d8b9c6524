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
from mailtrace.parse.message import parse_message

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
    """A cheap test (byte searches in C) that rules out nearly every message without a MIME walk."""
    return b"822" in raw or b".eml" in raw or b".EML" in raw or b"/global" in raw or b".msg" in raw


def expand(raw: bytes, source: Source, limits: Limits) -> Iterator[tuple[bytes, Source] | InputError]:
    """``(raw, source)`` with its attachments listed, then each attached message, depth first."""
    if not might_hold_messages(raw):
        yield raw, source
        return
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
    if walker.stopped:
        defects += (Defect("mime.limit", f"the MIME walk for attached messages stopped: {walker.stopped}"),)
    if level >= MAX_LEVELS and might_hold_messages(raw):
        defects += (Defect("mime.limit", f"attached messages deeper than {MAX_LEVELS} levels are not analysed"),)
    yield raw, replace(source, attachments=tuple(listed), defects=defects)
    for item in todo:
        child = replace(source, part=item.part, attachments=(), defects=())
        if item.is_msg:
            converted = read_msg(item.data, f"{source.name}#{item.part}", source.position)
            if isinstance(converted, InputError):
                yield converted
                continue
            yield converted, replace(child, format="msg", defects=(NO_ORIGINAL_BODY,))
        elif might_hold_messages(item.data):
            yield from _expand(item.data, child, limits, budget, level + 1)
        else:
            yield item.data, child


class _Walker:
    __slots__ = ("limits", "parts", "stopped")

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.parts = 0
        self.stopped = ""

    def walk(self, entity: bytes, prefix: str, depth: int) -> list[_Found]:
        """The attached messages in the entity ``entity`` whose own section number is ``prefix`` (+ ``.``)."""
        message = parse_message(entity, self.limits)
        ctype, params = _content_type(message.get("Content-Type"))
        body = message.raw[message.body_offset :]
        if not ctype.startswith("multipart/"):
            if depth == 0 and ctype in _MESSAGE_TYPES:
                return self._leaf(message, ctype, body, f"{prefix}1")
            return []
        boundary = params.get("boundary")
        if not boundary:
            return []
        if depth >= MAX_DEPTH:
            self.stopped = f"multipart nesting deeper than {MAX_DEPTH}"
            return []
        found: list[_Found] = []
        for number, part in enumerate(_split(body, boundary.encode("utf-8", "surrogateescape")), 1):
            self.parts += 1
            if self.parts > MAX_PARTS:
                self.stopped = f"more than {MAX_PARTS} MIME parts"
                break
            section = f"{prefix}{number}"
            head = parse_message(part, self.limits)
            part_type, part_params = _content_type(head.get("Content-Type"))
            if part_type.startswith("multipart/"):
                found += self.walk(part, f"{section}.", depth + 1)
            else:
                found += self._leaf(head, part_type, head.raw[head.body_offset :], section, part_params)
        return found

    def _leaf(
        self, head: Any, ctype: str, body: bytes, section: str, params: dict[str, str] | None = None
    ) -> list[_Found]:
        filename = _filename(head, params or {})
        lower = (filename or "").lower()
        is_msg = ctype in _MSG_TYPES or lower.endswith(".msg")
        if ctype not in _MESSAGE_TYPES and not lower.endswith(".eml") and not is_msg:
            return []
        data = _decode(body, head.get("Content-Transfer-Encoding"))
        if is_msg and not data.startswith(_OLE2):
            if not lower.endswith(".msg"):
                return []
            is_msg = False  # a ".msg" file holding RFC 5322 text
        if not data.strip():
            return []
        return [_Found(section, ctype, filename, data, is_msg)]


def _content_type(field: Any) -> tuple[str, dict[str, str]]:
    if field is None:
        return "text/plain", {}
    value: str = field.value
    ctype, _, rest = value.partition(";")
    return ctype.strip().lower(), _params(";" + rest)


def _params(text: str) -> dict[str, str]:
    params: dict[str, str] = {}
    for name, value in _PARAM.findall(text):
        if value.startswith('"'):
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        params.setdefault(name.lower(), value)
    return params


def _filename(head: Any, params: dict[str, str]) -> str | None:
    disposition = head.get("Content-Disposition")
    if disposition is not None:
        name = _params(";" + disposition.value.partition(";")[2]).get("filename")
        if name:
            return name
    return params.get("name")


def _decode(body: bytes, encoding: Any) -> bytes:
    cte = "" if encoding is None else encoding.value.strip().lower()
    try:
        if cte == "base64":
            return binascii.a2b_base64(body)
        if cte == "quoted-printable":
            return binascii.a2b_qp(body)
    except (binascii.Error, ValueError):
        return body
    return body


def _split(body: bytes, boundary: bytes) -> Iterator[bytes]:
    """The parts between ``--boundary`` lines (RFC 2046 5.1.1); a missing close delimiter ends at the end."""
    marker = b"\n--" + boundary
    pos = _delimiter(body, marker, 0) if body.startswith(marker[1:]) else _delimiter(body, marker, 0, 1)
    while pos >= 0:
        after = pos + len(marker) - 1
        if body.startswith(b"--", after):
            return
        eol = body.find(b"\n", after)
        if eol < 0:
            return
        nxt = _delimiter(body, marker, eol, 1)
        if nxt < 0:
            yield body[eol + 1 :]
            return
        end = nxt - 2 if body[nxt - 2 : nxt] == b"\r\n" else nxt - 1  # the line break belongs to the delimiter
        yield body[eol + 1 : max(eol + 1, end)]
        pos = nxt


def _delimiter(body: bytes, marker: bytes, start: int, skip: int = 0) -> int:
    """Where the next delimiter line (``--boundary`` then ``--``, white space or a line break) starts, or -1.

    ``skip=0`` tests ``marker[1:]`` at ``start`` itself (the body's first line); ``skip=1`` searches
    ``marker`` (with its line break) from ``start`` and returns the position after that line break.
    """
    if skip == 0:
        return start if _delimiter_end(body, start + len(marker) - 1) else _delimiter(body, marker, start, 1)
    hit = body.find(marker, start)
    while hit >= 0 and not _delimiter_end(body, hit + len(marker)):
        hit = body.find(marker, hit + 1)
    return -1 if hit < 0 else hit + 1


def _delimiter_end(body: bytes, pos: int) -> bool:
    """What follows ``--boundary`` at ``pos`` makes it a delimiter: ``--``, white space, a line break, the end."""
    rest = body[pos : pos + 2]
    return not rest or rest == b"--" or rest[:1] in (b" ", b"\t", b"\r", b"\n")
