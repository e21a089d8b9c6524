"""Linear-time lexical helpers shared by the Authentication-Results and Received-SPF parsers.

They implement the pieces of RFC 5322 section 3.2 that both grammars reuse::

    CFWS          = (1*([FWS] comment) [FWS]) / FWS
    comment       = "(" *([FWS] ccontent) [FWS] ")"
    ccontent      = ctext / quoted-pair / comment
    quoted-string = [CFWS] DQUOTE *([FWS] qcontent) [FWS] DQUOTE [CFWS]

Every function walks the text once from ``pos`` and returns the new position:
nested comments are tracked with a depth counter (no recursion, no regular
expression), so hostile input such as ten thousand ``(`` costs linear time.
Unterminated comments and quoted strings end at the end of the text and are
reported to the caller, which turns them into defects.
"""

from __future__ import annotations

from collections.abc import Sequence

from mailtrace.defects import Defect

WSP = " \t\r\n"


def skip_cfws(text: str, pos: int, comments: list[str]) -> tuple[int, bool]:
    """Skip white space and comments from ``pos``; append each top-level comment's text to ``comments``.

    Returns the new position and ``False`` when a comment was left open.
    """
    end = len(text)
    while pos < end:
        char = text[pos]
        if char in WSP:
            pos += 1
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
    end = len(text)
    depth = 0
    out: list[str] = []
    while pos < end:
        char = text[pos]
        if char == "\\" and pos + 1 < end:
            out.append(text[pos + 1])
            pos += 2
            continue
        if char == "(":
            depth += 1
            if depth > 1:
                out.append(char)
        elif char == ")":
            depth -= 1
            if depth == 0:
                return pos + 1, "".join(out).strip(), True
            out.append(char)
        else:
            out.append(char)
        pos += 1
    return end, "".join(out).strip(), False


def read_quoted(text: str, pos: int) -> tuple[int, str, bool]:
    """Read the quoted-string opening at ``text[pos] == '"'``; returns (position, unescaped content, closed)."""
    end = len(text)
    out: list[str] = []
    pos += 1
    while pos < end:
        char = text[pos]
        if char == "\\" and pos + 1 < end:
            out.append(text[pos + 1])
            pos += 2
            continue
        if char == '"':
            return pos + 1, "".join(out), True
        out.append(char)
        pos += 1
    return end, "".join(out), False


def read_until(text: str, pos: int, stops: str) -> tuple[int, str]:
    """Read characters up to (not including) white space or any character of ``stops``."""
    end = len(text)
    start = pos
    while pos < end and text[pos] not in stops and text[pos] not in WSP:
        pos += 1
    return pos, text[start:pos]


#: Defects listed per field; hostile input could otherwise produce one per character.
MAX_DEFECTS = 20


def cap_defects(defects: Sequence[Defect], prefix: str) -> tuple[Defect, ...]:
    """The first :data:`MAX_DEFECTS` defects, plus ``<prefix>.too_many_defects`` saying how many were dropped."""
    if len(defects) <= MAX_DEFECTS:
        return tuple(defects)
    dropped = len(defects) - MAX_DEFECTS
    return (*defects[:MAX_DEFECTS], Defect(f"{prefix}.too_many_defects", f"{dropped} more defects not listed"))
