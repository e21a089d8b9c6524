"""Fuzzing: mutated real messages and hostile structures never raise, never need the last line of defence.

Two families of Hypothesis strategies (the campaign ``benchmarks/fuzz_campaign.py`` runs the same
mutations at scale, in subprocesses with timeouts and a memory limit):

* mutations of real messages from ``../shared/corpus`` (truncation, byte flips, duplicated,
  shuffled and spliced lines, hostile fields inserted: :mod:`mailtrace.testing.hostile`);
* hostile structures built directly: nesting, long runs, Unicode digits, control characters,
  extreme dates.

Each analysis must return a report without ``mailtrace.internal_error`` (which would mean the
defence in ``analyze_bytes`` caught an exception), and its text and JSON must hold no raw control.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mailtrace
from mailtrace.render.text import render_text
from mailtrace.testing.hostile import CONTROL_CHARS, EXTREME_DATES, HOSTILE_FIELDS, UNICODE_DIGITS, mutate
from tests.conftest import corpus_dir

RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
_CORPUS = corpus_dir()
_DEV = sorted((_CORPUS / "phishing-pot-dev").glob("*.eml"))[::25] if _CORPUS else []
_OLD = sorted((_CORPUS / "spamassassin-public-corpus").rglob("*"))[::400] if _CORPUS else []
_SAMPLES = [p for p in _DEV + _OLD if p.is_file() and p.stat().st_size < 300_000]


def _check(raw: bytes) -> None:
    report = mailtrace.analyze(raw)
    internal = [d.message for d in report.defects if d.code == "mailtrace.internal_error"]
    assert internal == [], internal
    text = render_text(report)
    document = report.to_json()
    assert not RAW_CONTROL.findall(text)
    assert not RAW_CONTROL.findall(document)
    json.loads(document)


@pytest.mark.corpus
@pytest.mark.skipif(not _SAMPLES, reason="real-mail corpus absent")
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(path=st.sampled_from(_SAMPLES or [Path(".")]), seed=st.integers(0, 2**32 - 1))
def test_mutated_real_messages_never_raise(path: Path, seed: int) -> None:
    data, _steps = mutate(path.read_bytes(), random.Random(seed))
    _check(data)


_FIELD = st.sampled_from(sorted(HOSTILE_FIELDS))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kinds=st.lists(_FIELD, min_size=1, max_size=6), seed=st.integers(0, 2**32 - 1))
def test_hostile_fields_never_raise(kinds: list[str], seed: int) -> None:
    rng = random.Random(seed)
    lines = [HOSTILE_FIELDS[kind](rng) for kind in kinds]
    _check(("\r\n".join(lines) + "\r\nFrom: a@b.example\r\n\r\nbody\r\n").encode("utf-8", "surrogateescape"))


_NAMES = st.sampled_from(
    ["From", "To", "Reply-To", "Return-Path", "Delivered-To", "Received", "Date", "DKIM-Signature",
     "Authentication-Results", "Received-SPF", "ARC-Seal", "Subject", "Message-ID", "List-Id"]
)  # fmt: skip
_PIECES = st.one_of(
    st.sampled_from(["a:", "(", ")", "<", ">", '"', "\\", "@", ",", ";", "[", "]", " ", "=", "from ", "by "]),
    st.sampled_from(UNICODE_DIGITS),
    st.sampled_from(CONTROL_CHARS),
    st.sampled_from(EXTREME_DATES),
    st.sampled_from(["[203.0.113.5:", "port=", "bits=", "pct=", "t=", "x=", "i=", "cv=", "=?utf-8?q?", "?="]),
)


@st.composite
def _structure(draw: st.DrawFn) -> str:
    """A field value of runs: a piece repeated up to 5,000 times (nesting, long runs), between others."""
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        parts.append(draw(_PIECES) * draw(st.sampled_from([1, 2, 50, 1000, 5000])))
        parts.append(draw(st.text(max_size=10)))
    return "".join(parts)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(fields=st.lists(st.tuples(_NAMES, _structure()), min_size=1, max_size=5))
def test_hostile_structures_never_raise(fields: list[tuple[str, str]]) -> None:
    head = "".join(f"{name}: {value}\r\n" for name, value in fields)
    _check((head + "\r\nbody\r\n").encode("utf-8", "surrogatepass"))
