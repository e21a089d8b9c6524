"""What an abuse report says about one message, read off its analysis.

Everything here comes from the receiver's side of the border: the client IP
the border receiver saw (``Source-IP``), its time (``Arrival-Date``), the
``Authentication-Results`` it stamped. Values are sanitised for headers
(:mod:`mailtrace.abuse.sanitize`) where they are read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from ipaddress import ip_network

from mailtrace.abuse.sanitize import header_value
from mailtrace.auth.verify import envelope_sender, from_domain
from mailtrace.model.headers import AddressField
from mailtrace.report import Report
from mailtrace.trace.hosts import parse_ip

#: ``Reported-Uri`` fields written per report.
MAX_URIS = 50


@dataclass(frozen=True, slots=True, kw_only=True)
class Incident:
    source_ip: str | None
    arrival: datetime | None
    receiver: str | None
    mail_from: str | None  #: the envelope sender (``""`` for ``<>``), or ``None`` when not shown
    rcpt_to: tuple[str, ...]
    authentication_results: str | None
    reported_domain: str | None
    message_id: str | None
    subject: str | None
    uris: tuple[str, ...]
    contacts: tuple[str, ...]
    network: str | None  #: ``AS64500`` (enrichment), else the /24 or /48 of the source IP, else ``None``
    network_name: str | None
    identifiers: tuple[str, ...]  #: ``provider identifies: value`` from the platform stamps
    raw: bytes


def incident_of(report: Report) -> Incident:
    """The facts of ``report`` that an ARF or X-ARF report quotes."""
    path = report.path
    border = path.border if path is not None else None
    ip = border.ip if border is not None else None
    enrichment = report.enrichment
    if ip is None and enrichment is not None and enrichment.border is not None:
        ip = enrichment.border.ip
    stamped = report.verification.stamped if report.verification is not None else None
    ar = None
    if (
        stamped is not None
        and stamped.header_index is not None
        and 0 <= stamped.header_index < len(report.message.fields)
    ):
        ar = header_value(report.message.fields[stamped.header_index].value)
    domain, _ = from_domain(report.headers)
    mail_from = envelope_sender(report.headers)
    subject = report.headers.subject.decoded if report.headers.subject is not None else None
    message_id = report.headers.message_id.value if report.headers.message_id is not None else None
    uris = tuple(u.url for u in report.indicators.urls[:MAX_URIS]) if report.indicators is not None else ()
    network, name = _network(report, ip)
    return Incident(
        source_ip=ip,
        arrival=border.timestamp if border is not None else None,
        receiver=header_value(border.receiver, 255) or None if border is not None else None,
        mail_from=None if mail_from is None else header_value(mail_from, 320),
        rcpt_to=_recipients(report),
        authentication_results=ar or None,
        reported_domain=domain,
        message_id=header_value(message_id, 300) or None,
        subject=header_value(subject, 300) or None,
        uris=tuple(header_value(u, 2048) for u in uris),
        contacts=tuple(c.address for c in enrichment.contacts) if enrichment is not None else (),
        network=network,
        network_name=name,
        identifiers=_identifiers(report),
        raw=report.message.raw,
    )


def _recipients(report: Report) -> tuple[str, ...]:
    h = report.headers
    fields: tuple[AddressField, ...] = (*h.x_original_to, *h.delivered_to, *h.envelope_to)
    out: dict[str, None] = {}
    for f in fields:
        for a in f.addresses:
            if a.address and not a.null:
                out.setdefault(header_value(a.address, 320), None)
    if not out and h.to is not None:
        for a in h.to.addresses[:10]:
            if a.address:
                out.setdefault(header_value(a.address, 320), None)
    return tuple(out)[:10]


def _network(report: Report, ip: str | None) -> tuple[str | None, str | None]:
    enrichment = report.enrichment
    if enrichment is not None and enrichment.border is not None:
        origin = enrichment.border.fact("origin")
        if origin is not None and origin.status == "found":
            name_fact = enrichment.border.fact("as_name")
            name = name_fact.data.get("name") if name_fact is not None and name_fact.status == "found" else None
            return f"AS{origin.data['asn']}", None if name is None else str(name)
    addr = parse_ip(ip)
    if addr is None:
        return None, None
    bits = 24 if addr.version == 4 else 48
    return str(ip_network(f"{addr}/{bits}", strict=False)), None


def _identifiers(report: Report) -> tuple[str, ...]:
    if report.enrichment is None:
        return ()
    return tuple(
        f"{p.provider} {p.identifies} ({p.header}): {p.identifier}"
        for p in report.enrichment.platforms
        if p.side != "recipient" and p.identifies != "contact"
    )
