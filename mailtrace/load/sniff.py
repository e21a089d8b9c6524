"""Recognise files that are not RFC 5322 messages by their first bytes, so they fail with a clear error."""

from __future__ import annotations

#: An OLE2 compound file: an Outlook ``.msg`` (read by :mod:`mailtrace.load.msg`), or a Word/Excel file.
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

#: Magic prefixes of formats mailtrace refuses, with the name used in the error.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"!BDN", "an Outlook .pst file"),
)


#: The first bytes of the magics: most input (a header field name or ``From ``) starts with none of them.
_FIRST_BYTES = frozenset(magic[0] for magic, _ in _MAGIC)


def unsupported_format(head: bytes) -> str | None:
    """The name of a refused format whose magic ``head`` starts with, else ``None``."""
    if not head or head[0] not in _FIRST_BYTES:
        return None
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    return None
