"""The human-readable analysis, for an analyst in a terminal (fits 100 columns).

Order: "At a glance" (the analyst's four questions, :mod:`mailtrace.render.glance`), verdict
and its reasons, the actor path notation, the originator summary, the hop table oldest first
(border marked, roles shown), the re-verification titled by the resolver used, enrichment and
indicators when asked for (:mod:`mailtrace.render.extras`), findings with evidence, then
defects.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from mailtrace.model.headers import AddressField
from mailtrace.model.received import Received
from mailtrace.render.extras import enrichment_view, indicators_view
from mailtrace.render.glance import glance, malformed_note
from mailtrace.render.safe import visible
from mailtrace.render.table import render_table, wrap_cell
from mailtrace.report import Report
from mailtrace.verdict.from_identity import from_identity

WIDTH = 100


def _fmt_delay(seconds_f: float) -> str:
    seconds = int(seconds_f)
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
    try:
        return stamp.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    except (OverflowError, ValueError):  # a date at the edge of datetime's range: shown as written
        return stamp.isoformat(sep=" ")


def _fmt_local(stamp: datetime) -> str:
    return stamp.strftime("%Y-%m-%d %H:%M:%S %z")


def _addr(field: AddressField | None) -> str:
    if field is None:
        return "(none)"
    if not field.addresses or any(not a.valid and not a.null for a in field.addresses):
        # not a valid address list: the value as written, never a fragment ("@gmail.com")
        return " ".join(field.value.split()) + " (as written; not valid)"
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


def _wrapped(text: str, indent: int = 2) -> list[str]:
    """``text`` wrapped to the page; a ``- `` bullet or a ``[tag]`` hangs its continuation lines."""
    hang = 2 if text.startswith("- ") else 4 if text.startswith("[") else 0
    lines = wrap_cell(text, WIDTH - indent)
    if hang and len(lines) > 1:
        lines = [lines[0], *wrap_cell(" ".join(lines[1:]), WIDTH - indent - hang)]
        return [" " * indent + lines[0], *(" " * (indent + hang) + line for line in lines[1:])]
    return [" " * indent + line for line in lines]


def render_text(report: Report) -> str:
    where = f" (message {report.source.position} of the mbox)" if report.source.position is not None else ""
    out: list[str] = [f"mailtrace: {report.source.name}{where}"]
    out.extend(_glance(report))
    out.extend(_verdict(report))
    path = report.path
    if path is not None and path.notation:
        out.extend(_section("Path"))
        out.extend(_wrapped(path.notation))
        for border in path.borders:
            label = "the recipient's border" if border.recipient else "a border"
            out.extend(
                _wrapped(
                    f"{label}: received[{border.index}] {border.client or '?'} [{border.ip or '?'}] -> "
                    f"{border.receiver or '?'} (decided by {border.method.value})",
                    4,
                )
            )
    out.extend(_originator(report))
    out.extend(_hop_table(report))
    out.extend(_verification(report))
    out.extend(_extras(enrichment_view(report)))
    out.extend(_extras(indicators_view(report)))
    out.extend(_findings(report))
    out.extend(_defects(report))
    # Every line through one gate: a control, bidi or invisible character from the message or DNS
    # (a line break inside a value too) is shown as an escape; only the "\n" put here break lines.
    return "\n".join(map(visible, out)) + "\n"


def _glance(report: Report) -> list[str]:
    """The analyst's four questions first (:mod:`mailtrace.render.glance`)."""
    out = _section("At a glance")
    for label, text in glance(report):
        lines = wrap_cell(text, WIDTH - 17)
        out.extend([f"  {label:<14} {lines[0]}", *[f"  {'':<14} {x}" for x in lines[1:]]])
    return out


def _verdict(report: Report) -> list[str]:
    verdict = report.verdict
    if verdict is None:
        return []
    title = f"Verdict: {verdict.result.value.upper()}"
    if verdict.domain:
        title += f" (for {verdict.domain})"
    out = _section(title)
    for reason in verdict.reasons:
        out.extend(_wrapped(f"- {reason}"))
    out.extend(_wrapped(f"evidence: {verdict.evidence_source}"))
    return out


def _originator(report: Report) -> list[str]:
    h = report.headers
    out = _section("Originator")
    ident = from_identity(h)
    if h.from_ is not None and (ident.malformed or ident.ambiguous):
        # what a mail client shows, and the domain receivers authenticate (scenario 27)
        shown = ident.displayed + malformed_note(ident.domain)
        out.extend(_kv("From", shown))
    else:
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
    list_id = h.list_field("List-Id")
    if list_id is not None:
        out.extend(_kv("List-Id", list_id.decoded))
    return out


