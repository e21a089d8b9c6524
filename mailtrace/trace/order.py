"""Hops in chronological order, each linked to the one before, with signed delays.

``Received:`` fields are prepended by each relay (RFC 5321 section 4.4), so
the bottom field is the earliest: the chronological order is the reverse of
the header order. A hop *links* to the previous one when its ``from`` (IP,
rDNS or HELO) names the previous hop's ``by`` host.

Clock skew: a hop whose timestamp reads earlier than the hop before it by at
most :data:`SKEW_TOLERANCE` seconds is ``skew_tolerated`` (independent clocks
on two machines disagree by that much); anything larger is ``backwards`` and
becomes a finding. Delays are always reported signed, never wrapped into a
large positive number.
"""

from __future__ import annotations

from datetime import datetime

from mailtrace.model.frozen import fast_replace
from mailtrace.model.headers import Headers
from mailtrace.model.received import Received
from mailtrace.trace.hosts import (
    clean_host,
    is_internal_ip,
    is_ip,
    is_loopback,
    org_domain,
    parse_ip,
    same_ip,
    same_org,
)
from mailtrace.trace.model import NON_NETWORK, DelayStatus, HopKind, HopView, LinkStatus

#: Seconds a hop may read earlier than the hop before it before it is reported as time going backwards.
SKEW_TOLERANCE = 60.0

_KINDS = {k.value: k for k in HopKind}
_FETCH = frozenset({"IMAP", "IMAPS", "POP", "POP3", "POP3S", "FETCHMAIL", "GETMAIL"})
_HTTP = frozenset({"HTTP", "HTTPS", "HTTPA", "HTTPSA", "WEBMAIL"})


def hop_kind(r: Received) -> HopKind:
    """The parser's ``kind`` when it gave one, else inferred from ``with`` and the ``from`` clause."""
    given = _KINDS.get((r.kind or "").lower())
    if given is not None and given is not HopKind.UNKNOWN:
        return given
    words = (r.with_ or "").upper().split()
    w = words[0] if words else ""
    if w.startswith("LMTP"):
        return HopKind.LMTP
    if w in _HTTP:
        return HopKind.HTTP
    if w in _FETCH:
        return HopKind.FETCH
    if w == "LOCAL":
        return HopKind.LOCAL
    if w == "MAPI":
        return HopKind.INTERNAL
    f = r.from_
    if not (f.ip or f.rdns or f.helo):
        return HopKind.INTERNAL if r.by.host else HopKind.UNKNOWN
    return HopKind.SMTP


def from_name(r: Received) -> str | None:
    """The client's name: the rDNS the server looked up, else the HELO claim (never an IP literal)."""
    for name in (r.from_.rdns, r.from_.helo):
        host = clean_host(name)
        if host and not is_ip(host) and host not in ("unknown", "localhost"):
            return host
    return None


def _base_view(r: Received, position: int) -> HopView:
    by_host = clean_host(r.by.host)
    fname = from_name(r)
    return HopView(
        position=position,
        received_index=r.index,
        header_index=r.header_index,
        kind=hop_kind(r),
        synthetic=False,
        source="Received",
        from_host=fname,
        from_ip=str(parse_ip(r.from_.ip)) if parse_ip(r.from_.ip) else None,
        helo=r.from_.helo,
        by_host=by_host,
        by_ip=r.by.ip or (by_host if is_ip(by_host) else None),
        with_=r.with_,
        authenticated=bool(r.authenticated),
        timestamp=r.timestamp,
        organisation=org_domain(by_host),
        from_organisation=org_domain(fname),
        link=LinkStatus.FIRST,
        link_note="",
        delay_seconds=None,
        delay_status=DelayStatus.UNKNOWN,
    )


def _host_matches(name: str | None, by_host: str | None) -> bool:
    if not name or not by_host:
        return False
    if name == by_host:
        return True
    # a short name against its FQDN ("mail" against "mail.example.org")
    a, b = name.split(".", 1)[0], by_host.split(".", 1)[0]
    return ("." not in name or "." not in by_host) and a == b


