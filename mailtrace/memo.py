"""Caches bounded in bytes, not only in entries.

``functools.lru_cache(maxsize=N)`` bounds the number of entries, not their size: a cache of
4,096 entries keyed by 64 kB header values holds 256 MB after a few thousand hostile
messages (measured: 588 MB over the package's caches). :func:`bounded_cache` keeps
``functools.lru_cache`` (C speed) for small arguments and calls the function uncached for an
argument longer than ``max_len`` (characters or bytes), so a cache holds at most
``maxsize * max_len`` of keys, plus what the results hold. ``docs/hardening.md`` lists
every cache with its bound.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import lru_cache, update_wrapper
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)
R = TypeVar("R")


class BoundedCache(Generic[K, R]):
    """A one-argument function with an LRU cache that skips arguments longer than ``max_len``."""

    def __init__(self, fn: Callable[[K], R], maxsize: int, max_len: int) -> None:
        self.__wrapped__ = fn
        self._cached = lru_cache(maxsize=maxsize)(fn)
        self.max_len = max_len
        self.maxsize = maxsize
        update_wrapper(self, fn)

    def __call__(self, arg: K) -> R:
        # ``len`` first: the cached arguments are strings, and ``isinstance(arg, Sized)`` is an ABC
        # check that cost more than the lookup itself (about 150 calls per analysed message)
        try:
            long = len(arg) > self.max_len  # type: ignore[arg-type]
        except TypeError:  # not Sized: always cached
            long = False
        if long:
            return self.__wrapped__(arg)
        return self._cached(arg)

    def cache_clear(self) -> None:
        self._cached.cache_clear()

    def cache_info(self) -> Any:
        return self._cached.cache_info()


def bounded_cache(maxsize: int, max_len: int) -> Callable[[Callable[[K], R]], BoundedCache[K, R]]:
    """Decorator: cache up to ``maxsize`` results, only for arguments of at most ``max_len`` items."""

    def decorate(fn: Callable[[K], R]) -> BoundedCache[K, R]:
        return BoundedCache(fn, maxsize, max_len)

    return decorate
