"""Client IPs stamped by receiving systems: ``Received-SPF`` (RFC 7208 section 9.1) and
``Authentication-Results`` (RFC 8601) with the sender IP in a property or in the comment
that common receivers write (``client-ip=``, ``sender IP is``, ``designates ... as``,
``policy.iprev=``, ``smtp.remote-ip=``).

Only the IP, the position and the authserv-id (or ``receiver=``) are read here; the
full parse of these fields belongs to :mod:`mailtrace.parse.auth`. Every pattern is a
fixed prefix followed by a bounded character class, so scanning is linear.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from mailtrace.model.fields import Message
from mailtrace.trace.hosts import clean_host, org_domain, parse_ip, same_org
from mailtrace.trace.model import HopView, Stamp

_IPCHARS = r"\[?(?:IPv6:)?([0-9A-Fa-f:.]{2,45})\]?"
_AR_IP = re.compile(
    r"(?:client-ip=|sender IP is |designates? |policy\.iprev=|smtp\.remote-ip=|smtp\.client-ip=|remote-ip=)" + _IPCHARS,
    re.IGNORECASE,
)
_SPF_IP = re.compile(r"client-ip=" + _IPCHARS, re.IGNORECASE)
_SPF_RECEIVER = re.compile(r"receiver=([A-Za-z0-9._-]{1,253})", re.IGNORECASE)
_AUTHSERV = re.compile(r"\s*([^\s;]{1,253})")
_MAX_SCAN = 8192


def _first_ip(pattern: re.Pattern[str], text: str) -> str | None:
    for m in pattern.finditer(text[:_MAX_SCAN]):
        ip = parse_ip(m.group(1))
        if ip is not None:
            return str(ip)
    return None


def find_stamps(message: Message) -> tuple[Stamp, ...]:
    """Every IP-bearing receiver stamp, top to bottom (``ARC-Authentication-Results`` excluded)."""
    out: list[Stamp] = []
    for f in message.get_all("Received-SPF"):
        ip = _first_ip(_SPF_IP, f.value)
        if ip is None:
            continue
        rm = _SPF_RECEIVER.search(f.value[:_MAX_SCAN])
        out.append(
            Stamp(
                header="Received-SPF",
                header_index=f.index,
                ip=ip,
                authserv_id=clean_host(rm.group(1)) if rm else None,
            )
        )
    for f in message.get_all("Authentication-Results"):
        ip = _first_ip(_AR_IP, f.value)
        if ip is None:
            continue
        am = _AUTHSERV.match(f.value)
        authserv = clean_host(am.group(1)) if am and "=" not in am.group(1) else None
        out.append(Stamp(header="Authentication-Results", header_index=f.index, ip=ip, authserv_id=authserv))
    out.sort(key=lambda s: s.header_index)
    return tuple(out)


def authserv_ids(message: Message) -> tuple[tuple[int, str | None], ...]:
    """``(header_index, authserv-id)`` of every ``Authentication-Results`` field, top to bottom."""
    out: list[tuple[int, str | None]] = []
    for f in message.get_all("Authentication-Results"):
        am = _AUTHSERV.match(f.value)
        out.append((f.index, clean_host(am.group(1)) if am and "=" not in am.group(1) else None))
    return tuple(out)


def writes_as(writer: str | None, host: str | None) -> bool:
    """Is ``host`` (a ``by`` host) the stamp writer ``writer``: the same name, or the same organisational domain?

    Only a registrable domain counts for the second test (the public suffix list decides): ``FC5-VPC`` or
    ``test.module`` name no organisation, so they match only a host spelled the same way.
    """
    w, h = clean_host(writer), clean_host(host)
    if w is None or h is None:
        return False
    if w == h:
        return True
    org = org_domain(w)
    return org is not None and same_org(org, org_domain(h))


def stamp_writer(stamp: Stamp, hops: Sequence[HopView]) -> HopView | None:
    """The lowest hop written by the host that wrote ``stamp``, or ``None`` when that host is not in the trace.

    The writer is the ``Authentication-Results`` authserv-id (RFC 8601 section 2.5) or the ``Received-SPF``
    ``receiver=`` (RFC 7208 section 9.1). It is a host of the trace when it names (or shares the
    organisational domain of) the ``by`` host of a ``Received:`` line above the stamp, or of the line just
    below it (Gmail writes its stamps under its own line): a receiver adds its stamp when it accepts the
    message, so it must have written a line at that place. A stamp by a name the trace never shows (a test
    harness's ``test.module``, a workstation's ``FC5-VPC``) is not the final receiving system's evidence.

    A line by the very host named wins over a line by another host of its organisation.
    """
    if not stamp.authserv_id:
        return None
    real = [h for h in hops if not h.synthetic and h.received_index is not None and h.header_index is not None]
    below = min((h for h in real if (h.header_index or 0) > stamp.header_index), key=_hidx, default=None)
    places = [h for h in real if (h.header_index or 0) < stamp.header_index or h is below]
    writer = clean_host(stamp.authserv_id)
    same = [h for h in places if clean_host(h.by_host) == writer]
    found = same or [h for h in places if writes_as(writer, h.by_host)]
    return max(found, key=_ridx, default=None)


def _hidx(h: HopView) -> int:
    return h.header_index if h.header_index is not None else -1


def _ridx(h: HopView) -> int:
    return h.received_index if h.received_index is not None else -1
