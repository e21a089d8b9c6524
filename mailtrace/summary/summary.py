"""The summary of a batch: counts, clusters and the inputs that failed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mailtrace.summary.clusters import Clusters
from mailtrace.summary.counts import Counts

#: Failed inputs kept by name (the count goes on past it).
MAX_ERRORS_KEPT = 100


class Summary:
    """Add rows and error records; read :meth:`to_dict`."""

    def __init__(self, *, min_cluster: int = 2) -> None:
        self.messages = 0
        self.counts = Counts()
        self.clusters = Clusters(min_size=min_cluster)
        self.errors = 0
        self.error_records: list[dict[str, Any]] = []

    def add(self, row: Mapping[str, str]) -> None:
        self.messages += 1
        self.counts.add(row)
        self.clusters.add(row)

    def add_error(self, record: Mapping[str, Any]) -> None:
        self.errors += 1
        if len(self.error_records) < MAX_ERRORS_KEPT:
            self.error_records.append(dict(record))

    def to_dict(self, *, top: int | None = None) -> dict[str, Any]:
        """Counts (each table largest first, ``top`` entries when given) and clusters."""
        return {
            "messages": self.messages,
            "errors": self.errors,
            "counts": {name: dict(counter.most_common(top)) for name, counter in self.counts.tables.items()},
            "clusters": [c.to_dict() for c in self.clusters.clusters()[:top]],
            "failed_inputs": self.error_records,
        }
