"""``fast_replace`` gives what ``dataclasses.replace`` gives, on the path's own hops from real mail."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import mailtrace
from mailtrace.model.frozen import fast_replace
from mailtrace.trace.model import HopView, LinkStatus


def test_every_field_kept_or_changed_like_replace() -> None:
    report = mailtrace.analyze(Path(__file__).resolve().parents[2] / "fixtures" / "examples" / "forwarded.eml")
    assert report.path.hops
    for hop in report.path.hops:
        changes = {"network": hop.network + 1, "link": LinkStatus.BROKEN, "roles": ()}
        mine, theirs = fast_replace(hop, **changes), dataclasses.replace(hop, **changes)
        assert mine == theirs and hash(mine) == hash(theirs) and mine is not hop
        assert [getattr(mine, f.name) for f in dataclasses.fields(HopView)] == [
            getattr(theirs, f.name) for f in dataclasses.fields(HopView)
        ]
        with pytest.raises(dataclasses.FrozenInstanceError):
            mine.network = 0  # type: ignore[misc]


def test_unknown_fields_and_unsuitable_classes_are_refused() -> None:
    report = mailtrace.analyze(Path(__file__).resolve().parents[2] / "fixtures" / "examples" / "forwarded.eml")
    with pytest.raises(TypeError, match="no field"):
        fast_replace(report.path.hops[0], networks=1)

    @dataclasses.dataclass(frozen=True, slots=True)
    class Checked:
        value: int

        def __post_init__(self) -> None:
            if self.value < 0:
                raise ValueError("negative")

    with pytest.raises(TypeError, match="__post_init__"):
        fast_replace(Checked(1), value=-1)  # would skip the check replace() runs

    @dataclasses.dataclass(frozen=True)
    class Unslotted:
        value: int

    with pytest.raises(TypeError, match="slotted"):
        fast_replace(Unslotted(1), value=2)
