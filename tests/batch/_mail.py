"""Small messages for the batch tests: one sender's infrastructure per argument."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path


def message(
    *,
    ip: str = "198.51.100.4",
    helo: str = "client.example.net",
    sender: str = "alice@example.net",
    subject: str = "hi",
    message_id: str = "1@example.net",
    date: str = "Mon, 13 May 2024 09:59:59 +0000",
) -> bytes:
    return (
        f"Received: from mx.example.net (mx.example.net [192.0.2.9])\n\tby mx.example.org (Postfix) with ESMTPS id A1;"
        f" Mon, 13 May 2024 10:00:05 +0000\n"
        f"Received: from {helo} (unknown [{ip}])\n\tby mx.example.net with ESMTP id B2;"
        f" Mon, 13 May 2024 10:00:00 +0000\n"
        f"Return-Path: <bounce@example.net>\n"
        f"From: Alice <{sender}>\nTo: bob@example.org\nSubject: {subject}\n"
        f"Date: {date}\nMessage-ID: <{message_id}>\n\nbody\n"
    ).encode()


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0\0")) + chunk(b"IEND", b"")


def junk_folder(root: Path, messages: int = 6) -> Path:
    """``messages`` messages with a PNG, a PDF, an empty file and a dangling symlink in the middle."""
    folder = root / "inbox"
    folder.mkdir()
    half = messages // 2
    for i in range(messages):
        (folder / f"m{i if i < half else i + 10:03d}.eml").write_bytes(message(message_id=f"{i}@example.net"))
    (folder / "m005a.png").write_bytes(png())
    (folder / "m005b.pdf").write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    (folder / "m005c.eml").write_bytes(b"")
    (folder / "m005d.eml").symlink_to(root / "gone.eml")
    return folder
