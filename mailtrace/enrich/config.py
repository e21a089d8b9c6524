"""What origin enrichment asks, and where (``Policy.enrichment``; ``docs/enrichment.md``)."""

from __future__ import annotations

from dataclasses import dataclass

from mailtrace.dns.answer import normalize_name
from mailtrace.errors import ConfigurationError


@dataclass(frozen=True, slots=True, kw_only=True)
class Enrichment:
    """Origin enrichment settings. ``Policy.enrichment = None`` (the default) means none.

    Every question goes through ``Policy.resolver`` (offline zone, live,
    record or replay) and counts against the message's DNS budget, so
    enrichment is live only when DNS is. ``None`` for a zone skips that
    lookup. ``dnsbl_zones`` is empty by default: blocklists have their own
    terms of use (``docs/enrichment.md``).
    """

    #: Enrich every public client of the trace, not only the border client.
    all_clients: bool = False
    #: Team Cymru IP-to-ASN zones (TXT ``ASN | prefix | CC | registry | date``).
    asn_zone: str | None = "origin.asn.cymru.com"
    asn6_zone: str | None = "origin6.asn.cymru.com"
    #: AS names: TXT at ``AS<n>.<asname_zone>``.
    asname_zone: str | None = "asn.cymru.com"
    #: Abuse contacts by reversed IP (TXT: one address per record).
    abuse_zone: str | None = "abuse-contacts.abusix.zone"
    #: DNS blocklists asked for the border IP (A: the answer codes; TXT when listed).
    dnsbl_zones: tuple[str, ...] = ()
    #: PTR names checked forward (A/AAAA) per address.
    max_ptr_names: int = 4

    def __post_init__(self) -> None:
        for name in ("asn_zone", "asn6_zone", "asname_zone", "abuse_zone"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, _zone(value, name))
        object.__setattr__(self, "dnsbl_zones", tuple(_zone(z, "dnsbl_zones") for z in self.dnsbl_zones))
        if self.max_ptr_names < 1:
            raise ConfigurationError("Enrichment.max_ptr_names must be positive")

    def to_dict(self) -> dict[str, object]:
        return {
            "all_clients": self.all_clients,
            "asn_zone": self.asn_zone,
            "asn6_zone": self.asn6_zone,
            "asname_zone": self.asname_zone,
            "abuse_zone": self.abuse_zone,
            "dnsbl_zones": list(self.dnsbl_zones),
        }


def _zone(value: str, what: str) -> str:
    zone = normalize_name(value)
    labels = zone.split(".")
    if not zone or len(zone) > 200 or not all(lbl and len(lbl) <= 63 for lbl in labels):
        raise ConfigurationError(f"Enrichment.{what}: {value!r} is not a DNS zone name")
    if any(not (c.isalnum() or c in "-_") for lbl in labels for c in lbl):
        raise ConfigurationError(f"Enrichment.{what}: {value!r} is not a DNS zone name")
    return zone
