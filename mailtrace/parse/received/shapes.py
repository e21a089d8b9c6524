"""One-match clause split for the common ``Received:`` shape (a fast path of :mod:`.clauses`).

Most trace lines have the RFC 5321 section 4.4 order with one value per clause and comments
nested at most one level deep::

    from HELO (rdns [ip]) by host (Postfix) with ESMTPS id 4ABC for <rcpt>; date
    by 2002:a05:6000:1a8f::1 with SMTP id x; date
    from HELO (ip) by host (ip) with Microsoft SMTP Server (version=...) id 15.20.1 via Frontend Transport; date

For those, one anchored pattern gives the clauses that
:func:`~mailtrace.parse.received.clauses.scan_and_group` builds token by token, in a
fraction of the time. :func:`split_simple` answers ``None`` for anything else (more than one
``;``, a quoted pair, a comment nested two levels deep, an empty or unclosed construct, a
keyword out of order or twice, two values in one clause except up to four ``with`` words
(and ``via`` words after ``id``), non-ASCII text, a value other than a word or literal where
the clause allows it), and the caller takes the general path.
The equivalence is asserted over every corpus line and over generated lines
(``tests/parse/received/test_received_shapes.py``).

Why the pattern agrees with the tokeniser:

* white space between tokens is ``[ \\t\\r\\n]``, as in the tokeniser (the text is ASCII, so
  no other character splits a word there either);
* words are possessive runs of the tokeniser's word characters, so a keyword is only ever a
  whole token, and keywords compare case-insensitively as ASCII, like ``str.lower()``;
* a clause's keyword is matched only after the previous clause has a value, which is when
  the tokeniser starts a clause; a keyword written as the *first* value of a clause
  (``with id id X``) is a value in both; extra ``with`` words may not be keywords;
* literals, paths and comments are non-empty (the tokeniser drops empty ones, which would
  change where the next clause starts); a comment holds at most one level of nested comments,
  which the tokeniser's one-match comment alternative reads to the same token;
* the date is what follows the one ``;``, split by the same rules the general path uses.

The pattern is linear: every repetition is possessive or delimited by a character its
neighbour cannot contain, and the ``with`` words are bounded.
"""

from __future__ import annotations

import re

from mailtrace.parse.received.clauses import SPECIAL, Clause, Clauses
from mailtrace.parse.received.scanner import ANGLE, COMMENT, LITERAL, WORD, ScanResult, Token

_W = r'[^ \t\r\n()\[\]<>";\\]++'
_S = r"[ \t\r\n]"
#: A comment with at most one level of nesting (as the tokeniser's one-match comment), non-empty.
_ONE_COMMENT = r"\((?:[^()\\]++|\([^()\\]*+\))++\)"
_C = rf"(?:{_S}*+{_ONE_COMMENT})*+"
_KW = r'(?i:from|by|via|with|id|for)(?![^ \t\r\n()\[\]<>";\\])'
_LINE = re.compile(
    rf"""
    {_S}*+
    (?:(?i:from){_S}++(?:(?P<from>{_W})|\[(?P<from_lit>[^\[\]]++)\])(?P<from_c>{_C}){_S}*+)?
    (?i:by){_S}++(?:(?P<by>{_W})|\[(?P<by_lit>[^\[\]]++)\])(?P<by_c>{_C})
    (?:{_S}*+(?i:via){_S}++(?P<via>{_W})(?P<via_c>{_C}))?
    (?:{_S}*+(?i:with){_S}++(?P<with>{_W}(?:{_S}++(?!{_KW}){_W}){{0,3}})(?P<with_c>{_C}))?
    (?:{_S}*+(?i:id){_S}++(?:(?P<id>{_W})|<(?P<id_angle>[^<>]++)>)(?P<id_c>{_C}))?
    (?:{_S}*+(?i:via){_S}++(?P<via_late>{_W}(?:{_S}++(?!{_KW}){_W}){{0,3}})(?P<via_late_c>{_C}))?
    (?:{_S}*+(?i:for){_S}++(?:(?P<for>{_W})|<(?P<for_angle>[^<>]++)>)(?P<for_c>{_C}))?
    {_S}*+
    """,
    re.VERBOSE,
)
_WITH_WORD = re.compile(r"[^ \t\r\n]++")
_COMMENT_TEXT = re.compile(r"\(((?:[^()\\]++|\([^()\\]*+\))++)\)")
#: The tokeniser's word and flat-comment tokens, for a date that carries a comment.
_DATE_TOKEN = re.compile(r'[^ \t\r\n()\[\]<>";]++|\(([^()\\]*+)\)|([\[\]<>"()])')
_DATE_ZONE = re.compile(r'([^()\[\]<>"]*+)\(([^()\\]++)\)[ \t\r\n]*+')


