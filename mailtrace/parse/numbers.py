"""Numbers written in mail, read without ever raising.

``str.isdigit()`` accepts characters ``int()`` rejects (superscripts such as ``²``,
circled digits) and ``int()`` accepts digits of other scripts (``١``) and 4,300-digit
texts only up to a limit; mail is written by the sender. :func:`ascii_int` reads
ASCII decimal digits of a bounded length and nothing else.
"""

from __future__ import annotations


def ascii_int(text: str | bytes | None, max_digits: int = 9) -> int | None:
    """``text`` as a non-negative integer if it is 1 to ``max_digits`` ASCII digits, else ``None``."""
    if not text or len(text) > max_digits or not text.isascii() or not text.isdigit():
        return None
    return int(text)
