"""What the HTML report shows of one report: plain values for the templates.

Everything is read from the report's schema document (``Report.to_dict()``, docs/schema.md),
so the page shows what the JSON says, plus the raw header block (``report.message.fields``)
for the raw-headers panel. Nothing here is markup: the templates escape every string, and
the environment's ``finalize`` shows control and bidi characters visibly and cuts overlong
values (``mailtrace.render.html``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from mailtrace.render.extras import enrichment_view, indicators_view
from mailtrace.render.svg import layout
from mailtrace.render.text import _fmt_delay
from mailtrace.report import Report

#: Characters of one raw header line shown in the panel; the rest is counted, not shown.
RAW_LINE_CHARS = 2000
#: The short answers at the top, in order: (``verdict`` key, question).
QUESTIONS = (
    ("origin", "Where did it come from?"),
    ("from_authentication", "Is From: authenticated?"),
    ("mediation", "Was it forwarded?"),
    ("receiver_judgement", "What did the receiver decide?"),
    ("trace_integrity", "Does the trace hold together?"),
)
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2, "info": 3}


def utc(stamp: str | None) -> str:
    """An ISO 8601 timestamp of the report as ``YYYY-MM-DD HH:MM:SS`` in UTC."""
    if not stamp:
        return ""
    try:
        return datetime.fromisoformat(stamp).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return stamp


def delay_text(seconds: float) -> str:
    return _fmt_delay(seconds)


def _addresses(field: dict[str, Any] | None) -> str:
    if not field:
        return ""
    parts = []
    for a in field.get("addresses") or []:
        if a.get("null"):
            parts.append("<>")
        elif a.get("display_name"):
            parts.append(f'"{a["display_name"]}" <{a.get("address") or ""}>')
        else:
            parts.append(a.get("address") or "")
    return ", ".join(parts) or str(field.get("value") or "")


def _text(field: dict[str, Any] | None) -> str:
    if not field:
        return ""
    return str(field.get("decoded") or field.get("value") or "")


_MEDIATION = {
    "forwarded": "Yes, forwarded",
    "list": "Yes, through a mailing list",
    "resent": "Yes, resent",
    "bounce": "It is a bounce",
}


def answer_text(key: str, value: Any) -> str:
    """A statement of ``verdict`` (``origin``, ``mediation``...) as one sentence, whatever its shape."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if not isinstance(value, dict):
        return str(value)
    if key == "mediation" and value.get("kind"):
        if value["kind"] == "none":
            return "No forwarding evidence."
        by = ", ".join(str(b) for b in value.get("by") or [])
        text = _MEDIATION.get(value["kind"], str(value["kind"])) + (f" by {by}" if by else "") + "."
        return f"{text} {value['note']}" if value.get("note") else text
    for name in ("summary", "note", "text", "message"):
        if isinstance(value.get(name), str) and value[name]:
            return str(value[name])
    return "; ".join(f"{k}: {v}" for k, v in value.items() if isinstance(v, str | int | float) and v != "")


def _status(key: str, value: Any) -> str:
    """The one word a statement comes to (``aligned_pass``, ``forwarded``, ``consistent``...), or ``""``."""
    if not isinstance(value, dict):
        return ""
    if key == "receiver_judgement":
        dmarc = value.get("dmarc") or {}
        return f"dmarc {dmarc['result']}" if isinstance(dmarc, dict) and dmarc.get("result") else ""
    word = value.get({"from_authentication": "status", "mediation": "kind", "trace_integrity": "status"}.get(key, ""))
    return str(word) if isinstance(word, str) and word != "none" else ""


def _fallback_answers(doc: dict[str, Any]) -> dict[str, str]:
    """The short answers read from the path and the checks, for reports without them in ``verdict``."""
    path = doc.get("path") or {}
    verification = doc.get("verification") or {}
    border = path.get("border")
    out: dict[str, str] = {}
    if border:
        out["origin"] = (
            f"It entered the recipient's network from {border.get('client') or 'an unnamed host'} "
            f"[{border.get('ip') or '?'}], received by {border.get('receiver') or '?'} "
            f"(border found by {border.get('method')})."
        )
    elif path.get("internal"):
        out["origin"] = "It never left one organisation (internal mail)."
    else:
        out["origin"] = "No border crossing was found."
    dmarc = verification.get("dmarc") or {}
    if verification.get("checked"):
        out["from_authentication"] = (
            f"DMARC {dmarc.get('result')} for {dmarc.get('domain') or '?'}"
            + (f": {dmarc['reason']}" if dmarc.get("reason") else "")
            + " (re-check)."
        )
    else:
        out["from_authentication"] = "Not re-checked (no DNS); see the receiver's judgement."
    borders = path.get("borders") or []
    forwarders = [a.get("name") for a in path.get("actors") or [] if "Forwarder" in str(a.get("label"))]
    if forwarders or len(borders) > 1:
        out["mediation"] = f"Yes: through {', '.join(str(f) for f in forwarders) or 'another network'}."
    else:
        out["mediation"] = "No forwarding evidence."
    stamped = verification.get("stamped") or {}
    results = stamped.get("results") or []
    if results:
        words = " ".join(f"{r.get('method')}={r.get('result')}" for r in results)
        out["receiver_judgement"] = f"{stamped.get('authserv_id') or 'The receiver'} stamped {words}."
    else:
        out["receiver_judgement"] = "The receiver left no Authentication-Results."
    claims = sum(1 for h in path.get("hops") or [] if h.get("claim"))
    backwards = sum(1 for h in path.get("hops") or [] if h.get("delay_status") == "backwards")
    broken = sum(1 for h in path.get("hops") or [] if h.get("link") == "broken")
    out["trace_integrity"] = (
        f"{broken} broken link(s), {backwards} backwards time(s), {claims} unverified claim hop(s)."
        if broken or backwards or claims
        else "The hops link up and time runs forward."
    )
    return out


