"""Origin enrichment: forward-confirmed rDNS, origin network, abuse contacts, DNSBLs, sending platforms.

See ``docs/enrichment.md``. Every lookup goes through the policy's resolver.
"""

from __future__ import annotations

from mailtrace.enrich.config import Enrichment
from mailtrace.enrich.facts import Fact
from mailtrace.enrich.platforms import STAMPS, PlatformStamp, identify_platforms
from mailtrace.enrich.run import Contact, EnrichmentReport, HostFacts, enrich

__all__ = [
    "STAMPS",
    "Contact",
    "Enrichment",
    "EnrichmentReport",
    "Fact",
    "HostFacts",
    "PlatformStamp",
    "enrich",
    "identify_platforms",
]
