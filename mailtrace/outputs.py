"""Where mailtrace may write: never over an input, never over a message.

Evidence is never destroyed. Every file the command line writes (``--output``,
the DNS evidence file of ``--record``) is checked before it is opened:

* it must not be one of the inputs, nor lie inside an input folder (a folder is
  read file by file while the batch runs);
* it must not already hold a message (:func:`holds_message` sniffs its first
  bytes): a forgotten argument such as ``--dns record victim.eml other.eml``
  would otherwise replace the evidence with output.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from mailtrace.errors import ConfigurationError

_SNIFF = 4096
#: A header field line: a name of token characters (as every real field name is), then a colon.
_FIELD = re.compile(rb"[A-Za-z0-9!#$%&'*+^_`|~.-]{1,76}[ \t]*:")


def holds_message(path: str | os.PathLike[str]) -> bool:
    """True when ``path`` is a file whose first bytes read as mail: an mbox ``From `` line or header fields.

    Two field lines in a row (a continuation line counts with the field above it)
    are enough; a DNS evidence file (JSON lines), CSV or text report never starts so.
    """
    try:
        with open(path, "rb") as stream:
            head = stream.read(_SNIFF)
    except OSError:
        return False
    if head.startswith(b"From "):
        return True
    lines = head.splitlines()
    if len(head) == _SNIFF and len(lines) > 1:
        lines.pop()  # cut short by the sniff size
    fields = 0
    for line in lines:
        if not line.strip():
            break
        if line[:1] in (b" ", b"\t") and fields:
            continue
        if not _FIELD.match(line):
            return False
        fields += 1
        if fields >= 2:
            return True
    return False


def _resolved(path: str | os.PathLike[str]) -> Path:
    return Path(os.path.abspath(os.path.realpath(path)))


def check_writable_target(
    target: str | os.PathLike[str], inputs: Iterable[str | os.PathLike[str]], *, what: str, folder: bool = False
) -> None:
    """Refuse ``target`` when it is an input, lies inside an input folder, or already holds a message.

    ``what`` names the option in the error (``--output``, ``--record``). ``folder``: the target is
    a folder to write files into (the HTML folder), refused only when it is or lies inside an input.
    Raises :class:`~mailtrace.errors.ConfigurationError`.
    """
    dest = _resolved(target)
    for given in inputs:
        if str(given) == "-":
            continue
        src = _resolved(given)
        if dest == src or (dest.exists() and src.exists() and _same_file(dest, src)):
            raise ConfigurationError(f"{what} {target}: is also an input; mailtrace never writes over its input")
        if src.is_dir() and dest.is_relative_to(src):
            raise ConfigurationError(f"{what} {target}: lies inside the input folder {given}; write it somewhere else")
    if folder:
        return
    if dest.is_dir():
        raise ConfigurationError(f"{what} {target}: is a folder")
    if holds_message(dest):
        raise ConfigurationError(
            f"{what} {target}: already holds a message; mailtrace never writes over mail "
            "(did you forget the file name after the option?)"
        )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
