"""Defects stay immutable data, yet travel through every pickling a batch or cluster uses."""

from __future__ import annotations

import pickle

import pytest

from mailtrace.defects import Defect


def test_defect_data_is_immutable() -> None:
    defect = Defect("header.too_long", "cut at 65536 bytes")
    with pytest.raises(AttributeError, match="immutable"):
        defect.code = "other"  # type: ignore[misc]
    with pytest.raises(AttributeError, match="immutable"):
        defect.extra = 1  # type: ignore[attr-defined]


def test_defect_can_be_raised_from_another_exception() -> None:
    with pytest.raises(Defect) as info:
        try:
            raise KeyError("x")
        except KeyError as exc:
            raise Defect("x.y", "z") from exc
    assert isinstance(info.value.__cause__, KeyError)


def test_defect_pickles_through_tblib_as_distributed_installs_it() -> None:
    # distributed installs tblib's exception pickling for every exception class in the process;
    # process pools then unpickle reports' defects through it (it sets __cause__ and friends).
    pickling_support = pytest.importorskip("tblib.pickling_support")
    defect = Defect("mbox.truncated", "the file ends inside a line")
    pickling_support.install(defect)
    assert pickle.loads(pickle.dumps(defect)) == defect
    assert pickle.loads(pickle.dumps((defect,)))[0].code == "mbox.truncated"
