"""The text report's "Enrichment" and "Indicators" sections (``--enrich``, ``--indicators``).

Both are shown only when the policy asked for them. The sections read the same dictionaries as
the JSON report (``EnrichmentReport.to_dict``, ``Indicators.to_dict``), so a defanged run shows
defanged values; long lists stop at :data:`MAX_LISTED` items with a count of the rest (the JSON
report lists every one). Every line still goes through :func:`mailtrace.render.safe.visible` in
:func:`mailtrace.render.text.render_text`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from mailtrace.render.table import wrap_cell
from mailtrace.report import Report

MAX_LISTED = 20  #: items of one list (URLs, attachments, e-mail addresses, ...) shown in the text report
WIDTH = 100


def _wrap(text: str, indent: int) -> list[str]:
    """``text`` at ``indent``, continuation lines hung 4 further, within the page width.

    The pieces are never re-joined, so a long URL or digest breaks across lines without a
    character added to it."""
    first, *rest = wrap_cell(text, WIDTH - indent - 4)
    return [" " * indent + first, *(" " * (indent + 4) + line for line in rest)]


def _fcrdns(f: dict[str, Any]) -> str:
    if f["status"] == "confirmed":
        return f"confirmed: {f.get('name')}"
    names = ", ".join(f.get("ptr") or []) or "no PTR"
    return f"not confirmed: {names}"


def _origin(f: dict[str, Any]) -> str:
    bits = [f"AS{f['asn']}" if f.get("asn") is not None else "AS?", f.get("prefix") or "", f.get("country") or ""]
    extra = ", ".join(x for x in (f.get("registry"), f.get("allocated") and f"allocated {f['allocated']}") if x)
    return " ".join(b for b in bits if b) + (f" ({extra})" if extra else "")


def _dnsbl(f: dict[str, Any]) -> str:
    if f["status"] != "listed":
        return f"not listed in {f.get('zone')}"
    codes = ", ".join([*f.get("codes", []), *f.get("text", [])])
    return f"listed in {f.get('zone')}" + (f" ({codes})" if codes else "")


# kind -> (label, what the fact says when it was found); any other status is shown with its reason
_FACTS: dict[str, tuple[str, Callable[[dict[str, Any]], str]]] = {
    "fcrdns": ("FCrDNS", _fcrdns),
    "origin": ("origin", _origin),
    "as_name": ("AS name", lambda f: str(f.get("name"))),
    "abuse_contact": ("abuse", lambda f: ", ".join(f.get("contacts", []))),
    "dnsbl": ("DNSBL", _dnsbl),
}
_ANSWERED = {"confirmed", "unconfirmed", "found", "listed", "not_listed"}


def _fact_line(f: dict[str, Any]) -> list[str]:
    label, says = _FACTS.get(f["kind"], (f["kind"], lambda x: str(x["status"])))
    # not_found / unknown: DNS said there is none, or could not say
    text = says(f) if f["status"] in _ANSWERED else f["status"].replace("_", " ")
    reason = f.get("reason") or ""
    return _wrap(f"{label:<11} {text}" + (f" ({reason})" if reason and f["status"] != "listed" else ""), 4)


def _listed(items: Sequence[str], noun: str) -> list[str]:
    if not items:
        return []
    shown = [line for x in items[:MAX_LISTED] for line in _wrap(x, 4)]
    if len(items) > MAX_LISTED:
        shown.append(f"    ... and {len(items) - MAX_LISTED} more {noun} (the JSON report lists all)")
    return shown


def enrichment_lines(report: Report, section: Callable[[str], list[str]]) -> list[str]:
    """The "Enrichment" section, or nothing when enrichment was not asked for."""
    if report.enrichment is None:
        return []
    doc = report.enrichment.to_dict()
    dns = doc["dns"]
    asked = f"{dns['lookups']} DNS lookups" if dns["checked"] else "no DNS asked: no resolver given"
    refused = f", {dns['refused']} refused by the budget" if dns["refused"] else ""
    out = section(f"Enrichment ({asked}{refused})")
    for host in doc["hosts"]:
        where = f" (received[{host['received_index']}])" if host["received_index"] is not None else ""
        out.append(f"  {host['role']} {host['ip']}{where}")
        for f in host["facts"]:
            out.extend(_fact_line(f))
    for p in doc["platforms"]:
        abuse = f", abuse {p['abuse']}" if p.get("abuse") else ""
        out.extend(_wrap(f"platform {p['provider']}: {p['identifies']} {p['identifier']} ({p['side']} side{abuse})", 2))
    if doc["abuse_contacts"]:
        out.append("  abuse contacts")
        contacts = [f"{c['address']} ({c['scope']}: {c['source']})" for c in doc["abuse_contacts"]]
        out.extend(_listed(contacts, "contacts"))
    return out


def _url(u: dict[str, Any]) -> str:
    where = ", ".join(u["sources"])
    shown = f'; the link text shows {u["shown_host"]}' if u.get("text_mismatch") else ""
    return f"{u['url']} ({where}{shown})"


def _attachment(a: dict[str, Any]) -> str:
    kind = a["declared_type"]
    if a.get("type_mismatch"):
        kind += f", content is {a['sniffed_type']}"
    digest = f" sha256 {a['sha256']}" if a.get("sha256") else " (not decoded)"
    return f"part {a['part']} {a.get('filename') or '(no name)'}: {a['kind']} ({kind}), {a['size']:,} bytes{digest}"


def indicator_lines(report: Report, section: Callable[[str], list[str]]) -> list[str]:
    """The "Indicators" section, or nothing when indicators were not asked for."""
    if report.indicators is None:
        return []
    doc = report.indicators.to_dict()
    defanged = ", defanged" if doc["defanged"] else ""
    parts = f"{doc['parts']} MIME part" + ("" if doc["parts"] == 1 else "s")
    out = section(f"Indicators ({parts}, {doc['decoded_bytes']:,} bytes decoded{defanged})")
    groups: tuple[tuple[str, list[str]], ...] = (
        ("URLs", [_url(u) for u in doc["urls"]]),
        ("domains", doc["domains"]),
        ("e-mail addresses", doc["emails"]),
        ("IP addresses", doc["ips"]),
        ("attachments", [_attachment(a) for a in doc["attachments"]]),
    )
    for noun, items in groups:
        if items:
            out.append(f"  {noun} ({len(items)})")
            out.extend(_listed(items, noun))
    if len(out) == 3:
        out.append("  none found")
    return out