def _distinct(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Evidence items with an anchor, one per header line."""
    seen: set[str] = set()
    out = []
    for item in items:
        if item["anchor"] and item["anchor"] not in seen:
            seen.add(item["anchor"])
            out.append(item)
    return out


def answers(doc: dict[str, Any], lines: dict[int, int]) -> list[dict[str, Any]]:
    """The short answers at the top: the verdict's statements, else read from the path and the checks."""
    verdict = doc.get("verdict") or {}
    fallback = _fallback_answers(doc)
    rows = []
    for key, question in QUESTIONS:
        value = verdict.get(key)
        given = answer_text(key, value)
        evidence = value.get("evidence") if isinstance(value, dict) else None
        rows.append(
            {
                "key": key,
                "question": question,
                "answer": given or fallback[key],
                "status": _status(key, value),
                "derived": not given,
                "evidence": _distinct(_evidence(evidence if isinstance(evidence, list) else [], lines))[:3],
            }
        )
    return rows


def raw_fields(report: Report) -> list[dict[str, Any]]:
    """The header block as numbered physical lines, grouped by field (one anchor per field)."""
    out: list[dict[str, Any]] = []
    number = 2 if report.message.mbox_from else 1
    for f in report.message.fields:
        text = f.raw.decode("utf-8", "replace")
        lines = []
        for line in text.replace("\r\n", "\n").expandtabs(8).split("\n"):
            more = len(line) - RAW_LINE_CHARS
            lines.append({"number": number, "text": line[:RAW_LINE_CHARS], "more": max(more, 0)})
            number += 1
        out.append({"id": f"h{f.index}", "index": f.index, "name": f.name, "lines": lines})
    return out


def _evidence(items: list[dict[str, Any]], lines: dict[int, int]) -> list[dict[str, Any]]:
    out = []
    for ev in items or []:
        index = ev.get("header_index")
        out.append(
            {
                "text": ev.get("text") or "",
                "header": ev.get("header") or "",
                "anchor": f"h{index}" if isinstance(index, int) and index in lines else None,
                "line": lines.get(index) if isinstance(index, int) else None,
                "hop": ev.get("hop"),
            }
        )
    return out


def _hop_rows(doc: dict[str, Any]) -> list[dict[str, Any]]:
    path = doc.get("path") or {}
    received = doc.get("received") or []
    hops = path.get("hops") or []
    recipient = (path.get("border") or {}).get("index")
    longest = max((abs(h.get("delay_seconds") or 0) for h in hops), default=0) or 1
    rows = []
    for hop in hops:
        idx = hop.get("received_index")
        line = received[idx] if isinstance(idx, int) and 0 <= idx < len(received) else {}
        seconds = hop.get("delay_seconds")
        status = hop.get("delay_status") or "unknown"
        share = 0.0 if seconds is None else min(abs(seconds) / longest, 1.0)
        client = " ".join(
            x
            for x in (
                hop.get("helo") or "",
                f"rdns={hop['from_host']}" if hop.get("from_host") and hop.get("from_host") != hop.get("helo") else "",
                f"[{hop['from_ip']}]" if hop.get("from_ip") else "",
            )
            if x
        )
        tls = line.get("tls") or None
        rows.append(
            {
                "position": hop.get("position"),
                "received_index": idx,
                "anchor": f"h{hop['header_index']}" if isinstance(hop.get("header_index"), int) else None,
                "time": utc(hop.get("timestamp")) or "(no date)",
                "delay": "" if hop.get("position") == 0 or seconds is None else delay_text(seconds),
                "bar": round(4 + 56 * share**0.5) if seconds else 0,
                "status": status,
                "client": client or "-",
                "by": hop.get("by_host") or (f"({hop.get('source')})" if hop.get("synthetic") else "-"),
                "with": hop.get("with") or "-",
                "tls": (tls.get("version") or "yes") if isinstance(tls, dict) else "-",
                "roles": "/".join(hop.get("roles") or []),
                "border": bool(hop.get("border")),
                "recipient_border": bool(hop.get("border")) and idx == recipient,
                "claim": bool(hop.get("claim")),
                "link": hop.get("link") or "",
                "link_note": hop.get("link_note") or "",
                "synthetic": bool(hop.get("synthetic")),
            }
        )
    return rows


def _defects(doc: dict[str, Any]) -> list[dict[str, str]]:
    rows = [{"where": "message", **d} for d in doc.get("defects") or []]
    rows += [{"where": "headers", **d} for d in (doc.get("headers") or {}).get("defects") or []]
    for hop in doc.get("received") or []:
        rows += [{"where": f"Received[{hop.get('index')}]", **d} for d in hop.get("defects") or []]
    rows += [{"where": "path", **d} for d in (doc.get("path") or {}).get("defects") or []]
    rows += [{"where": "verification", **d} for d in (doc.get("verification") or {}).get("defects") or []]
    rows += [{"where": "authentication headers", **d} for d in (doc.get("authentication") or {}).get("defects") or []]
    return rows


def _checks(doc: dict[str, Any]) -> dict[str, Any]:
    v = doc.get("verification") or {}
    stamped = v.get("stamped") or {}
    spf = v.get("spf") or {}
    dmarc = v.get("dmarc") or {}
    arc = v.get("arc") or {}
    recheck = []
    if v.get("checked"):
        recheck.append(("SPF", spf.get("result"), f"{spf.get('ip') or '?'} for {spf.get('domain') or '?'}"))
        recheck.extend(
            ("DKIM", d.get("result"), f"d={d.get('domain')} s={d.get('selector')} {d.get('reason') or ''}")
            for d in v.get("dkim") or []
        )
        if arc.get("instances") or arc.get("cv") not in (None, "none"):
            recheck.append(("ARC", arc.get("cv"), f"{len(arc.get('instances') or [])} set(s)"))
        recheck.append(("DMARC", dmarc.get("result"), f"{dmarc.get('domain') or '?'} p={dmarc.get('policy') or '-'}"))
    return {
        "checked": bool(v.get("checked")),
        "recheck": [{"method": m, "result": str(r), "detail": d} for m, r, d in recheck],
        "authserv_id": stamped.get("authserv_id"),
        "chosen_by": stamped.get("chosen_by"),
        "stamped": stamped.get("results") or [],
        "comparisons": stamped.get("comparisons") or [],
    }


def message_view(report: Report) -> dict[str, Any]:
    """Everything the template shows of ``report`` (plain data: batch workers send it back pickled).

    Anchors are relative (``h12`` for the field at header index 12, ``f3`` for a finding); the
    page gives each message its ``id`` (``m0``, ``m1``...) and prefixes them with it.
    """
    doc = report.to_dict()
    raw = raw_fields(report)
    first_line = {f["index"]: f["lines"][0]["number"] for f in raw}
    verdict = doc.get("verdict") or {}
    path = doc.get("path") or {}
    originator = (doc.get("headers") or {}).get("originator") or {}
    envelope = (doc.get("headers") or {}).get("envelope") or {}
    source = doc.get("source") or {}
    findings = sorted(doc.get("findings") or [], key=lambda f: SEVERITY_ORDER.get(f.get("severity"), 9))
    return {
        "name": str(source.get("name") or "")
        + (f" (message {source['position']} of the mbox)" if source.get("position") is not None else ""),
        "result": verdict.get("result") or "indeterminate",
        "domain": verdict.get("domain"),
        "reasons": verdict.get("reasons") or [],
        "evidence_source": verdict.get("evidence_source") or "",
        "decided_by": verdict.get("decided_by") or [],
        "answers": answers(doc, first_line),
        "originator": [
            (label, value)
            for label, value in (
                ("From", _addresses(originator.get("from"))),
                ("Sender", _addresses(originator.get("sender"))),
                ("Reply-To", _addresses(originator.get("reply_to"))),
                ("To", _addresses(originator.get("to"))),
                ("Subject", _text(originator.get("subject"))),
                ("Date", _text(originator.get("date"))),
                ("Message-ID", _text(originator.get("message_id"))),
                ("Return-Path", ", ".join(_addresses(r) for r in envelope.get("return_path") or [])),
            )
            if value or label in ("From", "To", "Subject")
        ],
        "subject": _text(originator.get("subject")),
        "from": _addresses(originator.get("from")),
        "notation": path.get("notation") or "",
        "diagram": layout(path, delay_text) if path else None,
        "borders": [
            {**b, "evidence": _evidence(b.get("evidence") or [], first_line)} for b in path.get("borders") or []
        ],
        "hops": _hop_rows(doc),
        "findings": [
            {
                "id": f"f{i}",
                "code": f.get("code"),
                "severity": f.get("severity"),
                "indicates": f.get("indicates"),
                "title": f.get("title") or f.get("code"),
                "message": f.get("message") or "",
                "evidence": _evidence(f.get("evidence") or [], first_line),
            }
            for i, f in enumerate(findings)
        ],
        "severity_counts": {s: sum(1 for f in findings if f.get("severity") == s) for s in SEVERITY_ORDER},
        "checks": _checks(doc),
        "extras": [v for v in (enrichment_view(report), indicators_view(report)) if v is not None],
        "defects": _defects(doc),
        "raw": raw,
        "field_count": len(raw),
    }
