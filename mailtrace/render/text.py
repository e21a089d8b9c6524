"""The human-readable analysis, for an analyst in a terminal (fits 100 columns).

Order: verdict and its reasons, the actor path notation, the originator
summary, the hop table oldest first (border marked, roles shown), findings
with evidence, then defects.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from mailtrace.model.headers import AddressField
from mailtrace.model.received import Received
from mailtrace.render.table import render_table, wrap_cell
from mailtrace.report import Report

WIDTH = 100


def _fmt_delay(delta: timedelta | None) -> str:
    if delta is None:
        return "?"
    seconds = int(delta.total_seconds())
    sign = "-" if seconds < 0 else "+"
    seconds = abs(seconds)
    if seconds < 60:
        return f"{sign}{seconds}s"
    if seconds < 3600:
        return f"{sign}{seconds // 60}m{seconds % 60:02d}s"
    if seconds < 86400 * 2:
        return f"{sign}{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    return f"{sign}{seconds // 86400}d"


def _fmt_time(stamp: datetime | None) -> str:
    """Hop times in UTC, so that a column of them reads in order."""
    if stamp is None:
        return "(no date)"
    return stamp.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def _fmt_local(stamp: datetime) -> str:
    return stamp.strftime("%Y-%m-%d %H:%M:%S ") + _fmt_offset(stamp)


def _fmt_offset(stamp: datetime) -> str:
    offset = stamp.utcoffset()
    if not offset:
        return "+0000"
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def _addr(field: AddressField | None) -> str:
    if field is None:
        return "(none)"
    parts = []
    for a in field.addresses:
        if a.null:
            parts.append("<>")
        elif a.display_name:
            parts.append(f'"{a.display_name}" <{a.address}>')
        else:
            parts.append(a.address)
    return ", ".join(parts) or field.value


def _from_cell(hop: Received) -> str:
    f = hop.from_
    bits = []
    if f.helo:
        bits.append(f.helo)
    if f.rdns and f.rdns != f.helo:
        bits.append(f"rdns={f.rdns}")
    if f.ip:
        bits.append(f"[{f.ip}]")
    if hop.auth or hop.authenticated:
        bits.append(f"auth={hop.auth or 'yes'}")
    return " ".join(bits) or "-"


def _tls_cell(hop: Received) -> str:
    if hop.tls is None:
        return "-"
    return hop.tls.version or "yes"


def _kv(label: str, value: str) -> list[str]:
    lines = wrap_cell(value, WIDTH - 14)
    return [f"  {label:<11} {lines[0]}", *[f"  {'':<11} {x}" for x in lines[1:]]]


def _section(title: str) -> list[str]:
    return ["", title, "=" * len(title)]


def _attr(obj: Any, *names: str) -> Any:
    for name in names:
        if obj is None:
            return None
        obj = getattr(obj, name, None)
    return obj


def render_text(report: Report) -> str:
    out: list[str] = [
        f"mailtrace: {report.source.name}"
        + (f" (message {report.source.position} of the mbox)" if report.source.position is not None else "")
    ]
    verdict = report.verdict
    if verdict is not None:
        out.extend(_section(f"Verdict: {str(_attr(verdict, 'verdict') or '?').upper()}"))
        for reason in _attr(verdict, "reasons") or ():
            out.extend(f"  {line}" for line in wrap_cell(f"- {reason}", WIDTH - 2))
    notation = _attr(report.path, "notation")
    if notation:
        out.extend(_section("Path"))
        out.extend(f"  {line}" for line in wrap_cell(str(notation), WIDTH - 2))

    h = report.headers
    out.extend(_section("Originator"))
    out.extend(_kv("From", _addr(h.from_)))
    if h.sender:
        out.extend(_kv("Sender", _addr(h.sender)))
    if h.reply_to:
        out.extend(_kv("Reply-To", _addr(h.reply_to)))
    out.extend(_kv("To", _addr(h.to)))
    out.extend(_kv("Subject", h.subject.decoded if h.subject else "(none)"))
    date = "(none)" if h.date is None else h.date.value
    if h.date is not None and h.date.timestamp is not None:
        date = _fmt_local(h.date.timestamp)
    out.extend(_kv("Date", date))
    out.extend(_kv("Message-ID", h.message_id.value if h.message_id else "(none)"))
    if h.return_path:
        out.extend(_kv("Return-Path", ", ".join(_addr(r) for r in h.return_path)))
    client = h.x_mailer or h.user_agent
    if client:
        out.extend(_kv("Client", client.decoded))
    if h.list_fields:
        lid = h.list_field("List-Id")
        if lid is not None:
            out.extend(_kv("List-Id", lid.decoded))

    out.extend(_hop_table(report))
    out.extend(_findings(report))
    out.extend(_defects(report))
    return "\n".join(out) + "\n"


def _hop_table(report: Report) -> list[str]:
    out = _section(f"Hops, oldest first ({len(report.received)} Received fields)")
    if not report.received:
        out.append("  (no Received fields)")
        return out
    border_indexes = {_attr(b, "index") for b in (_attr(report.path, "borders") or ())}
    border_index = _attr(report.path, "border", "index")
    roles: dict[int, str] = {}
    for hv in _attr(report.path, "hops") or ():
        idx = _attr(hv, "index")
        r = _attr(hv, "roles")
        if isinstance(idx, int) and r:
            roles[idx] = "/".join(str(x) for x in r)
    rows = []
    previous: datetime | None = None
    for hop in reversed(report.received):
        delay = hop.timestamp - previous if hop.timestamp and previous else None
        mark = ">>" if hop.index == border_index else (">" if hop.index in border_indexes else "")
        by = hop.by.host or "-"
        if roles.get(hop.index):
            by = f"{by} ({roles[hop.index]})"
        rows.append(
            [
                f"{mark}{hop.index}",
                _fmt_time(hop.timestamp),
                _fmt_delay(delay) if previous is not None else "",
                _from_cell(hop),
                by,
                hop.with_ or "-",
                _tls_cell(hop),
            ]
        )
        if hop.timestamp:
            previous = hop.timestamp
    widths = (4, 19, 7, 26, 22, 8, 7)
    out.extend(render_table(("#", "Time (UTC)", "Delay", "From (HELO rDNS [IP])", "By", "With", "TLS"), rows, widths))
    if border_index is not None:
        out.append("  >> the border: where the message crossed into the recipient's network")
    return out


def _findings(report: Report) -> list[str]:
    if not report.findings:
        return []
    out = _section(f"Findings ({len(report.findings)})")
    for f in report.findings:
        sev = str(_attr(f, "severity") or "")
        code = str(_attr(f, "code") or "")
        text = str(_attr(f, "message") or _attr(f, "summary") or "")
        out.extend(f"  {line}" for line in wrap_cell(f"[{sev}] {code}: {text}", WIDTH - 2))
        for ev in _attr(f, "evidence") or ():
            desc = ev.describe() if hasattr(ev, "describe") else str(ev)
            out.extend(f"      {line}" for line in wrap_cell(desc, WIDTH - 6))
    return out


def _defects(report: Report) -> list[str]:
    rows: list[str] = [f"message: {d.code}: {d.message}" for d in report.defects]
    rows += [f"headers: {d.code}: {d.message}" for d in report.headers.defects]
    for hop in report.received:
        rows += [f"Received[{hop.index}]: {d.code}: {d.message}" for d in hop.defects]
    if not rows:
        return []
    out = _section(f"Defects ({len(rows)})")
    for row in rows:
        out.extend(f"  {line}" for line in wrap_cell(row, WIDTH - 2))
    return out
