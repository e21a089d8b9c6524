"""Origin enrichment of one analysed message: the border client's network, names, listings and platforms.

Runs after verification, through the same resolver, with the lookups the
verification left of ``Limits.max_dns_lookups`` and a time budget of
``Limits.dns_time_budget``: a question past either is answered TIMEOUT and
the fact it served reads ``unknown``. With no resolver nothing is asked
(``dns.checked: false``) and only the header stamps are read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mailtrace.defects import Defect, defects_to_list
from mailtrace.dns.budget import BudgetedResolver
from mailtrace.enrich.config import Enrichment
from mailtrace.enrich.facts import Fact
from mailtrace.enrich.lookups import IP, abuse_contacts, as_name, dnsbl, fcrdns, origin_asn
from mailtrace.enrich.platforms import PlatformStamp, identify_platforms
from mailtrace.model.fields import Message
from mailtrace.policy import Policy
from mailtrace.trace.hosts import is_public_ip, parse_ip
from mailtrace.trace.model import Path


@dataclass(frozen=True, slots=True, kw_only=True)
class HostFacts:
    ip: str
    role: str  #: ``border`` or ``hop``
    received_index: int | None
    facts: tuple[Fact, ...] = ()

    def fact(self, kind: str) -> Fact | None:
        """The first fact of ``kind`` (``fcrdns``, ``origin``, ``as_name``, ``abuse_contact``, ``dnsbl``)."""
        return next((f for f in self.facts if f.kind == kind), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ip": self.ip,
            "role": self.role,
            "received_index": self.received_index,
            "facts": [f.to_dict() for f in self.facts],
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Contact:
    address: str
    scope: str  #: ``provider`` (a platform stamp) or ``network`` (the border IP's abuse contact)
    source: str  #: the provider name, or the DNS method

    def to_dict(self) -> dict[str, str]:
        return {"address": self.address, "scope": self.scope, "source": self.source}


@dataclass(frozen=True, slots=True, kw_only=True)
class EnrichmentReport:
    config: Enrichment
    checked: bool
    hosts: tuple[HostFacts, ...] = ()
    platforms: tuple[PlatformStamp, ...] = ()
    contacts: tuple[Contact, ...] = ()
    lookups: int = 0
    refused: int = 0
    defects: tuple[Defect, ...] = field(default=())

    @property
    def border(self) -> HostFacts | None:
        return next((h for h in self.hosts if h.role == "border"), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "config": self.config.to_dict(),
            "dns": {"checked": self.checked, "lookups": self.lookups, "refused": self.refused},
            "hosts": [h.to_dict() for h in self.hosts],
            "platforms": [p.to_dict() for p in self.platforms],
            "abuse_contacts": [c.to_dict() for c in self.contacts],
            "defects": defects_to_list(self.defects),
        }


def enrich(
    message: Message, path: Path | None, border_ip: str | None, policy: Policy, lookups_used: int = 0
) -> EnrichmentReport:
    """Enrich the border client (and every public client with ``all_clients``); never raises for bad mail."""
    config = policy.enrichment or Enrichment()
    border = path.border if path is not None else None
    platforms = identify_platforms(
        message, None if border is None else border.header_index, None if border is None else border.receiver
    )
    targets = _targets(path, border_ip, config)
    if policy.resolver is None:
        hosts = tuple(HostFacts(ip=ip, role=role, received_index=idx) for ip, role, idx in targets)
        return EnrichmentReport(
            config=config, checked=False, hosts=hosts, platforms=platforms, contacts=_contacts(platforms, hosts)
        )
    limits = policy.limits
    budget = BudgetedResolver(
        policy.resolver, max_lookups=max(0, limits.max_dns_lookups - lookups_used), time_budget=limits.dns_time_budget
    )
    hosts = tuple(
        HostFacts(ip=ip, role=role, received_index=idx, facts=_facts(budget, ip, role, config))
        for ip, role, idx in targets
    )
    defects: tuple[Defect, ...] = ()
    if budget.refused:
        defects = (
            Defect(
                "dns.budget_exhausted",
                f"enrichment: {budget.refused} DNS questions refused (budget {limits.max_dns_lookups} lookups "
                f"per message, {lookups_used} used by verification)",
            ),
        )
    return EnrichmentReport(
        config=config,
        checked=True,
        hosts=hosts,
        platforms=platforms,
        contacts=_contacts(platforms, hosts),
        lookups=budget.lookups,
        refused=budget.refused,
        defects=defects,
    )


def _targets(path: Path | None, border_ip: str | None, config: Enrichment) -> list[tuple[str, str, int | None]]:
    out: list[tuple[str, str, int | None]] = []
    seen: set[str] = set()
    border = path.border if path is not None else None
    if border_ip and is_public_ip(border_ip):
        ip = str(parse_ip(border_ip))
        out.append((ip, "border", None if border is None else border.index))
        seen.add(ip)
    if config.all_clients and path is not None:
        for hop in reversed(path.hops):  # newest first: nearest the border
            addr = parse_ip(hop.from_ip)
            if addr is None or not is_public_ip(hop.from_ip) or str(addr) in seen:
                continue
            seen.add(str(addr))
            out.append((str(addr), "hop", hop.received_index))
    return out


def _facts(resolver: BudgetedResolver, text: str, role: str, config: Enrichment) -> tuple[Fact, ...]:
    ip: IP | None = parse_ip(text)
    if ip is None:  # pragma: no cover - targets are parsed addresses
        return ()
    facts: list[Fact | None] = [fcrdns(resolver, ip, config.max_ptr_names)]
    origin = origin_asn(resolver, ip, config.asn_zone, config.asn6_zone)
    facts.append(origin)
    if origin is not None and origin.status == "found":
        facts.append(as_name(resolver, int(origin.data["asn"]), config.asname_zone))
    facts.append(abuse_contacts(resolver, ip, config.abuse_zone))
    if role == "border":
        facts.extend(dnsbl(resolver, ip, zone) for zone in config.dnsbl_zones)
    return tuple(f for f in facts if f is not None)


def _contacts(platforms: tuple[PlatformStamp, ...], hosts: tuple[HostFacts, ...]) -> tuple[Contact, ...]:
    """Whom to report to, best first: the sending platform's abuse desk (from the provider table),
    then the border network's. An address the message declares itself (``X-Report-Abuse``) is
    left out: in a phish it is written by the phisher, often the impersonated brand's."""
    out: dict[str, Contact] = {}
    for p in platforms:
        if p.side != "recipient" and p.identifies != "contact" and p.abuse and "@" in p.abuse:
            out.setdefault(p.abuse, Contact(address=p.abuse, scope="provider", source=p.provider))
    for h in hosts:
        if h.role != "border":
            continue
        for f in h.facts:
            if f.status == "found" and "contacts" in f.data:
                for address in f.data["contacts"]:
                    out.setdefault(address, Contact(address=address, scope="network", source=f.method))
    return tuple(out.values())
