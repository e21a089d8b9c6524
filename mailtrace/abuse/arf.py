"""Abuse Reporting Format (RFC 5965) and X-ARF 0.2 reports, written as message bytes; never sent.

ARF: ``multipart/report; report-type=feedback-report`` with three parts, as
in RFC 5965 section 2 and its appendix B examples:

1. ``text/plain``: what happened, for a person;
2. ``message/feedback-report``: ``Feedback-Type``, ``User-Agent``,
   ``Version: 1``, then ``Original-Mail-From``, ``Original-Rcpt-To``,
   ``Arrival-Date``, ``Source-IP``, ``Incidents``, ``Authentication-Results``,
   ``Reported-Domain``, ``Reported-Uri``;
3. ``message/rfc822``: the original message, or with ``redact``
   ``text/rfc822-headers``: its header only, recipients' local-parts
   replaced (RFC 6590).

X-ARF 0.2 (``X-XARF: PLAIN``): ``multipart/mixed`` with the human part, a
``report.txt`` YAML part (fraud schema 0.1.4: ``Category: fraud``,
``Report-Type: phishing`` or ``spam``) and the evidence. Every value from the
message is sanitised (:mod:`mailtrace.abuse.sanitize`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime

from mailtrace._version import __version__
from mailtrace.abuse.incident import Incident
from mailtrace.abuse.redact import redact_headers
from mailtrace.abuse.sanitize import fold, header_value, text_line
from mailtrace.indicators.model import defang_url

USER_AGENT = f"mailtrace/{__version__}"
FEEDBACK_TYPES = ("abuse", "fraud", "virus", "other")
XARF_SCHEMA = "http://www.x-arf.org/schema/fraud_0.1.4.json"


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportOptions:
    sender: str = "abuse-desk@localhost"  #: the desk's own address (``From:``)
    to: str | None = None  #: the abuse contact; ``None`` leaves ``To:`` out
    feedback_type: str = "abuse"
    redact: bool = False
    redact_key: bytes = b""  #: HMAC key for RFC 6590 local-part redaction
    now: datetime | None = None  #: the report's ``Date:``; default the wall clock


def write_arf(incidents: Sequence[Incident], options: ReportOptions) -> bytes:
    """One ARF report for ``incidents`` (one message, or one origin network's campaign)."""
    first = incidents[0]
    boundary = _boundary(incidents)
    feedback = _feedback_fields(incidents, options)
    parts = [
        "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n" + _human(incidents, options),
        "Content-Type: message/feedback-report\n\n" + "\n".join(feedback) + "\n",
        _evidence(first, options),
    ]
    head = _envelope(incidents, options, f'multipart/report; report-type=feedback-report;\n\tboundary="{boundary}"')
    return _assemble(head, boundary, parts)


def write_xarf(incidents: Sequence[Incident], options: ReportOptions) -> bytes:
    """One X-ARF 0.2 report (``X-XARF: PLAIN``) for ``incidents``."""
    first = incidents[0]
    boundary = _boundary(incidents)
    ip = first.source_ip or ""
    fields = {
        "Reported-From": header_value(options.sender, 320),
        "Category": "fraud",
        "Report-Type": "phishing" if options.feedback_type == "fraud" else "spam",
        "Report-ID": _report_id(incidents),
        "Service": "smtp",
        "Version": "0.2",
        "User-Agent": USER_AGENT,
        "Date": _date(first.arrival) or "",
        "Source-Type": "ipv6" if ":" in ip else "ipv4",
        "Source": ip,
        "Port": 25,
        "Occurrences": len(incidents),
        "Attachment": "text/rfc822-headers" if options.redact else "message/rfc822",
        "Schema-URL": XARF_SCHEMA,
    }
    yaml = "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in fields.items())
    parts = [
        "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n" + _human(incidents, options),
        'Content-Type: text/plain; charset=utf-8; name="report.txt"\nContent-Transfer-Encoding: 8bit\n\n' + yaml,
        _evidence(first, options),
    ]
    head = _envelope(incidents, options, f'multipart/mixed;\n\tboundary="{boundary}"')
    head += "\nX-XARF: PLAIN\nX-ARF: YES"
    return _assemble(head, boundary, parts)


def _envelope(incidents: Sequence[Incident], options: ReportOptions, content_type: str) -> str:
    first = incidents[0]
    now = options.now or datetime.now(UTC)
    ip = first.source_ip or "an unknown address"
    when = first.arrival.date().isoformat() if first.arrival is not None else "an unknown date"
    count = f" ({len(incidents)} messages)" if len(incidents) > 1 else ""
    lines = [fold("From", header_value(options.sender, 320))]
    if options.to:
        lines.append(fold("To", header_value(options.to, 320)))
    lines += [
        fold("Subject", header_value(f"Abuse report: message from {ip} on {when}{count}")),
        f"Date: {format_datetime(now)}",
        f"Message-ID: <{_report_id(incidents)}@mailtrace.invalid>",
        "Auto-Submitted: auto-generated",
        "MIME-Version: 1.0",
        f"Content-Type: {content_type}",
    ]
    return "\n".join(lines)


def _feedback_fields(incidents: Sequence[Incident], options: ReportOptions) -> list[str]:
    """The ``message/feedback-report`` fields; every value passes :func:`header_value` here again."""
    first = incidents[0]
    out = [
        f"Feedback-Type: {header_value(options.feedback_type, 20)}",
        f"User-Agent: {USER_AGENT}",
        "Version: 1",
    ]

    def add(name: str, value: str | None, limit: int = 900) -> None:
        clean = header_value(value, limit)
        if clean:
            out.append(fold(name, clean))

    if first.mail_from is not None:
        add("Original-Mail-From", f"<{header_value(first.mail_from, 320)}>")
    for rcpt in first.rcpt_to:
        shown = redact_headers(rcpt, (rcpt,), options.redact_key) if options.redact else rcpt
        add("Original-Rcpt-To", f"<{header_value(shown, 320)}>")
    add("Arrival-Date", _date(first.arrival))
    if first.receiver:
        add("Reporting-MTA", f"dns; {first.receiver}")
    add("Source-IP", first.source_ip, 64)
    if len(incidents) > 1:
        add("Incidents", str(len(incidents)))
    add("Authentication-Results", first.authentication_results)
    for domain in dict.fromkeys(i.reported_domain for i in incidents if i.reported_domain):
        add("Reported-Domain", domain, 255)
    for uri in list(dict.fromkeys(u for i in incidents for u in i.uris))[:50]:
        add("Reported-Uri", uri, 900)  # no white space to fold at: kept under the 998-octet line limit
    return out


def _human(incidents: Sequence[Incident], options: ReportOptions) -> str:
    first = incidents[0]
    lines = [
        "This is an email abuse report (RFC 5965) written by mailtrace.",
        f"It concerns {len(incidents)} message(s) received from {first.source_ip or 'an unknown address'}"
        + (
            f" ({first.network}{', ' + text_line(first.network_name) if first.network_name else ''})."
            if first.network
            else "."
        ),
        "",
    ]
    for n, inc in enumerate(incidents, 1):
        lines += [
            f"Message {n}:",
            f"  Source IP:    {inc.source_ip or 'unknown'}",
            f"  Arrival date: {_date(inc.arrival) or 'unknown'}",
            f"  Message-ID:   {text_line(inc.message_id) or 'none'}",
            f"  Subject:      {text_line(inc.subject) or 'none'}",
        ]
        for ident in inc.identifiers:
            lines.append(f"  Platform:     {text_line(ident)}")
        for uri in inc.uris[:20]:
            lines.append(f"  URL:          {defang_url(uri)}")
        lines.append("")
    lines.append("URLs above are defanged (hxxp, [.]); the feedback-report part lists them as found.")
    if options.redact:
        lines.append("Recipient local-parts are redacted (RFC 6590); the body is not included.")
    return "\n".join(lines) + "\n"


def _evidence(incident: Incident, options: ReportOptions) -> str:
    raw = incident.raw.replace(b"\r\n", b"\n")
    if options.redact:
        end = raw.find(b"\n\n")
        header = (raw if end < 0 else raw[: end + 1]).decode("utf-8", "replace")
        return "Content-Type: text/rfc822-headers; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n" + redact_headers(
            header, incident.rcpt_to, options.redact_key
        )
    text = raw.decode("utf-8", "surrogateescape")
    encoding = "7bit" if raw.isascii() else "8bit"
    return f"Content-Type: message/rfc822\nContent-Disposition: inline\nContent-Transfer-Encoding: {encoding}\n\n{text}"


def _assemble(head: str, boundary: str, parts: list[str]) -> bytes:
    body = "".join(f"\n--{boundary}\n{p if p.endswith(chr(10)) else p + chr(10)}" for p in parts)
    text = f"{head}\n\nThis is a multi-part message in MIME format.\n{body}\n--{boundary}--\n"
    return text.encode("utf-8", "surrogateescape")


def _boundary(incidents: Sequence[Incident]) -> str:
    digest = hashlib.sha256(b"".join(i.raw for i in incidents)).hexdigest()
    for n in range(0, 40, 8):
        boundary = f"mailtrace-arf-{digest[n : n + 24]}"
        if not any(boundary.encode() in i.raw for i in incidents):
            return boundary
    return f"mailtrace-arf-{digest}"  # pragma: no cover - every 24-hex slice inside the message


def _report_id(incidents: Sequence[Incident]) -> str:
    return "arf-" + hashlib.sha256(b"".join(i.raw for i in incidents)).hexdigest()[:32]


def _date(when: datetime | None) -> str | None:
    return None if when is None else format_datetime(when)
