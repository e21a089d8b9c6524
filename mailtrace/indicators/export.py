"""Indicators as CSV rows (every cell safe to open) and as a STIX 2.1 bundle (the ``stix`` extra).

CSV: one row per indicator, columns :data:`CSV_COLUMNS`; cells go through
:func:`mailtrace.render.csv.csv_lines` (control characters visible, formula
starts neutralised).

STIX 2.1 through the maintained ``stix2`` package (``pip install
'mailtrace[stix]'``): an ``indicator`` per URL, domain and attachment hash
(STIX patterns such as ``[url:value = '...']``), the observables themselves
(``url``, ``domain-name``, ``email-addr``, ``ipv4-addr``, ``file``), in one
``bundle``. Identifiers are UUIDv5 over the content and every timestamp is
the message's arrival time (or the time given), so the same message gives
the same bundle.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from mailtrace.errors import ConfigurationError
from mailtrace.indicators.model import Indicators, defang_host, defang_url
from mailtrace.render.csv import csv_lines

CSV_COLUMNS = ("source", "type", "value", "domain", "context", "part", "sha256")
#: UUIDv5 namespace of mailtrace's STIX identifiers.
NAMESPACE = uuid.UUID("6f1b2c1e-4d8e-5b7a-9c3d-2e1f0a9b8c7d")


def csv_rows(source: str, ind: Indicators) -> list[list[object]]:
    d = ind.options.defang
    rows: list[list[object]] = []
    for u in ind.urls:
        context = "text differs: " + (u.link_text or "") if u.shown_host else "/".join(u.sources)
        url = defang_url(u.url) if d else u.url
        rows.append([source, "url", url, _h(u.domain, d), context, " ".join(u.parts), ""])
    for dom in ind.domains:
        rows.append([source, "domain", _h(dom, d), _h(dom, d), "", "", ""])
    for e in ind.emails:
        rows.append([source, "email", _h(e, d), "", "", "", ""])
    for ip in ind.ips:
        rows.append([source, "ip", _h(ip, d), "", "", "", ""])
    for a in ind.attachments:
        context = f"{a.kind}; declared {a.declared_type}; sniffed {a.sniffed_type or 'unknown'}; {a.size} bytes"
        rows.append([source, "attachment", a.filename or "", "", context, a.part, a.sha256 or ""])
    return rows


def _h(text: str | None, defang: bool) -> str:
    if not text:
        return ""
    return defang_host(text) if defang else text


def to_csv(items: Iterable[tuple[str, Indicators]], header: bool = True) -> str:
    rows: list[list[object]] = [list(CSV_COLUMNS)] if header else []
    for source, ind in items:
        rows += csv_rows(source, ind)
    return csv_lines(rows)


def _stix() -> Any:
    try:
        import stix2
    except ImportError:
        raise ConfigurationError("STIX output needs the stix2 package: pip install 'mailtrace[stix]'") from None
    return stix2


def _quote(value: str) -> str:
    """A STIX pattern string literal: backslash and quote escaped."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def to_stix(items: Iterable[tuple[str, Indicators, datetime | None]]) -> str:
    """One STIX 2.1 bundle (JSON text) for the indicators of every message in ``items``."""
    stix2 = _stix()
    objects: dict[str, Any] = {}

    def indicator(pattern: str, name: str, when: datetime) -> None:
        ident = f"indicator--{uuid.uuid5(NAMESPACE, pattern)}"
        if ident not in objects:
            objects[ident] = stix2.Indicator(
                id=ident,
                name=name[:200],
                pattern=pattern,
                pattern_type="stix",
                indicator_types=["malicious-activity"],
                created=when,
                modified=when,
                valid_from=when,
            )

    def observable(obj: Any) -> None:
        objects.setdefault(obj.id, obj)

    for source, ind, when in items:
        when = (when or datetime(1970, 1, 1, tzinfo=UTC)).astimezone(UTC)
        for u in ind.urls:
            observable(stix2.URL(value=u.url))
            indicator(f"[url:value = {_quote(u.url)}]", f"URL in {source}", when)
        for dom in ind.domains:
            observable(stix2.DomainName(value=dom))
            indicator(f"[domain-name:value = {_quote(dom)}]", f"linked domain in {source}", when)
        for e in ind.emails:
            observable(stix2.EmailAddress(value=e))
        for ip in ind.ips:
            observable(stix2.IPv4Address(value=ip))
        for a in ind.attachments:
            if a.sha256 is None:
                continue
            props: dict[str, Any] = {"hashes": {"SHA-256": a.sha256}, "size": a.size}
            if a.filename:
                props["name"] = a.filename
            observable(stix2.File(**props))
            indicator(f"[file:hashes.'SHA-256' = {_quote(a.sha256)}]", f"attachment in {source}", when)
    ordered = sorted(objects.values(), key=lambda o: o.id)
    bundle_id = f"bundle--{uuid.uuid5(NAMESPACE, ' '.join(o.id for o in ordered))}"
    bundle = stix2.Bundle(objects=ordered, id=bundle_id)
    return str(bundle.serialize(pretty=True))
