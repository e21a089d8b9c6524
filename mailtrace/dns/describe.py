"""What a resolver really is, in words, for the report (``verification.dns.resolver``).

The text report titles its re-verification section with it, so that an analyst reads "DNS
replayed from evidence.jsonl" or "offline zone site.zone" rather than "DNS now" when the
answers were not today's.
"""

from __future__ import annotations

from mailtrace.dns.evidence import RecordingResolver, ReplayResolver
from mailtrace.dns.live import LiveResolver
from mailtrace.dns.zone import OfflineZone

#: Wrappers (cache, budget, health monitor) are looked through, this many deep at most.
MAX_DEPTH = 8


def describe_resolver(resolver: object) -> str:
    """``live DNS``, ``DNS replayed from FILE (recorded ...)``, ``offline zone FILE``... or the class name."""
    for _ in range(MAX_DEPTH):
        if isinstance(resolver, ReplayResolver):
            where = f"DNS replayed from {resolver.source}" if resolver.source else "DNS replayed from an evidence file"
            return where + (f" (recorded {resolver.created})" if resolver.created else "")
        if isinstance(resolver, OfflineZone):
            return f"offline zone {resolver.source}" if resolver.source else "offline zone"
        if isinstance(resolver, LiveResolver):
            return "live DNS, now"
        if isinstance(resolver, RecordingResolver):
            return describe_resolver(resolver.inner) + ", recorded as evidence"
        inner = getattr(resolver, "inner", None)
        if inner is None:
            break
        resolver = inner
    return "DNS" if resolver is None else f"resolver {type(resolver).__name__}"
