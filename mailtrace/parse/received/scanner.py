"""Linear tokeniser for ``Received:`` values (RFC 5321 section 4.4, RFC 5322 section 3.2).

The trace-field grammar (RFC 5321 section 4.4)::

    Time-stamp-line = "Received:" FWS Stamp <CRLF>
    Stamp          = From-domain By-domain Opt-info [CFWS] ";" FWS date-time
    From-domain    = "FROM" FWS Extended-Domain
    Extended-Domain = Domain / ( Domain FWS "(" TCP-info ")" ) / ( address-literal FWS "(" TCP-info ")" )
    Opt-info       = [Via] [With] [ID] [For] [Additional-Registered-Clauses]

is only a guide: real MTAs write comments everywhere. The scanner cuts the
value into words, comments (RFC 5322 ``comment``, nested, with quoted pairs),
quoted strings, ``[...]`` address literals, ``<...>`` paths and ``;``. Every
pattern is linear: no quantifier nests over overlapping classes, and a
construct that fails to close is consumed to its end once (never retried at
each position), so hostile input costs one pass.
"""

from __future__ import annotations

import re

WORD = 0
COMMENT = 1
LITERAL = 2
ANGLE = 3
QUOTED = 4
SEMI = 5

#: One token: ``(kind, text)``; ``text`` is the inner text for comments,
#: literals, paths and quoted strings (delimiters removed).
Token = tuple[int, str]

_TOKEN = re.compile(
    r"""
    [ \t\r\n]*+
    (?:
      (?P<word>[^ \t\r\n()\[\]<>";]+)
    | \((?P<comment>[^()\\]*(?:(?:\\.|\([^()\\]*(?:\\.[^()\\]*)*\))[^()\\]*)*)\)
    | \[(?P<literal>[^\[\]]*)\]
    | <(?P<angle>[^<>]*)>
    | "(?P<quoted>[^"\\]*(?:\\.[^"\\]*)*)"
    | (?P<semi>;)
    | (?P<other>[^ \t\r\n])
    | \Z
    )
    """,
    re.VERBOSE | re.DOTALL,
)
_PAREN = re.compile(r"[()\\]")
#: The token pattern, shared with :func:`mailtrace.parse.received.clauses.scan_and_group`.
TOKEN_PATTERN = _TOKEN
#: The same alternatives in the same order with no groups and no leading white space:
#: ``findall`` then returns each token's text (white space between tokens is skipped
#: by the search), and the first character tells the alternative (a word never starts
#: with one of ``()[]<>";``; a lone opener is the ``other`` alternative, a construct
#: has at least its two delimiters). About twice as fast as building the 7-tuples.
TOKEN_TEXT_PATTERN = re.compile(
    r"""
      [^ \t\r\n()\[\]<>";]+
    | \([^()\\]*(?:(?:\\.|\([^()\\]*(?:\\.[^()\\]*)*\))[^()\\]*)*\)
    | \[[^\[\]]*\]
    | <[^<>]*>
    | "[^"\\]*(?:\\.[^"\\]*)*"
    | [^ \t\r\n]
    """,
    re.VERBOSE | re.DOTALL,
)
#: Token kind by first character, for :data:`TOKEN_TEXT_PATTERN` matches (-1: a stray closer).
FIRST_CHAR_KIND = {"(": COMMENT, "[": LITERAL, "<": ANGLE, '"': QUOTED, ";": SEMI, ")": -1, "]": -1, ">": -1}


class ScanResult:
    """Tokens plus what went wrong while cutting them."""

    __slots__ = ("max_depth", "tokens", "truncated", "unbalanced")

    def __init__(self) -> None:
        self.tokens: list[Token] = []
        self.truncated = False  #: a comment, literal, path or quoted string never closed
        self.unbalanced = False  #: a closing ``)``, ``]`` or ``>`` without its opener
        self.max_depth = 0  #: deepest comment nesting seen


