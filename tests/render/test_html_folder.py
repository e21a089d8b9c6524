"""``analyze --format html -o DIR/``: a page per message written as it comes, and an index."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from mailtrace.analyze import analyze
from mailtrace.cli import main
from mailtrace.errors import ConfigurationError

pytest.importorskip("jinja2")

from mailtrace.render.html import html_doc
from mailtrace.render.html_batch import HtmlFolder

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
PLAIN = FIXTURES / "examples" / "plain.eml"
LIST = FIXTURES / "scenarios" / "05-mailing-list.eml"


def _hrefs(page: str) -> list[str]:
    return re.findall(r'<a href="([^"#][^"]*)"', page)


def test_a_page_per_message_in_input_order_each_linked_from_the_index(tmp_path: Path) -> None:
    out = tmp_path / "report"
    missing = tmp_path / "missing.eml"
    code = main(["analyze", "--format", "html", "-o", f"{out}/", str(PLAIN), str(missing), str(LIST)])
    assert code == 3  # an input could not be read; the others have their pages
    pages = sorted(p.name for p in (out / "messages").iterdir())
    assert pages == ["000001.html", "000002.html"]
    index = (out / "index.html").read_text()
    assert _hrefs(index) == ["messages/000001.html", "messages/000002.html"]
    assert "missing.eml" in index and "could not be analysed" in index
    assert "<article" not in index  # the index holds rows, not the reports
    first, second = ((out / "messages" / name).read_text() for name in pages)
    assert "plain.eml" in first and "05-mailing-list.eml" in second
    assert first.count("<article") == 1 and _hrefs(first)[0] == "../index.html"
    assert 'data-verdict="forwarded"' in second  # the list message's own verdict, on its own page
    assert "Content-Security-Policy" in first and "Content-Security-Policy" in index


def test_each_page_is_written_as_its_message_arrives(tmp_path: Path) -> None:
    pages = HtmlFolder(tmp_path / "out")
    written = pages.add(html_doc(analyze(PLAIN.read_bytes())))
    assert written.exists() and not (tmp_path / "out" / "index.html").exists()
    (row,) = pages.rows
    assert "raw" not in row and "hops" not in row and row["href"] == "messages/000001.html"
    assert pages.finish().exists()


def test_a_folder_with_files_or_inside_an_input_folder_is_refused_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine")
    assert main(["analyze", "--format", "html", "-o", str(busy), str(PLAIN)]) == 2
    assert [p.name for p in busy.iterdir()] == ["notes.txt"]
    assert "must be new or empty" in capsys.readouterr().err
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(PLAIN, inputs / "a.eml")
    assert main(["analyze", "--format", "html", "-o", f"{inputs}/report/", str(inputs)]) == 2
    assert not (inputs / "report").exists() and "inside the input folder" in capsys.readouterr().err
    with pytest.raises(ConfigurationError):
        HtmlFolder(inputs / "a.eml")  # a file is no folder


def test_hostile_names_and_subjects_are_escaped_in_the_index(tmp_path: Path) -> None:
    raw = PLAIN.read_bytes().replace(b"Subject: ", b"Subject: <img src=x onerror=alert(1)>\x1b[2J ", 1)
    name = tmp_path / "<b>evil<\\b>.eml"  # a backslash, as "/" cannot be in a file name
    name.write_bytes(raw)
    out = tmp_path / "out"
    assert main(["analyze", "--format", "html", "-o", f"{out}/", str(name)]) == 0
    index = (out / "index.html").read_text()
    assert "<img src=x" not in index and "&lt;img src=x onerror=alert(1)&gt;" in index
    assert "<b>evil" not in index and "&lt;b&gt;evil" in index and "\x1b" not in index
