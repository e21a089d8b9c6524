"""Indicators of one message: URLs and their domains, addresses, IPs and attachments.

Text parts (``text/plain``, ``text/html``) that are not attachments are read
for URLs, addresses and IPs; HTML link targets are kept beside their visible
text, and a link whose text names another organisation than its target is
marked (``text_mismatch``). Every other leaf part is an attachment: name,
declared and sniffed type, size and SHA-256. Nested messages
(``message/rfc822``) and archives are listed, never opened. Bounded by the
MIME walk's limits (:mod:`mailtrace.indicators.mime`) and
``Limits.max_indicators``.
"""

from __future__ import annotations

import codecs
import hashlib
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from mailtrace.defects import Defect
from mailtrace.indicators.mime import Part, walk
from mailtrace.indicators.model import Attachment, IndicatorOptions, Indicators, Url
from mailtrace.indicators.scan import emails_in, ips_in, parse_html, urls_in
from mailtrace.indicators.sniff import sniff
from mailtrace.limits import DEFAULT_LIMITS, Limits
from mailtrace.model.fields import Message
from mailtrace.trace.hosts import clean_host, org_domain

_WEB = ("http://", "https://", "ftp://", "hxxp://", "hxxps://")


class _Collector:
    def __init__(self, limits: Limits) -> None:
        self.limit = limits.max_indicators
        self.urls: dict[str, Url] = {}
        self.emails: dict[str, None] = {}
        self.ips: dict[str, None] = {}
        self.defects: list[Defect] = []
        self._full: set[str] = set()

    def _room(self, kind: str, size: int) -> bool:
        if size < self.limit:
            return True
        if kind not in self._full:
            self._full.add(kind)
            self.defects.append(Defect("indicators.too_many", f"more than {self.limit} {kind}; the rest not kept"))
        return False

    def url(self, raw: str, source: str, part: str, link_text: str | None = None) -> None:
        url = raw.strip()
        if url.lower().startswith("www."):
            url = "http://" + url
        elif url.startswith("//"):  # protocol-relative: the page's scheme, http for mail
            url = "http:" + url
        if not url.lower().startswith(_WEB):
            return
        entry = self.urls.get(url)
        if entry is None:
            if not self._room("urls", len(self.urls)):
                return
            host = _host(url)
            entry = self.urls[url] = Url(url=url, host=host, domain=org_domain(host))
        if source not in entry.sources:
            entry.sources.append(source)
        if part not in entry.parts:
            entry.parts.append(part)
        if link_text and entry.shown_host is None:
            shown = _shown_host(link_text)
            if shown is not None and org_domain(shown) != entry.domain and shown != entry.host:
                entry.shown_host, entry.link_text = shown, link_text

    def email(self, address: str) -> None:
        if address not in self.emails and self._room("addresses", len(self.emails)):
            self.emails[address] = None

    def ip(self, address: str) -> None:
        if address not in self.ips and self._room("IPs", len(self.ips)):
            self.ips[address] = None

    def text(self, text: str, source: str, part: str) -> None:
        for u in urls_in(text):
            self.url(u, source, part)
        for e in emails_in(text):
            self.email(e)
        for i in ips_in(text):
            self.ip(i)


def _host(url: str) -> str | None:
    try:
        return clean_host(urlsplit(url).hostname)
    except ValueError:
        return None


def _shown_host(text: str) -> str | None:
    """The host a link's visible text names: a URL in it, or the whole text when it is a domain name."""
    for u in urls_in(text):
        return _host(u if u.lower().startswith(_WEB) else "http://" + u)
    word = text.strip().rstrip("/").lower()
    if " " not in word and "." in word and org_domain(word) is not None:
        return clean_host(word)
    return None


def extract_indicators(
    message: Message,
    limits: Limits = DEFAULT_LIMITS,
    options: IndicatorOptions | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> Indicators:
    """Walk the message's MIME tree within ``limits``; never raises for bad mail."""
    options = options or IndicatorOptions()
    found = walk(message.raw, message.body_offset, limits, clock)
    deadline = clock() + limits.mime_time_budget
    out = _Collector(limits)
    attachments: list[Attachment] = []
    for part in found.parts:
        if _is_body_text(part):
            _read_text(part, out, lambda: clock() > deadline)
        else:
            attachments.append(_attachment(part))
    return Indicators(
        urls=tuple(out.urls.values()),
        emails=tuple(out.emails),
        ips=tuple(out.ips),
        attachments=tuple(attachments),
        parts=found.visited,
        decoded_bytes=sum(p.size for p in found.parts if p.data is not None),
        defects=(*found.defects, *out.defects),
        options=options,
    )


def _is_body_text(part: Part) -> bool:
    return part.content_type in ("text/plain", "text/html") and part.disposition != "attachment" and not part.filename


def _read_text(part: Part, out: _Collector, late: Callable[[], bool]) -> None:
    if part.data is None:
        return
    text = _decode_text(part, out)
    if part.content_type == "text/plain":
        out.text(text, "text", part.path)
        return
    parser, cut, tail = parse_html(text, late)
    if cut:
        why = "an unclosed tag; the rest read as text" if tail else "out of time"
        out.defects.append(Defect("mime.html_cut", f"part {part.path}: HTML not parsed to the end ({why})"))
    if tail:
        out.text(tail, "html_text", part.path)
    for target, shown, source in parser.links:
        if target.lower().startswith("mailto:"):
            address = target[7:].split("?", 1)[0].strip()
            for e in emails_in(address):
                out.email(e)
            continue
        out.url(target, source, part.path, shown)
    out.text("\n".join(parser.text), "html_text", part.path)  # text nodes apart: "update" + "NOTE" stay two words


def _decode_text(part: Part, out: _Collector) -> str:
    data = part.data or b""
    charset = (part.charset or "utf-8").strip().lower()
    try:
        codecs.lookup(charset)
    except LookupError:
        out.defects.append(Defect("mime.unknown_charset", f"part {part.path}: charset {charset[:40]!r}; read as UTF-8"))
        charset = "utf-8"
    try:
        return data.decode(charset, "replace")
    except Exception:  # a codec that fails even with errors="replace"
        return data.decode("utf-8", "replace")


def _attachment(part: Part) -> Attachment:
    sniffed, kind = sniff(part.data)
    if part.content_type in ("message/rfc822", "message/global", "text/rfc822-headers"):
        kind = "message"
    return Attachment(
        part=part.path,
        filename=_clean_name(part.filename),
        declared_type=part.content_type,
        sniffed_type=sniffed,
        kind=kind,
        disposition=part.disposition,
        size=part.size,
        sha256=None if part.data is None else hashlib.sha256(part.data).hexdigest(),
    )


def _clean_name(name: str | None) -> str | None:
    """A file name with control characters dropped and its length capped (it reaches terminals and CSV)."""
    if name is None:
        return None
    return "".join(c for c in name[:255] if c.isprintable()) or None
