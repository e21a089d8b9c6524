"""Caches bounded in bytes, not only in entries.

``functools.lru_cache(maxsize=N)`` bounds the number of entries, not their size: a cache of
4,096 entries keyed by 64 kB header values holds 256 MB after a few thousand hostile
messages (measured: 588 MB over the package's caches). :func:`bounded_cache` keeps at most
``maxsize`` results and never keeps one for an argument longer than ``max_len`` (characters or
bytes): such an argument is computed every time, so a cache holds at most ``maxsize * max_len``
of keys, plus what the results hold. ``docs/hardening.md`` lists every cache with its bound.

Speed: the cached functions run about 80 times per analysed message, nearly always for an
argument seen before. The cache is a ``dict`` whose ``__missing__`` computes, and keeps, what is
not in it yet, and the decorated function is ``functools.partial(dict.__getitem__, cache)``: a hit
is one C-level dict lookup, with no Python frame (about a sixth of the cost of the Python wrapper
around ``functools.lru_cache`` that this replaced). When the cache is full the oldest quarter of
its entries is dropped (first in, first out; the results are pure functions of their argument, so
what is evicted changes only the speed).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Hashable, Iterator
from contextlib import AbstractContextManager, contextmanager
from functools import partial, update_wrapper
from itertools import islice
from typing import Any, NamedTuple, Protocol, TypeVar, runtime_checkable

K = TypeVar("K", bound=Hashable)
R = TypeVar("R")
K_contra = TypeVar("K_contra", bound=Hashable, contravariant=True)
R_co = TypeVar("R_co", covariant=True)


class CacheInfo(NamedTuple):
    """``functools.lru_cache``'s ``cache_info()`` fields; ``hits`` is ``None`` (a hit runs no code to count it)."""

    hits: int | None
    misses: int
    maxsize: int
    currsize: int


@runtime_checkable
class BoundedCache(Protocol[K_contra, R_co]):
    """A one-argument function whose results are cached, except for arguments longer than ``max_len``."""

    @property
    def __wrapped__(self) -> Callable[[K_contra], R_co]: ...

    @property
    def cached(self) -> Callable[[K_contra], R_co]:
        """The same function (kept for callers written for the earlier ``lru_cache`` attribute)."""

    @property
    def max_len(self) -> int: ...

    @property
    def maxsize(self) -> int: ...

    def __call__(self, arg: K_contra, /) -> R_co: ...

    def cache_clear(self) -> None: ...

    def cache_info(self) -> CacheInfo: ...

    def without_bound(self) -> AbstractContextManager[None]:
        """Keep every result inside the block, then the bound again: for measuring what the bound costs
        (``benchmarks/stage_profile.py --caches``), never for analysing hostile mail."""


class _Memo(dict[Any, Any]):
    """The results of one function by argument; a missing one is computed and, when the argument is short, kept."""

    __slots__ = ("_fn", "_max_len", "_maxsize", "misses")

    def __init__(self, fn: Callable[[Any], Any], maxsize: int, max_len: int) -> None:
        super().__init__()
        self._fn = fn
        self._maxsize = maxsize
        self._max_len = max_len
        self.misses = 0

    def __missing__(self, arg: Any) -> Any:
        value = self._fn(arg)  # an exception propagates and nothing is kept
        self.misses += 1
        try:
            long = len(arg) > self._max_len
        except TypeError:  # not Sized: always kept
            long = False
        if not long:
            if len(self) >= self._maxsize:
                self._evict()
            self[arg] = value
        return value

    def reset(self) -> None:
        """Empty the cache and its miss count (``cache_clear``)."""
        self.clear()
        self.misses = 0

    @contextmanager
    def without_bound(self) -> Iterator[None]:
        bound = self._maxsize
        self._maxsize = sys.maxsize
        try:
            yield
        finally:
            self._maxsize = bound
            while len(self) > bound:
                self._evict()

    def _evict(self) -> None:
        """Drop the oldest quarter of the entries (at least one)."""
        try:
            oldest = list(islice(self, max(1, self._maxsize // 4)))
        except RuntimeError:  # another thread changed the cache meanwhile
            oldest = []
            self.clear()
        for key in oldest:
            self.pop(key, None)

    def __repr__(self) -> str:
        return f"<cache of {getattr(self._fn, '__qualname__', self._fn)!r}: {len(self)} of {self._maxsize} entries>"

    # a cache compares, hashes and tests true as the object it is, not as its contents
    __eq__ = object.__eq__
    __ne__ = object.__ne__
    __hash__ = object.__hash__  # type: ignore[assignment]

    def __bool__(self) -> bool:
        return True


def bounded_cache(maxsize: int, max_len: int) -> Callable[[Callable[[K], R]], BoundedCache[K, R]]:
    """Decorator: cache up to ``maxsize`` results, only for arguments of at most ``max_len`` items."""
    if maxsize < 1:
        raise ValueError("maxsize must be at least 1")

    def decorate(fn: Callable[[K], R]) -> BoundedCache[K, R]:
        memo = _Memo(fn, maxsize, max_len)
        wrapper: Any = partial(_Memo.__getitem__, memo)
        update_wrapper(wrapper, fn)
        wrapper.cached = wrapper
        wrapper.max_len = max_len
        wrapper.maxsize = maxsize
        wrapper.cache_clear = memo.reset
        wrapper.without_bound = memo.without_bound
        wrapper.cache_info = lambda: CacheInfo(None, memo.misses, maxsize, len(memo))
        # pickled (and copied) by reference, as the function it replaces: a string names a global
        wrapper.__reduce_ex__ = lambda _protocol: wrapper.__qualname__
        return wrapper  # type: ignore[no-any-return]

    return decorate
