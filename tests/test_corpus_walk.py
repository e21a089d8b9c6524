"""Every real message in the corpus yields a report; none raises (issue: bad mail never raises)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

import mailtrace
from mailtrace.errors import UnsupportedFormatError
from mailtrace.load.sniff import unsupported_format
from mailtrace.render.text import render_text


@pytest.mark.corpus
def test_every_corpus_file_yields_reports_without_raising(corpus_files: list[Path]) -> None:
    assert len(corpus_files) > 2000
    messages = hops = 0
    codes: Counter[str] = Counter()
    missing_by: list[str] = []
    internal: list[str] = []  # the last line of defence (analyze_bytes) must never be what saved a message
    for path in corpus_files:
        try:
            reports = list(mailtrace.analyze_many(path))
        except UnsupportedFormatError:
            assert unsupported_format(path.read_bytes()[:8]) is not None, path
            continue
        for report in reports:
            messages += 1
            internal.extend(f"{path}: {d.message}" for d in report.defects if d.code == "mailtrace.internal_error")
            report.to_json()  # the whole report serialises
            render_text(report)  # and renders
            hops += len(report.received)
            for hop in report.received:
                codes.update(d.code for d in hop.defects)
            if report.received and not any(h.by.host or h.defects for h in report.received):
                missing_by.append(str(path))
    assert messages > 2800
    assert hops > 9000
    assert missing_by == []
    assert internal == []
