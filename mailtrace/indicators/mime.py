"""A bounded MIME walk over a message's raw bytes.

Each part's header block is read by the standard library's ``email`` parser
(``BytesHeaderParser``, compat32: content type, boundary, charset, file name,
disposition); the body is split on its delimiter lines here, with
``bytes.find`` over offsets into the one raw buffer, so the walk never copies
a whole subtree and never recurses further than the limits allow. The
stdlib's full parser is not used for bodies: it recurses once per nesting
level (a 1,000-deep message raises ``RecursionError`` after a second) and has
no part-count bound.

Bounds (fields of :class:`~mailtrace.limits.Limits`), each reached with a
defect and the parts found so far, never an exception:

* ``max_mime_parts`` parts visited (``mime.too_many_parts``);
* ``max_mime_depth`` levels of nesting (``mime.too_deep``);
* ``max_decoded_bytes`` decoded bytes kept across parts (``mime.decoded_limit``);
* ``mime_time_budget`` seconds for the walk (``mime.time_limit``).

A multipart scan costs the length of its body, so the whole walk costs at
most the message size times ``max_mime_depth``.
"""

from __future__ import annotations

import binascii
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message as EmailMessage
from email.parser import BytesHeaderParser
from email.policy import compat32

from mailtrace.defects import Defect
from mailtrace.limits import Limits

#: Bytes of one part's header block read; a longer block is cut (defect ``mime.header_too_long``).
MAX_PART_HEADER = 64 * 1024
#: A boundary longer than RFC 2046's 70 characters is still honoured up to this length.
MAX_BOUNDARY = 200


@dataclass(slots=True)
class Part:
    """One leaf part: where it is (``path``: the IMAP section number, ``2.1``; ``1`` for a
    message that is not multipart), what it declares and its decoded bytes."""

    path: str
    content_type: str
    charset: str | None
    filename: str | None
    disposition: str | None
    encoding: str
    data: bytes | None  #: decoded body; ``None`` when the decoded-bytes budget was spent
    size: int  #: decoded size (or the encoded size when not decoded)


@dataclass(slots=True)
class Walk:
    parts: list[Part] = field(default_factory=list)
    defects: list[Defect] = field(default_factory=list)
    visited: int = 0
    decoded: int = 0
    stopped: bool = False


def walk(raw: bytes, body_offset: int, limits: Limits, clock: Callable[[], float] = time.monotonic) -> Walk:
    """Walk the message whose header ends at ``body_offset``; never raises for bad mail."""
    state = Walk()
    deadline = clock() + limits.mime_time_budget
    head = _headers(raw[: min(body_offset, MAX_PART_HEADER)])
    _visit(raw, body_offset, len(raw), head, "", 0, limits, state, lambda: clock() > deadline)
    return state


def _headers(block: bytes) -> EmailMessage:
    return BytesHeaderParser(policy=compat32).parsebytes(block)


def _split_part(raw: bytes, start: int, end: int) -> tuple[EmailMessage, int, bool]:
    """The header of the part in ``raw[start:end]``, where its body starts, and whether the header was cut."""
    stop = min(end, start + MAX_PART_HEADER)
    if raw.startswith(b"\n", start) or raw.startswith(b"\r\n", start):  # no header: an empty block
        return _headers(b""), raw.index(b"\n", start) + 1, False
    crlf = raw.find(b"\r\n\r\n", start, stop)
    lf = raw.find(b"\n\n", start, stop)
    ends = [(p, n) for p, n in ((crlf, 4), (lf, 2)) if p >= 0]
    if not ends:
        if stop < end:
            return _headers(raw[start:stop]), stop, True
        return _headers(raw[start:end]), end, False
    pos, width = min(ends)
    return _headers(raw[start:pos]), pos + width, False


def _visit(
    raw: bytes,
    start: int,
    end: int,
    head: EmailMessage,
    path: str,
    depth: int,
    limits: Limits,
    state: Walk,
    late: Callable[[], bool],
) -> None:
    if state.stopped:
        return
    if state.visited >= limits.max_mime_parts:
        _stop(state, "mime.too_many_parts", f"more than {limits.max_mime_parts} MIME parts; the rest skipped")
        return
    if late():
        _stop(state, "mime.time_limit", f"MIME walk took over {limits.mime_time_budget:g} s; the rest skipped")
        return
    state.visited += 1
    ctype = _content_type(head, state)
    shown = path or "the message body"
    if ctype.startswith("multipart/"):
        if depth >= limits.max_mime_depth:
            state.defects.append(
                Defect("mime.too_deep", f"part {shown} nests deeper than {limits.max_mime_depth} levels; not opened")
            )
            return
        boundary = _boundary(head)
        if boundary is None:
            state.defects.append(Defect("mime.no_boundary", f"{shown}: {ctype} without a boundary; read as text"))
            _leaf(raw, start, end, head, "text/plain", path or "1", limits, state)
            return
        for n, (s, e) in enumerate(_children(raw, start, end, boundary, shown, state), 1):
            child = f"{path}.{n}" if path else str(n)  # IMAP section numbers (RFC 3501 6.4.5)
            sub, body, cut = _split_part(raw, s, e)
            if cut:
                state.defects.append(Defect("mime.header_too_long", f"part {child}: header block over 64 KiB"))
            _visit(raw, body, e, sub, child, depth + 1, limits, state, late)
            if state.stopped:
                return
        return
    _leaf(raw, start, end, head, ctype, path or "1", limits, state)