def _nested_comment(text: str, start: int) -> tuple[str, int, int, bool]:
    """Scan a nested comment opening at ``text[start]``; return (inner, end, depth, closed)."""
    depth = 0
    deepest = 0
    pos = start
    search = _PAREN.search
    while True:
        m = search(text, pos)
        if m is None:
            return text[start + 1 :], len(text), deepest, False
        ch = m.group()
        pos = m.end()
        if ch == "\\":
            pos += 1  # quoted-pair: the next character is literal
        elif ch == "(":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
            if depth == 0:
                return text[start + 1 : m.start()], pos, deepest, True


def scan(text: str) -> ScanResult:
    """Cut ``text`` into tokens in one linear pass; never raises."""
    out = ScanResult()
    if "\\" in text:
        # Quoted pairs let a failed comment or quoted-string attempt run past later
        # openers; findall would retry from each of them (quadratic). The slow path
        # consumes an unclosed construct once.
        return _scan_slow(text, out)
    append = out.tokens.append
    # Fast path: one C-level pass of the same pattern. White space and the empty
    # constructs "()", "[]", "<>", '""' give all-empty tuples and are skipped. Any
    # "other" character (a nested or unclosed opener, a stray closer) sends the whole
    # value through the slow path, which handles nesting; both passes are linear.
    for word, comment, literal, angle, quoted, semi, other in _TOKEN.findall(text):
        if word:
            append((WORD, word))
        elif comment:
            append((COMMENT, comment))
            if out.max_depth < 2:
                out.max_depth = 2 if "(" in comment else 1
        elif literal:
            append((LITERAL, literal))
        elif semi:
            append((SEMI, ";"))
        elif angle:
            append((ANGLE, angle))
        elif quoted:
            append((QUOTED, quoted))
        elif other:
            return _scan_slow(text, ScanResult())
    return out


def _scan_slow(text: str, out: ScanResult) -> ScanResult:
    tokens = out.tokens
    append = tokens.append
    pos = 0
    end = len(text)
    match = _TOKEN.match
    while pos < end:
        m = match(text, pos)
        if m is None:  # pragma: no cover - the pattern matches any character
            break
        group = m.lastgroup
        if group is None:
            pos = m.end()
            continue
        # Empty "()", "[]", "<>" and '""' give no token, as in the fast path.
        if group == "word":
            append((WORD, m.group("word")))
        elif group == "comment":
            inner = m.group("comment")
            if inner:
                append((COMMENT, inner))
                out.max_depth = max(out.max_depth, 2 if "(" in inner else 1)
        elif group == "literal":
            if m.group("literal"):
                append((LITERAL, m.group("literal")))
        elif group == "semi":
            append((SEMI, ";"))
        elif group == "angle":
            if m.group("angle"):
                append((ANGLE, m.group("angle")))
        elif group == "quoted":
            if m.group("quoted"):
                append((QUOTED, m.group("quoted")))
        else:
            pos = _other(text, m.start("other"), out)
            continue
        pos = m.end()
    return out


def _other(text: str, pos: int, out: ScanResult) -> int:
    """Handle an opener whose simple form did not match, or a stray closer."""
    ch = text[pos]
    if ch == "(":
        inner, stop, depth, closed = _nested_comment(text, pos)
        out.tokens.append((COMMENT, inner))
        out.max_depth = max(out.max_depth, depth)
        if not closed:
            out.truncated = True
        return stop
    if ch == '"':
        out.tokens.append((QUOTED, text[pos + 1 :]))
        out.truncated = True
        return len(text)
    if ch in "[<":
        # Unclosed literal or path: keep the opener with the word that follows.
        stop = pos + 1
        while stop < len(text) and text[stop] not in ' \t\r\n()[]<>";':
            stop += 1
        out.tokens.append((LITERAL if ch == "[" else ANGLE, text[pos + 1 : stop]))
        out.unbalanced = True
        return stop
    # ")", "]", ">" without an opener.
    out.unbalanced = True
    return pos + 1
