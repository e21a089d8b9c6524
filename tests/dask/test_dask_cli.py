"""``mailtrace analyze --dask local`` and ``summary --dask local`` print what a local run prints."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from mailtrace.cli import main

pytest.importorskip("distributed")

EXAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "examples"


def _run(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    return main(argv, stdout=out), out.getvalue()


@pytest.mark.corpus
def test_dask_local_output_equals_the_local_run(corpus: Path) -> None:
    # a quoted pattern, a folder, and a pattern that matches nothing: read alike by both runs
    inputs = [str(EXAMPLES / "*.eml"), str(corpus / "spamassassin-t-data"), str(EXAMPLES / "*.mbox")]
    for command in (["analyze", "--format", "jsonl"], ["summary", "--format", "json"]):
        local = _run([*command, "--no-progress", *inputs])
        remote = _run([*command, "--no-progress", "--dask", "local", "--jobs", "2", *inputs])
        assert remote == local
        assert local[0] == 3 and len(local[1]) > 1000  # 3: an input could not be read
        assert str(EXAMPLES / "plain.eml") in local[1] and str(EXAMPLES / "forwarded.eml") in local[1]


def test_dask_refuses_standard_input(capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = _run(["analyze", "--dask", "local", "-"])
    assert code == 2
    assert "standard input" in capsys.readouterr().err
