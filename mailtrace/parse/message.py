"""Split a raw message into header fields by hand (RFC 5322 section 2.2).

A hand split is 4-8 times faster than ``email`` with ``compat32`` and 20 times
faster than ``policy.default`` (see the dependency notes), and it keeps every
field's raw bytes for DKIM and for evidence. Rules:

* An mbox ``From `` line at the very start is removed and kept as
  ``Message.mbox_from``.
* The header block ends at the first empty line. A line that is neither a
  field (``name:``) nor a continuation (starts with space or tab) also ends it,
  with the defect ``message.missing_separator``, as in CPython's parser.
* Bounds (:class:`~mailtrace.limits.Limits`): header bytes, field count and
  field length are capped with defects; nothing here is quadratic.
"""

from __future__ import annotations

from mailtrace.defects import Defect
from mailtrace.limits import DEFAULT_LIMITS, Limits
from mailtrace.model.fields import HeaderField, Message
from mailtrace.parse.encoded_words import decode_encoded_words

_WSP = (32, 9)  # space, tab


def _valid_name(name: bytes) -> bool:
    # RFC 5322 ftext: printable US-ASCII except ":"
    return bool(name) and all(33 <= c <= 126 for c in name)


def _decode(data: bytes) -> tuple[str, bool]:
    try:
        return data.decode("utf-8"), True
    except UnicodeDecodeError:
        return data.decode("utf-8", "replace"), False


def parse_message(raw: bytes, limits: Limits = DEFAULT_LIMITS) -> Message:
    """Split ``raw`` into a :class:`Message`. Never raises on any bytes."""
    defects: list[Defect] = []
    if len(raw) > limits.max_message_bytes:
        defects.append(Defect("message.too_large", f"message cut to {limits.max_message_bytes} bytes"))
        raw = raw[: limits.max_message_bytes]
    if b"\x00" in raw[: limits.max_header_bytes]:
        defects.append(Defect("message.nul_byte", "the header block contains NUL bytes"))

    start = 0
    mbox_from: str | None = None
    if raw.startswith(b"From "):
        eol = raw.find(b"\n")
        end = len(raw) if eol < 0 else eol
        mbox_from = _decode(raw[5:end].rstrip(b"\r"))[0]
        start = len(raw) if eol < 0 else eol + 1

    newline = "\r\n" if raw.find(b"\r\n", start, start + 4096) >= 0 else "\n"

    # Find the end of the header block: the first empty line.
    limit = min(len(raw), start + limits.max_header_bytes)
    candidates = [i for i in (raw.find(b"\n\n", start, limit), raw.find(b"\n\r\n", start, limit)) if i >= 0]
    if start < len(raw) and raw[start : start + 1] in (b"\n", b"\r"):
        # An empty first line: no header at all.
        first_eol = raw.find(b"\n", start)
        header_end, body_offset = start, first_eol + 1
    elif candidates:
        header_end = min(candidates) + 1
        body_offset = raw.find(b"\n", header_end) + 1
    else:
        header_end = body_offset = limit
        if limit < len(raw):
            defects.append(
                Defect(
                    "message.header_too_large",
                    f"no end of header found in the first {limits.max_header_bytes} bytes; the rest is treated as body",
                )
            )

    fields: list[HeaderField] = []
    lines = raw[start:header_end].split(b"\n")
    current: list[bytes] = []
    offset = start
    stop_at: int | None = None
    dropped = 0

    def flush() -> None:
        nonlocal dropped
        if not current:
            return
        if len(fields) >= limits.max_fields:
            dropped += 1
            return
        fields.append(_make_field(len(fields), current, limits))

    for line in lines:
        if not line or line == b"\r":
            # Only possible on the last split element (header_end includes the final \n).
            offset += len(line) + 1
            continue
        if line[0] in _WSP:
            if current:
                current.append(line)
            else:
                defects.append(
                    Defect("message.leading_continuation", "the header block starts with a continuation line")
                )
                current.append(b"X-Mailtrace-Orphan:" + line)
        else:
            colon = line.find(b":")
            if colon <= 0 or not _valid_name(line[:colon].rstrip(b" \t")):
                stop_at = offset
                break
            flush()
            current = [line]
        offset += len(line) + 1
    flush()

    if stop_at is not None:
        defects.append(
            Defect(
                "message.missing_separator",
                "a line that is not a header field ends the header block without an empty line",
            )
        )
        body_offset = stop_at
    if dropped:
        defects.append(
            Defect("message.too_many_fields", f"{dropped} header fields beyond {limits.max_fields} were ignored")
        )
    if not fields and raw[start:].strip():
        defects.append(Defect("message.no_header", "no header field found"))
    return Message(
        raw=raw,
        fields=tuple(fields),
        body_offset=min(body_offset, len(raw)) if body_offset > 0 else len(raw),
        newline=newline,
        mbox_from=mbox_from,
        defects=tuple(defects),
    )


def _make_field(index: int, lines: list[bytes], limits: Limits) -> HeaderField:
    raw = b"\n".join(lines)
    if raw.endswith(b"\r"):
        raw = raw[:-1]
    colon = raw.find(b":")
    name_bytes = raw[:colon]
    defects: list[Defect] = []
    if name_bytes.endswith((b" ", b"\t")):
        defects.append(Defect("header.space_before_colon", "white space between field name and colon"))
        name_bytes = name_bytes.rstrip(b" \t")
    name = name_bytes.decode("ascii")
    body = raw[colon + 1 :]
    if len(body) > limits.max_field_bytes:
        defects.append(Defect("header.too_long", f"{name} value cut to {limits.max_field_bytes} bytes"))
        body = body[: limits.max_field_bytes]
    # Unfold: remove the line breaks, keep the white space that follows them.
    unfolded = body.replace(b"\r\n", b"").replace(b"\n", b"").replace(b"\r", b"")
    value, ok = _decode(unfolded.strip(b" \t"))
    if not ok:
        defects.append(Defect("header.invalid_utf8", f"{name} holds bytes that are not UTF-8; raw bytes kept"))
    if "\x00" in value:
        value = value.replace("\x00", "\ufffd")
    decoded, word_defects = decode_encoded_words(value)
    defects.extend(word_defects)
    return HeaderField(index=index, name=name, raw=raw, value=value, decoded=decoded, defects=tuple(defects))
