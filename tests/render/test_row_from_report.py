"""``Report.to_row()`` reads the row from the parts of the JSON form the row needs: the same row as
``row_from_dict(report.to_dict())``, the row of the whole JSON form, which ``--format csv``, the summary and
the Dask rows built before (docs/performance.md, "Round 10").

Checked on the fixtures collection (re-verified against their zones: re-checked and stamped results, ARC,
forwarding), on the corpus (every 5th file, all its messages) and with indicators asked (sections the row does
not read).
"""

from __future__ import annotations

from pathlib import Path

from mailtrace import analyze_many
from mailtrace.errors import InputError
from mailtrace.indicators.model import IndicatorOptions
from mailtrace.render.row import COLUMNS, row_from_dict
from mailtrace.report import Report
from mailtrace.testing.collection import open_collection

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def _same_row(report: Report) -> dict[str, str]:
    row = report.to_row()
    assert list(row) == list(COLUMNS)
    assert row == row_from_dict(report.to_dict()), report.source.name
    return row


def test_fixture_rows_equal_the_rows_of_their_whole_json() -> None:
    collection = open_collection(FIXTURES)
    verdicts = set()
    for fixture in collection:
        verdicts.add(_same_row(fixture.analyze())["verdict"])
    assert len(collection) >= 50
    assert {"authentic", "forwarded", "forged"} <= verdicts  # rows of different shapes, not one shape 50 times


def test_corpus_rows_equal_the_rows_of_their_whole_json(corpus_files: list[Path]) -> None:
    reports = 0
    bordered = 0
    for path in corpus_files[::5]:
        for item in analyze_many(path, errors="report"):
            if isinstance(item, InputError):
                continue
            _same_row(item)
            reports += 1
            bordered += item.path is not None and item.path.border is not None
    assert reports > 900
    assert bordered > reports // 2  # the origin columns read the border's hop


def test_rows_with_indicators_asked_equal_the_rows_of_their_whole_json() -> None:
    for fixture in list(open_collection(FIXTURES))[:10]:
        report = fixture.analyze(indicators=IndicatorOptions())
        assert report.indicators is not None
        _same_row(report)
