"""What an attachment's bytes say it is: a table of magic numbers (file signatures).

The declared ``Content-Type`` is the sender's claim; the sniffed type is what
the first bytes show. A ``.pdf`` that starts with ``MZ`` is an executable.
"""

from __future__ import annotations

#: (offset, signature, media type, kind). Kind ``archive`` marks containers that are listed, never opened.
SIGNATURES: tuple[tuple[int, bytes, str, str], ...] = (
    (0, b"%PDF-", "application/pdf", "document"),
    (0, b"PK\x03\x04", "application/zip", "archive"),
    (0, b"PK\x05\x06", "application/zip", "archive"),
    (0, b"Rar!\x1a\x07", "application/vnd.rar", "archive"),
    (0, b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed", "archive"),
    (0, b"\x1f\x8b", "application/gzip", "archive"),
    (0, b"BZh", "application/x-bzip2", "archive"),
    (0, b"\xfd7zXZ\x00", "application/x-xz", "archive"),
    (0, b"MSCF", "application/vnd.ms-cab-compressed", "archive"),
    (257, b"ustar", "application/x-tar", "archive"),
    (0x8001, b"CD001", "application/x-iso9660-image", "archive"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage", "document"),
    (0, b"{\\rtf", "application/rtf", "document"),
    (0, b"MZ", "application/x-dosexec", "executable"),
    (0, b"\x7fELF", "application/x-executable", "executable"),
    (0, b"L\x00\x00\x00\x01\x14\x02\x00", "application/x-ms-shortcut", "executable"),
    (0, b"\x89PNG\r\n\x1a\n", "image/png", "image"),
    (0, b"\xff\xd8\xff", "image/jpeg", "image"),
    (0, b"GIF87a", "image/gif", "image"),
    (0, b"GIF89a", "image/gif", "image"),
)
_MARKUP: tuple[tuple[bytes, str], ...] = (
    (b"<!doctype html", "text/html"),
    (b"<html", "text/html"),
    (b"<svg", "image/svg+xml"),
    (b"<?xml", "application/xml"),
)


def sniff(data: bytes | None) -> tuple[str | None, str]:
    """``(media type, kind)`` from the first bytes; ``(None, "unknown")`` when not decoded."""
    if data is None:
        return None, "unknown"
    if not data:
        return "application/x-empty", "file"
    for offset, magic, mtype, kind in SIGNATURES:
        if data.startswith(magic, offset):
            return mtype, kind
    head = data[:512].lstrip().lower()
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:].lstrip()
    for magic, mtype in _MARKUP:
        if head.startswith(magic):
            return mtype, "document"
    sample = data[:4096]
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 4:  # a multi-byte character cut at the end of the sample is fine
            return "application/octet-stream", "file"
        text = sample[: exc.start].decode("utf-8")
    if all(c.isprintable() or c in "\r\n\t\f" for c in text):
        return "text/plain", "file"
    return "application/octet-stream", "file"
