"""Walk a folder or a Maildir safely: regular files only, no symlink out, never a hang (``docs/inputs.md``).

* Order is deterministic: names sorted; in a Maildir ``new`` then ``cur``, then each Maildir++
  subfolder (``.Junk``, ``.Sent``...) by name, each ``new`` then ``cur``. ``tmp`` (mail being
  delivered) is not read.
* Hidden files and folders (name starting ``.``) of an ordinary folder are skipped, as is a
  ``MANIFEST.tsv``; a Maildir's ``.Name`` subfolders are read (Maildir++).
* Only regular files are read. A FIFO, device or socket is never opened (``lstat`` first, then
  the file is opened with ``O_NONBLOCK`` and checked again with ``fstat``): error
  ``input.special_file``.
* A symlink is followed only to a target inside the folder (``follow_symlinks=True`` lifts
  this); one pointing out gives ``input.symlink_outside``, a dangling one ``input.unreadable``.
  A symlinked folder is descended only with ``follow_symlinks=True`` (each real folder once).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from mailtrace.errors import InputError

_SKIPPED_NAMES = frozenset({"MANIFEST.tsv"})


@dataclass(frozen=True, slots=True)
class Member:
    """A regular file to read: ``path`` opens it, ``label`` names it in reports."""

    path: str
    label: str
    format: str  #: ``eml`` (any file of an ordinary folder) or ``maildir``
    position: int | None = None  #: index in the Maildir, ``None`` in an ordinary folder


def is_maildir(path: str) -> bool:
    return os.path.isdir(os.path.join(path, "cur")) or os.path.isdir(os.path.join(path, "new"))


def walk(root: Path, *, follow_symlinks: bool = False) -> Iterator[Member | InputError]:
    """Every file to read below ``root``, and an error for every entry that cannot be."""
    top = os.fspath(root)
    walker = _Walker(os.path.realpath(top), follow_symlinks)
    found = False
    for item in walker.maildir(top) if is_maildir(top) else walker.folder(top):
        found = True
        yield item
    if not found:
        yield InputError(
            source=top,
            code="input.no_mail_in_folder",
            message=f"{top}: the folder holds no file to read (hidden files and tmp/ are not read)",
        )


def open_regular(path: str, label: str, position: int | None = None) -> BinaryIO | InputError:
    """``path`` opened for reading if it is a regular file; never blocks on a FIFO."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        return unreadable(label, exc, position)
    try:
        mode = os.fstat(fd).st_mode
    except OSError as exc:
        os.close(fd)
        return unreadable(label, exc, position)
    if not stat.S_ISREG(mode):
        os.close(fd)
        return special_file(label, mode, position)
    return os.fdopen(fd, "rb")


def unreadable(label: str, exc: OSError, position: int | None = None) -> InputError:
    reason = "no such file or folder" if isinstance(exc, FileNotFoundError) else (exc.strerror or str(exc))
    return InputError(
        source=label, position=position, code="input.unreadable", message=f"{label}: cannot read: {reason}"
    )


def special_file(label: str, mode: int, position: int | None = None) -> InputError:
    kind = (
        "a FIFO"
        if stat.S_ISFIFO(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "not a regular file"
    )
    return InputError(
        source=label,
        position=position,
        code="input.special_file",
        message=f"{label}: {kind}, skipped (only regular files of a folder are read)",
    )


class _Walker:
    __slots__ = ("follow", "root", "seen")

    def __init__(self, root: str, follow: bool) -> None:
        self.root = root
        self.follow = follow
        self.seen = {root}

    def folder(self, path: str) -> Iterator[Member | InputError]:
        for entry in self._entries(path):
            if entry.name.startswith(".") or entry.name in _SKIPPED_NAMES:
                continue
            target = self._target(entry)
            if isinstance(target, InputError):
                yield target
            elif target is None:
                continue
            elif os.path.isdir(target):
                yield from self.maildir(entry.path) if is_maildir(target) else self.folder(entry.path)
            else:
                yield Member(target, entry.path, "eml")

    def maildir(self, path: str) -> Iterator[Member | InputError]:
        position = 0
        subfolders = [e.path for e in self._entries(path) if e.name.startswith(".") and e.name not in (".", "..")]
        boxes = [path]
        for sub in subfolders:
            if is_maildir(sub) and self._own_folder(sub):
                boxes.append(sub)
            elif is_maildir(sub):
                yield self._outside(sub, os.path.realpath(sub), None)
        for box in boxes:
            for sub in ("new", "cur"):
                folder = os.path.join(box, sub)
                if not os.path.isdir(folder):
                    continue
                if not self._own_folder(folder):
                    yield self._outside(folder, os.path.realpath(folder), position)
                    continue
                for entry in self._entries(folder):
                    if entry.name.startswith("."):
                        continue
                    target = self._target(entry, position)
                    if isinstance(target, InputError):
                        yield target
                    elif target is not None and not os.path.isdir(target):
                        yield Member(target, entry.path, "maildir", position)
                    else:
                        continue
                    position += 1

    def _own_folder(self, path: str) -> bool:
        """A subfolder to read: no symlink out of the folder (unless asked)."""
        return self.follow or not os.path.islink(path) or self._inside(os.path.realpath(path))

    def _inside(self, real: str) -> bool:
        return os.path.commonpath([self.root, real]) == self.root

    def _outside(self, path: str, real: str, position: int | None) -> InputError:
        return InputError(
            source=path,
            position=position,
            code="input.symlink_outside",
            message=f"{path}: symlink to {real}, outside the folder: not followed (follow_symlinks=True reads it)",
        )

    def _entries(self, path: str) -> list[os.DirEntry[str]]:
        try:
            with os.scandir(path) as found:
                return sorted(found, key=lambda e: e.name)
        except OSError:
            return []

    def _target(self, entry: os.DirEntry[str], position: int | None = None) -> str | InputError | None:
        """The path to read or descend for ``entry``; an error; ``None`` for a folder not to descend."""
        try:
            mode = entry.stat(follow_symlinks=False).st_mode
        except OSError as exc:
            return unreadable(entry.path, exc, position)
        if stat.S_ISDIR(mode):
            return entry.path
        if stat.S_ISREG(mode):
            return entry.path
        if not stat.S_ISLNK(mode):
            return special_file(entry.path, mode, position)
        real = os.path.realpath(entry.path)
        try:
            mode = os.stat(real).st_mode
        except OSError:
            return InputError(
                source=entry.path,
                position=position,
                code="input.unreadable",
                message=f"{entry.path}: dangling symlink (to {os.readlink(entry.path)})",
            )
        if not self.follow and not self._inside(real):
            return self._outside(entry.path, real, position)
        if stat.S_ISDIR(mode):
            if not self.follow or real in self.seen:
                return None
            self.seen.add(real)
            return real
        if not stat.S_ISREG(mode):
            return special_file(entry.path, mode, position)
        return real