def _delay_cell(seconds: float | None, status: str) -> str:
    if seconds is None:
        return "?" if status == "unknown" else ""
    text = _fmt_delay(seconds)
    return text + ("!" if status == "backwards" else "~" if status == "skew_tolerated" else "")


def _hop_table(report: Report) -> list[str]:
    out = _section(f"Hops, oldest first ({len(report.received)} Received fields)")
    path = report.path
    if not report.received and (path is None or not path.hops):
        out.append("  (no Received fields)")
        return out
    rows: list[list[str]] = []
    if path is None:
        rows.extend(_plain_row(r) for r in reversed(report.received))
    else:
        recipient = path.border.index if path.border is not None else None
        for view in path.hops:
            idx = view.received_index
            hop: Received | None = report.received[idx] if idx is not None and idx < len(report.received) else None
            mark = ">>" if view.border and idx == recipient else ">" if view.border else "?" if view.claim else ""
            label = f"{mark}{idx}" if idx is not None else f"{mark}*"
            by = view.by_host or ("(" + view.source + ")" if view.synthetic else "-")
            if view.roles:
                by += " (" + "/".join(r.value for r in view.roles) + ")"
            rows.append(
                [
                    label,
                    _fmt_time(view.timestamp),
                    "" if view.position == 0 else _delay_cell(view.delay_seconds, view.delay_status.value),
                    _from_cell(hop) if hop is not None else f"[{view.from_ip or '?'}]",
                    by,
                    (view.with_ or ("-" if hop is None else hop.with_ or "-")),
                    _tls_cell(hop) if hop is not None else "-",
                ]
            )
    widths = (4, 19, 7, 26, 22, 8, 7)
    out.extend(
        render_table(("#", "Time (UTC)", "Delay", "From (HELO rDNS [IP])", "By (roles)", "With", "TLS"), rows, widths)
    )
    out.append("  >> the recipient's border   > another border   ? a claim below the border (unverified)")
    out.append("  * a synthetic hop (X-Originating-IP and kin)   ! time went backwards   ~ clock skew tolerated")
    return out


def _plain_row(hop: Received) -> list[str]:
    return [
        str(hop.index),
        _fmt_time(hop.timestamp),
        "",
        _from_cell(hop),
        hop.by.host or "-",
        hop.with_ or "-",
        _tls_cell(hop),
    ]


def _verification(report: Report) -> list[str]:
    v = report.verification
    if v is None or not v.checked:
        return []
    # the resolver as it really was: "live DNS, now", "DNS replayed from FILE", "offline zone FILE"
    out = _section(f"Re-verification: {v.dns.resolver or 'DNS'}")
    spf = v.spf
    out.extend(_wrapped(f"SPF   {spf.result.value}: {spf.ip or '?'} for {spf.domain or '?'}{_paren(spf.explanation)}"))
    for d in v.dkim:
        out.extend(_wrapped(f"DKIM  {d.result.value}: d={d.domain} s={d.selector}{_paren(d.reason)}"))
    if v.arc.instances or v.arc.cv.value != "none":
        out.extend(_wrapped(f"ARC   {v.arc.cv.value}: {len(v.arc.instances)} set(s)"))
    dmarc = v.dmarc
    out.extend(
        _wrapped(f"DMARC {dmarc.result.value}: {dmarc.domain or '?'} p={dmarc.policy or '-'}{_paren(dmarc.reason)}")
    )
    return out


def _hung(text: str, indent: int) -> list[str]:
    """``text`` at ``indent``, continuation lines hung 4 further, within the page width.

    The pieces are never re-joined, so a long URL or digest breaks across lines without a
    character added to it."""
    first, *rest = wrap_cell(text, WIDTH - indent - 4)
    return [" " * indent + first, *(" " * (indent + 4) + line for line in rest)]


def _extras(view: dict[str, Any] | None) -> list[str]:
    """An "Enrichment" or "Indicators" section (:mod:`mailtrace.render.extras`), if asked for."""
    if view is None:
        return []
    out = _section(view["title"])
    for group in view["groups"]:
        out.append(f"  {group['title']}")
        for label, text in group["items"]:
            out.extend(_hung(f"{label:<11} {text}" if label else text, 4))
        if group["more"]:
            out.append(f"    ... and {group['more']} more (the JSON report lists all)")
    if not view["groups"]:
        out.append(f"  {view['empty']}")
    return out


def _paren(text: str | None) -> str:
    """`` (text)``, or nothing for no text: never an empty ``()``."""
    return f" ({text})" if text and text.strip() else ""


def _findings(report: Report) -> list[str]:
    if not report.findings:
        return []
    out = _section(f"Findings ({len(report.findings)})")
    for f in report.findings:
        out.extend(_wrapped(f"[{f.severity.value}] {f.code}: {f.message}"))
        for ev in f.evidence:
            out.extend(_wrapped(ev.describe(), 6))
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
