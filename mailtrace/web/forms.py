"""Reading the page's form from a request body already read into memory (nothing touches the disk).

Starlette's own form parser spools uploads over 1 MiB to a temporary file; the body here is
bounded by the upload limit and held in memory, so python-multipart's streaming parser (the
one Starlette uses) splits it with callbacks that keep the parts in memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qs

from python_multipart.multipart import MultipartParser, parse_options_header

#: Form fields read; anything else in the body is ignored.
TEXT_FIELD = "headers"
FILE_FIELD = "file"


@dataclass(frozen=True, slots=True)
class Submission:
    """What the user gave: pasted text and/or one uploaded file (its name as the browser sent it)."""

    text: bytes = b""
    file: bytes = b""
    filename: str | None = None


@dataclass(slots=True)
class _Part:
    headers: dict[bytes, bytes] = field(default_factory=dict)
    data: list[bytes] = field(default_factory=list)


def _multipart(boundary: bytes, body: bytes) -> list[_Part]:
    parts: list[_Part] = []
    name: list[bytes] = []
    value: list[bytes] = []

    def on_part_begin() -> None:
        parts.append(_Part())

    def on_header_field(data: bytes, start: int, end: int) -> None:
        name.append(data[start:end])

    def on_header_value(data: bytes, start: int, end: int) -> None:
        value.append(data[start:end])

    def on_header_end() -> None:
        parts[-1].headers[b"".join(name).lower()] = b"".join(value)
        name.clear()
        value.clear()

    def on_part_data(data: bytes, start: int, end: int) -> None:
        parts[-1].data.append(data[start:end])

    callbacks = {
        "on_part_begin": on_part_begin,
        "on_header_field": on_header_field,
        "on_header_value": on_header_value,
        "on_header_end": on_header_end,
        "on_part_data": on_part_data,
    }
    parser = MultipartParser(boundary, callbacks)  # type: ignore[arg-type]
    parser.write(body)
    parser.finalize()
    return parts


def parse_form(content_type: str, body: bytes) -> Submission:
    """The pasted text and the uploaded file of a form body (``multipart/form-data`` or urlencoded).

    Any other content type is the message itself. A malformed multipart body yields what was
    read before the fault (python-multipart raises on it; the page then says nothing was given).
    """
    kind, params = parse_options_header(content_type)
    if kind == b"application/x-www-form-urlencoded":
        fields = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True, max_num_fields=20)
        return Submission(text=(fields.get(TEXT_FIELD) or [""])[0].encode("utf-8"))
    if kind != b"multipart/form-data":
        return Submission(text=body)
    try:
        parts = _multipart(params.get(b"boundary", b""), body)
    except ValueError:
        return Submission()
    text, data, filename = b"", b"", None
    for part in parts:
        _, disposition = parse_options_header(part.headers.get(b"content-disposition", b""))
        name = disposition.get(b"name")
        if name == TEXT_FIELD.encode():
            text = b"".join(part.data)
        elif name == FILE_FIELD.encode() and part.data:
            data = b"".join(part.data)
            given = disposition.get(b"filename")
            filename = given.decode("utf-8", "replace") if given else None
    return Submission(text=text, file=data, filename=filename)
