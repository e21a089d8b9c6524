"""Group scanner tokens into the RFC 5321 section 4.4 clauses of one ``Received:`` value.

::

    Stamp    = From-domain By-domain Opt-info [CFWS] ";" FWS date-time
    Opt-info = [Via] [With] [ID] [For] [Additional-Registered-Clauses]

A clause starts at its keyword (``from``, ``by``, ``via``, ``with``, ``id``,
``for``; case-insensitive) once the clause before it has a value or comment; its values
are the words, literals, paths and quoted strings up to the next keyword, and
its comments are the comments written inside it. The date is what follows the
last top-level ``;``. A keyword seen twice keeps its first clause (qmail-scanner
writes ``by host by uid 89``); the later one is kept in ``extra``.
"""

from __future__ import annotations

import re

from mailtrace.parse.received.scanner import (
    COMMENT,
    FIRST_CHAR_KIND,
    SEMI,
    TOKEN_TEXT_PATTERN,
    WORD,
    ScanResult,
    Token,
    scan,
)

KEYWORDS = frozenset({"from", "by", "via", "with", "id", "for"})
#: Characters that open or close a construct (or quote one): their absence after the last
#: ";" makes that ";" top-level.
SPECIAL = re.compile(r'[()\[\]<>"\\]')


class Clause:
    """One clause: its keyword, value tokens and comments, in order."""

    __slots__ = ("comments", "keyword", "values")

    def __init__(self, keyword: str, values: list[Token], comments: list[str]) -> None:
        self.keyword = keyword
        self.values = values
        self.comments = comments

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Clause({self.keyword!r}, {self.values!r}, {self.comments!r})"


class Clauses:
    """The clauses of one line, the date tokens and the comments around them."""

    __slots__ = (
        "_date_tokens",
        "by_keyword",
        "comments",
        "date_comment",
        "date_words",
        "extra",
        "has_semi",
        "lead",
        "order",
    )

    def __init__(self, lead: Clause | None = None) -> None:
        self.by_keyword: dict[str, Clause] = {}
        self.order: list[Clause] = []
        self.extra: list[Clause] = []
        #: tokens before the first keyword (the one-match split passes a shared empty one)
        self.lead = Clause("", [], []) if lead is None else lead
        self._date_tokens: list[Token] | None = None
        self.has_semi = False
        #: the words of ``date_tokens`` and every comment of the line, when the splitter
        #: already has them (else computed on demand)
        self.date_words: list[str] | None = None
        self.comments: list[str] | None = None
        #: a comment after the date words (the usual ``(PDT)``), when ``date_tokens`` is left to
        #: be built from ``date_words``
        self.date_comment: str | None = None

    @property
    def date_tokens(self) -> list[Token]:
        """The tokens after the last top-level ``;`` (built from ``date_words`` when first read)."""
        tokens = self._date_tokens
        if tokens is None:
            tokens = self._date_tokens = [(WORD, w) for w in self.date_words or ()]
            if self.date_comment is not None:
                tokens.append((COMMENT, self.date_comment))
        return tokens

    @date_tokens.setter
    def date_tokens(self, tokens: list[Token]) -> None:
        self._date_tokens = tokens

    def get(self, keyword: str) -> Clause | None:
        return self.by_keyword.get(keyword)

    def all_comments(self) -> list[str]:
        if self.comments is not None:
            return self.comments
        out = list(self.lead.comments)
        for clause in self.order:
            out.extend(clause.comments)
        for clause in self.extra:
            out.extend(clause.comments)
        out.extend(text for kind, text in self.date_tokens if kind == COMMENT)
        return out


def group(tokens: list[Token]) -> Clauses:
    """Split ``tokens`` into clauses and date; linear in the number of tokens."""
    out = Clauses()
    last_semi = -1
    for i, (kind, _text) in enumerate(tokens):
        if kind == SEMI:
            last_semi = i
    body = tokens if last_semi < 0 else tokens[:last_semi]
    if last_semi >= 0:
        out.has_semi = True
        out.date_tokens = tokens[last_semi + 1 :]
    current = out.lead
    by_keyword = out.by_keyword
    for kind, text in body:
        if kind == WORD:
            low = text.lower()
            if low in KEYWORDS and (current.values or current.comments or current is out.lead):
                current = Clause(low, [], [])
                if low in by_keyword:
                    out.extra.append(current)
                else:
                    by_keyword[low] = current
                    out.order.append(current)
                continue
            current.values.append((kind, text))
        elif kind == COMMENT:
            current.comments.append(text)
        elif kind != SEMI:
            current.values.append((kind, text))
    return out


