"""A live resolver on dnspython. Contacting DNS is a choice, never the default.

A live re-check asks the sender's own DNS servers for their SPF, DKIM and
DMARC records: the sender of a phishing mail can see that someone is looking
(and when). Use it knowingly; record the answers (:mod:`mailtrace.dns.evidence`)
so the analysis can be repeated without asking again.

Each question gets ``timeout`` seconds per server try and at most ``lifetime``
seconds overall (less when the caller's budget says so). EDNS0 with a
1232-byte payload is on, so large TXT answers do not need TCP; a truncated
answer still falls back to TCP. Wrap in :class:`~mailtrace.dns.cache.CachingResolver`
for a TTL cache (``resolver_from_options`` does).
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Sequence

import dns.exception
import dns.name
import dns.nameserver
import dns.rdatatype
import dns.resolver

from mailtrace.dns.answer import Answer, Status, normalize_name, normalize_type
from mailtrace.dns.rdata import rdata_text
from mailtrace.errors import ConfigurationError


def parse_nameserver(text: str) -> tuple[str, int]:
    """``192.0.2.53``, ``192.0.2.53:5353``, ``2001:db8::53`` or ``[2001:db8::53]:5353`` as (address, port)."""
    spec = text.strip()
    host, port = spec, 53
    if spec.startswith("["):
        host, _, rest = spec[1:].partition("]")
        if rest:
            if not rest.startswith(":") or not rest[1:].isascii() or not rest[1:].isdigit():
                raise ConfigurationError(f"--nameserver {text!r}: expected [IPv6]:PORT")
            port = int(rest[1:])
    elif spec.count(":") == 1:
        host, _, number = spec.partition(":")
        if not number.isascii() or not number.isdigit():
            raise ConfigurationError(f"--nameserver {text!r}: the port must be a number")
        port = int(number)
    try:
        address = str(ipaddress.ip_address(host))
    except ValueError:
        raise ConfigurationError(f"--nameserver {text!r}: not an IP address (names are not accepted)") from None
    if not 0 < port < 65536:
        raise ConfigurationError(f"--nameserver {text!r}: port out of range")
    return address, port


class LiveResolver:
    """Asks real name servers (the system's, or ``nameservers``: ``IP`` or ``IP:PORT`` strings)."""

    def __init__(
        self,
        *,
        nameservers: Sequence[str] | None = None,
        timeout: float = 3.0,
        lifetime: float = 8.0,
        edns_payload: int | None = 1232,
    ) -> None:
        if timeout <= 0 or lifetime <= 0:
            raise ConfigurationError("LiveResolver timeout and lifetime must be positive")
        try:
            resolver = dns.resolver.Resolver(configure=not nameservers)
        except dns.exception.DNSException as exc:
            raise ConfigurationError(f"no usable system DNS configuration: {exc}") from None
        if nameservers:
            resolver.nameservers = [dns.nameserver.Do53Nameserver(*parse_nameserver(ns)) for ns in nameservers]
        resolver.timeout = timeout
        resolver.lifetime = lifetime
        if edns_payload:
            resolver.use_edns(0, 0, edns_payload)
        resolver.cache = None
        self.timeout = timeout
        self.lifetime = lifetime
        self._resolver = resolver

    def resolve(self, name: str, rtype: str, *, timeout: float | None = None) -> Answer:
        qname, qtype = normalize_name(name), normalize_type(rtype)
        lifetime = self.lifetime if timeout is None else max(0.001, min(timeout, self.lifetime))
        try:
            rdtype = dns.rdatatype.from_text(qtype)
            owner = dns.name.from_text(qname)
        except (dns.exception.DNSException, ValueError) as exc:
            return Answer(name=qname, rtype=qtype, status=Status.NXDOMAIN, detail=f"not a valid DNS name: {exc}")
        try:
            result = self._resolver.resolve(owner, rdtype, raise_on_no_answer=False, search=False, lifetime=lifetime)
        except dns.resolver.NXDOMAIN:
            return Answer(name=qname, rtype=qtype, status=Status.NXDOMAIN)
        except dns.exception.Timeout as exc:
            return Answer(name=qname, rtype=qtype, status=Status.TIMEOUT, detail=str(exc))
        except dns.resolver.NoNameservers as exc:
            return Answer(name=qname, rtype=qtype, status=Status.SERVFAIL, detail=str(exc))
        except dns.exception.DNSException as exc:
            return Answer(name=qname, rtype=qtype, status=Status.SERVFAIL, detail=f"{type(exc).__name__}: {exc}")
        except OSError as exc:
            return Answer(name=qname, rtype=qtype, status=Status.SERVFAIL, detail=f"network error: {exc}")
        rrset = result.rrset
        if rrset is None:
            ttl = max(0, int(result.expiration - time.time()))
            return Answer(name=qname, rtype=qtype, status=Status.NODATA, ttl=ttl)
        records = tuple(rdata_text(rrset.rdtype, rd) for rd in rrset)
        return Answer(name=qname, rtype=qtype, status=Status.NOERROR, records=records, ttl=int(rrset.ttl))