def link(hop: HopView, prev: HopView, r: Received) -> tuple[LinkStatus, str]:
    """How ``hop`` continues ``prev`` (RFC 5321 section 4.4: ``from`` names the sending host)."""
    if hop.kind in NON_NETWORK or prev.kind in NON_NETWORK or hop.synthetic or prev.synthetic:
        return LinkStatus.NOT_NETWORK, f"{hop.kind.value} hop after a {prev.kind.value} hop"
    if same_ip(hop.from_ip, prev.by_ip):
        return LinkStatus.LINKED, f"client IP {hop.from_ip} is the previous hop's 'by' address"
    if _companion(hop, prev):
        return LinkStatus.LINKED, (
            f"no receiving host and the same client {hop.from_ip} as the line below: the same receiver's "
            "second line for one receipt (qmail's 'invoked from network' line)"
        )
    # rDNS first, then HELO; a tuple keeps the report independent of hash order.
    names = tuple(dict.fromkeys(clean_host(n) for n in (r.from_.rdns, r.from_.helo) if n))
    for name in names:
        if _host_matches(name, prev.by_host):
            return LinkStatus.LINKED, f"client {name} is the previous hop's 'by' host"
    if is_loopback(hop.from_ip) or "localhost" in names:
        return LinkStatus.LOOPBACK, "handed over through the loopback interface"
    # "from user@aol.com by imo-d08.mx.aol.com": AOL names the sending account, whose organisation is its domain
    orgs = {org_domain(n.rsplit("@", 1)[-1]) for n in names if n} - {None}
    if prev.organisation and any(same_org(prev.organisation, o) for o in orgs):
        return LinkStatus.SAME_ORGANISATION, f"client and previous 'by' host both in {prev.organisation}"
    if is_internal_ip(hop.from_ip):
        return LinkStatus.UNKNOWN, f"handed over on a private network ({hop.from_ip}): internal names not comparable"
    if not names and not hop.from_ip:
        return LinkStatus.UNKNOWN, "this hop names no client"
    if not prev.by_host or is_ip(prev.by_host) or "." not in prev.by_host:
        return LinkStatus.UNKNOWN, "the previous hop names no fully qualified 'by' host"
    shown = hop.from_host or hop.from_ip or "?"
    return LinkStatus.BROKEN, f"client {shown} is not the previous hop's 'by' host {prev.by_host}"


def _companion(hop: HopView, prev: HopView) -> bool:
    """``hop`` names no receiving host and the client of ``prev``: a second line for the same receipt."""
    return not hop.by_host and not hop.by_ip and hop.from_ip is not None and same_ip(hop.from_ip, prev.from_ip)


def delay(stamp: datetime | None, before: datetime | None) -> tuple[float | None, DelayStatus]:
    """Signed seconds from ``before`` to ``stamp`` and how to read them."""
    if stamp is None or before is None:
        return None, DelayStatus.UNKNOWN
    seconds = (stamp - before).total_seconds()
    if seconds >= 0:
        return seconds, DelayStatus.OK
    if seconds >= -SKEW_TOLERANCE:
        return seconds, DelayStatus.SKEW_TOLERATED
    return seconds, DelayStatus.BACKWARDS


def order_hops(received: tuple[Received, ...], headers: Headers) -> tuple[HopView, ...]:
    """Synthetic client hops first, then every ``Received`` hop bottom-up, linked and timed."""
    chrono = list(reversed(received))
    views = [_base_view(r, 0) for r in chrono]
    synthetic = _synthetic_hops(headers, views)
    out: list[HopView] = list(synthetic)
    last_time: datetime | None = None
    for r, view in zip(chrono, views, strict=True):
        prev = out[-1] if out else None
        if prev is not None and len(out) > 1 and prev.link is LinkStatus.LINKED and _companion(prev, out[-2]):
            prev = out[-2]  # link to the receiving line the companion line repeats
        status, note = (LinkStatus.FIRST, "earliest hop") if prev is None else link(view, prev, r)
        seconds, dstatus = delay(view.timestamp, last_time)
        out.append(
            fast_replace(
                view, position=len(out), link=status, link_note=note, delay_seconds=seconds, delay_status=dstatus
            )
        )
        if view.timestamp is not None:
            last_time = view.timestamp
    return tuple(out)


def _synthetic_hops(headers: Headers, views: list[HopView]) -> list[HopView]:
    """Client hops from ``X-Originating-IP`` and kin, unless a Received line already shows the address."""
    seen = {v.from_ip for v in views if v.from_ip}
    first = views[0] if views else None
    out: list[HopView] = []
    for field in headers.originating_ip:
        ip = parse_ip(field.ip)
        if ip is None or str(ip) in seen:
            continue
        seen.add(str(ip))
        out.append(
            HopView(
                position=len(out),
                received_index=None,
                header_index=field.index,
                kind=HopKind.SYNTHETIC,
                synthetic=True,
                source=field.name,
                from_host=None,
                from_ip=str(ip),
                helo=None,
                by_host=first.by_host if first else None,
                by_ip=None,
                with_=None,
                authenticated=False,
                timestamp=None,
                organisation=first.organisation if first else None,
                from_organisation=None,
                link=LinkStatus.FIRST,
                link_note=f"client address claimed by {field.name}",
                delay_seconds=None,
                delay_status=DelayStatus.UNKNOWN,
            )
        )
    return out