def _stop(state: Walk, code: str, message: str) -> None:
    state.stopped = True
    state.defects.append(Defect(code, message))


def _content_type(head: EmailMessage, state: Walk) -> str:
    try:
        return head.get_content_type().lower()
    except Exception as exc:  # a header the stdlib cannot read: the RFC 2045 default
        state.defects.append(Defect("mime.bad_content_type", f"{type(exc).__name__}: read as text/plain"))
        return "text/plain"


def _boundary(head: EmailMessage) -> bytes | None:
    try:
        value = head.get_param("boundary")
    except Exception:
        return None
    if isinstance(value, tuple):  # RFC 2231 form
        value = value[2]
    if not isinstance(value, str) or not value:
        return None
    return value[:MAX_BOUNDARY].encode("utf-8", "replace")


def _children(raw: bytes, start: int, end: int, boundary: bytes, path: str, state: Walk) -> list[tuple[int, int]]:
    """``(start, end)`` of each body part between delimiter lines (RFC 2046 section 5.1.1)."""
    delim = b"--" + boundary
    spans: list[tuple[int, int]] = []
    pos = _delimiter(raw, delim, start, end, first=True)
    if pos < 0:
        state.defects.append(Defect("mime.no_parts", f"{path}: no delimiter line for its boundary"))
        return spans
    closed = False
    while pos >= 0:
        after = pos + len(delim)
        if raw.startswith(b"--", after):
            closed = True
            break
        line_end = raw.find(b"\n", after, end)
        if line_end < 0:
            break
        body_start = line_end + 1
        nxt = _delimiter(raw, delim, line_end, end)
        stop = end if nxt < 0 else nxt - 1  # the line break before a delimiter belongs to it
        part_end = stop - 1 if stop > body_start and raw[stop - 1 : stop] == b"\r" else stop
        spans.append((body_start, max(body_start, part_end)))
        pos = nxt
    if not closed:
        state.defects.append(Defect("mime.unterminated_multipart", f"{path}: no closing delimiter"))
    return spans


def _delimiter(raw: bytes, delim: bytes, start: int, end: int, first: bool = False) -> int:
    """Where the next delimiter line starts: ``--boundary`` at a line start, then ``--``, blanks or the line end.

    A line that merely starts with the boundary (``--b1`` inside a part bounded by ``b10``) is not one.
    """
    if first and raw.startswith(delim, start) and _ends_delimiter(raw, start + len(delim), end):
        return start
    pos = raw.find(b"\n" + delim, start, end)
    while pos >= 0:
        if _ends_delimiter(raw, pos + 1 + len(delim), end):
            return pos + 1
        pos = raw.find(b"\n" + delim, pos + 1, end)
    return -1


def _ends_delimiter(raw: bytes, at: int, end: int) -> bool:
    rest = raw[at : min(end, at + 2)]
    return rest[:1] in (b"", b"\r", b"\n", b" ", b"\t") or rest == b"--"


def _leaf(
    raw: bytes, start: int, end: int, head: EmailMessage, ctype: str, path: str, limits: Limits, state: Walk
) -> None:
    encoding = str(head.get("Content-Transfer-Encoding", "7bit")).strip().lower()
    try:
        filename = head.get_filename()
    except Exception:
        filename = None
    try:
        disposition = head.get_content_disposition()
        charset = head.get_content_charset()
    except Exception:
        disposition, charset = None, None
    encoded = raw[start:end]
    left = limits.max_decoded_bytes - state.decoded
    data: bytes | None = None
    size = len(encoded)
    if left <= 0:
        if state.decoded < limits.max_decoded_bytes + 1:
            state.defects.append(
                Defect("mime.decoded_limit", f"over {limits.max_decoded_bytes} decoded bytes; later parts not decoded")
            )
            state.decoded = limits.max_decoded_bytes + 1
    else:
        data = _decode(encoded, encoding, path, state)
        if len(data) > left:
            data = data[:left]
            state.defects.append(
                Defect("mime.decoded_limit", f"part {path} cut: over {limits.max_decoded_bytes} decoded bytes in all")
            )
        state.decoded += len(data)
        size = len(data)
    state.parts.append(
        Part(
            path=path,
            content_type=ctype,
            charset=charset,
            filename=filename if isinstance(filename, str) else None,
            disposition=disposition,
            encoding=encoding,
            data=data,
            size=size,
        )
    )


def _decode(encoded: bytes, encoding: str, path: str, state: Walk) -> bytes:
    if encoding == "base64":
        return _base64(encoded, path, state)
    if encoding == "quoted-printable":
        return binascii.a2b_qp(encoded)
    return encoded


def _base64(encoded: bytes, path: str, state: Walk) -> bytes:
    """Decode leniently: characters outside the alphabet dropped, a broken tail cut (with a defect)."""
    clean = encoded.translate(None, b" \t\r\n")
    body = clean.rstrip(b"=")
    try:
        return binascii.a2b_base64(body + b"=" * (-len(body) % 4), strict_mode=False)
    except binascii.Error:
        pass
    kept = body.translate(None, _NOT_B64)
    cut = kept[: len(kept) - len(kept) % 4]
    state.defects.append(
        Defect("mime.bad_base64", f"part {path}: broken base64; {len(cut)} of {len(kept)} characters decoded")
    )
    try:
        return binascii.a2b_base64(cut, strict_mode=False)
    except binascii.Error:  # pragma: no cover - a clean multiple of four always decodes
        return b""


_B64 = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_NOT_B64 = bytes(c for c in range(256) if c not in _B64)