#: What the split leaves in :attr:`ScanResult` by the deepest comment nesting (0, 1 or 2): never
#: written after the split, so one shared instance per depth.
_SCANNED = tuple(ScanResult() for _ in range(3))
for _depth, _scanned in enumerate(_SCANNED):
    _scanned.max_depth = _depth


def split_simple(text: str) -> tuple[ScanResult, Clauses] | None:
    """The clauses of ``text`` when it has the common shape, else ``None`` (see the module doc)."""
    if not text.isascii() or "\\" in text or text.count(";") != 1:
        return None
    head, _, date_text = text.partition(";")
    m = _LINE.fullmatch(head)
    if m is None:
        return None
    from_, from_lit, from_c, by, by_lit, by_c, via, via_c, with_, with_c, *rest = m.groups()
    id_, id_angle, id_c, via_late, via_late_c, for_, for_angle, for_c = rest
    if via is not None and via_late is not None:
        return None  # "via" twice: the general path keeps the second clause in ``extra``
    clauses = Clauses(_NO_LEAD)
    clauses.has_semi = True
    comments: list[str] = []
    by_keyword = clauses.by_keyword
    order = clauses.order
    if from_ is not None or from_lit is not None:
        value = (WORD, from_) if from_ is not None else (LITERAL, from_lit)
        order.append(_clause(by_keyword, comments, "from", value, from_c))
    order.append(_clause(by_keyword, comments, "by", (WORD, by) if by is not None else (LITERAL, by_lit), by_c))
    if via is not None:
        order.append(_clause(by_keyword, comments, "via", (WORD, via), via_c))
    if with_ is not None:
        order.append(_words(_clause(by_keyword, comments, "with", (WORD, with_), with_c), with_))
    if id_ is not None or id_angle is not None:
        value = (WORD, id_) if id_ is not None else (ANGLE, id_angle)
        order.append(_clause(by_keyword, comments, "id", value, id_c))
    if via_late is not None:
        # Exchange: "... id 15.20.7544.41 via Frontend Transport; date"
        order.append(_words(_clause(by_keyword, comments, "via", (WORD, via_late), via_late_c), via_late))
    if for_ is not None or for_angle is not None:
        value = (WORD, for_) if for_ is not None else (ANGLE, for_angle)
        order.append(_clause(by_keyword, comments, "for", value, for_c))

    if SPECIAL.search(date_text) is None:
        clauses.date_words = date_text.split()  # what the general path does with such a date
    elif (zone := _DATE_ZONE.fullmatch(date_text)) is not None:
        # The usual "Sun, 23 Sep 2001 20:13:54 -0700 (PDT)": words, then one comment.
        words_text, comment = zone.groups()
        clauses.date_words = _WITH_WORD.findall(words_text)
        clauses.date_comment = comment
        comments.append(comment)
    else:
        date_tokens = _date_tokens(date_text)
        if date_tokens is None:
            return None
        clauses.date_tokens = date_tokens
        clauses.date_words = [text for kind, text in date_tokens if kind == WORD]
        comments.extend(text for kind, text in date_tokens if kind == COMMENT)
    clauses.comments = comments
    if not comments:
        return _SCANNED[0], clauses
    # A "(" inside a comment is a nested one (one level at most here), as the tokeniser counts.
    for comment in comments:
        if "(" in comment:
            return _SCANNED[2], clauses
    return _SCANNED[1], clauses


#: The (empty) tokens before the first keyword: the split never has any, and nothing writes it.
_NO_LEAD = Clause("", [], [])


def _clause(by_keyword: dict[str, Clause], comments: list[str], keyword: str, value: Token, text: str) -> Clause:
    if text:
        # ``text`` is white space and comments, ending with ")": with one "(" it is one flat comment.
        rest = text.partition("(")[2]
        found = [rest[:-1]] if "(" not in rest else _COMMENT_TEXT.findall(text)
        clause = by_keyword[keyword] = Clause(keyword, [value], found)
        comments += found
        return clause
    clause = by_keyword[keyword] = Clause(keyword, [value], [])
    return clause


def _words(clause: Clause, text: str) -> Clause:
    """``clause`` with its values the up to four words of ``text`` (``with`` and a late ``via``)."""
    if " " in text or "\t" in text or "\r" in text or "\n" in text:
        # Split where the tokeniser splits ([ \t\r\n] only: str.split() would also split
        # at \x0b, \x0c and \x1c-\x1f, which are word characters there).
        clause.values = [(WORD, w) for w in _WITH_WORD.findall(text)]
    return clause


def _date_tokens(date_text: str) -> list[Token] | None:
    """Words and flat comments after the ``;``, as the tokeniser gives them; ``None`` for anything else."""
    out: list[Token] = []
    for m in _DATE_TOKEN.finditer(date_text):
        word = m.group()
        if m.group(2) is not None:
            return None  # a literal, path, quoted string, nested or stray parenthesis
        if word[0] == "(":
            inner = m.group(1)
            if inner:
                out.append((COMMENT, inner))
        else:
            out.append((WORD, word))
    return out
