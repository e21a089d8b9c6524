"""What the reports show of enrichment (``--enrich``) and indicators (``--indicators``): plain data.

:func:`enrichment_view` and :func:`indicators_view` read the same dictionaries as the JSON report
(``EnrichmentReport.to_dict``, ``Indicators.to_dict``), so a defanged run shows defanged values,
and give ``None`` when the policy did not ask. The result is plain data (the HTML batch workers
send it back pickled)::

    {"title": "Enrichment (7 DNS lookups)",
     "groups": [{"title": "border 198.51.100.10 (received[1])",
                 "items": [["FCrDNS", "confirmed: mail.sender.example"], ...], "more": 0}, ...]}

An item is ``[label, text]`` (the label may be empty). A group lists at most :data:`MAX_LISTED`
items and counts the rest in ``more`` (the JSON report lists every one). The text report
(:mod:`mailtrace.render.text`) and the HTML page (``message.html.j2``) render it; both escape it
there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from mailtrace.report import Report

MAX_LISTED = 20  #: items of one list (URLs, attachments, e-mail addresses, ...) shown in a report


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


def _fact_item(f: dict[str, Any]) -> list[str]:
    label, says = _FACTS.get(f["kind"], (f["kind"], lambda x: str(x["status"])))
    # not_found / unknown: DNS said there is none, or could not say
    text = says(f) if f["status"] in _ANSWERED else f["status"].replace("_", " ")
    reason = f.get("reason") or ""
    return [label, text + (f" ({reason})" if reason and f["status"] != "listed" else "")]


def _group(title: str, items: Sequence[list[str]]) -> dict[str, Any]:
    return {"title": title, "items": list(items[:MAX_LISTED]), "more": max(0, len(items) - MAX_LISTED)}


def enrichment_view(report: Report) -> dict[str, Any] | None:
    """The enrichment to show, or ``None`` when it was not asked for."""
    if report.enrichment is None:
        return None
    doc = report.enrichment.to_dict()
    dns = doc["dns"]
    asked = f"{dns['lookups']} DNS lookups" if dns["checked"] else "no DNS asked: no resolver given"
    refused = f", {dns['refused']} refused by the budget" if dns["refused"] else ""
    groups = []
    for host in doc["hosts"]:
        where = f" (received[{host['received_index']}])" if host["received_index"] is not None else ""
        groups.append(_group(f"{host['role']} {host['ip']}{where}", [_fact_item(f) for f in host["facts"]]))
    platforms = [
        [
            "",
            f"{p['provider']}: {p['identifies']} {p['identifier']} ({p['side']} side"
            + (f", abuse {p['abuse']})" if p.get("abuse") else ")"),
        ]
        for p in doc["platforms"]
    ]
    if platforms:
        groups.append(_group("platform stamps", platforms))
    if doc["abuse_contacts"]:
        contacts = [["", f"{c['address']} ({c['scope']}: {c['source']})"] for c in doc["abuse_contacts"]]
        groups.append(_group("abuse contacts", contacts))
    return {"title": f"Enrichment ({asked}{refused})", "groups": groups, "empty": "No host to enrich."}


def _url(u: dict[str, Any]) -> str:
    where = ", ".join(u["sources"])
    shown = f"; the link text shows {u['shown_host']}" if u.get("text_mismatch") else ""
    return f"{u['url']} ({where}{shown})"


def _attachment(a: dict[str, Any]) -> str:
    kind = a["declared_type"]
    if a.get("type_mismatch"):
        kind += f", content is {a['sniffed_type']}"
    digest = f" sha256 {a['sha256']}" if a.get("sha256") else " (not decoded)"
    return f"part {a['part']} {a.get('filename') or '(no name)'}: {a['kind']} ({kind}), {a['size']:,} bytes{digest}"


def indicators_view(report: Report) -> dict[str, Any] | None:
    """The indicators to show, or ``None`` when they were not asked for."""
    if report.indicators is None:
        return None
    doc = report.indicators.to_dict()
    defanged = ", defanged" if doc["defanged"] else ""
    parts = f"{doc['parts']} MIME part" + ("" if doc["parts"] == 1 else "s")
    lists: tuple[tuple[str, list[str]], ...] = (
        ("URLs", [_url(u) for u in doc["urls"]]),
        ("domains", doc["domains"]),
        ("e-mail addresses", doc["emails"]),
        ("IP addresses", doc["ips"]),
        ("attachments", [_attachment(a) for a in doc["attachments"]]),
    )
    groups = [_group(f"{noun} ({len(items)})", [["", x] for x in items]) for noun, items in lists if items]
    title = f"Indicators ({parts}, {doc['decoded_bytes']:,} bytes decoded{defanged})"
    return {"title": title, "groups": groups, "empty": "None found."}
