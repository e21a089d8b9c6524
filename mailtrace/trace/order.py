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

from collections.abc import Callable
from datetime import datetime

from mailtrace.model.frozen import fast_maker
from mailtrace.model.headers import Headers
from mailtrace.model.received import Received
from mailtrace.trace.facts import HopFacts, client_name, hop_kind, read_line
from mailtrace.trace.hosts import clean_host, ip_text, is_ip, org_domain, parse_ip, same_org
from mailtrace.trace.model import NON_NETWORK, DelayStatus, HopKind, HopView, LinkStatus

__all__ = ["SKEW_TOLERANCE", "delay", "from_name", "hop_kind", "link", "order_hops"]

#: Seconds a hop may read earlier than the hop before it before it is reported as time going backwards.
SKEW_TOLERANCE = 60.0

#: ``HopView`` from every field given positionally, in field order: plain slot stores, where the keyword
#: constructor of a frozen dataclass calls ``object.__setattr__`` per field (``tests/trace/test_trace_order.py``
#: compares the views with the keyword-built ones)
_make_view: Callable[..., HopView] = fast_maker(HopView)


def from_name(r: Received) -> str | None:
    """The client's name: the rDNS the server looked up, else the HELO claim (never an IP literal)."""
    return client_name(clean_host(r.from_.rdns), clean_host(r.from_.helo))


def _host_matches(name: str | None, by_host: str | None) -> bool:
    if not name or not by_host:
        return False
    if name == by_host:
        return True
    # a short name against its FQDN ("mail" against "mail.example.org")
    a, b = name.split(".", 1)[0], by_host.split(".", 1)[0]
    return ("." not in name or "." not in by_host) and a == b


def link(hop: HopFacts, prev: HopView) -> tuple[LinkStatus, str]:
    """How the line ``hop`` continues ``prev`` (RFC 5321 section 4.4: ``from`` names the sending host)."""
    if hop.kind in NON_NETWORK or prev.kind in NON_NETWORK or prev.synthetic:
        return LinkStatus.NOT_NETWORK, f"{hop.kind.value} hop after a {prev.kind.value} hop"
    client = hop.client
    # ``same_ip(hop.from_ip, prev.by_ip)``: the canonical texts of the two addresses are equal
    if client is not None and client.text == (prev.facts.by_address if prev.facts is not None else ip_text(prev.by_ip)):
        return LinkStatus.LINKED, f"client IP {hop.from_ip} is the previous hop's 'by' address"
    if _companion(hop.by_host, hop.by_ip, hop.from_ip, prev.from_ip):
        return LinkStatus.LINKED, (
            f"no receiving host and the same client {hop.from_ip} as the line below: the same receiver's "
            "second line for one receipt (qmail's 'invoked from network' line)"
        )
    names = hop.names
    for name in names:
        if _host_matches(name, prev.by_host):
            return LinkStatus.LINKED, f"client {name} is the previous hop's 'by' host"
    if (client is not None and client.loopback) or "localhost" in names:
        return LinkStatus.LOOPBACK, "handed over through the loopback interface"
    # "from user@aol.com by imo-d08.mx.aol.com": AOL names the sending account, whose organisation is its domain
    if prev.organisation:
        orgs = {org_domain(n.rsplit("@", 1)[-1]) for n in names if n} - {None}
        if any(same_org(prev.organisation, o) for o in orgs):
            return LinkStatus.SAME_ORGANISATION, f"client and previous 'by' host both in {prev.organisation}"
    if client is not None and client.internal:
        return LinkStatus.UNKNOWN, f"handed over on a private network ({hop.from_ip}): internal names not comparable"
    if not names and not hop.from_ip:
        return LinkStatus.UNKNOWN, "this hop names no client"
    if not prev.by_host or is_ip(prev.by_host) or "." not in prev.by_host:
        return LinkStatus.UNKNOWN, "the previous hop names no fully qualified 'by' host"
    shown = hop.from_host or hop.from_ip or "?"
    return LinkStatus.BROKEN, f"client {shown} is not the previous hop's 'by' host {prev.by_host}"


def _companion(by_host: str | None, by_ip: str | None, from_ip: str | None, prev_from_ip: str | None) -> bool:
    """A line that names no receiving host and the client of the line below: a second line for the same receipt.

    Both client addresses are canonical texts (:func:`~mailtrace.trace.hosts.ip_text`): the same address is the
    same text.
    """
    return not by_host and not by_ip and from_ip is not None and from_ip == prev_from_ip


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
    bases = [read_line(r) for r in chrono]
    out: list[HopView] = _synthetic_hops(headers, bases)
    last_time: datetime | None = None
    for r, b in zip(chrono, bases, strict=True):
        prev = out[-1] if out else None
        if (
            prev is not None
            and len(out) > 1
            and prev.link is LinkStatus.LINKED
            and _companion(prev.by_host, prev.by_ip, prev.from_ip, out[-2].from_ip)
        ):
            prev = out[-2]  # link to the receiving line the companion line repeats
        status, note = (LinkStatus.FIRST, "earliest hop") if prev is None else link(b, prev)
        stamp = r.timestamp
        seconds, dstatus = delay(stamp, last_time)
        # HopView(position=..., ..., facts=b): every field positionally, in field order (_make_view)
        out.append(
            _make_view(
                len(out), r.index, r.header_index, b.kind, False, "Received", b.from_host, b.from_ip, r.from_.helo,
                b.by_host, b.by_ip, r.with_, bool(r.authenticated), stamp, b.organisation, b.from_organisation,
                status, note, seconds, dstatus, 0, False, False, False, (), b,
            )
        )  # fmt: skip
        if stamp is not None:
            last_time = stamp
    return tuple(out)


def _synthetic_hops(headers: Headers, views: list[HopFacts]) -> list[HopView]:
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
