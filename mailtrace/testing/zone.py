"""The DNS zone a built message needs: SPF (RFC 7208), DKIM keys (RFC 6376 3.6), DMARC (RFC 7489 6.1),
MX, A and PTR records, as the ``{name: {TYPE: [records]}}`` dict that
:meth:`mailtrace.dns.OfflineZone.from_dict` reads.

SPF records are assembled from terms so that several messages (a builder bound to one zone) can
add the hosts they send from; any other record set twice with a different value is a conflict and
raises :class:`~mailtrace.errors.ConfigurationError` (pick different domains for the two scenarios).
"""

from __future__ import annotations

import ipaddress
from typing import Any

from mailtrace.errors import ConfigurationError


def reverse_name(ip: str) -> str:
    """The ``in-addr.arpa`` / ``ip6.arpa`` name of ``ip`` (RFC 1035 3.5, RFC 3596 2.5)."""
    return ipaddress.ip_address(ip).reverse_pointer


class ZoneBuilder:
    """Collects records; :meth:`to_dict` renders them, :meth:`resolver` gives an offline zone."""

    def __init__(self) -> None:
        self._records: dict[str, dict[str, list[str]]] = {}
        self._spf_terms: dict[str, list[str]] = {}
        self._spf_all: dict[str, str] = {}
        self.version = 0  #: bumped on every change (for :class:`ZoneResolver`)

    def add(self, name: str, rtype: str, value: str) -> None:
        """Add one record; an ``A``/``PTR``/``MX`` joins the set, a ``TXT`` policy record must not conflict."""
        name = name.lower().rstrip(".")
        records = self._records.setdefault(name, {}).setdefault(rtype, [])
        if value in records:
            return
        self.version += 1
        if rtype == "TXT" and records and _kind(value) == _kind(records[0]):
            raise ConfigurationError(
                f"zone conflict at {name}: {records[0]!r} versus {value!r}; "
                "build these scenarios with different domains"
            )
        if rtype == "PTR" and records:
            raise ConfigurationError(f"zone conflict at {name}: PTR {records[0]!r} versus {value!r}")
        records.append(value)

    def host(self, name: str, ip: str, *, ptr: bool = True) -> None:
        """``A``/``AAAA`` for ``name`` and, when ``ptr``, the matching PTR (forward-confirmed reverse DNS)."""
        if not ip:
            return
        self.add(name, "AAAA" if ":" in ip else "A", ip)
        if ptr:
            self.add(reverse_name(ip), "PTR", name)

    def addresses(self) -> dict[str, str]:
        """Host name -> first address, for hosts already in the zone (so a shared zone keeps them)."""
        out: dict[str, str] = {}
        for name, types in self._records.items():
            for rtype in ("A", "AAAA"):
                if types.get(rtype):
                    out.setdefault(name, types[rtype][0])
        return out

    def spf(self, domain: str, term: str, *, all_: str = "-all") -> None:
        """Add an SPF mechanism (``ip4:192.0.2.1``, ``include:_spf.example``) to ``domain``'s record."""
        domain = domain.lower()
        terms = self._spf_terms.setdefault(domain, [])
        if term not in terms:
            terms.append(term)
            self.version += 1
        old = self._spf_all.setdefault(domain, all_)
        if old != all_:
            raise ConfigurationError(f"zone conflict at {domain}: SPF ends with {old} and {all_}")

    def merge(self, other: ZoneBuilder) -> None:
        for name, types in other._records.items():
            for rtype, values in types.items():
                for value in values:
                    self.add(name, rtype, value)
        for domain, terms in other._spf_terms.items():
            for term in terms:
                self.spf(domain, term, all_=other._spf_all[domain])

    def to_dict(self) -> dict[str, dict[str, list[str]]]:
        """The zone, names sorted (stable for golden files)."""
        out: dict[str, dict[str, list[str]]] = {}
        for name in sorted(set(self._records) | set(self._spf_terms)):
            types = {t: list(v) for t, v in sorted(self._records.get(name, {}).items())}
            if name in self._spf_terms:
                spf = " ".join(["v=spf1", *self._spf_terms[name], self._spf_all[name]])
                types.setdefault("TXT", [])
                types["TXT"] = [spf, *types["TXT"]]
            out[name] = types
        return out

    def resolver(self) -> Any:
        """An :class:`mailtrace.dns.OfflineZone` over these records."""
        from mailtrace.dns import OfflineZone

        return OfflineZone.from_dict(self.to_dict())


class ZoneResolver:
    """A :class:`mailtrace.dns.Resolver` over a :class:`ZoneBuilder` that sees records added later."""

    def __init__(self, zone: ZoneBuilder) -> None:
        self.zone = zone
        self._snapshot: Any = None
        self._version = -1

    def resolve(self, name: str, rtype: str, *, timeout: float | None = None) -> Any:
        if self._version != self.zone.version or self._snapshot is None:
            self._snapshot = self.zone.resolver()
            self._version = self.zone.version
        return self._snapshot.resolve(name, rtype, timeout=timeout)

    def __repr__(self) -> str:
        return f"ZoneResolver({len(self.zone.to_dict())} names)"


def _kind(txt: str) -> str:
    head = txt.split(";", 1)[0].split(" ", 1)[0].strip().lower()
    return head if head.startswith("v=") else "other"
