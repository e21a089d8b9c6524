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
_UNSAFE_CLASS = (
    "\x00-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ud800-\udfff\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f"
)
#: Every character :func:`visible` escapes.
UNSAFE = re.compile(f"[{_UNSAFE_CLASS}]")
_UNSAFE_KEEP_NEWLINE = re.compile(f"(?!\n)[{_UNSAFE_CLASS}]")


_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _escape_json(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    high, low = divmod(code - 0x10000, 0x400)
    return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"


def visible(text: str) -> str:
    """``text`` with every control, bidi and invisible formatting character shown as an escape."""
    return UNSAFE.sub(_escape, text)


def visible_text(text: str) -> str:
    """:func:`visible` for a finished report: the same escapes, except its own ``\\n`` line breaks."""
    return _UNSAFE_KEEP_NEWLINE.sub(_escape, text)


def json_safe(document: str) -> str:
    """A JSON text (from ``json.dumps(..., ensure_ascii=False)``) with the same characters as ``\\uXXXX``.

    ``json.dumps`` already escapes C0 inside strings; C1, bidi and Cf characters pass raw.
    Outside strings a JSON text holds only ASCII punctuation, digits, letters and white space,
    so escaping them anywhere but the indentation's ``\\n`` yields the same data.
    """
    return _UNSAFE_KEEP_NEWLINE.sub(_escape_json, document)
