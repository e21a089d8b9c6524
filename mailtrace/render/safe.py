"""Message content made safe to show: no control, bidi or invisible character reaches the reader raw.

Mail and DNS answers are written by the attacker. A raw ESC, CSI or OSC sequence moves the
cursor, rewrites lines (the verdict the analyst is reading) or sets the window title; a
bidi override (U+202E) reverses what follows; a zero-width character hides a difference
between two names. :func:`visible` shows each such character as an escape:

* C0 controls, DEL and C1 controls: ``\\x1b``, ``\\x7f``, ``\\x9b`` (tab, line feed and
  carriage return as ``\\t`` ``\\n`` ``\\r``: a line break inside a value would fake a line);
* bidi controls (U+061C, U+200E-U+200F, U+202A-U+202E, U+2066-U+2069) and every other
  invisible formatting character (Unicode category Cf: U+200B-U+200D, U+2060, U+FEFF,
  U+00AD...), the line and paragraph separators (U+2028, U+2029), and surrogates:
  ``\\u202e``, ``\\U000e0001``;
* the backslash itself is left alone, so a literal ``\\x1b`` typed by the sender stays
  distinguishable only by context; what matters is that no raw control is ever written.

:func:`visible_text` applies the same to a finished multi-line text, keeping its ``\\n``
(the renderer's own line breaks). :func:`json_safe` does it for JSON: the same characters
as ``\\uXXXX`` escapes, which decode back to the same data.
"""

from __future__ import annotations

import re

#: C0, DEL, C1; every Unicode format character (category Cf, Unicode 15: soft hyphen, Arabic
#: number signs, bidi marks, embeddings, overrides and isolates, zero-width characters, word joiner,
#: invisible operators, BOM, interlinear annotations, Egyptian hieroglyph and shorthand format
#: controls, musical symbol formatting, tag characters); the line and paragraph separators; and
#: surrogates (a lone one cannot even be encoded). ``tests/render/test_safe.py`` checks that every
#: Cf character of the running Python's Unicode database is in here.
_RANGES = (
    (0x00, 0x1F), (0x7F, 0x9F), (0xAD, 0xAD), (0x600, 0x605), (0x61C, 0x61C), (0x6DD, 0x6DD), (0x70F, 0x70F),
    (0x890, 0x891), (0x8E2, 0x8E2), (0x180E, 0x180E), (0x200B, 0x200F), (0x2028, 0x202E), (0x2060, 0x2064),
    (0x2066, 0x206F), (0xD800, 0xDFFF), (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB), (0x110BD, 0x110BD),
    (0x110CD, 0x110CD), (0x13430, 0x1343F), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
)  # fmt: skip
#: Every character :func:`visible` escapes (for searching; the escaping itself is a ``str.translate``).
UNSAFE = re.compile("[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in _RANGES) + "]")
_NAMED = {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"}


def _escape(code: int) -> str:
    if code in _NAMED:
        return _NAMED[code]
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _escape_json(code: int) -> str:
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    high, low = divmod(code - 0x10000, 0x400)
    return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"


_CODES = [code for first, last in _RANGES for code in range(first, last + 1)]
#: ``str.translate`` tables (C speed: 2 MB of text in about 10 ms).
_VISIBLE = {code: _escape(code) for code in _CODES}
_VISIBLE_TEXT = {code: _escape(code) for code in _CODES if code != 0x0A}
_JSON = {code: _escape_json(code) for code in _CODES if code != 0x0A}


#: Printable ASCII, which no table maps; with the line feed, which two of them keep.
_PRINTABLE = bytes(range(0x20, 0x7F))
_PRINTABLE_LF = _PRINTABLE + b"\n"


def _not_ascii(text: str, kept: bytes, table: dict[int, str]) -> str:
    """``text.translate(table)`` for a text that is not ASCII, and a ``table`` that maps none of the ASCII
    characters ``kept``.

    CPython translates ASCII text through a cache in C (53 µs for a report's JSON of 34 kB), which the callers
    let it do; any other text it looks up in the dict character by character (2.6 ms for the same size). Here
    the text is encoded, the kept bytes deleted in C, and only the rest, its other characters in order
    (deleting ASCII bytes leaves whole UTF-8 sequences), is translated: when the table maps none of them
    (nearly always) the text is returned as it is, in 45 µs. Lone surrogates pass through the encoding
    (``surrogatepass``).
    """
    others = text.encode("utf-8", "surrogatepass").translate(None, kept).decode("utf-8", "surrogatepass")
    return text if others.translate(table) == others else text.translate(table)


def visible(text: str) -> str:
    """``text`` with every control, bidi and invisible formatting character shown as an escape."""
    return text.translate(_VISIBLE) if text.isascii() else _not_ascii(text, _PRINTABLE, _VISIBLE)


def visible_text(text: str) -> str:
    """:func:`visible` for a finished report: the same escapes, except its own ``\\n`` line breaks."""
    return text.translate(_VISIBLE_TEXT) if text.isascii() else _not_ascii(text, _PRINTABLE_LF, _VISIBLE_TEXT)


def json_safe(document: str) -> str:
    """A JSON text (from ``json.dumps(..., ensure_ascii=False)``) with the same characters as ``\\uXXXX``.

    ``json.dumps`` already escapes C0 inside strings; C1, bidi and Cf characters pass raw.
    Outside strings a JSON text holds only ASCII punctuation, digits, letters and white space,
    so escaping them anywhere but the indentation's ``\\n`` yields the same data.
    """
    return document.translate(_JSON) if document.isascii() else _not_ascii(document, _PRINTABLE_LF, _JSON)
