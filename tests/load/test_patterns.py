"""Quoted glob patterns among the inputs are expanded by mailtrace, as a shell would (mailtrace.load.patterns)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from mailtrace.cli import main
from mailtrace.load.patterns import expand

EXAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "examples"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for name in ("b.eml", "a.eml", "c.txt", "sub/d.eml", "sub/deeper/e.eml", "star*.eml"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes((EXAMPLES / "plain.eml").read_bytes())
    return tmp_path


def test_a_pattern_is_replaced_by_its_matches_sorted_in_place(tree: Path) -> None:
    got = expand([str(tree / "c.txt"), str(tree / "[ab].eml"), "-", str(tree / "**" / "*.eml")])
    assert got[:4] == [str(tree / "c.txt"), str(tree / "a.eml"), str(tree / "b.eml"), "-"]
    assert got[4:] == sorted(str(p) for p in tree.rglob("*.eml"))
    assert str(tree / "sub" / "deeper" / "e.eml") in got[4:]


def test_relative_patterns_stay_relative(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tree)
    assert expand(["sub/*.eml", "?.eml"]) == ["sub/d.eml", "a.eml", "b.eml"]


def test_what_is_no_pattern_or_matches_nothing_is_kept_as_given(tree: Path) -> None:
    named = str(tree / "star*.eml")  # a file whose name holds "*" is read as named
    nothing = str(tree / "*.mbox")
    assert expand([named, nothing, "[", ""]) == [named, nothing, "[", ""]


def test_the_command_line_reads_a_quoted_pattern_and_names_one_that_matches_nothing(tree: Path) -> None:
    out = io.StringIO()
    inputs = [str(tree / "[ab].eml"), str(tree / "*.mbox")]
    code = main(["analyze", "--format", "csv", "--no-progress", *inputs], stdout=out)
    lines = out.getvalue().splitlines()
    assert code == 3  # an input could not be read
    expected = [str(tree / "a.eml"), str(tree / "b.eml"), str(tree / "*.mbox")]
    assert [line.split(",")[0] for line in lines[1:]] == expected
    assert "no such file or folder" in lines[3]


def test_an_output_matched_by_a_pattern_is_refused(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["analyze", "--format", "csv", "--output", str(tree / "a.eml"), str(tree / "*.eml")])
    assert code == 2 and (tree / "a.eml").read_bytes() == (EXAMPLES / "plain.eml").read_bytes()
    assert "a.eml" in capsys.readouterr().err