def scan_and_group(text: str) -> tuple[ScanResult, Clauses]:
    """:func:`~.scanner.scan` then :func:`group` in one pass when nothing nests.

    Gives the same clauses as ``group(scan(text).tokens)`` (the returned
    :class:`ScanResult` carries the flags but not the token list). In the usual
    ``...; Mon, 3 Jun 2024 10:00:00 +0000`` nothing after the last ``;`` can open
    or close a construct, so that ``;`` is top-level and the date is split off as
    plain words before scanning. Tokens after an earlier ``;`` wait in a tail until
    the next ``;`` (then they join the clauses) or the end (then they are the
    date), so each token is handled once. A value with a nested or unclosed
    construct goes through the two-step slow path.
    """
    if "\\" in text:
        # Quoted pairs: the linear slow path (see scanner.scan).
        scanned = scan(text)
        return scanned, group(scanned.tokens)
    clauses = Clauses()
    head, semi_found, date_text = text.rpartition(";")
    if semi_found and not SPECIAL.search(date_text):
        clauses.has_semi = True
        clauses.date_words = date_text.split()  # the date tokens: these words (built when read)
        return _scan_and_group(head, text, clauses)
    return _scan_and_group(text, text, clauses)


def _scan_and_group(text: str, full: str, clauses: Clauses) -> tuple[ScanResult, Clauses]:
    out = ScanResult()
    by_keyword = clauses.by_keyword
    lead = current = clauses.lead
    values = current.values
    tail: list[Token] | None = None
    kind_of = FIRST_CHAR_KIND.get
    for token in TOKEN_TEXT_PATTERN.findall(text):
        kind = kind_of(token[0], WORD)
        if kind == WORD:
            if tail is not None:
                tail.append((WORD, token))
            elif len(token) <= 4 and token.lower() in KEYWORDS and (values or current.comments or current is lead):
                low = token.lower()
                current = Clause(low, [], [])
                values = current.values
                if low in by_keyword:
                    clauses.extra.append(current)
                else:
                    by_keyword[low] = current
                    clauses.order.append(current)
            else:
                values.append((WORD, token))
        elif kind == SEMI:
            if tail:
                for pending in tail:
                    current = _feed(clauses, current, lead, by_keyword, pending)
                values = current.values
            tail = []
        elif kind < 0 or len(token) == 1:
            # A stray closer, or an opener whose construct nests or never closes.
            scanned = scan(full)
            return scanned, group(scanned.tokens)
        else:
            inner = token[1:-1]
            if not inner:
                continue  # "()", "[]", "<>", '""' give no token
            if kind == COMMENT:
                if out.max_depth < 2:
                    out.max_depth = 2 if "(" in inner else 1
                if tail is not None:
                    tail.append((COMMENT, inner))
                else:
                    current.comments.append(inner)
            elif tail is not None:
                tail.append((kind, inner))
            else:
                values.append((kind, inner))
    if tail is not None:
        if clauses.has_semi:
            # The date was split off after a later ";": this tail belongs to the clauses.
            for pending in tail:
                current = _feed(clauses, current, lead, by_keyword, pending)
        else:
            clauses.has_semi = True
            clauses.date_tokens = tail
    return out, clauses


def _feed(clauses: Clauses, current: Clause, lead: Clause, by_keyword: dict[str, Clause], token: Token) -> Clause:
    kind, text = token
    if kind == WORD:
        if len(text) <= 4 and (current.values or current.comments or current is lead):
            low = text.lower()
            if low in KEYWORDS:
                clause = Clause(low, [], [])
                if low in by_keyword:
                    clauses.extra.append(clause)
                else:
                    by_keyword[low] = clause
                    clauses.order.append(clause)
                return clause
        current.values.append(token)
    elif kind == COMMENT:
        current.comments.append(text)
    else:
        current.values.append(token)
    return current
