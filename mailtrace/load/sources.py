"""Turn what the caller gave into messages: ``(raw bytes, Source)`` pairs, or :class:`InputError` results.

What a source means (``docs/python-api.md``, "Inputs"):

* ``bytes``, ``bytearray``, ``memoryview`` and ``str`` are content: a message's text, or an mbox.
  A ``str`` is never opened as a file: pass a path as :class:`pathlib.Path` (any ``os.PathLike``).
* An ``os.PathLike`` is a path: a message file, an mbox, an Outlook ``.msg``, a Maildir or a folder
  (:mod:`mailtrace.load.folders`).
* A binary file object (``read(n) -> bytes``) is content, read in chunks.

Every source is read in bounded memory (:mod:`mailtrace.load.mbox`). Inputs that cannot be read,
are empty or are another format become :class:`~mailtrace.errors.InputError` results (raised as
exceptions with ``errors="raise"``).
"""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Literal, overload

from mailtrace.defects import Defect
from mailtrace.errors import ConfigurationError, EmptyInputError, InputError, MailtraceError, not_mail
from mailtrace.limits import DEFAULT_LIMITS, Limits
from mailtrace.load.folders import Member, open_regular, unreadable, walk
from mailtrace.load.mbox import CHUNK, VARIANTS, Window, read_mbox
from mailtrace.load.msg import NO_ORIGINAL_BODY, read_msg
from mailtrace.load.nested import expand
from mailtrace.load.sniff import OLE2, unsupported_format
from mailtrace.load.source import Source

__all__ = ["ReadOptions", "Source", "iter_messages", "load_one"]

_SNIFF_BYTES = 8
Item = tuple[bytes, Source] | InputError


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadOptions:
    """How inputs are read (the keywords of ``analyze_many``; ``docs/inputs.md``)."""

    #: Analyse each attached message (``message/rfc822``, ``text/rfc822-headers``...) as its own report.
    nested: bool = True
    #: Follow symlinks of a folder to targets outside it.
    follow_symlinks: bool = False
    #: ``auto`` (Content-Length framing when it checks, else mboxo), ``mboxo`` or ``mboxrd``.
    mbox_variant: str = "auto"

    def __post_init__(self) -> None:
        if self.mbox_variant not in VARIANTS:
            raise ConfigurationError(f"mbox_variant must be one of {', '.join(VARIANTS)}, got {self.mbox_variant!r}")


DEFAULT_OPTIONS = ReadOptions()


@overload
def iter_messages(
    source: object,
    *,
    name: str | None = ...,
    limits: Limits = ...,
    options: ReadOptions = ...,
    errors: Literal["raise"] = ...,
) -> Iterator[tuple[bytes, Source]]: ...
@overload
def iter_messages(
    source: object, *, name: str | None = ..., limits: Limits = ..., options: ReadOptions = ..., errors: str
) -> Iterator[Item]: ...
def iter_messages(
    source: object,
    *,
    name: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    options: ReadOptions = DEFAULT_OPTIONS,
    errors: str = "raise",
) -> Iterator[Item]:
    """Every message in ``source``; with ``errors="report"`` an :class:`InputError` for each input problem."""
    if errors not in ("raise", "report"):
        raise ConfigurationError(f"errors must be 'raise' or 'report', got {errors!r}")
    for item in _items(source, name, limits, options):
        if isinstance(item, InputError):
            if errors == "raise":
                raise item.exception()
            yield item
        elif options.nested:
            yield from expand(item[0], item[1], limits)
        else:
            yield item


def load_one(source: object, *, name: str | None = None, limits: Limits = DEFAULT_LIMITS) -> tuple[bytes, Source]:
    """The single message in ``source``; more than one is a usage error. Attached messages are not split off."""
    found = iter_messages(source, name=name, limits=limits, options=ReadOptions(nested=False))
    first = next(found, None)
    if first is None:
        label = name or (os.fspath(source) if isinstance(source, os.PathLike) else "<input>")
        raise EmptyInputError(f"{label}: holds no message", source=str(label))
    if next(found, None) is not None:
        raise MailtraceError(f"{first[1].name}: holds more than one message ({first[1].format}); use analyze_many()")
    return first


def _items(source: object, name: str | None, limits: Limits, options: ReadOptions) -> Iterator[Item]:
    if isinstance(source, str):
        source = source.encode("utf-8", "surrogateescape")
        name = name or "<text>"
    if isinstance(source, bytes | bytearray | memoryview):
        yield from _from_bytes(bytes(source), name or "<bytes>", limits, options)
    elif isinstance(source, os.PathLike):
        yield from _from_path(Path(os.fspath(source)), limits, options)
    elif hasattr(source, "read"):
        if isinstance(source, io.TextIOBase):
            raise TypeError("mailtrace reads messages as bytes: open the file in binary mode ('rb')")
        label = name or str(getattr(source, "name", "<stream>"))
        stream = source if isinstance(source, io.BufferedReader) else io.BufferedReader(_RawAdapter(source), CHUNK)
        yield from _from_stream(stream, label, "eml", limits, options)
    else:
        raise TypeError(f"cannot analyse a {type(source).__name__}: pass bytes, str, a path or a binary file object")


