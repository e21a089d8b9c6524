"""mailtrace.memo.bounded_cache: results cached by argument, bounded in entries and in key length."""

from __future__ import annotations

import copy
import pickle
import threading

import pytest

from mailtrace.memo import BoundedCache, bounded_cache
from mailtrace.parse.dates import parse_date

CALLS: list[object] = []


@bounded_cache(maxsize=8, max_len=5)
def shout(text: str) -> str:
    """Upper-case ``text`` (and record the call)."""
    CALLS.append(text)
    return text.upper()


@bounded_cache(maxsize=4, max_len=5)
def nothing(number: int) -> None:
    CALLS.append(number)
    return None


def setup_function() -> None:
    shout.cache_clear()
    nothing.cache_clear()
    CALLS.clear()


def test_results_are_cached_and_long_arguments_are_not() -> None:
    assert shout("ab") == "AB" and shout("ab") == "AB"
    assert CALLS == ["ab"]
    assert shout("abcdef") == "ABCDEF" and shout("abcdef") == "ABCDEF"
    assert CALLS == ["ab", "abcdef", "abcdef"]  # longer than max_len: computed every time, never kept
    assert shout.cache_info().currsize == 1 and shout.cache_info().misses == 3
    assert shout.cached("ab") == "AB" and CALLS.count("ab") == 1


def test_a_none_result_and_an_unsized_argument_are_cached() -> None:
    assert nothing(7) is None and nothing(7) is None
    assert CALLS == [7]


def test_the_cache_stays_within_maxsize() -> None:
    for i in range(100):
        shout(f"k{i}")
    assert 1 <= shout.cache_info().currsize <= 8
    assert shout("k99") == "K99"
    CALLS.clear()
    shout("k99")
    assert CALLS == []  # the newest entries are kept (the oldest are dropped first)


def test_without_bound_keeps_every_result_inside_the_block_only() -> None:
    shout.cache_clear()
    with shout.without_bound():
        for i in range(100):
            shout(f"u{i}")
        assert shout.cache_info().currsize == 100  # measured unbounded
        CALLS.clear()
        shout("u0")
        assert CALLS == []
    assert 1 <= shout.cache_info().currsize <= 8  # bounded again, the oldest dropped
    assert shout("u99") == "U99"


def test_exceptions_propagate_and_nothing_is_kept() -> None:
    @bounded_cache(maxsize=4, max_len=10)
    def fail(text: str) -> str:
        raise ValueError(text)

    with pytest.raises(ValueError):
        fail("x")
    assert fail.cache_info().currsize == 0
    with pytest.raises(TypeError):
        shout([1])  # type: ignore[arg-type]  # unhashable, as with lru_cache


def test_the_wrapper_is_the_function_for_callers_and_tools() -> None:
    assert isinstance(shout, BoundedCache)
    wrapper: object = shout
    assert getattr(wrapper, "__name__", None) == "shout" and getattr(wrapper, "__module__", None) == __name__
    assert shout.__doc__
    assert shout.__wrapped__("x") == "X" and (shout.maxsize, shout.max_len) == (8, 5)
    assert pickle.loads(pickle.dumps(parse_date)) is parse_date  # by reference, as a function
    assert copy.deepcopy(parse_date) is parse_date
    other: object = nothing
    assert hash(shout) == hash(shout) and shout == wrapper and shout != other and bool(shout)
    assert "entries" in repr(shout)


def test_threads_share_one_cache() -> None:
    def work() -> None:
        for i in range(200):
            assert shout(f"t{i % 20}") == f"T{i % 20}"

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert shout.cache_info().currsize <= 8
