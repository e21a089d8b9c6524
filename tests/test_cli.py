"""The command line, run in-process (mailtrace.cli.main)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from mailtrace.cli import main
from mailtrace.report import SCHEMA_VERSION

MSG = (
    b"Received: from mx.example.net (mx.example.net [203.0.113.9])\n\tby mx.example.org (Postfix) with ESMTPS id A1;"
    b" Mon, 13 May 2024 10:00:05 +0000\n"
    b"Received: from client (unknown [198.51.100.4])\n\tby mx.example.net with ESMTPSA id B2;"
    b" Mon, 13 May 2024 10:00:00 +0000\n"
    b"From: Alice <alice@example.net>\nTo: bob@example.org\nSubject: hi\n"
    b"Date: Mon, 13 May 2024 09:59:59 +0000\nMessage-ID: <1@example.net>\n\nbody\n"
)


@pytest.fixture
def eml(tmp_path: Path) -> Path:
    path = tmp_path / "m.eml"
    path.write_bytes(MSG)
    return path


def run(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    code = main(argv, stdout=out)
    return code, out.getvalue()


def test_text_output_has_summary_and_hops_oldest_first_within_100_columns(eml: Path) -> None:
    code, text = run(["analyze", str(eml)])
    assert code == 0
    assert "alice@example.net" in text
    lines = text.splitlines()
    hop_rows = [line for line in lines if line.startswith(("0 ", "1 ", ">>0", ">>1", ">1", ">0"))]
    assert [row.lstrip(">")[0] for row in hop_rows] == ["1", "0"]
    assert max(len(line) for line in lines) <= 100


def test_json_one_object_for_one_message(eml: Path) -> None:
    code, text = run(["analyze", "--format", "json", str(eml)])
    doc = json.loads(text)
    assert code == 0 and isinstance(doc, dict)
    assert doc["received"][0]["by"]["host"] == "mx.example.org"
    assert doc["source"]["name"] == str(eml)


def test_json_array_and_jsonl_for_several(eml: Path) -> None:
    _, text = run(["analyze", "--format", "json", str(eml), str(eml)])
    assert isinstance(json.loads(text), list) and len(json.loads(text)) == 2
    _, text = run(["analyze", "--format", "jsonl", str(eml), str(eml)])
    assert [json.loads(line)["schema_version"] for line in text.splitlines()] == [SCHEMA_VERSION] * 2


def test_unreadable_input_exits_3_but_analyses_the_rest(
    eml: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, text = run(["analyze", "--format", "jsonl", str(tmp_path / "missing.eml"), str(eml)])
    assert code == 3
    error, report = (json.loads(line) for line in text.splitlines())
    assert error["source"]["name"] == str(tmp_path / "missing.eml") and error["error"]["code"] == "input.unreadable"
    assert report["source"]["name"] == str(eml) and "error" not in report
    assert "missing.eml" in capsys.readouterr().err


def test_unsupported_format_exits_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "x.msg"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64)
    code, _ = run(["analyze", str(path)])
    assert code == 3
    assert "Outlook .msg" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [[], ["analyze"], ["analyze", "--format", "xml", "x"], ["frobnicate"]])
def test_usage_errors_exit_2(argv: list[str]) -> None:
    assert run(argv)[0] == 2


def test_stdin_and_python_dash_m(eml: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "mailtrace", "analyze", "--format", "json", "-"],
        input=MSG,
        capture_output=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["source"]["name"] == "<stdin>"
