"""The DNS interfaces enrichment asks, each through the message's budgeted resolver.

* Forward-confirmed reverse DNS: PTR of the address, then A/AAAA of each name.
* Team Cymru IP-to-ASN: TXT at ``<reversed IP>.origin.asn.cymru.com``
  (``origin6`` with 32 reversed nibbles for IPv6) reads
  ``ASN | prefix | CC | registry | allocated``; the AS name is TXT at
  ``AS<n>.asn.cymru.com``: ``ASN | CC | registry | allocated | name``.
* abusix abuse contacts: TXT at ``<reversed IP>.abuse-contacts.abusix.zone``,
  one address per record.
* DNS blocklists: A at ``<reversed IP>.<zone>``; an answer in 127.0.0.0/8 is
  a listing and its codes are kept, 127.255.255.0/24 is the zone's error
  answer (unknown), NXDOMAIN is "not listed"; TXT gives the reason.

An answer that does not read as the interface promises gives ``unknown``.
"""

from __future__ import annotations

import ipaddress
import re

from mailtrace.dns.answer import Answer, Status
from mailtrace.dns.resolver import Resolver
from mailtrace.enrich.facts import Fact, reverse_name, reversed_labels, unknown_from

IP = ipaddress.IPv4Address | ipaddress.IPv6Address
_HOST = re.compile(r"(?=.{1,253}\Z)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\Z")
_CC = re.compile(r"[A-Z]{2}\Z")
_REGISTRY = re.compile(r"[a-z]{2,12}\Z")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_ADDRESS = re.compile(r"[^@\s\"<>,;]{1,64}@[a-z0-9.-]{1,253}\.[a-z]{2,63}\Z", re.IGNORECASE)


def fcrdns(resolver: Resolver, ip: IP, max_names: int) -> Fact:
    """``confirmed`` (a PTR name resolves back to the address), ``unconfirmed``, ``not_found`` (no PTR), ``unknown``."""
    method = "fcrdns"
    ptr = resolver.resolve(reverse_name(ip), "PTR")
    if ptr.temporary:
        return unknown_from("fcrdns", method, ptr)
    if ptr.status is not Status.NOERROR:
        return Fact(kind="fcrdns", method=method, status="not_found", reason=ptr.describe(), evidence=(ptr,))
    names = [n for n in ptr.records if _HOST.match(n)]
    if not names:
        return Fact(
            kind="fcrdns", method=method, status="unknown", reason="PTR records are not host names", evidence=(ptr,)
        )
    evidence = [ptr]
    forward: dict[str, list[str]] = {}
    confirmed: list[str] = []
    open_question = False
    rtype = "A" if ip.version == 4 else "AAAA"
    for name in names[:max_names]:
        answer = resolver.resolve(name, rtype)
        evidence.append(answer)
        open_question |= answer.temporary
        addrs = list(answer.records)
        forward[name] = addrs
        if any(_same(a, ip) for a in addrs):
            confirmed.append(name)
    status = "confirmed" if confirmed else ("unknown" if open_question else "unconfirmed")
    data = {"ptr": list(ptr.records), "forward": forward, "name": confirmed[0] if confirmed else None}
    reason = "" if confirmed else ("a forward lookup failed" if open_question else "no PTR name resolves back")
    return Fact(kind="fcrdns", method=method, status=status, data=data, reason=reason, evidence=tuple(evidence))


def _same(text: str, ip: IP) -> bool:
    try:
        return ipaddress.ip_address(text.strip()) == ip
    except ValueError:
        return False


def _ask_txt(resolver: Resolver, kind: str, zone: str, name: str) -> tuple[Answer, Fact | None]:
    """The TXT answer at ``name``, and the fact already decided when it holds no record (unknown / not_found)."""
    method = f"txt:{zone}"
    answer = resolver.resolve(name, "TXT")
    if answer.temporary:
        return answer, unknown_from(kind, method, answer)
    if answer.status is not Status.NOERROR:
        return answer, Fact(kind=kind, method=method, status="not_found", reason=answer.describe(), evidence=(answer,))
    return answer, None


def _malformed(kind: str, zone: str, record: str, answer: Answer) -> Fact:
    reason = f"malformed TXT record {record[:120]!r}"
    return Fact(kind=kind, method=f"txt:{zone}", status="unknown", reason=reason, evidence=(answer,))


