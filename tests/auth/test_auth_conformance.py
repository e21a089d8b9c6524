"""Conformance suites, driven through mailtrace's resolver and verification layer (benchmarks/conformance.py).

Skipped when the corpus is absent. Every case must give the suite's answer or be a listed deviation
with a reason; an SPF deviation must also fail with pyspf alone.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

pytest.importorskip("yaml")

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def conformance() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mailtrace_conformance", REPO / "benchmarks" / "conformance.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _unexplained(outcomes: list[object]) -> list[object]:
    return [o for o in outcomes if not o.ok and not o.deviation]  # type: ignore[attr-defined]


def test_rfc7208_spf_suite(corpus: Path, conformance: ModuleType) -> None:
    outcomes = conformance.run_spf(corpus)
    assert len(outcomes) == 203
    assert _unexplained(outcomes) == []
    for case in conformance.SPF_DEVIATIONS:
        expected = next(o.expected for o in outcomes if o.case == case)
        assert conformance.pyspf_alone(corpus, case) not in expected.split("|"), case


def test_arc_validation_suite(corpus: Path, conformance: ModuleType) -> None:
    outcomes = conformance.run_arc(corpus)
    assert len(outcomes) == 171
    assert _unexplained(outcomes) == []


def test_dkim_corpora(corpus: Path, conformance: ModuleType) -> None:
    outcomes = conformance.run_dkim(corpus)
    assert len(outcomes) >= 80
    assert _unexplained(outcomes) == []
    listed = [o for o in outcomes if not o.ok]
    assert all(o.deviation for o in listed)
    assert sum(o.ok for o in outcomes) >= 60
