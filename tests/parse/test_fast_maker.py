"""model.frozen.fast_maker builds the object the dataclass constructor builds (model/headers.py's makers)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mailtrace.defects import Defect
from mailtrace.model.addresses import make_address
from mailtrace.model.frozen import fast_maker
from mailtrace.model.headers import (
    HEADERS_DEFAULTS,
    AddressField,
    DateField,
    Headers,
    OriginatingIP,
    TextField,
    make_address_field,
    make_date_field,
    make_headers,
    make_originating_ip,
    make_text_field,
)

_TEXT = st.text(max_size=8)
_DEFECTS = st.lists(st.builds(Defect, _TEXT, _TEXT), max_size=2).map(tuple)


@given(st.integers(), _TEXT, _TEXT, _TEXT, st.lists(_TEXT, max_size=3).map(tuple), _DEFECTS)
def test_makers_equal_the_constructors(
    index: int, name: str, value: str, decoded: str, ids: tuple[str, ...], defects: tuple[Defect, ...]
) -> None:
    address = make_address(None, "a@b.example", "a", "b.example", "b.example", False, True, ())
    stamp = datetime(2024, 6, 3, tzinfo=UTC)
    pairs = [
        (
            make_text_field(index, name, value, decoded, ids, defects),
            TextField(index=index, name=name, value=value, decoded=decoded, ids=ids, defects=defects),
        ),
        (
            make_address_field(index, name, value, (address,), defects),
            AddressField(index=index, name=name, value=value, addresses=(address,), defects=defects),
        ),
        (
            make_date_field(index, name, value, stamp, defects),
            DateField(index=index, name=name, value=value, timestamp=stamp, defects=defects),
        ),
        (
            make_originating_ip(index, name, value, None, defects),
            OriginatingIP(index=index, name=name, value=value, ip=None, defects=defects),
        ),
    ]
    for made, built in pairs:
        assert type(made) is type(built) and made == built and hash(made) == hash(built)
        assert repr(made) == repr(built)
        with pytest.raises(dataclasses.FrozenInstanceError):
            made.name = "x"  # type: ignore[attr-defined]


def test_headers_maker_takes_every_field_in_order() -> None:
    assert make_headers(*HEADERS_DEFAULTS) == Headers()
    values = list(HEADERS_DEFAULTS)
    values[-1] = (Defect("header.x", "y"),)
    assert make_headers(*values) == Headers(defects=(Defect("header.x", "y"),))


def test_fast_maker_refuses_what_it_cannot_build() -> None:
    @dataclasses.dataclass(frozen=True)
    class NoSlots:
        a: int

    @dataclasses.dataclass(frozen=True, slots=True)
    class Post:
        a: int

        def __post_init__(self) -> None:
            pass

    for cls in (NoSlots, Post):
        with pytest.raises(TypeError):
            fast_maker(cls)
