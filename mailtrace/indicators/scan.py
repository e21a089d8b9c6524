"""Finding URLs, e-mail addresses and IP addresses in decoded text, in linear time.

Every pattern here is a run of one character class with a bounded length, or
is anchored on a literal (``://``, ``www.``, ``@``) and expanded by a bounded
match on either side: no nested quantifiers, so a hostile body (a megabyte
line of ``a``) costs one pass. HTML goes through the standard library's
:class:`html.parser.HTMLParser`, fed in slices so the walk's time budget is
checked between them.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from typing import ClassVar

#: Longest URL kept (longer ones are cut here; browsers accept about 2 MB, reports need less).
MAX_URL = 2048
#: HTML is fed to the parser in slices of this many characters.
HTML_SLICE = 64 * 1024

_URL = re.compile(r"(?:(?:https?|ftp|hxxps?)://|www\.)[^\s<>\"'`\x00-\x20\x7f]{1,2048}", re.IGNORECASE)
_TRAIL = ".,;:!?)]}>'\"*"
_LOCAL_REVERSED = re.compile(r"[A-Za-z0-9._%+\-]{1,64}")
_DOMAIN = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.){1,10}[A-Za-z]{2,63}\b")
_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?!\.?\d)")
_CSS_URL = re.compile(r"""url\(\s*["']?([^"')\s]{1,2048})""", re.IGNORECASE)
#: ``@`` signs examined per text: a body of nothing but ``@`` stays cheap.
MAX_AT_SIGNS = 100_000


def urls_in(text: str) -> Iterator[str]:
    """URLs (``scheme://`` or ``www.``) in plain text, trailing punctuation trimmed."""
    for m in _URL.finditer(text):
        url = m.group(0)
        url = _trim(url)
        if len(url) > 8 or (url.lower().startswith("www.") and len(url) > 4):
            yield url


def _trim(url: str) -> str:
    while url and url[-1] in _TRAIL:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def emails_in(text: str) -> Iterator[str]:
    """Addresses found by their ``@``: at most 64 characters before, a domain name after."""
    pos = text.find("@")
    seen = 0
    while pos >= 0 and seen < MAX_AT_SIGNS:
        seen += 1
        left = _LOCAL_REVERSED.match(text[max(0, pos - 64) : pos][::-1])
        right = _DOMAIN.match(text, pos + 1)
        if left is not None and right is not None:
            local = left.group(0)[::-1].lstrip(".")
            if local:
                yield f"{local}@{right.group(0).lower()}"
        pos = text.find("@", pos + 1)


def ips_in(text: str) -> Iterator[str]:
    """Dotted-quad IPv4 addresses that parse (``999.1.1.1`` and version strings like ``1.2.3.4.5`` do not)."""
    for m in _IPV4.finditer(text):
        try:
            yield str(ipaddress.IPv4Address(m.group(0)))
        except ValueError:
            continue


class LinkParser(HTMLParser):
    """Collects link targets (``a``/``area`` ``href``, ``form`` ``action``, ``img`` ``src``, any
    ``background`` attribute, CSS ``url()`` in ``style`` attributes and elements) with the visible
    text of each ``<a>``, and the page's visible text (scripts and styles left out)."""

    _LINKS: ClassVar[dict[str, tuple[str, str]]] = {
        "a": ("href", "html_href"),
        "area": ("href", "html_href"),
        "form": ("action", "html_form"),
        "img": ("src", "html_src"),
    }

    def __init__(self, max_text: int) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str]] = []  #: (target, visible text, source)
        self.text: list[str] = []
        self._open: list[tuple[str, list[str]]] = []
        self._skip = 0
        self._style = False
        self._room = max_text

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
            self._style = tag == "style"
            return
        for name, value in attrs:  # what the client loads: background images, CSS url()
            if value and name == "background":
                self.links.append((value.strip()[:MAX_URL], "", "html_src"))
            elif value and name == "style":
                self._css(value)
        found = self._LINKS.get(tag)
        if found is None:
            return
        key, source = found
        target = next((v for k, v in attrs if k == key and v), None)
        if target is None:
            return
        if tag == "a":
            self._open.append((target.strip()[:MAX_URL], []))
            title = next((v for k, v in attrs if k == "title" and v), None)
            if title and self._room > 0:  # shown on hover: read like visible text
                self.text.append(" " + title[: self._room] + " ")
                self._room -= len(title)
        else:
            self.links.append((target.strip()[:MAX_URL], "", source))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
            self._style = False
        elif tag == "a" and self._open:
            target, parts = self._open.pop()
            self.links.append((target, " ".join("".join(parts).split())[:MAX_URL], "html_href"))

    def handle_data(self, data: str) -> None:
        if self._room <= 0:
            return
        if self._skip:
            if self._style:
                self._css(data[: self._room])
                self._room -= len(data)
            return
        data = data[: self._room]
        self._room -= len(data)
        self.text.append(data)
        if self._open:
            self._open[-1][1].append(data[:MAX_URL])

    def _css(self, css: str) -> None:
        for m in _CSS_URL.finditer(css):
            self.links.append((m.group(1)[:MAX_URL], "", "html_src"))

    def finish(self) -> None:
        self.close()
        while self._open:  # an <a> never closed still names its target
            target, parts = self._open.pop()
            self.links.append((target, " ".join("".join(parts).split())[:MAX_URL], "html_href"))


#: A ``<`` with no ``>`` within this many characters is text, not a tag (see :func:`defuse_tags`).
MAX_TAG = 2048


def defuse_tags(html: str) -> str:
    """``<`` written as ``&lt;`` where no ``>`` follows within :data:`MAX_TAG` characters.

    :class:`html.parser.HTMLParser` rescans from every ``<`` of an unclosed tag to the end of
    the text (``"<a href=" * 4000`` takes seconds, growing with the square of the length).
    One forward pass with ``str.find`` (the next ``>`` is found again only after it is passed)
    turns such ``<`` into text, so the parser's work stays linear.
    """
    out: list[str] = []
    last = 0
    gt = -2
    lt = html.find("<")
    while lt >= 0:
        if gt < lt and gt != -1:
            gt = html.find(">", lt)
        if gt == -1 or gt - lt > MAX_TAG:
            out.append(html[last:lt])
            out.append("&lt;")
            last = lt + 1
        lt = html.find("<", lt + 1)
    out.append(html[last:])
    return "".join(out)


#: Characters the parser may hold back unparsed (an unclosed tag, comment or quote) before the
#: rest of the page is read as plain text: ``HTMLParser.close`` rescans held text from every ``<``.
MAX_PENDING = 32 * 1024


def parse_html(html: str, late: Callable[[], bool]) -> tuple[LinkParser, bool, str]:
    """Feed ``html`` in slices; returns the parser, whether it was cut short (time budget, or a
    construct left open over :data:`MAX_PENDING` characters) and the unparsed tail, which the
    caller reads as plain text."""
    html = defuse_tags(html)
    parser = LinkParser(max_text=len(html))
    for i in range(0, len(html), HTML_SLICE):
        if late():
            return parser, True, ""
        try:
            parser.feed(html[i : i + HTML_SLICE])
        except Exception:  # html.parser raises only on programmer errors; keep what was found
            return parser, True, ""
        pending = getattr(parser, "rawdata", "")
        if len(pending) > MAX_PENDING:
            return parser, True, pending + html[i + HTML_SLICE :]
    try:
        parser.finish()
    except Exception:
        return parser, True, ""
    return parser, False, ""
