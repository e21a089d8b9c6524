"""One message as one flat row: the columns of ``--format csv`` and :meth:`Report.to_row`.

Every value is a string (``""`` when absent); lists are space-separated. The
values are the report's own text, unescaped: the CSV renderer
(:mod:`mailtrace.render.csv`) makes them safe to open in a spreadsheet.
The columns are documented in ``docs/cli.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: The columns, in order. ``error`` is filled only on the row of an input that failed.
COLUMNS = (
    "source",
    "position",
    "date",
    "from_address",
    "from_domain",
    "from_authentication",
    "origin_ip",
    "origin_rdns",
    "origin_helo",
    "origin_provider",
    "border_method",
    "verdict",
    "authenticated_as",
    "dkim_domains",
    "spf_domain",
    "spf_result",
    "return_path",
    "subject",
    "message_id",
    "findings",
    "error",
)

NOT_CHECKED = "not_checked"


def _get(data: Any, *keys: str | int) -> Any:
    """``data[k1][k2]...`` or ``None`` where a level is missing."""
    for key in keys:
        if isinstance(key, int):
            if not isinstance(data, list) or not -len(data) <= key < len(data):
                return None
            data = data[key]
        elif isinstance(data, Mapping):
            data = data.get(key)
        else:
            return None
    return data


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def row_from_dict(doc: Mapping[str, Any]) -> dict[str, str]:
    """The row of one report, from its JSON form (``Report.to_dict()``).

    ``Report.to_row()`` passes a form without the sections read nowhere here (the authentication headers,
    enrichment, indicators, the path but its border): a section read here must be kept there
    (``tests/render/test_row_from_report.py`` compares the two forms' rows).
    """
    originator = _get(doc, "headers", "originator") or {}
    addresses = [a for a in _get(originator, "from", "addresses") or () if isinstance(a, Mapping)]
    sender = next((a for a in addresses if a.get("domain")), addresses[0] if addresses else {})
    origin = _origin(doc)
    row = {
        "source": _text(_get(doc, "source", "name")),
        "position": _position(doc.get("source") or {}),
        "date": _text(_get(originator, "date", "timestamp") or _get(originator, "date", "value")),
        "from_address": _text(sender.get("address")),
        "from_domain": _text(_get(doc, "verdict", "from_authentication", "domain") or sender.get("domain")),
        "from_authentication": _from_authentication(doc),
        "origin_ip": origin["ip"],
        "origin_rdns": origin["rdns"],
        "origin_helo": origin["helo"],
        "origin_provider": origin["provider"],
        "border_method": _text(_get(doc, "path", "border", "method")),
        "verdict": _text(_get(doc, "verdict", "result")),
        "authenticated_as": " ".join(authenticated_as(doc)),
        "dkim_domains": " ".join(f"{d}:{r}" for d, r in dkim_results(doc)),
        "spf_domain": _spf_domain(doc),
        "spf_result": _effective(doc, "spf", _get(doc, "verification", "spf", "result")),
        "return_path": _return_path(doc),
        "subject": _text(_get(originator, "subject", "decoded") or _get(originator, "subject", "value")),
        "message_id": _text(_get(originator, "message_id", "ids", 0) or _get(originator, "message_id", "value")),
        "findings": " ".join(_text(f.get("code")) for f in doc.get("findings") or () if isinstance(f, Mapping)),
        "error": "",
    }
    return row


def error_row(record: Mapping[str, Any]) -> dict[str, str]:
    """The row of an input that could not be analysed, from its ``InputError.to_dict()``:
    ``{"source": {"name", "position"}, "error": {"code", "message"}}``."""
    row = dict.fromkeys(COLUMNS, "")
    source = record.get("source") or {}
    row["source"], row["position"] = _text(source.get("name")), _text(source.get("position"))
    error = record.get("error") or {}
    row["error"] = f"{_text(error.get('code'))}: {_text(error.get('message'))}"
    return row


def _position(source: Mapping[str, Any]) -> str:
    parts = [] if source.get("position") is None else [str(source["position"])]
    for key in ("part", "attachment"):  # where a reported message sits inside its wrapper
        if source.get(key) not in (None, ""):
            parts.append(f"{key} {source[key]}")
    return " ".join(parts)


def _stamped(doc: Mapping[str, Any], method: str) -> list[Mapping[str, Any]]:
    results = _get(doc, "verification", "stamped", "results") or ()
    return [r for r in results if isinstance(r, Mapping) and r.get("method") == method]


def _effective(doc: Mapping[str, Any], method: str, rechecked: Any) -> str:
    """The re-checked result, or the receiver's stamped one marked ``(stamped)``, or ``""``."""
    if rechecked and rechecked != NOT_CHECKED:
        return str(rechecked)
    stamped = _stamped(doc, method)
    return f"{stamped[0].get('result')} (stamped)" if stamped else ""


def dkim_results(doc: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``(d=, result)`` per DKIM signature: re-checked, else the receiver's stamp for that domain."""
    stamped = {_text(_get(r, "properties", "header.d")).lower(): _text(r.get("result")) for r in _stamped(doc, "dkim")}
    out: list[tuple[str, str]] = []
    for sig in _get(doc, "verification", "dkim") or ():
        domain = _text(sig.get("domain")).lower()
        result = _text(sig.get("result"))
        if result in ("", NOT_CHECKED):
            result = f"{stamped[domain]} (stamped)" if domain in stamped else NOT_CHECKED
        if (domain, result) not in out:
            out.append((domain, result))
    return out


def _spf_domain(doc: Mapping[str, Any]) -> str:
    spf = _get(doc, "verification", "spf") or {}
    if spf.get("domain"):
        return _text(spf["domain"])
    identity = _text(spf.get("mail_from"))
    if "@" in identity:
        return identity.rpartition("@")[2].lower()
    stamped = _stamped(doc, "spf")
    if stamped:
        return _text(_get(stamped[0], "properties", "smtp.mailfrom")).rpartition("@")[2].lower()
    return _text(spf.get("helo")).lower() if spf.get("identity") == "helo" else ""


def _return_path(doc: Mapping[str, Any]) -> str:
    field = _get(doc, "headers", "envelope", "return_path", 0) or {}
    address = _get(field, "addresses", 0) or {}
    if address.get("null"):
        return "<>"
    return _text(address.get("address") or field.get("value"))


def _from_authentication(doc: Mapping[str, Any]) -> str:
    """The verdict's From: authentication status and where it comes from (``aligned_pass (stamp)``)."""
    given = _get(doc, "verdict", "from_authentication")
    if isinstance(given, Mapping):
        status, source = _text(given.get("status")), _text(given.get("source"))
        return f"{status} ({source})" if status and source and source != "none" else status
    # A report without the statement (an older report's JSON): DMARC is the From: domain's result.
    result = _effective(doc, "dmarc", _get(doc, "verification", "dmarc", "result"))
    return f"dmarc={result}" if result else ""


def authenticated_as(doc: Mapping[str, Any]) -> list[str]:
    """``method:domain`` of every identity that passed (the verdict's list, else DKIM and SPF passes)."""
    given = _get(doc, "verdict", "from_authentication", "authenticated_as")
    out: list[str] = []
    if isinstance(given, list):
        pairs = [(_text(i.get("method")), _text(i.get("domain")).lower()) for i in given if isinstance(i, Mapping)]
    else:
        pairs = [("dkim", d) for d, r in dkim_results(doc) if r.split(" ", 1)[0] == "pass"]
        spf = _spf_domain(doc)
        if spf and _effective(doc, "spf", _get(doc, "verification", "spf", "result")).split(" ", 1)[0] == "pass":
            pairs.append(("spf", spf))
    for method, domain in pairs:
        if domain and f"{method}:{domain}" not in out:
            out.append(f"{method}:{domain}")
    return out


def _origin(doc: Mapping[str, Any]) -> dict[str, str]:
    """Origin IP, reverse name, HELO and provider: the verdict's ``origin``, else the border crossing."""
    given = _get(doc, "verdict", "origin")
    if isinstance(given, Mapping):
        provider = given.get("provider")
        name = provider.get("name") if isinstance(provider, Mapping) else provider
        return {
            "ip": _text(given.get("ip")),
            "rdns": _text(given.get("rdns")),
            "helo": _text(given.get("helo")),
            "provider": _text(name),
        }
    border = _get(doc, "path", "border") or {}
    index = border.get("index")
    client = _get(doc, "received", index, "from") if isinstance(index, int) else None
    client = client or {}
    return {
        "ip": _text(border.get("ip")),
        "rdns": _text(client.get("rdns")),
        "helo": _text(client.get("helo")),
        "provider": "",
    }
