"""render/json_indent.py writes what ``json.dumps(doc, indent=N, ensure_ascii=False)`` writes."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import mailtrace
from mailtrace.render.json_indent import indented

_SCALARS = (
    st.text()
    | st.sampled_from(["", "\x00\x1f\x7f\x9b\u202e\ud800", '"\\/', "漢字 🙂"])
    | st.integers()
    | st.floats()  # NaN and the infinities are left to json.dumps
    | st.booleans()
    | st.none()
)
_DOCS = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(st.text(max_size=8), inner, max_size=5)
        | st.tuples(inner)  # a tuple is json.dumps's to write
        | st.dictionaries(st.integers(), inner, max_size=2)
    ),  # so is a key that is no string
    max_leaves=30,
)


@given(_DOCS, st.sampled_from([0, 1, 2, 4]))
@example({"a": [1, 2.5, True, None, {}], "b": [], "c": {"d": "e"}}, 2)
@example([math.nan], 2)
@example([math.inf, -0.0, 1e300, 5e-324], 2)
@example({"x": -math.inf}, 2)
@example({1: "x"}, 2)
def test_indented_equals_json_dumps(doc: object, indent: int) -> None:
    assert indented(doc, indent) == json.dumps(doc, indent=indent, ensure_ascii=False)


def test_a_cycle_is_refused_as_json_dumps_refuses_it() -> None:
    loop: list[object] = []
    loop.append(loop)
    with pytest.raises(ValueError, match="Circular reference"):
        indented(loop, 2)


@pytest.mark.corpus
def test_indented_equals_json_dumps_on_corpus_reports(corpus: Path) -> None:
    files = sorted((corpus / "phishing-pot-dev").rglob("*.eml"))[::25]
    files += sorted((corpus / "spamassassin-public-corpus").rglob("*.txt"))[::100]
    assert len(files) > 60
    for path in files:
        for report in mailtrace.analyze_many(path):
            doc = report.to_dict()
            assert indented(doc, 2) == json.dumps(doc, indent=2, ensure_ascii=False), path
