"""Grouping reported messages by origin network: one report per network for a campaign."""

from __future__ import annotations

from collections.abc import Sequence

from mailtrace.abuse.incident import Incident


def group_by_network(incidents: Sequence[Incident]) -> list[list[Incident]]:
    """Groups in first-seen order, keyed by the origin AS (enrichment) or else the source /24 (/48).

    Messages with no source IP form one group of their own (``network`` is ``None``).
    """
    groups: dict[str | None, list[Incident]] = {}
    for incident in incidents:
        groups.setdefault(incident.network, []).append(incident)
    return list(groups.values())
