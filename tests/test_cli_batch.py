"""The abuse desk's batch on the command line: keep going, error records, exit 3, JSON streamed, CSV, --jobs."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from mailtrace.cli import main
from mailtrace.render.row import COLUMNS
from tests.batch._mail import junk_folder, message


def run(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    code = main(argv, stdout=out)
    return code, out.getvalue()


JUNK = ("m005a.png", "m005b.pdf", "m005c.eml", "m005d.eml")


def test_jsonl_keeps_going_past_junk_with_one_record_per_bad_file_in_place(tmp_path: Path) -> None:
    folder = junk_folder(tmp_path)
    code, text = run(["analyze", "--format", "jsonl", str(folder)])
    docs = [json.loads(line) for line in text.splitlines()]
    assert code == 3
    names = [Path(d["source"]["name"]).name for d in docs]
    assert names == ["m000.eml", "m001.eml", "m002.eml", *JUNK, "m013.eml", "m014.eml", "m015.eml"]
    errors = [d for d in docs if "error" in d]
    assert [e["error"]["code"] for e in errors] == [
        "input.not_mail",
        "input.not_mail",
        "input.empty",
        "input.unreadable",
    ]
    assert all(set(e) == {"source", "error"} and e["error"]["message"] for e in errors)
    assert all(d["verdict"] is not None for d in docs if "error" not in d)


def test_text_names_each_bad_file_on_stderr_and_prints_every_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = junk_folder(tmp_path)
    code, text = run(["analyze", str(folder)])
    err = capsys.readouterr().err.splitlines()
    assert code == 3
    assert text.count("#" * 100) == 5  # six reports, five rules between them
    assert len(err) == 4 and all(line.startswith(f"mailtrace: {folder}/m005") for line in err)
    assert "PNG" in err[0] and "PDF" in err[1] and "dangling symlink" in err[3]


def test_a_good_batch_exits_0_and_an_empty_folder_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "a.eml").write_bytes(message())
    assert run(["analyze", "--format", "jsonl", str(tmp_path / "a.eml")])[0] == 0
    empty = tmp_path / "empty"
    empty.mkdir()
    code, text = run(["analyze", "--format", "jsonl", str(empty)])
    assert code == 3 and json.loads(text)["error"]["code"].startswith("input.")


def test_json_is_one_streamed_array_equal_to_the_whole_document(tmp_path: Path) -> None:
    folder = junk_folder(tmp_path)
    code, text = run(["analyze", "--format", "json", str(folder)])
    _, lines = run(["analyze", "--format", "jsonl", str(folder)])
    docs = [json.loads(line) for line in lines.splitlines()]
    assert code == 3
    assert json.loads(text) == docs
    assert text == json.dumps(docs, indent=2, ensure_ascii=False) + "\n"  # the layout json.dump would write


def test_json_one_path_one_message_stays_one_object_and_nothing_is_an_empty_array(tmp_path: Path) -> None:
    one = tmp_path / "one.eml"
    one.write_bytes(message())
    _, text = run(["analyze", "--format", "json", str(one)])
    assert isinstance(json.loads(text), dict)
    _, text = run(["analyze", "--format", "json", str(one), str(one)])
    assert len(json.loads(text)) == 2


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_csv_one_row_per_message_and_an_error_row_per_bad_file(tmp_path: Path) -> None:
    folder = junk_folder(tmp_path)
    code, text = run(["analyze", "--format", "csv", str(folder)])
    rows = _csv(text)
    assert code == 3
    assert text.splitlines()[0].split(",") == list(COLUMNS)
    assert len(rows) == 10 and [bool(r["error"]) for r in rows] == [False] * 3 + [True] * 4 + [False] * 3
    good = rows[0]
    assert good["from_address"] == "alice@example.net" and good["from_domain"] == "example.net"
    assert good["origin_ip"] == "198.51.100.4" and good["origin_helo"] == "client.example.net"
    assert good["return_path"] == "bounce@example.net" and good["message_id"] == "0@example.net"
    assert good["date"].startswith("2024-05-13T09:59:59") and good["verdict"]
    assert rows[3]["error"].startswith("input.not_mail: ") and rows[3]["source"].endswith("m005a.png")


@pytest.mark.parametrize(
    ("subject", "cell"),
    [
        ('=HYPERLINK("http://evil.example","click")', '\'=HYPERLINK("http://evil.example","click")'),
        ("+1 555 0100", "'+1 555 0100"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("ok \x1b[2J\u202egnp.exe", "ok \\x1b[2J\\u202egnp.exe"),
        ("plain, with comma", "plain, with comma"),
    ],
)
def test_csv_cells_are_neutralised_and_controls_made_visible(tmp_path: Path, subject: str, cell: str) -> None:
    path = tmp_path / "m.eml"
    path.write_bytes(message(subject=subject))
    _, text = run(["analyze", "--format", "csv", str(path)])
    assert _csv(text)[0]["subject"] == cell
    assert "\x1b" not in text and "\u202e" not in text


@pytest.mark.parametrize("fmt", ["text", "json", "jsonl", "csv"])
def test_jobs_2_gives_the_same_bytes_as_jobs_1(tmp_path: Path, fmt: str) -> None:
    folder = junk_folder(tmp_path, messages=40)
    one = run(["analyze", "--format", fmt, "--jobs", "1", str(folder)])
    two = run(["analyze", "--format", fmt, "--jobs", "2", str(folder)])
    every = run(["analyze", "--format", fmt, "--jobs", "0", str(folder)])
    assert one == two == every and one[0] == 3


@pytest.mark.corpus
def test_jobs_2_on_real_mail_is_byte_identical(corpus: Path) -> None:
    folder = corpus / "mimekit-testdata"
    one = run(["analyze", "--format", "jsonl", "--jobs", "1", str(folder)])
    two = run(["analyze", "--format", "jsonl", "--jobs", "2", str(folder)])
    assert one == two and len(one[1].splitlines()) > 20


def test_negative_jobs_is_a_usage_error(tmp_path: Path) -> None:
    assert run(["analyze", "--jobs", "-1", str(tmp_path)])[0] == 2


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "m.eml"
    path.write_bytes(message())
    run(["analyze", "--format", "jsonl", str(path)])
    assert capsys.readouterr().err == ""
