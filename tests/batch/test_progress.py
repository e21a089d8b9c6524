"""The progress bar: tqdm on a terminal (messages, rate, ETA), nothing otherwise or without tqdm."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from mailtrace.cli import main
from mailtrace.progress import Progress, count_files
from tests.batch._mail import junk_folder


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bar_counts_messages_and_grows_its_total() -> None:
    pytest.importorskip("tqdm")
    stream = io.StringIO()
    bar = Progress(stream, enabled=True, total=2)
    assert bar.active
    bar.update(3)  # an mbox gave more messages than files were counted
    bar.write("mailtrace: a note")
    bar.close()
    text = stream.getvalue()
    assert "3/3" in text and "msg" in text and "mailtrace: a note\n" in text


def test_without_tqdm_there_is_no_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tqdm", None)  # import tqdm now raises ImportError
    stream = io.StringIO()
    bar = Progress(stream, enabled=True, total=5)
    bar.update()
    bar.write("note")
    bar.close()
    assert not bar.active and stream.getvalue() == "note\n"


def test_cli_draws_on_a_terminal_unless_no_progress(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("tqdm")
    folder = junk_folder(tmp_path)
    assert count_files([str(folder)]) == 10
    for flags, drawn in (([], True), (["--no-progress"], False)):
        err = _Terminal()
        monkeypatch.setattr(sys, "stderr", err)
        assert main(["analyze", "--format", "jsonl", *flags, str(folder)], stdout=io.StringIO()) == 3
        assert ("msg/s" in err.getvalue() or "msg]" in err.getvalue()) is drawn
        assert err.getvalue().count("mailtrace: ") == 4  # the four bad files, above the bar
