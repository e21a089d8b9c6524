"""The indicators of one message and their JSON form (``indicators`` key, ``docs/indicators.md``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mailtrace.defects import Defect, defects_to_list


@dataclass(frozen=True, slots=True, kw_only=True)
class IndicatorOptions:
    """How indicators are extracted and shown; ``defang`` writes ``hxxp://example[.]com``."""

    defang: bool = False


def defang_url(url: str) -> str:
    """``http://a.example/x`` -> ``hxxp://a[.]example/x``: the scheme and the host's dots, the path untouched."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        scheme, rest = "", url
    host_end = min((i for i in (rest.find("/"), rest.find("?"), rest.find("#")) if i >= 0), default=len(rest))
    host = rest[:host_end].replace(".", "[.]")
    lowered = scheme.lower()
    if lowered.startswith("http"):
        scheme = "hxxp" + scheme[4:]
    elif lowered == "ftp":
        scheme = "fxp"
    return f"{scheme}://{host}{rest[host_end:]}" if sep else f"{host}{rest[host_end:]}"


def defang_text(text: str) -> str:
    """Every URL in ``text`` defanged (a link's visible text can itself be a URL)."""
    from mailtrace.indicators.scan import urls_in

    for url in set(urls_in(text)):
        text = text.replace(url, defang_url(url))
    return text


def defang_host(text: str) -> str:
    """Dots as ``[.]`` and ``@`` as ``[@]``: a domain, an address or an IP that no client will follow."""
    return text.replace(".", "[.]").replace("@", "[@]")


@dataclass(slots=True)
class Url:
    url: str
    host: str | None
    domain: str | None  #: organisational domain (Public Suffix List), or ``None``
    #: ``text`` (a plain-text part), ``html_href`` (``<a>``/``<area>``), ``html_form`` (``<form action>``),
    #: ``html_src`` (``<img src>``), ``html_text`` (an HTML part's visible text)
    sources: list[str] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    link_text: str | None = None  #: the visible text of an ``<a>`` whose text names another host
    shown_host: str | None = None  #: the host the visible text names, when it differs from the target's

    def to_dict(self, defang: bool) -> dict[str, Any]:
        return {
            "url": defang_url(self.url) if defang else self.url,
            "host": None if self.host is None else (defang_host(self.host) if defang else self.host),
            "domain": None if self.domain is None else (defang_host(self.domain) if defang else self.domain),
            "sources": self.sources,
            "parts": self.parts,
            "text_mismatch": self.shown_host is not None,
            "link_text": defang_text(self.link_text) if defang and self.link_text else self.link_text,
            "shown_host": None
            if self.shown_host is None
            else (defang_host(self.shown_host) if defang else self.shown_host),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Attachment:
    part: str
    filename: str | None
    declared_type: str
    sniffed_type: str | None
    kind: str  #: ``message`` (nested, not opened), ``archive`` (not opened), ``executable``, ``document``, ...
    disposition: str | None
    size: int
    sha256: str | None  #: ``None`` when the part was not decoded (decoded-bytes limit)

    def to_dict(self) -> dict[str, Any]:
        return {
            "part": self.part,
            "filename": self.filename,
            "declared_type": self.declared_type,
            "sniffed_type": self.sniffed_type,
            "type_mismatch": self.sniffed_type is not None and _mismatch(self.declared_type, self.sniffed_type),
            "kind": self.kind,
            "disposition": self.disposition,
            "size": self.size,
            "sha256": self.sha256,
        }


def _mismatch(declared: str, sniffed: str) -> bool:
    if declared == sniffed or declared == "application/octet-stream" or sniffed == "application/octet-stream":
        return False
    if sniffed == "text/plain":  # plain text sniffs as text under many declared types (csv, calendar, ...)
        return not declared.startswith("text/")
    return declared.split("/")[0] != sniffed.split("/")[0] or sniffed in ("application/x-dosexec",)


@dataclass(frozen=True, slots=True, kw_only=True)
class Indicators:
    urls: tuple[Url, ...] = ()
    emails: tuple[str, ...] = ()
    ips: tuple[str, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    parts: int = 0
    decoded_bytes: int = 0
    defects: tuple[Defect, ...] = ()
    options: IndicatorOptions = IndicatorOptions()

    @property
    def domains(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for u in self.urls:
            if u.domain:
                seen.setdefault(u.domain, None)
        return tuple(seen)

    def to_dict(self) -> dict[str, Any]:
        d = self.options.defang
        return {
            "urls": [u.to_dict(d) for u in self.urls],
            "domains": [defang_host(x) if d else x for x in self.domains],
            "emails": [defang_host(x) if d else x for x in self.emails],
            "ips": [defang_host(x) if d else x for x in self.ips],
            "attachments": [a.to_dict() for a in self.attachments],
            "parts": self.parts,
            "decoded_bytes": self.decoded_bytes,
            "defanged": d,
            "defects": defects_to_list(self.defects),
        }
