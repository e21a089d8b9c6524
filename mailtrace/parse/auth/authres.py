"""``Authentication-Results`` fields (RFC 8601), parsed tolerantly.

::

    authres-payload = [CFWS] authserv-id [ CFWS authres-version ] ( no-result / 1*resinfo ) [CFWS]
    authserv-id     = value                          ; token or quoted-string
    authres-version = 1*DIGIT [CFWS]
    no-result       = [CFWS] ";" [CFWS] "none"
    resinfo         = [CFWS] ";" methodspec [ CFWS reasonspec ] [ CFWS 1*propspec ]
    methodspec      = [CFWS] method [CFWS] "=" [CFWS] result
    method          = Keyword [ [CFWS] "/" [CFWS] method-version ]
    reasonspec      = "reason" [CFWS] "=" [CFWS] value
    propspec        = ptype [CFWS] "." [CFWS] property [CFWS] "=" pvalue
    pvalue          = [CFWS] ( value / [ [ local-part ] "@" ] domain-name ) [CFWS]

Real headers deviate, and nothing here rejects a header: every result and
property is kept and each deviation becomes a defect.

* Microsoft 365 omits the authserv-id (``spf=pass ...; dkim=none ...``):
  ``authserv_id`` is ``None`` with ``authres.no_authserv_id``.
* Microsoft's ``action=none`` and ``compauth=pass reason=100``: ``compauth``
  is an unregistered method (``authres.method_unknown``), ``action`` a
  property without a ptype, kept as ``("", "action", "none")`` with
  ``authres.property_no_ptype``.
* Google's ``header.i=@example.com header.s=sel header.b=abc``, comments such
  as ``arc=pass (i=2 spf=pass ...)`` anywhere (kept in ``AuthResult.comments``),
  ``none``, ``x-`` methods, ``reason=`` anywhere among the properties, values
  containing ``=`` (SRS, VERP) and quoted local parts are all read as written.

Defects: ``authres.syntax`` (something that is not a resinfo, skipped to the
next ``;``), ``authres.no_authserv_id``, ``authres.version`` (not 1),
``authres.method_unknown``, ``authres.result_unknown``,
``authres.property_no_ptype``, ``authres.unterminated`` (an open comment or
quoted string), ``authres.empty``, ``authres.too_many_results``.
Method, result, ptype and property names are lower-cased (they are
case-insensitive keywords); values are kept as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mailtrace.defects import Defect, defects_to_list
from mailtrace.model.fields import HeaderField
from mailtrace.model.frozen import fast_init, fast_maker
from mailtrace.parse.auth._scan import cap_defects, read_comment, read_quoted, read_until, skip_cfws

#: ``;``-separated pieces (resinfo, empty or not) read per header; the rest are ignored (``authres.too_many_results``).
MAX_RESULTS = 256
#: Properties kept per resinfo.
MAX_PROPERTIES = 64

#: The IANA "Email Authentication Methods" registry (RFC 8601 and later registrations).
KNOWN_METHODS = frozenset(
    {
        "arc",
        "auth",
        "bimi",
        "dkim",
        "dkim-adsp",
        "dkim-atps",
        "dmarc",
        "dnswl",
        "domainkeys",
        "iprev",
        "rrvs",
        "sender-id",
        "smime",
        "spf",
        "vbr",
    }
)
#: Every result word of the IANA "Email Authentication Result Names" registry.
KNOWN_RESULTS = frozenset(
    {
        "pass",
        "fail",
        "softfail",
        "neutral",
        "none",
        "temperror",
        "permerror",
        "policy",
        "hardfail",
        "nxdomain",
        "discard",
        "signed",
        "unknown",
        "skipped",
    }
)

_KEY_STOPS = '=;("/'
_VALUE_STOPS = ";("


@dataclass(frozen=True, slots=True, kw_only=True)
class AuthResult:
    """One ``resinfo``: ``method[/version]=result``, an optional ``reason``, the properties, the comments.

    ``properties`` are ``(ptype, property, value)`` triples in order, e.g.
    ``("header", "d", "example.com")``; a property written without a ptype
    (Microsoft's ``action=none``) has ptype ``""``.
    """

    method: str
    method_version: str | None
    result: str
    reason: str | None
    properties: tuple[tuple[str, str, str], ...]
    comments: tuple[str, ...] = ()

    def get(self, ptype: str, name: str) -> str | None:
        """The first value of property ``ptype.name`` (case-insensitive), e.g. ``get("header", "d")``, or ``None``."""
        ptype, name = ptype.lower(), name.lower()
        return next((v for p, n, v in self.properties if p == ptype and n == name), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "method_version": self.method_version,
            "result": self.result,
            "reason": self.reason,
            "properties": [list(triple) for triple in self.properties],
            "comments": list(self.comments),
        }


fast_init(AuthResult)


@dataclass(frozen=True, slots=True, kw_only=True)
class AuthenticationResults:
    """One ``Authentication-Results`` field, or the payload of an ``ARC-Authentication-Results``.

    ``name`` is the field name as written; ``instance`` is the ARC ``i=`` for
    ``ARC-Authentication-Results`` and ``None`` otherwise. ``authserv_id`` is
    ``None`` when the header has none (Microsoft 365). ``results`` is empty for
    ``none``.
    """

    header_index: int
    name: str
    authserv_id: str | None
    version: int | None
    results: tuple[AuthResult, ...]
    instance: int | None = None
    defects: tuple[Defect, ...] = ()

    def by_method(self, method: str) -> tuple[AuthResult, ...]:
        """The results of ``method`` (case-insensitive), in order."""
        method = method.lower()
        return tuple(r for r in self.results if r.method == method)

    def to_dict(self) -> dict[str, Any]:
        return {
            "header_index": self.header_index,
            "name": self.name,
            "authserv_id": self.authserv_id,
            "version": self.version,
            "results": [r.to_dict() for r in self.results],
            "instance": self.instance,
            "defects": defects_to_list(self.defects),
        }


fast_init(AuthenticationResults)


@dataclass(frozen=True, slots=True, kw_only=True)
class Payload:
    """What :func:`parse_payload` read."""

    authserv_id: str | None
    version: int | None
    results: tuple[AuthResult, ...]
    defects: tuple[Defect, ...]


fast_init(Payload)


class _Reader:
    """A cursor over one payload; each method advances ``pos`` and records defects. Linear overall."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.defects: list[Defect] = []
        self.comments: list[str] = []
        self._unterminated = False

    @property
    def at_end(self) -> bool:
        return self.pos >= len(self.text)

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def cfws(self) -> None:
        self.pos, closed = skip_cfws(self.text, self.pos, self.comments)
        if not closed:
            self._open("a comment")

    def _open(self, what: str) -> None:
        if not self._unterminated:
            self.defects.append(Defect("authres.unterminated", f"{what} is never closed"))
            self._unterminated = True

    def key(self) -> str:
        self.pos, word = read_until(self.text, self.pos, _KEY_STOPS)
        return word

    def value(self) -> str:
        """A ``value`` or ``pvalue``: a quoted-string (plus an ``@domain`` tail) or a run of non-space characters."""
        parts: list[str] = []
        if self.peek() == '"':
            self.pos, content, closed = read_quoted(self.text, self.pos)
            if not closed:
                self._open("a quoted string")
            parts.append(content)
        self.pos, rest = read_until(self.text, self.pos, _VALUE_STOPS + '"')
        parts.append(rest)
        while self.peek() == '"':  # a quoted part glued to the token, e.g. foo"bar"@x
            self.pos, content, closed = read_quoted(self.text, self.pos)
            if not closed:
                self._open("a quoted string")
            self.pos, rest = read_until(self.text, self.pos, _VALUE_STOPS + '"')
            parts += [content, rest]
        return "".join(parts)

    def skip_to_semicolon(self) -> str:
        """Skip to the next top-level ``;`` (comments and quoted strings jumped over); return the skipped text."""
        start = self.pos
        text = self.text
        while self.pos < len(text) and text[self.pos] != ";":
            char = text[self.pos]
            if char == "(":
                self.pos, _, closed = read_comment(text, self.pos)
                if not closed:
                    self._open("a comment")
            elif char == '"':
                self.pos, _, closed = read_quoted(text, self.pos)
                if not closed:
                    self._open("a quoted string")
            else:
                self.pos += 1
        return text[start : self.pos].strip()

    def take_comments(self) -> tuple[str, ...]:
        taken = tuple(self.comments)
        self.comments.clear()
        return taken


def _looks_like_resinfo(reader: _Reader) -> bool:
    """Whether the text at the cursor starts ``method =`` or ``method /`` (no authserv-id before it)."""
    saved, saved_comments = reader.pos, len(reader.comments)
    reader.key()
    reader.cfws()
    if reader.peek() == "/":
        reader.pos += 1
        reader.cfws()
        reader.key()
        reader.cfws()
    found = reader.peek() == "="
    reader.pos = saved
    del reader.comments[saved_comments:]
    return found


def _is_none(reader: _Reader) -> bool:
    """Whether the text up to the next ``;`` is the word ``none`` (``no-result``); consumes it if so."""
    saved, saved_comments = reader.pos, len(reader.comments)
    reader.cfws()
    if reader.key().lower() == "none":
        reader.cfws()
        if reader.at_end or reader.peek() == ";":
            reader.take_comments()
            return True
    reader.pos = saved
    del reader.comments[saved_comments:]
    return False


#: ``method=result`` with only white space around the ``=`` (no comment, no ``/version``): the usual
#: methodspec, read in one match. The classes are those of :meth:`_Reader.key` and the white space
#: of :func:`skip_cfws`, so a match reads exactly what the step-by-step reader would.
_PLAIN_METHODSPEC = re.compile(r"[ \t\r\n]*([^ \t\r\n=;(\"/]+)[ \t\r\n]*=[ \t\r\n]*([^ \t\r\n=;(\"/]+)")
#: ``ptype.property=value`` likewise, the value being a plain token (see :func:`_plain_property`).
_PLAIN_PROPERTY = re.compile(r"[ \t\r\n]*([^ \t\r\n=;(\"/]+)[ \t\r\n]*=[ \t\r\n]*([^ \t\r\n;(\"]*)")


def _plain_property(text: str, pos: int) -> re.Match[str] | None:
    """A :data:`_PLAIN_PROPERTY` match at ``pos`` that reads what :meth:`_Reader.value` would, else ``None``.

    Not when a quoted string follows the token (``foo"bar"@x`` is glued together), nor when the
    value is empty and a comment or quoted string follows (the reader would skip the comment or
    read the quoted string).
    """
    found = _PLAIN_PROPERTY.match(text, pos)
    if found is None:
        return None
    after = text[found.end() : found.end() + 1]
    if after == '"' or (after == "(" and not found.group(2)):
        return None
    return found


def _resinfo(reader: _Reader, plain: re.Match[str] | None) -> AuthResult | None:
    """Read one resinfo after its ``;`` (or at the start, when the authserv-id is missing).

    ``plain`` is the :data:`_PLAIN_METHODSPEC` match at the cursor, if any.
    """
    text = reader.text
    method_version: str | None = None
    if plain is not None:
        reader.pos = plain.end()
        method, result = plain.group(1).lower(), plain.group(2).lower()
    else:
        reader.cfws()
        start = reader.pos
        method = reader.key().lower()
        reader.cfws()
        if reader.peek() == "/":
            reader.pos += 1
            reader.cfws()
            method_version = reader.key()
            reader.cfws()
        if reader.peek() != "=":
            if method == "none" and reader.at_end:
                return None
            skipped = reader.text[start : reader.pos] + reader.skip_to_semicolon()
            if method or skipped:
                reader.defects.append(Defect("authres.syntax", f"not a method=result: {skipped[:60]!r}"))
            reader.take_comments()
            return None
        reader.pos += 1
        reader.cfws()
        result = reader.key().lower()
        if not method or not result:
            reader.defects.append(
                Defect("authres.syntax", f"empty method or result near {reader.text[start : start + 40]!r}")
            )
    _check_words(method, result, reader.defects)
    properties = _Properties()
    while True:
        plain_property = _plain_property(text, reader.pos)
        if plain_property is not None:
            reader.pos = plain_property.end()
            key, value = plain_property.group(1, 2)
        else:
            reader.cfws()
            if reader.at_end or reader.peek() == ";":
                break
            word_start = reader.pos
            key = reader.key()
            reader.cfws()
            if not key or reader.peek() != "=":
                skipped = reader.text[word_start : reader.pos] + reader.skip_to_semicolon()
                reader.defects.append(Defect("authres.syntax", f"{method}: not a property: {skipped[:60]!r}"))
                break
            reader.pos += 1
            reader.cfws()
            value = reader.value()
        properties.add(method, key, value, reader.defects)
    return properties.result(method, method_version, result, reader.take_comments())


def _check_words(method: str, result: str, defects: list[Defect]) -> None:
    """``authres.method_unknown`` / ``authres.result_unknown`` for words outside the IANA registries."""
    if method and method not in KNOWN_METHODS and not method.startswith("x-"):
        defects.append(Defect("authres.method_unknown", f"method {method[:40]!r} is not registered"))
    if result and result not in KNOWN_RESULTS:
        defects.append(Defect("authres.result_unknown", f"{method[:40]}={result[:40]}: unknown result word"))


class _Properties:
    """The ``reason`` and ``ptype.property=value`` items of one resinfo, as both readers collect them."""

    __slots__ = ("dropped", "items", "reason")

    def __init__(self) -> None:
        self.reason: str | None = None
        self.items: list[tuple[str, str, str]] = []
        self.dropped = False

    def add(self, method: str, key: str, value: str, defects: list[Defect]) -> None:
        lowered = key.lower()
        if lowered == "reason" and self.reason is None:
            self.reason = value
            return
        ptype, dot, name = lowered.partition(".")
        if not dot:
            defects.append(
                Defect("authres.property_no_ptype", f"{method}: {lowered[:40]}= has no ptype (ptype.property)")
            )
            ptype, name = "", lowered
        if len(self.items) < MAX_PROPERTIES:
            self.items.append((ptype, name, value))
        elif not self.dropped:
            self.dropped = True
            defects.append(Defect("authres.syntax", f"{method}: more than {MAX_PROPERTIES} properties"))

    def result(self, method: str, method_version: str | None, result: str, comments: tuple[str, ...]) -> AuthResult:
        # ``AuthResult(...)`` by its positional maker (the frozen ``__init__`` calls a slot descriptor per
        # field, at about 800 instructions each; there is one result per resinfo)
        return _make_auth_result(method, method_version, result, self.reason, tuple(self.items), comments)


#: ``AuthResult(...)`` with every field given positionally (:func:`mailtrace.model.frozen.fast_maker`).
_make_auth_result: Callable[
    [str, str | None, str, str | None, tuple[tuple[str, str, str], ...], tuple[str, ...]], AuthResult
] = fast_maker(AuthResult)


#: The whole-payload fast path (:func:`_parse_plain_payload`) reads payloads made only of the pieces
#: below, separated by white space: an authserv-id token with an optional version, then resinfos
#: ``; method=result`` each followed by flat comments and ``ptype.property=value`` properties (the value a
#: token or a flat quoted string). These are the pieces the step-by-step reader reads with no defect
#: but the per-word ones; anything else (comments around the id or the ``=``, ``/version``, ``none``,
#: nested comments, quoted-pairs, a quoted string glued to a token, an empty value before a comment)
#: fails the match and goes to the reader. The word class is that of :meth:`_Reader.key` and of
#: :data:`_PLAIN_METHODSPEC`, the value classes those of :meth:`_Reader.value`. Possessive quantifiers over
#: pieces whose first characters differ: linear, no backtracking.
_W = r"[ \t\r\n]*+"
_WORD = r"[^ \t\r\n=;(\"/]++"
_SEMI_METHODSPEC = rf"{_W};{_W}({_WORD}){_W}={_W}({_WORD})"
_FLAT_COMMENT = rf"{_W}\(([^()\\]*+)\)"
#: A token value, possibly empty, not followed by ``"`` (the reader would glue the quoted string on) nor by
#: ``(`` (after an empty value the reader would skip the comment and read the next word; a token glued to a
#: comment is rare and left to the reader too); or a flat quoted
#: string followed by white space, ``;``, ``(`` or the end (nothing glued on).
_PROPERTY = rf"{_W}({_WORD}){_W}={_W}(?:([^ \t\r\n;(\"]*+)(?![\"(])|\"([^\"\\]*+)\"(?![^ \t\r\n;(]))"
#: authserv-id and optional version; the first resinfo must follow with ``;``.
_PLAIN_HEAD = re.compile(rf"{_W}({_WORD})(?:[ \t\r\n]++([0-9]{{1,6}}))?+")
#: The first resinfo of a payload without authserv-id (Microsoft 365): ``method=result`` at the start.
_PLAIN_FIRST = re.compile(rf"{_W}({_WORD}){_W}={_W}({_WORD})")
#: The pieces that may follow the head (or the first methodspec, without authserv-id), one per
#: ``findall`` item: ``; method=result`` (groups 1-2), a flat comment with its parentheses (3), a
#: property (4-6: key, token, quoted), an optional trailing ``;`` with white space at the end of the
#: text (no group: an item with every group empty), and at the first place where none of these
#: starts, the rest of the text (7), which declines the text. The pieces start with different
#: characters after the white space, and every quantifier is possessive, so ``findall`` reads the
#: text in the pieces a full match of their sequence would: linear, one pass.
_PLAIN_PIECES = re.compile(rf"{_SEMI_METHODSPEC}|{_W}(\([^()\\]*+\))|{_PROPERTY}|(?:{_W};)?+{_W}\Z|(?s:(.+))")


def _plain_pieces(text: str, pos: int, first: tuple[str, str] | None) -> list[tuple[str, ...]] | None:
    """The pieces of ``text[pos:]`` (:data:`_PLAIN_PIECES`) when they are resinfos as the whole-payload
    fast path reads them, else ``None``: with ``first`` (the methodspec read before ``pos``, no
    authserv-id) any sequence of pieces; without it, one that starts with ``; method=result``."""
    pieces: list[tuple[str, ...]] = [] if first is None else [(*first, "", "", "", "", "")]
    for piece in _PLAIN_PIECES.findall(text, pos):
        if piece[6]:
            return None  # something that is not a plain piece
        if piece[0] or piece[2] or piece[3]:
            if not pieces and not piece[0]:
                return None  # a comment or property before the first resinfo
            pieces.append(piece)
    return pieces or None


#: What :func:`read_payload` returns: the fields of a :class:`Payload`, in order.
PayloadParts = tuple[str | None, int | None, tuple[AuthResult, ...], tuple[Defect, ...]]


def _parse_plain_payload(text: str) -> PayloadParts | None:
    """The payload when ``text`` is made only of the plain pieces above, else ``None`` (use the reader).

    Reads what :func:`parse_payload`'s reader reads, in one ``findall`` over the resinfos.
    """
    defects: list[Defect] = []
    authserv_id: str | None = None
    version: int | None = None
    head = _PLAIN_HEAD.match(text)
    pieces = None if head is None else _plain_pieces(text, head.end(), None)
    if head is not None and pieces is not None:
        authserv_id, digits = head.group(1, 2)
        if digits is not None:
            version = int(digits)
            if version != 1:
                defects.append(Defect("authres.version", f"version {version}, only 1 is defined"))
    else:
        first = _PLAIN_FIRST.match(text)
        if first is None:
            return None
        pieces = _plain_pieces(text, first.end(), (first.group(1), first.group(2)))
        if pieces is None:
            return None
        defects.append(Defect("authres.no_authserv_id", "no authserv-id before the first result"))
    results: list[AuthResult] = []
    method = result = ""
    properties = _Properties()
    comments: list[str] = []
    for new_method, new_result, comment, key, token, quoted, _ in pieces:
        if new_method:
            if method:
                results.append(properties.result(method, None, result, tuple(comments)))
                properties, comments = _Properties(), []
            method, result = new_method.lower(), new_result.lower()
            _check_words(method, result, defects)
        elif key:
            properties.add(method, key, token or quoted, defects)
        else:
            comments.append(comment[1:-1].strip())
    results.append(properties.result(method, None, result, tuple(comments)))
    # The reader counts each ';'-separated piece (a trailing ';' too) and stops past MAX_RESULTS.
    if len(results) + 2 > MAX_RESULTS:
        return None
    return authserv_id, version, tuple(results), cap_defects(defects, "authres")


def parse_payload(text: str) -> Payload:
    """Parse an authres-payload (the value after the field name); never raises."""
    authserv_id, version, results, defects = read_payload(text)
    return Payload(authserv_id=authserv_id, version=version, results=results, defects=defects)


def read_payload(text: str) -> PayloadParts:
    """:func:`parse_payload` as a plain tuple ``(authserv_id, version, results, defects)``, for the parsers."""
    plain_payload = _parse_plain_payload(text)
    if plain_payload is not None:
        return plain_payload
    reader = _Reader(text)
    reader.cfws()
    reader.take_comments()
    authserv_id: str | None = None
    version: int | None = None
    if reader.at_end:
        reader.defects.append(Defect("authres.empty", "the header is empty"))
        return None, None, (), tuple(reader.defects)
    if reader.peek() == ";" or _looks_like_resinfo(reader):
        reader.defects.append(Defect("authres.no_authserv_id", "no authserv-id before the first result"))
        resinfo_first = reader.peek() != ";"
    else:
        authserv_id = reader.value()
        reader.cfws()
        if reader.peek().isdigit():
            word = reader.key()
            if word.isascii() and word.isdigit() and len(word) <= 6:
                version = int(word)
                if version != 1:
                    reader.defects.append(Defect("authres.version", f"version {version}, only 1 is defined"))
            else:
                reader.defects.append(Defect("authres.syntax", f"bad version after the authserv-id: {word[:20]!r}"))
            reader.cfws()
        reader.take_comments()
        resinfo_first = False
        if not reader.at_end and reader.peek() != ";":
            skipped = reader.skip_to_semicolon()
            reader.defects.append(Defect("authres.syntax", f"unexpected text after the authserv-id: {skipped[:60]!r}"))
    results: list[AuthResult] = []
    saw_none = False
    segments = 0
    while not reader.at_end:
        if resinfo_first:
            resinfo_first = False
        elif reader.peek() == ";":
            reader.pos += 1
        else:  # pragma: no cover - every path leaves the cursor on ';' or at the end
            reader.pos += 1
            continue
        segments += 1
        if segments > MAX_RESULTS:
            reader.defects.append(
                Defect(
                    "authres.too_many_results", f"more than {MAX_RESULTS} ';'-separated pieces; the rest are ignored"
                )
            )
            break
        # A plain "method=result" ahead cannot be "none" (after "none" comes "=", not ";").
        plain = _PLAIN_METHODSPEC.match(reader.text, reader.pos)
        if plain is None and _is_none(reader):
            saw_none = True
            continue
        found = _resinfo(reader, plain)
        if found is not None:
            results.append(found)
    if saw_none and results:
        reader.defects.append(Defect("authres.syntax", "'none' mixed with results"))
    if not results and not saw_none:
        reader.defects.append(Defect("authres.syntax", "no result and no 'none'"))
    return authserv_id, version, tuple(results), cap_defects(reader.defects, "authres")


#: ``AuthenticationResults(...)`` with every field given positionally, in field order (header_index,
#: name, authserv_id, version, results, instance, defects), by :func:`mailtrace.model.frozen.fast_maker`.
make_authentication_results: Callable[
    [int, str, str | None, int | None, tuple[AuthResult, ...], int | None, tuple[Defect, ...]], AuthenticationResults
] = fast_maker(AuthenticationResults)


def parse_authentication_results(field: HeaderField) -> AuthenticationResults:
    """Parse one ``Authentication-Results`` field; never raises."""
    authserv_id, version, results, defects = read_payload(field.value)
    return make_authentication_results(field.index, field.name, authserv_id, version, results, None, defects)
