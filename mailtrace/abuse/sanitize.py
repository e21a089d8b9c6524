"""Values from a hostile message made safe for the header of a report we write.

A CR or LF in a value copied into a header would let the sender add header
fields (or a whole MIME part) to our report: header injection. Every value
taken from the message goes through :func:`header_value` (control and
invisible characters dropped, white space collapsed, length capped), and
every header line we write through :func:`fold` (RFC 5322 section 2.2.3
folding at white space, lines under 998 octets).
"""

from __future__ import annotations

import re

from mailtrace.render.safe import UNSAFE

#: Longest value copied from the message into one header field.
MAX_VALUE = 900
_SPACE = re.compile(r"\s+")


def header_value(text: str | None, limit: int = MAX_VALUE) -> str:
    """``text`` on one line: control, bidi and invisible characters removed, runs of white space as one space."""
    if not text:
        return ""
    clean = UNSAFE.sub(" ", text[: limit * 4])
    return _SPACE.sub(" ", clean).strip()[:limit]


def fold(name: str, value: str, width: int = 78) -> str:
    """``Name: value`` folded at white space so no line passes ``width`` where it can be helped."""
    words = value.split(" ")
    lines: list[str] = []
    line = f"{name}:"
    for word in words:
        if not word:
            continue
        if len(line) + 1 + len(word) > width and line.strip() and line != f"{name}:":
            lines.append(line)
            line = "\t" + word
        else:
            line = f"{line} {word}"
    lines.append(line)
    return "\n".join(lines)


def text_line(text: str | None, limit: int = 2000) -> str:
    """A value for the human-readable part: one line, no control characters (they could fool a terminal)."""
    return header_value(text, limit)
