"""A time offset of a whole number of (half-)hours is named as a wrong zone offset; the finding stands."""

from __future__ import annotations

from pathlib import Path

import pytest

import mailtrace
from mailtrace.verdict.catalogue import Severity
from mailtrace.verdict.checks_trace import ZONE_SLACK, _zone_hint


@pytest.mark.parametrize(
    ("seconds", "hours"),
    [
        (3600, "1"),
        (-3600, "1"),
        (3600 - ZONE_SLACK, "1"),
        (5400 + ZONE_SLACK, "1.5"),
        (19800, "5.5"),
        (26 * 3600, "26"),
    ],
)
def test_whole_half_hours_are_named(seconds: float, hours: str) -> None:
    assert _zone_hint(seconds) == f" (within 2 min of {hours} h: a time written with the wrong zone offset)"


@pytest.mark.parametrize("seconds", [900, 1679, 3600 - ZONE_SLACK - 1, 4620, 27 * 3600, 2 * 86400 + 3 * 3600])
def test_other_offsets_are_not(seconds: float) -> None:
    assert _zone_hint(seconds) == ""


@pytest.mark.corpus
def test_a_sender_server_an_hour_ahead_keeps_its_finding_with_the_cause(corpus: Path) -> None:
    # SpamAssassin ham: the sender's local hops are stamped one hour after the recipient's delivery.
    path = corpus / "spamassassin-public-corpus" / "easy-ham-1" / "00007.37a8af848caae585af4fe35779656d55.txt"
    report = mailtrace.analyze(path)
    future = [f for f in report.findings if f.code == "trace.time_future"]
    assert len(future) == 2 and all(f.severity is Severity.MEDIUM for f in future)
    assert all(f.message.endswith("(within 2 min of 1 h: a time written with the wrong zone offset).") for f in future)
