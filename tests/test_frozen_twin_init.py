"""``fast_init`` fills a class of four fields or more through its twin class; the object must be the one the
dataclass's own ``__init__`` makes, field for field, for any values (defaults, factories, ``__post_init__``),
and a subclass's object must keep its class."""

from __future__ import annotations

import dataclasses
import pickle
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mailtrace
from mailtrace.model.frozen import _TWIN_FIELDS, fast_init
from mailtrace.trace.model import Evidence
from mailtrace.verdict.from_identity import FromIdentity


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class _Plain:
    """The reference: the dataclass's own ``__init__``."""

    name: str
    count: int = 0
    items: tuple[int, ...] = ()
    extra: dict[str, int] = dataclasses.field(default_factory=dict, compare=False)
    note: str | None = None


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class _Fast:
    name: str
    count: int = 0
    items: tuple[int, ...] = ()
    extra: dict[str, int] = dataclasses.field(default_factory=dict, compare=False)
    note: str | None = None


fast_init(_Fast)


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class _Posted:
    a: int
    b: int = 1
    c: int = 2
    d: list[int] = dataclasses.field(default_factory=list)

    def __post_init__(self) -> None:
        self.d.append(self.a + self.b + self.c)


fast_init(_Posted)


class _Sub(_Fast):
    __slots__ = ("more",)


def _fields(obj: Any) -> dict[str, Any]:
    return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}


@pytest.mark.skipif(mailtrace.__compiled__, reason="compiled classes are filled by their slot descriptors, no twin")
def test_the_classes_take_the_twin_path() -> None:
    assert len(dataclasses.fields(_Fast)) >= _TWIN_FIELDS and "__twin" in _Fast.__init__.__globals__
    assert "__twin" in Evidence.__init__.__globals__ and "__twin" in FromIdentity.__init__.__globals__


@settings(max_examples=200, deadline=None)
@given(
    name=st.text(max_size=5),
    count=st.integers(),
    items=st.tuples(st.integers()) | st.just(()),
    extra=st.none() | st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    note=st.none() | st.text(max_size=3),
    given_fields=st.sets(st.sampled_from(["count", "items", "extra", "note"])),
)
def test_twin_init_equals_the_dataclass_init(
    name: str,
    count: int,
    items: tuple[int, ...],
    extra: dict[str, int] | None,
    note: str | None,
    given_fields: set[str],
) -> None:
    values: dict[str, Any] = {"count": count, "items": items, "extra": extra or {}, "note": note}
    kwargs = {"name": name, **{k: v for k, v in values.items() if k in given_fields}}
    fast, plain = _Fast(**kwargs), _Plain(**kwargs)
    assert type(fast) is _Fast and _fields(fast) == _fields(plain)
    if "extra" not in given_fields:
        assert fast.extra == {} and fast.extra is not _Fast(name=name).extra
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.name = "x"  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(fast)) == fast and hash(fast) == hash(_Fast(**kwargs))


def test_post_init_runs_on_the_real_class() -> None:
    obj = _Posted(a=3)
    assert type(obj) is _Posted and obj.d == [6]
    with pytest.raises(TypeError):
        _Posted()  # type: ignore[call-arg]


def test_a_subclass_keeps_its_class_and_slots() -> None:
    obj = _Sub(name="a", count=2)
    assert type(obj) is _Sub and _fields(obj) == _fields(_Plain(name="a", count=2))


def test_evidence_and_from_identity_equal_their_field_values() -> None:
    ev = Evidence(text="t", header="From", header_index=3)
    assert (ev.text, ev.header, ev.header_index, ev.hop) == ("t", "From", 3, None)
    ident = FromIdentity(address="a@b.example", domain="b.example", displayed="a@b.example", malformed=True)
    assert ident.mailbox is None and ident.domains == () and ident.malformed and ident.header_index is None
