"""Linear-time lexical helpers shared by the Authentication-Results and Received-SPF parsers.

They implement the pieces of RFC 5322 section 3.2 that both grammars reuse::

    CFWS          = (1*([FWS] comment) [FWS]) / FWS
    comment       = "(" *([FWS] ccontent) [FWS] ")"
    ccontent      = ctext / quoted-pair / comment
    quoted-string = [CFWS] DQUOTE *([FWS] qcontent) [FWS] DQUOTE [CFWS]

Every function walks the text once from ``pos`` and returns the new position.
Runs of ordinary characters are skipped with precompiled regular expressions
of a single character class (one C-level pass, no backtracking); nested
comments are tracked with a depth counter between the special characters (no
recursion), so hostile input such as ten thousand ``(`` costs linear time.
Unterminated comments and quoted strings end at the end of the text and are
reported to the caller, which turns them into defects.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from mailtrace.defects import Defect

WSP = " \t\r\n"

_WSP_RUN = re.compile(r"[ \t\r\n]*")
#: A comment with no nested parenthesis and no quoted-pair: its text is the group (the usual case).
_FLAT_COMMENT = re.compile(r"\(([^()\\]*)\)")
_COMMENT_SPECIAL = re.compile(r"[()\\]")
#: A quoted string with no quoted-pair.
_FLAT_QUOTED = re.compile(r'"([^"\\]*)"')
_QUOTED_SPECIAL = re.compile(r'["\\]')
#: ``[^<white space><stops>]*`` per set of stop characters, compiled on first use (a handful of sets).
_UNTIL: dict[str, re.Pattern[str]] = {}


def skip_cfws(text: str, pos: int, comments: list[str]) -> tuple[int, bool]:
    """Skip white space and comments from ``pos``; append each top-level comment's text to ``comments``.

    Returns the new position and ``False`` when a comment was left open.
    """
    end = len(text)
    while pos < end:
        char = text[pos]
        if char in WSP:
            pos = _WSP_RUN.match(text, pos).end()  # type: ignore[union-attr]  # matches the empty string
        elif char == "(":
            pos, body, closed = read_comment(text, pos)
            comments.append(body)
            if not closed:
                return pos, False
        else:
            break
    return pos, True


def read_comment(text: str, pos: int) -> tuple[int, str, bool]:
    """Read the comment opening at ``text[pos] == "("`` (RFC 5322 ``comment``, nesting allowed).

    Returns the position after the closing parenthesis, the text between the
    outer parentheses (inner parentheses kept, quoted-pairs unescaped) and
    whether the comment was closed.
    """
    flat = _FLAT_COMMENT.match(text, pos)
    if flat is not None:
        return flat.end(), flat.group(1).strip(), True
    end = len(text)
    depth = 0
    out: list[str] = []
    search = _COMMENT_SPECIAL.search
    while True:
        special = search(text, pos)
        if special is None:
            out.append(text[pos:])
            return end, "".join(out).strip(), False
        at = special.start()
        out.append(text[pos:at])
        char = text[at]
        if char == "\\":
            if at + 1 < end:
                out.append(text[at + 1])
                pos = at + 2
            else:  # a lone backslash at the very end is kept
                out.append(char)
                pos = at + 1
            continue
        if char == "(":
            depth += 1
            if depth > 1:
                out.append(char)
        else:
            depth -= 1
            if depth == 0:
                return at + 1, "".join(out).strip(), True
            out.append(char)
        pos = at + 1


def read_quoted(text: str, pos: int) -> tuple[int, str, bool]:
    """Read the quoted-string opening at ``text[pos] == '"'``; returns (position, unescaped content, closed)."""
    flat = _FLAT_QUOTED.match(text, pos)
    if flat is not None:
        return flat.end(), flat.group(1), True
    end = len(text)
    out: list[str] = []
    pos += 1
    search = _QUOTED_SPECIAL.search
    while True:
        special = search(text, pos)
        if special is None:
            out.append(text[pos:])
            return end, "".join(out), False
        at = special.start()
        out.append(text[pos:at])
        if text[at] == '"':
            return at + 1, "".join(out), True
        if at + 1 < end:
            out.append(text[at + 1])
            pos = at + 2
        else:  # a lone backslash at the very end is kept
            out.append("\\")
            pos = at + 1


def read_until(text: str, pos: int, stops: str) -> tuple[int, str]:
    """Read characters up to (not including) white space or any character of ``stops``."""
    pattern = _UNTIL.get(stops)
    if pattern is None:
        pattern = _UNTIL[stops] = re.compile(f"[^ \\t\\r\\n{re.escape(stops)}]*")
    end = pattern.match(text, pos).end()  # type: ignore[union-attr]  # matches the empty string
    return end, text[pos:end]


#: Defects listed per field; hostile input could otherwise produce one per character.
MAX_DEFECTS = 20


def cap_defects(defects: Sequence[Defect], prefix: str) -> tuple[Defect, ...]:
    """The first :data:`MAX_DEFECTS` defects, plus ``<prefix>.too_many_defects`` saying how many were dropped."""
    if len(defects) <= MAX_DEFECTS:
        return tuple(defects)
    dropped = len(defects) - MAX_DEFECTS
    return (*defects[:MAX_DEFECTS], Defect(f"{prefix}.too_many_defects", f"{dropped} more defects not listed"))