def origin_asn(resolver: Resolver, ip: IP, zone4: str | None, zone6: str | None) -> Fact | None:
    zone = zone4 if ip.version == 4 else zone6
    if zone is None:
        return None
    answer, decided = _ask_txt(resolver, "origin", zone, f"{reversed_labels(ip)}.{zone}")
    if decided is not None:
        return decided
    best: dict[str, object] = {}
    best_len = -1
    for record in answer.records:
        parsed = _origin_record(record, ip)
        if parsed is None:
            return _malformed("origin", zone, record, answer)
        length = int(str(parsed["prefix"]).rsplit("/", 1)[1])
        if length > best_len:
            best, best_len = parsed, length
    return Fact(kind="origin", method=f"txt:{zone}", status="found", data=best, evidence=(answer,))


def _origin_record(record: str, ip: IP) -> dict[str, object] | None:
    fields = [f.strip() for f in record.split("|")]
    if len(fields) != 5:
        return None
    asns, prefix, cc, registry, allocated = fields
    numbers = asns.split()
    if not numbers or not all(n.isdigit() and len(n) <= 10 for n in numbers):
        return None
    try:
        net = ipaddress.ip_network(prefix, strict=False)
    except ValueError:
        return None
    if ip not in net:
        return None
    if cc and not _CC.match(cc):
        return None
    if registry and not _REGISTRY.match(registry):
        return None
    if allocated and not _DATE.match(allocated):
        return None
    return {
        "asn": int(numbers[0]),
        "asns": [int(n) for n in numbers],
        "prefix": str(net),
        "country": cc or None,
        "registry": registry or None,
        "allocated": allocated or None,
    }


def as_name(resolver: Resolver, asn: int, zone: str | None) -> Fact | None:
    if zone is None:
        return None
    answer, decided = _ask_txt(resolver, "as_name", zone, f"as{asn}.{zone}")
    if decided is not None:
        return decided
    fields = [f.strip() for f in answer.records[0].split("|")]
    if len(fields) != 5 or fields[0] != str(asn) or not fields[4] or not fields[4].isprintable():
        return _malformed("as_name", zone, answer.records[0], answer)
    data = {"asn": asn, "name": fields[4][:200]}
    return Fact(kind="as_name", method=f"txt:{zone}", status="found", data=data, evidence=(answer,))


def abuse_contacts(resolver: Resolver, ip: IP, zone: str | None) -> Fact | None:
    if zone is None:
        return None
    answer, decided = _ask_txt(resolver, "abuse_contact", zone, f"{reversed_labels(ip)}.{zone}")
    if decided is not None:
        return decided
    bad = [r for r in answer.records if not _ADDRESS.match(r.strip())]
    if bad:
        return _malformed("abuse_contact", zone, bad[0], answer)
    data = {"contacts": sorted({r.strip().lower() for r in answer.records})}
    return Fact(kind="abuse_contact", method=f"txt:{zone}", status="found", data=data, evidence=(answer,))


def dnsbl(resolver: Resolver, ip: IP, zone: str) -> Fact:
    method = f"dnsbl:{zone}"
    name = f"{reversed_labels(ip)}.{zone}"
    answer = resolver.resolve(name, "A")
    if answer.temporary:
        return unknown_from("dnsbl", method, answer, {"zone": zone})
    if answer.negative:
        return Fact(kind="dnsbl", method=method, status="not_listed", data={"zone": zone}, evidence=(answer,))
    codes = list(answer.records)
    try:
        addrs = [ipaddress.IPv4Address(c) for c in codes]
        refused = any(a in _ERROR_CODES for a in addrs) or not all(a in _LISTED for a in addrs)
    except ValueError:
        refused = True
    if refused:
        reason = "not a listing: an answer outside 127.0.0.0/8, or the zone's error code (127.255.255.x)"
        data = {"zone": zone, "codes": codes}
        return Fact(kind="dnsbl", method=method, status="unknown", data=data, reason=reason, evidence=(answer,))
    txt = resolver.resolve(name, "TXT")
    reasons = list(txt.records) if txt.status is Status.NOERROR else []
    return Fact(
        kind="dnsbl",
        method=method,
        status="listed",
        data={"zone": zone, "codes": codes, "text": [r[:300] for r in reasons]},
        evidence=(answer, txt),
    )


_LISTED = ipaddress.IPv4Network("127.0.0.0/8")
_ERROR_CODES = ipaddress.IPv4Network("127.255.255.0/24")
