"""Campaign clusters: messages that share sending infrastructure.

A cluster is every message with the same key on one dimension:

* ``network``: the origin's /24 (IPv4) or /48 (IPv6);
* ``identity``: a DKIM d= or SPF domain that passes (an authenticated sender);
* ``helo``: the origin's HELO name, generalised (``win-*``);
* ``message_id``: the Message-ID generalised (``#.*@mailer.example``).

Only keys shared by at least ``min_size`` messages are clusters. Each keeps its
count, the verdicts, the origin providers (a cluster inside a large provider's
shared infrastructure says so), the first and last Date: (UTC) and up to
:data:`EXAMPLES` example sources; memory grows with the distinct keys, never
with the reports.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from mailtrace.summary.counts import identities
from mailtrace.summary.patterns import generalise, message_id_pattern, network

EXAMPLES = 3
DIMENSIONS = ("network", "identity", "helo", "message_id")


@dataclass(slots=True)
class Cluster:
    dimension: str
    key: str
    count: int = 0
    first: datetime | None = None
    last: datetime | None = None
    verdicts: Counter[str] = field(default_factory=Counter)
    providers: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)

    def add(self, row: Mapping[str, str], when: datetime | None) -> None:
        self.count += 1
        self.verdicts[row.get("verdict") or "(none)"] += 1
        if row.get("origin_provider"):
            self.providers[row["origin_provider"]] += 1
        if when is not None:
            self.first = when if self.first is None else min(self.first, when)
            self.last = when if self.last is None else max(self.last, when)
        if len(self.examples) < EXAMPLES:
            where = row.get("source", "")
            if row.get("position"):
                where += f" #{row['position']}"
            self.examples.append(where)

    def to_dict(self) -> dict[str, Any]:
        return {
            "dimension": self.dimension,
            "key": self.key,
            "count": self.count,
            "first": None if self.first is None else self.first.isoformat(),
            "last": None if self.last is None else self.last.isoformat(),
            "verdicts": dict(self.verdicts.most_common()),
            "providers": dict(self.providers.most_common(EXAMPLES)),
            "examples": list(self.examples),
        }


def _when(text: str) -> datetime | None:
    try:
        stamp = datetime.fromisoformat(text)
    except ValueError:
        return None
    return stamp.astimezone(UTC) if stamp.tzinfo is not None else None


def cluster_keys(row: Mapping[str, str]) -> list[tuple[str, str]]:
    """The (dimension, key) pairs of one row."""
    keys: list[tuple[str, str]] = []
    net = network(row.get("origin_ip", ""))
    if net:
        keys.append(("network", net))
    keys.extend(("identity", domain) for domain in identities(row))
    helo = generalise(row.get("origin_helo", ""))
    if helo:
        keys.append(("helo", helo))
    message_id = row.get("message_id", "")
    if message_id:
        keys.append(("message_id", message_id_pattern(message_id)))
    return keys


class Clusters:
    """Groups rows by every key of :func:`cluster_keys`."""

    def __init__(self, *, min_size: int = 2) -> None:
        self.min_size = min_size
        self._groups: dict[tuple[str, str], Cluster] = {}

    def add(self, row: Mapping[str, str]) -> None:
        when = _when(row.get("date", ""))
        for dimension, key in cluster_keys(row):
            group = self._groups.get((dimension, key))
            if group is None:
                group = self._groups[(dimension, key)] = Cluster(dimension, key)
            group.add(row, when)

    def clusters(self) -> list[Cluster]:
        """The clusters, largest first (ties by dimension, then key)."""
        found = [c for c in self._groups.values() if c.count >= self.min_size]
        return sorted(found, key=lambda c: (-c.count, DIMENSIONS.index(c.dimension), c.key))
