"""Turn what the caller gave into ``(raw bytes, Source)`` pairs.

Accepted: ``bytes``/``bytearray``/``memoryview``; ``str`` (message text; a
path when it is one line that names an existing file or holds no ``": "``); ``os.PathLike``; a binary
file object. Paths may be an ``.eml`` file, an mbox file (any file whose first
line is ``From ``), a Maildir (a folder with ``cur``/``new``) or any folder
(every regular file below it, sorted). Refused formats (Outlook ``.msg``, PDF,
archives) raise :class:`~mailtrace.errors.UnsupportedFormatError`.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from mailtrace.errors import MailtraceError, UnreadableInputError, UnsupportedFormatError
from mailtrace.limits import DEFAULT_LIMITS, Limits
from mailtrace.load.mbox import iter_mbox, split_mbox
from mailtrace.load.sniff import unsupported_format
from mailtrace.model.frozen import fast_init

_SNIFF_BYTES = 8


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    """Where a message came from."""

    name: str  #: the path, ``<stdin>``, ``<bytes>`` or a caller-given name
    format: str  #: ``eml``, ``mbox``, ``maildir``, ``bytes``
    position: int | None = None  #: 0-based index of the message in an mbox
    offset: int | None = None  #: byte offset of the message in an mbox

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "format": self.format, "position": self.position, "offset": self.offset}


def _is_path_string(text: str) -> bool:
    """One line naming an existing file, or one line that cannot be a header field (no ``": "``)."""
    if "\n" in text or len(text) >= 4096:
        return False
    return os.path.isfile(text) or ": " not in text


def _check_format(name: str, head: bytes) -> None:
    refused = unsupported_format(head)
    if refused is not None:
        raise UnsupportedFormatError(name, refused)


def _open(path: Path) -> BinaryIO:
    try:
        return path.open("rb")
    except OSError as exc:
        raise UnreadableInputError(f"{path}: cannot read: {exc.strerror or exc}") from exc


def _iter_stream(stream: BinaryIO, name: str, fmt: str, limits: Limits) -> Iterator[tuple[bytes, Source]]:
    head = stream.peek(_SNIFF_BYTES)[:_SNIFF_BYTES] if isinstance(stream, io.BufferedReader) else b""
    if not head:
        data = stream.read(limits.max_message_bytes + 1)
        _check_format(name, data[:_SNIFF_BYTES])
        if data.startswith(b"From "):
            yield from _iter_mbox_bytes(data, name, limits)
        else:
            yield data, Source(name=name, format=fmt)
        return
    _check_format(name, head)
    if head.startswith(b"From "):
        yield from _iter_mbox_stream(stream, name, limits)
    else:
        yield stream.read(limits.max_message_bytes + 1), Source(name=name, format=fmt)


def _iter_mbox_stream(stream: BinaryIO, name: str, limits: Limits) -> Iterator[tuple[bytes, Source]]:
    for position, (offset, data) in enumerate(iter_mbox(stream, limits.max_message_bytes)):
        yield data, Source(name=name, format="mbox", position=position, offset=offset)


def _iter_mbox_bytes(data: bytes, name: str, limits: Limits) -> Iterator[tuple[bytes, Source]]:
    for position, (offset, message) in enumerate(split_mbox(data, limits.max_message_bytes)):
        yield message, Source(name=name, format="mbox", position=position, offset=offset)


def _iter_file(path: Path, limits: Limits) -> Iterator[tuple[bytes, Source]]:
    with _open(path) as stream:
        try:
            yield from _iter_stream(stream, str(path), "eml", limits)
        except OSError as exc:
            raise UnreadableInputError(f"{path}: read failed: {exc.strerror or exc}") from exc


def _iter_dir(path: Path, limits: Limits) -> Iterator[tuple[bytes, Source]]:
    maildir = (path / "cur").is_dir() or (path / "new").is_dir()
    if maildir:
        for sub in ("new", "cur"):
            folder = path / sub
            if folder.is_dir():
                for entry in sorted(folder.iterdir()):
                    if entry.is_file() and not entry.name.startswith("."):
                        for data, source in _iter_file(entry, limits):
                            yield (
                                data,
                                Source(
                                    name=source.name, format="maildir", position=source.position, offset=source.offset
                                ),
                            )
        return
    for root, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for file_name in sorted(files):
            if file_name.startswith(".") or file_name in ("MANIFEST.tsv",):
                continue
            yield from _iter_file(Path(root) / file_name, limits)


def iter_messages(
    source: object, *, name: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> Iterator[tuple[bytes, Source]]:
    """Yield every message in ``source`` as ``(raw bytes, Source)``."""
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        label = name or "<bytes>"
        _check_format(label, data[:_SNIFF_BYTES])
        if data.startswith(b"From "):
            yield from _iter_mbox_bytes(data, label, limits)
        else:
            yield data, Source(name=label, format="bytes")
        return
    if isinstance(source, str) and not _is_path_string(source):
        yield from iter_messages(source.encode("utf-8", "surrogateescape"), name=name or "<text>", limits=limits)
        return
    if isinstance(source, str | os.PathLike):
        path = Path(os.fspath(source))
        if path.is_dir():
            yield from _iter_dir(path, limits)
        elif path.exists():
            yield from _iter_file(path, limits)
        else:
            raise UnreadableInputError(f"{path}: no such file or folder")
        return
    if hasattr(source, "read"):
        if isinstance(source, io.TextIOBase):
            raise TypeError("mailtrace reads messages as bytes: open the file in binary mode ('rb')")
        label = name or str(getattr(source, "name", "<stream>"))
        stream: Any = source
        if not isinstance(stream, io.BufferedReader):
            stream = io.BufferedReader(_RawAdapter(stream))
        yield from _iter_stream(stream, label, "eml", limits)
        return
    raise TypeError(f"cannot analyse a {type(source).__name__}: pass bytes, str, a path or a binary file object")


class _RawAdapter(io.RawIOBase):
    """Lets any object with ``read(n) -> bytes`` be wrapped in a BufferedReader."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._inner.read(len(buffer))
        if data is None:
            return 0
        if not isinstance(data, bytes | bytearray):
            raise TypeError("mailtrace reads messages as bytes: the file object returned text")
        buffer[: len(data)] = data
        return len(data)


def load_one(source: object, *, name: str | None = None, limits: Limits = DEFAULT_LIMITS) -> tuple[bytes, Source]:
    """The single message in ``source``; more than one is a usage error."""
    found = iter_messages(source, name=name, limits=limits)
    first = next(found, None)
    if first is None:
        label = name or (str(source) if isinstance(source, str | os.PathLike) else "<input>")
        raise MailtraceError(f"{label}: holds no message")
    if next(found, None) is not None:
        raise MailtraceError(f"{first[1].name}: holds more than one message ({first[1].format}); use analyze_many()")
    return first
