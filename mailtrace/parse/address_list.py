"""The general reader of RFC 5322 address lists: bounded, linear, never recursive.

``email.utils.getaddresses`` (``email._parseaddr``) recurses once per group (``a:``) and
per nested comment, so about 1,000 nested ``a:`` raise ``RecursionError``, and it builds
group lists by repeated concatenation. :func:`read_address_list` reads the same
``(display name, addr-spec)`` pairs as that parser does (it is a port of its reading,
compared on the corpus by ``tests/parse/test_address_list.py``), with three differences
that only hostile input sees:

* groups are flattened: ``a: b: x@y;;`` is read as one group holding ``x@y`` (a ``:``
  opens one more level, a ``;`` closes one), with no recursion;
* nested comments are counted, not recursed into;
* every step moves forward through the text (atoms, white space and quoted strings are
  read with C-level searches), so the time is linear in the length.

The result is a list of pairs; empty pairs (between two commas) are left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_SPECIALS = '()<>@,:;."[]'
_ATOMENDS = _SPECIALS + " \t\r\n"
_PHRASEENDS = _ATOMENDS.replace(".", "")
_ATOM = re.compile(r'[^()<>@,:;."\[\] \t\r\n]*+')
_PHRASE_ATOM = re.compile(r'[^()<>@,:;"\[\] \t\r\n]*+')
_WHITE = re.compile(r"[ \t\r\n]*+")
#: Runs of characters inside a quoted string, a domain literal or a comment: anything but the
#: closing characters (and "(" in a comment), a backslash quoting the character after it.
_RUNS = {
    '"\r': re.compile(r'(?:[^"\r\\]++|\\.)*+', re.DOTALL),
    "]\r": re.compile(r"(?:[^\]\r\\]++|\\.)*+", re.DOTALL),
    ")\r": re.compile(r"(?:[^()\r\\]++|\\.)*+", re.DOTALL),
}


def _unquote(text: str) -> str:
    """``text`` with each quoted pair (backslash and a character) replaced by the character."""
    out: list[str] = []
    start = 0
    while (slash := text.find("\\", start)) >= 0:
        out.append(text[start:slash])
        out.append(text[slash + 1 : slash + 2])
        start = slash + 2
    out.append(text[start:])
    return "".join(out)


class _Reader:
    """One pass over ``text``; ``pos`` only moves forward (a mailbox is re-read once at most)."""

    __slots__ = ("comments", "n", "pos", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.n = len(text)
        self.pos = 0
        self.comments: list[str] = []

    def char(self) -> str:
        return self.text[self.pos] if self.pos < self.n else ""

    def skip(self) -> str:
        """White space and comments (kept in ``comments``); returns the blanks and tabs seen."""
        blanks: list[str] = []
        while self.pos < self.n:
            found = _WHITE.match(self.text, self.pos)
            assert found is not None  # the pattern matches the empty string
            if found.end() > self.pos:
                blanks.append(found.group().replace("\r", "").replace("\n", ""))
                self.pos = found.end()
            elif self.text[self.pos] == "(":
                self.comments.append(self.delimited(")\r", comments=True))
            else:
                break
        return "".join(blanks)

    def delimited(self, ends: str, *, comments: bool = False) -> str:
        """The text after the opening character at ``pos`` up to one of ``ends`` (quoted pairs read).

        With ``comments``, nested ``(...)`` are read at any depth with a counter: their text is
        kept, their parentheses dropped, as the stdlib parser does. Runs of plain characters are
        read by one C-level match each.
        """
        text, n = self.text, self.n
        run = _RUNS[ends]
        out: list[str] = []
        depth = 1
        pos = self.pos + 1
        while pos < n:
            found = run.match(text, pos)
            assert found is not None  # the pattern matches the empty string
            piece = found.group()
            out.append(_unquote(piece) if "\\" in piece else piece)
            pos = found.end()
            if pos >= n:
                break
            char = text[pos]
            pos += 1
            if char == "\\":  # a backslash as the last character: nothing to quote
                break
            if char == "(":
                depth += 1
            elif depth == 1 or not comments:
                break
            else:
                depth -= 1
        self.pos = min(pos, n)
        return "".join(out)

    def atom(self, pattern: re.Pattern[str]) -> str:
        found = pattern.match(self.text, self.pos)
        assert found is not None
        self.pos = found.end()
        return found.group()

    def phrase(self) -> list[str]:
        words: list[str] = []
        while self.pos < self.n:
            char = self.text[self.pos]
            if char in " \t\r\n":
                self.pos = _WHITE.match(self.text, self.pos).end()  # type: ignore[union-attr]
            elif char == '"':
                words.append(self.delimited('"\r'))
            elif char == "(":
                self.comments.append(self.delimited(")\r", comments=True))
            elif char in _PHRASEENDS:
                break
            else:
                words.append(self.atom(_PHRASE_ATOM))
        return words

    def domain(self) -> str:
        parts: list[str] = []
        while self.pos < self.n:
            char = self.text[self.pos]
            if char in " \t":
                self.pos += 1
            elif char == "(":
                self.comments.append(self.delimited(")\r", comments=True))
            elif char == "[":
                parts.append("[" + self.delimited("]\r") + "]")
            elif char == ".":
                self.pos += 1
                parts.append(".")
            elif char == "@":
                return ""  # a@b@c: no address (as the stdlib parser since bpo-34155)
            elif char in _ATOMENDS:
                break
            else:
                parts.append(self.atom(_ATOM))
        return "".join(parts)

    def addr_spec(self) -> str:
        parts: list[str] = []
        self.skip()
        while self.pos < self.n:
            keep_blanks = True
            char = self.text[self.pos]
            if char == ".":
                if parts and not parts[-1].strip():
                    parts.pop()
                parts.append(".")
                self.pos += 1
                keep_blanks = False
            elif char == '"':
                quoted = self.delimited('"\r').replace("\\", "\\\\").replace('"', '\\"')
                parts.append(f'"{quoted}"')
            elif char in _ATOMENDS:
                if parts and not parts[-1].strip():
                    parts.pop()
                break
            else:
                parts.append(self.atom(_ATOM))
            blanks = self.skip()
            if keep_blanks and blanks:
                parts.append(blanks)
        if self.char() != "@":
            return "".join(parts)
        parts.append("@")
        self.pos += 1
        self.skip()
        domain = self.domain()
        return "".join(parts) + domain if domain else ""

    def route_addr(self) -> str:
        """``<[@route,...:]addr-spec>``: the addr-spec (the route is skipped)."""
        self.pos += 1
        self.skip()
        route = False
        while self.pos < self.n:
            char = self.text[self.pos]
            if route:
                self.domain()
                route = False
            elif char == ">":
                self.pos += 1
                break
            elif char == "@":
                self.pos += 1
                route = True
            elif char == ":":
                self.pos += 1
            else:
                spec = self.addr_spec()
                self.pos += 1
                return spec
            self.skip()
        return ""


def read_address_list(text: str, stop: Callable[[], bool] | None = None) -> tuple[list[tuple[str, str]], bool]:
    """The ``(display name, addr-spec)`` pairs of an address list, as ``email.utils.getaddresses`` reads them.

    ``stop`` is asked before the first item and every 64 items (a time budget); when it says yes, reading stops and the
    second value is ``False`` (the list was not read to its end).
    """
    reader = _Reader(text)
    out: list[tuple[str, str]] = []
    depth = 0  # open groups
    items = 0
    while reader.pos < reader.n:
        items += 1
        if stop is not None and items % 64 == 1 and stop():
            return [pair for pair in out if pair != ("", "")], False
        if depth:
            reader.skip()  # inside a group, comments before a mailbox are not its own (as the stdlib's)
        reader.comments = []
        reader.skip()
        char = reader.char()
        if char == ";" and depth:
            depth -= 1
            reader.pos += 1
        elif char:
            start, comments = reader.pos, reader.comments
            words = reader.phrase()
            reader.skip()
            char = reader.char()
            if not char:
                if words:
                    out.append((" ".join(comments), words[0]))
            elif char in ".@":
                reader.pos = start  # a bare addr-spec: read it again as one
                spec = reader.addr_spec()
                out.append((" ".join(reader.comments), spec))
            elif char == ":":
                reader.pos += 1
                depth += 1
                continue
            elif char == "<":
                spec = reader.route_addr()
                name = " ".join(words)
                if reader.comments:
                    name += f" ({' '.join(reader.comments)})"
                out.append((name, spec))
            elif words:
                out.append((" ".join(reader.comments), words[0]))
            elif char in _SPECIALS:
                reader.pos += 1
        reader.skip()
        if reader.char() == ",":
            reader.pos += 1
    return [pair for pair in out if pair != ("", "")], True
