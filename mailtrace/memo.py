"""Caches bounded in bytes, not only in entries.

``functools.lru_cache(maxsize=N)`` bounds the number of entries, not their size: a cache of
4,096 entries keyed by 64 kB header values holds 256 MB after a few thousand hostile
messages (measured: 588 MB over the package's caches). :func:`bounded_cache` keeps
``functools.lru_cache`` (C speed) for small arguments and calls the function uncached for an
argument longer than ``max_len`` (characters or bytes), so a cache holds at most
``maxsize * max_len`` of keys, plus what the results hold. ``docs/hardening.md`` lists
every cache with its bound.

The wrapper is a plain function (a closure), not an instance with ``__call__``: the
interpreter specialises and inlines calls of Python functions, not of callable objects,
and the wrapper runs about 150 times per analysed message. A hot caller whose argument is
already known to be short may call ``fn.cached`` (the ``lru_cache`` itself) directly.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import lru_cache, update_wrapper
from typing import Any, Protocol, TypeVar, runtime_checkable

K = TypeVar("K", bound=Hashable)
R = TypeVar("R")
K_contra = TypeVar("K_contra", bound=Hashable, contravariant=True)
R_co = TypeVar("R_co", covariant=True)


@runtime_checkable
class BoundedCache(Protocol[K_contra, R_co]):
    """A one-argument function with an LRU cache that skips arguments longer than ``max_len``."""

    @property
    def __wrapped__(self) -> Callable[[K_contra], R_co]: ...

    @property
    def cached(self) -> Callable[[K_contra], R_co]:
        """The ``lru_cache`` itself: call it only with arguments of at most ``max_len`` items."""

    @property
    def max_len(self) -> int: ...

    @property
    def maxsize(self) -> int: ...

    def __call__(self, arg: K_contra, /) -> R_co: ...

    def cache_clear(self) -> None: ...

    def cache_info(self) -> Any: ...


def bounded_cache(maxsize: int, max_len: int) -> Callable[[Callable[[K], R]], BoundedCache[K, R]]:
    """Decorator: cache up to ``maxsize`` results, only for arguments of at most ``max_len`` items."""

    def decorate(fn: Callable[[K], R]) -> BoundedCache[K, R]:
        cached = lru_cache(maxsize=maxsize)(fn)

        def call(arg: K, /) -> R:
            # ``len`` first: the cached arguments are strings, and ``isinstance(arg, Sized)`` is an ABC
            # check that cost more than the lookup itself
            try:
                long = len(arg) > max_len  # type: ignore[arg-type]
            except TypeError:  # not Sized: always cached
                long = False
            if long:
                return fn(arg)
            return cached(arg)

        update_wrapper(call, fn)
        wrapper: Any = call
        wrapper.cached = cached
        wrapper.max_len = max_len
        wrapper.maxsize = maxsize
        wrapper.cache_clear = cached.cache_clear
        wrapper.cache_info = cached.cache_info
        return wrapper  # type: ignore[no-any-return]

    return decorate