def _from_path(path: Path, limits: Limits, options: ReadOptions) -> Iterator[Item]:
    """A path the caller named: followed if a symlink; a FIFO or device named explicitly is read as a stream."""
    label = str(path)
    try:
        stream = None if path.is_dir() else path.open("rb")
    except OSError as exc:
        yield unreadable(label, exc)
        return
    except ValueError:  # a NUL byte in the path: no file can have that name
        message = f"{label}: cannot read: the path holds a NUL byte"
        yield InputError(source=label, code="input.unreadable", message=message)
        return
    if stream is None:
        for member in walk(path, follow_symlinks=options.follow_symlinks):
            if isinstance(member, InputError):
                yield member
            else:
                yield from from_member(member, limits, options)
        return
    with stream:
        yield from _from_stream(stream, label, "eml", limits, options)


def from_member(member: Member, limits: Limits, options: ReadOptions) -> Iterator[Item]:
    """The messages of one regular file of a folder."""
    stream = open_regular(member.path, member.label, member.position)
    if isinstance(stream, InputError):
        yield stream
        return
    with stream:
        yield from _from_stream(stream, member.label, member.format, limits, options, member.position)


def _from_bytes(data: bytes, label: str, limits: Limits, options: ReadOptions) -> Iterator[Item]:
    """Content already in memory; a single message is passed whole (the parser cuts it to the limit).

    Empty content is analysed (a report full of defects): only an empty file or stream is an error.
    """
    refused = _refused(data[:_SNIFF_BYTES], label, None) if data else None
    if refused is not None:
        yield refused
    elif data.startswith(OLE2):
        yield _msg(data[: limits.max_message_bytes], label, None)
    elif data.startswith(b"From "):
        yield from _mbox(Window(data), label, limits, options)
    else:
        yield data, Source(name=label, format="bytes")


def _from_stream(
    stream: BinaryIO, label: str, fmt: str, limits: Limits, options: ReadOptions, position: int | None = None
) -> Iterator[Item]:
    """A file or stream, read in chunks: never more than ``max_message_bytes`` of a message is held."""
    count = 0
    try:
        peek = getattr(stream, "peek", None)
        head = peek(_SNIFF_BYTES)[:_SNIFF_BYTES] if peek is not None else b""
        if peek is None:
            stream = io.BufferedReader(_RawAdapter(stream), CHUNK)
            head = stream.peek(_SNIFF_BYTES)[:_SNIFF_BYTES]
        refused = _refused(head, label, position)
        if refused is not None:
            yield refused
        elif head.startswith(OLE2):
            yield _msg(read_up_to(stream, limits.max_message_bytes), label, position)
        elif head.startswith(b"From "):
            for item in _mbox(Window(stream=stream), label, limits, options):
                count += 1
                yield item
        else:
            data = read_up_to(stream, limits.max_message_bytes)
            yield data, Source(name=label, format=fmt, position=position, defects=_skip_rest(stream, limits))
    except OSError as exc:
        yield unreadable(label, exc, count if position is None else position)


def read_up_to(stream: BinaryIO, limit: int) -> bytes:
    """``stream.read(limit)``, without a buffer of ``limit`` bytes where the stream is a regular file.

    ``read(n)`` makes CPython allocate ``n`` bytes before it reads, then shrink them: for the 64 MiB
    message limit, a mapping of 64 MiB per file, which cost 49-51 µs a corpus file against 17-20 µs for
    a read of the file's size (``docs/performance.md``, "Round 13"). So a regular file is read to its
    size (from ``fstat``) and one byte more; only a file that grew since then is read on to ``limit``.
    """
    try:
        found = os.fstat(stream.fileno())
        left = found.st_size - stream.tell() if stat.S_ISREG(found.st_mode) else -1
    except (AttributeError, OSError, ValueError):  # no file descriptor (io.UnsupportedOperation is an OSError)
        left = -1
    if left < 0 or left >= limit:
        return stream.read(limit)
    data = stream.read(left + 1)
    if len(data) <= left:
        return data
    return data + stream.read(limit - len(data))  # it grew since the fstat


def _refused(head: bytes, label: str, position: int | None) -> InputError | None:
    if not head:
        return InputError(source=label, position=position, code="input.empty", message=f"{label}: empty (0 bytes)")
    refused = unsupported_format(head)
    return None if refused is None else not_mail(label, refused, position=position)


def _msg(data: bytes, label: str, position: int | None) -> Item:
    converted = read_msg(data, label, position)
    if isinstance(converted, InputError):
        return converted
    return converted, Source(name=label, format="msg", position=position, defects=(NO_ORIGINAL_BODY,))


def _mbox(window: Window, label: str, limits: Limits, options: ReadOptions) -> Iterator[Item]:
    messages = read_mbox(
        window, limits.max_message_bytes, variant=options.mbox_variant, max_header_bytes=limits.max_header_bytes
    )
    for position, found in enumerate(messages):
        source = Source(
            name=label,
            format="mbox",
            position=position,
            offset=found.offset,
            mbox_variant=found.variant,
            defects=found.defects,
        )
        yield found.data, source


def _skip_rest(stream: BinaryIO, limits: Limits) -> tuple[Defect, ...]:
    """Read past what is left of a message longer than the limit; the defect that says so."""
    skipped = 0
    while chunk := stream.read(CHUNK):
        skipped += len(chunk)
    if not skipped:
        return ()
    text = f"message cut to {limits.max_message_bytes} bytes; the {skipped} bytes after them were skipped"
    return (Defect("message.too_large", text),)


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
