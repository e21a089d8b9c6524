"""A TTL-respecting answer cache around any resolver.

Positive answers live for their TTL, negative ones (NXDOMAIN, NODATA) for
their negative-caching TTL (RFC 2308 section 5) or ``negative_ttl``.
Temporary failures (SERVFAIL, TIMEOUT) are never cached: the next question
asks again. Bounded in size (least recently used entries go first).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from mailtrace.dns.answer import Answer, normalize_name, normalize_type
from mailtrace.dns.resolver import Resolver


class CachingResolver:
    """Caches ``inner``'s answers by (name, type) until their TTL runs out."""

    def __init__(
        self,
        inner: Resolver,
        *,
        max_entries: int = 10_000,
        negative_ttl: int = 300,
        max_ttl: int = 86_400,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.inner = inner
        self.max_entries = max_entries
        self.negative_ttl = negative_ttl
        self.max_ttl = max_ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[str, str], tuple[float, Answer]] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def resolve(self, name: str, rtype: str, *, timeout: float | None = None) -> Answer:
        key = (normalize_name(name), normalize_type(rtype))
        now = self._clock()
        with self._lock:
            cached = self._entries.get(key)
            if cached is not None and cached[0] > now:
                self._entries.move_to_end(key)
                self.hits += 1
                return cached[1]
            if cached is not None:
                del self._entries[key]
            self.misses += 1
        answer = self.inner.resolve(name, rtype, timeout=timeout)
        if answer.temporary:
            return answer
        ttl = answer.ttl if answer.ttl is not None else (self.negative_ttl if answer.negative else 0)
        ttl = min(ttl, self.max_ttl)
        if ttl <= 0:
            return answer
        with self._lock:
            self._entries[key] = (now + ttl, answer)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return answer

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
