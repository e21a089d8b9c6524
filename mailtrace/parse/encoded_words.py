"""RFC 2047 encoded-word decoding for unstructured text and phrases.

``=?charset?B|Q?text?=`` runs are decoded; whitespace between two adjacent
encoded words is dropped (RFC 2047 section 6.2). An unknown charset or bad
encoding leaves the word as written and records ``header.bad_encoded_word``.
The pattern has no nested quantifiers, so it runs in linear time.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re

from mailtrace.defects import Defect

_WORD = re.compile(r"=\?([^?\s]{1,64})\?([bBqQ])\?([^?\s]*)\?=")
_BETWEEN = re.compile(r"[ \t]+")
_Q_HEX = re.compile(rb"=([0-9A-Fa-f]{2})")


def _decode_q(text: str) -> bytes:
    data = text.replace("_", " ").encode("ascii", "replace")
    return _Q_HEX.sub(lambda m: bytes([int(m.group(1), 16)]), data)


def _decode_one(charset: str, encoding: str, text: str) -> str | None:
    charset = charset.split("*", 1)[0]  # RFC 2231 language suffix
    try:
        codecs.lookup(charset)
    except LookupError:
        return None
    try:
        data = base64.b64decode(text + "=" * (-len(text) % 4)) if encoding in "bB" else _decode_q(text)
        return data.decode(charset, "replace")
    except (binascii.Error, ValueError, LookupError):
        return None


def decode_encoded_words(value: str) -> tuple[str, tuple[Defect, ...]]:
    """Return ``value`` with encoded words decoded, and the defects found."""
    if "=?" not in value:
        return value, ()
    out: list[str] = []
    defects: list[Defect] = []
    pos = 0
    last_end = -1
    for match in _WORD.finditer(value):
        gap = value[pos : match.start()]
        if not (last_end == match.start() - len(gap) and last_end >= 0 and not _BETWEEN.sub("", gap)):
            out.append(gap)
        decoded = _decode_one(match.group(1), match.group(2), match.group(3))
        if decoded is None:
            defects.append(Defect("header.bad_encoded_word", f"cannot decode {match.group(0)[:80]!r}"))
            out.append(match.group(0))
        else:
            out.append(decoded)
        pos = last_end = match.end()
    out.append(value[pos:])
    return "".join(out), tuple(defects)
