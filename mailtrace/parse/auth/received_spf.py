"""``Received-SPF`` fields (RFC 7208 section 9.1), parsed, not re-evaluated.

::

    header-field   = "Received-SPF:" [CFWS] result FWS [comment FWS] [ key-value-list ] CRLF
    result         = "pass" / "fail" / "softfail" / "policy" / "neutral" / "none" / "temperror" / "permerror"
    key-value-list = key-value-pair *( ";" [CFWS] key-value-pair ) [";"]
    key-value-pair = key [CFWS] "=" ( dot-atom / quoted-string )
    key            = "client-ip" / "envelope-from" / "helo" / "problem" / "receiver" / "identity" / "mechanism" / name

Tolerated as written, with defects: a result word in any case (``None``),
the RFC 4408 words ``error`` / ``unknown`` and anything else
(``received_spf.result_unknown``), pairs separated by white space instead of
``;`` (``received_spf.syntax``), a repeated key (``received_spf.key_duplicate``,
the first one is used), an open comment or quoted string
(``received_spf.unterminated``), an empty field (``received_spf.empty``).
The first comment is kept in ``comment``; every pair is kept in ``pairs``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mailtrace.defects import Defect, defects_to_list
from mailtrace.model.fields import HeaderField
from mailtrace.model.frozen import fast_init, fast_maker
from mailtrace.parse.auth._scan import cap_defects, read_quoted, read_until, skip_cfws

KNOWN_RESULTS = frozenset({"pass", "fail", "softfail", "policy", "neutral", "none", "temperror", "permerror"})
#: Pairs kept per field.
MAX_PAIRS = 64


@dataclass(frozen=True, slots=True, kw_only=True)
class ReceivedSPF:
    """One ``Received-SPF`` field: the result word (lower-cased), the comment, the key=value pairs.

    The named attributes are the first value of the RFC 7208 keys; ``pairs``
    keeps every pair in order with its key lower-cased.
    """

    header_index: int
    result: str | None
    comment: str | None
    client_ip: str | None
    envelope_from: str | None
    helo: str | None
    receiver: str | None
    identity: str | None
    mechanism: str | None
    problem: str | None
    pairs: tuple[tuple[str, str], ...]
    defects: tuple[Defect, ...] = ()

    def get(self, key: str) -> str | None:
        """The first value of ``key`` (case-insensitive), or ``None``."""
        key = key.lower()
        return next((v for k, v in self.pairs if k == key), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "header_index": self.header_index,
            "result": self.result,
            "comment": self.comment,
            "client_ip": self.client_ip,
            "envelope_from": self.envelope_from,
            "helo": self.helo,
            "receiver": self.receiver,
            "identity": self.identity,
            "mechanism": self.mechanism,
            "problem": self.problem,
            "pairs": [list(pair) for pair in self.pairs],
            "defects": defects_to_list(self.defects),
        }


fast_init(ReceivedSPF)


#: The usual field, read in two C-level passes by :func:`_parse_plain`: the result word, an optional
#: flat comment, then ``key=value`` pairs each followed by ``;`` or the end (several ``;`` and white
#: space allowed), the value a token or a flat quoted string; white space only between the pieces.
#: The classes are those of the step-by-step reading below (a word or key runs up to white space or
#: ``;(="``, a token value up to white space or ``;(``), so a match reads what it reads; anything else
#: (comments elsewhere, quoted-pairs, pairs not separated by ``;``, an empty field) goes to it.
#: Possessive quantifiers over pieces whose first characters differ: linear.
_PLAIN_HEAD = re.compile(r"[ \t\r\n]*+([^ \t\r\n;(=\"]++)[ \t\r\n]*+(?:\(([^()\\]*+)\)[ \t\r\n]*+)?+")
_PAIR = r"[^ \t\r\n;(=\"]++[ \t\r\n]*+=[ \t\r\n]*+(?:\"[^\"\\]*+\"|(?!\")[^ \t\r\n;(]*+)[ \t\r\n]*+"
_PLAIN_PAIRS = re.compile(rf"(?:;[ \t\r\n]*+)*+(?:{_PAIR}(?:(?:;[ \t\r\n]*+)++{_PAIR})*+(?:;[ \t\r\n]*+)*+)?+")
#: One pair of a text that matched the above: key, quoted value, token value. The text between two
#: pairs is white space and ``;``, where no key starts, so ``findall`` finds the pairs the match read.
_PLAIN_PAIR = re.compile(r"([^ \t\r\n;(=\"]++)[ \t\r\n]*+=[ \t\r\n]*+(?:\"([^\"\\]*+)\"|(?!\")([^ \t\r\n;(]*+))")


def _parse_plain(field: HeaderField, text: str) -> ReceivedSPF | None:
    """The field when its value is made only of the plain pieces above, else ``None``."""
    head = _PLAIN_HEAD.match(text)
    if head is None or _PLAIN_PAIRS.fullmatch(text, head.end()) is None:
        return None
    found = _PLAIN_PAIR.findall(text, head.end())
    if len(found) > MAX_PAIRS:
        return None
    word, comment = head.group(1, 2)
    result = word.lower()
    defects: list[Defect] = []
    if result not in KNOWN_RESULTS:
        defects.append(Defect("received_spf.result_unknown", f"unknown result word {word[:40]!r}"))
    pairs: list[tuple[str, str]] = []
    seen: set[str] = set()
    for key, quoted, token in found:
        key = key.lower()
        if key in seen:
            defects.append(Defect("received_spf.key_duplicate", f"{key[:40]}= appears more than once"))
        seen.add(key)
        pairs.append((key, quoted or token))
    return _build(field, result, None if comment is None else comment.strip(), pairs, defects)


def parse_received_spf(field: HeaderField) -> ReceivedSPF:
    """Parse one ``Received-SPF`` field; never raises."""
    text = field.value
    plain = _parse_plain(field, text)
    if plain is not None:
        return plain
    defects: list[Defect] = []
    comments: list[str] = []
    unterminated = False

    def cfws(pos: int) -> int:
        nonlocal unterminated
        pos, closed = skip_cfws(text, pos, comments)
        if not closed and not unterminated:
            unterminated = True
            defects.append(Defect("received_spf.unterminated", "a comment is never closed"))
        return pos

    pos = cfws(0)
    pos, word = read_until(text, pos, ';(="')
    result: str | None = word.lower() or None
    if result is None:
        defects.append(Defect("received_spf.empty" if not text.strip() else "received_spf.syntax", "no result word"))
    elif result not in KNOWN_RESULTS:
        defects.append(Defect("received_spf.result_unknown", f"unknown result word {word[:40]!r}"))
    pos = cfws(pos)
    comment = comments[0] if comments else None
    pairs: list[tuple[str, str]] = []
    seen: set[str] = set()
    separated = True
    while pos < len(text):
        if text[pos] == ";":
            separated = True
            pos = cfws(pos + 1)
            continue
        start = pos
        pos, key = read_until(text, pos, ';(="')
        pos = cfws(pos)
        if not key or pos >= len(text) or text[pos] != "=":
            skip = pos if pos > start else pos + 1
            defects.append(Defect("received_spf.syntax", f"not a key=value pair: {text[start : skip + 20][:40]!r}"))
            pos = text.find(";", skip)
            pos = len(text) if pos < 0 else pos
            continue
        pos = cfws(pos + 1)
        if pos < len(text) and text[pos] == '"':
            pos, value, closed = read_quoted(text, pos)
            if not closed and not unterminated:
                unterminated = True
                defects.append(Defect("received_spf.unterminated", "a quoted string is never closed"))
        else:
            pos, value = read_until(text, pos, ";(")
        pos = cfws(pos)
        key = key.lower()
        if not separated:
            defects.append(Defect("received_spf.syntax", f"{key[:40]}= not separated from the previous pair by ';'"))
        separated = False
        if key in seen:
            defects.append(Defect("received_spf.key_duplicate", f"{key[:40]}= appears more than once"))
        seen.add(key)
        if len(pairs) >= MAX_PAIRS:
            defects.append(Defect("received_spf.syntax", f"more than {MAX_PAIRS} pairs; the rest are ignored"))
            break
        pairs.append((key, value))
    return _build(field, result, comment, pairs, defects)


def _build(
    field: HeaderField, result: str | None, comment: str | None, pairs: list[tuple[str, str]], defects: list[Defect]
) -> ReceivedSPF:
    first: dict[str, str] = {}
    for key, value in pairs:
        first.setdefault(key, value)
    # ``ReceivedSPF(...)`` by its positional maker (the frozen ``__init__`` calls a slot descriptor per field)
    return _make_received_spf(
        field.index,
        result,
        comment,
        first.get("client-ip"),
        first.get("envelope-from"),
        first.get("helo"),
        first.get("receiver"),
        first.get("identity"),
        first.get("mechanism"),
        first.get("problem"),
        tuple(pairs),
        cap_defects(defects, "received_spf"),
    )


#: ``ReceivedSPF(...)`` with every field given positionally, in field order (:func:`mailtrace.model.frozen.fast_maker`).
_make_received_spf: Callable[..., ReceivedSPF] = fast_maker(ReceivedSPF)
