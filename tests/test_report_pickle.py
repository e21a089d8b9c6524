"""A report crosses process boundaries (``multiprocessing``, ``concurrent.futures``) by pickle.

``HeaderField.__new__`` takes keywords only, which pickle's default protocol cannot give: every
report failed to pickle with ``TypeError: HeaderField.__new__() missing 3 required keyword-only
arguments``. Fields now pickle by their constructor's arguments.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

import mailtrace
from mailtrace.model.fields import HeaderField

EXAMPLES = Path(__file__).resolve().parent.parent / "fixtures" / "examples"


def _round_trip(raw: bytes) -> None:
    report = mailtrace.analyze(raw)
    again = pickle.loads(pickle.dumps(report))
    assert again.to_json() == report.to_json()
    assert [f.value for f in again.message.fields] == [f.value for f in report.message.fields]


@pytest.mark.parametrize("name", ["forwarded.eml", "plain.eml"])
def test_example_reports_pickle(name: str) -> None:
    _round_trip((EXAMPLES / name).read_bytes())


def test_tuned_fields_keep_their_settings() -> None:
    plain = HeaderField(index=0, name="Subject", raw=b"Subject: hello\r\n")
    spaced = HeaderField(index=1, name="Subject", raw=b"Subject : hello\r\n", space_before_colon=True)
    capped = HeaderField(index=2, name="X-Long", raw=b"X-Long: " + b"a" * 50 + b"\r\n", max_bytes=10)
    for field in (plain, spaced, capped):
        again = pickle.loads(pickle.dumps(field))
        assert type(again) is type(field)
        assert (again.index, again.name, again.raw) == (field.index, field.name, field.raw)
        assert (again.max_bytes, again.space_before_colon) == (field.max_bytes, field.space_before_colon)
        assert (again.value, again.decoded, again.defects) == (field.value, field.decoded, field.defects)


@pytest.mark.corpus
def test_corpus_reports_pickle(corpus: Path) -> None:
    files = sorted(p for p in (corpus / "phishing-pot-dev").glob("*.eml"))[::50]
    files += sorted(p for p in (corpus / "spamassassin-public-corpus").rglob("*.txt"))[::100]
    assert len(files) > 20
    for path in files:
        _round_trip(path.read_bytes())
