"""The optional stages after the verdict: origin enrichment and body indicators, each when the policy asks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mailtrace.model.fields import Message
from mailtrace.policy import Policy
from mailtrace.trace.model import Path

if TYPE_CHECKING:
    from mailtrace.auth.results import Verification
    from mailtrace.enrich.run import EnrichmentReport
    from mailtrace.indicators.model import Indicators


def analysis_extras(
    message: Message, path: Path | None, border_ip: str | None, verification: Verification | None, policy: Policy
) -> tuple[EnrichmentReport | None, Indicators | None]:
    """``(enrichment, indicators)``, each ``None`` unless ``policy.enrichment`` / ``policy.indicators`` is set."""
    enrichment = indicators = None
    if policy.enrichment is not None:
        from mailtrace.enrich.run import enrich

        used = verification.dns.lookups if verification is not None else 0
        enrichment = enrich(message, path, border_ip, policy, lookups_used=used)
    if policy.indicators is not None:
        from mailtrace.indicators.extract import extract_indicators

        indicators = extract_indicators(message, policy.limits, policy.indicators)
    return enrichment, indicators
