"""The HTML report without a browser: the command line, escaping, bounds, the missing extra."""

from __future__ import annotations

import builtins
import io
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from mailtrace.analyze import analyze
from mailtrace.cli import main
from mailtrace.policy import Policy
from mailtrace.render import html as html_module
from mailtrace.render.html import MAX_VALUE_CHARS, HtmlUnavailableError, render_html, style_hash
from mailtrace.testing import open_collection
from tests.browser.hostile import messages

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


class _Elements(HTMLParser):
    """Every start tag and its attributes, as a browser's tokenizer reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(page: str) -> _Elements:
    parser = _Elements()
    parser.feed(page)
    parser.close()
    return parser


def _run(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    return main(argv, stdout=out), out.getvalue()


def test_cli_html_one_message(tmp_path: Path) -> None:
    code, page = _run(
        [
            "analyze",
            "--format",
            "html",
            "--zone",
            str(FIXTURES / "examples/forwarded.zone.json"),
            str(FIXTURES / "examples/forwarded.eml"),
        ]
    )
    assert code == 0
    assert page.startswith("<!DOCTYPE html>")
    parsed = _parse(page)
    tags = [t for t, _ in parsed.tags]
    assert tags.count("article") == 1 and "nav" not in tags  # one message: no index
    assert 'data-verdict="forwarded"' in page
    meta = [dict(a) for t, a in parsed.tags if t == "meta" and dict(a).get("http-equiv") == "Content-Security-Policy"]
    assert len(meta) == 1
    assert f"style-src {style_hash()};" in (meta[0]["content"] or "")
    assert "default-src 'none'" in (meta[0]["content"] or "")


def test_cli_html_batch_has_an_index_and_lists_unreadable_inputs(tmp_path: Path) -> None:
    missing = tmp_path / "missing.eml"
    code, page = _run(
        [
            "analyze",
            "--format",
            "html",
            str(FIXTURES / "examples/plain.eml"),
            str(missing),
            str(FIXTURES / "scenarios/05-mailing-list.eml"),
        ]
    )
    assert code == 3  # an input could not be read; the others are on the page
    parsed = _parse(page)
    hrefs = [dict(a).get("href") for t, a in parsed.tags if t == "a"]
    assert "#m0" in hrefs and "#m1" in hrefs
    assert [t for t, _ in parsed.tags].count("article") == 2
    assert "missing.eml" in page and "could not be analysed" in page


def test_every_stylesheet_byte_is_covered_by_the_hash() -> None:
    page = render_html(open_collection()["examples/plain"].analyze())
    styles = re.findall(r"<style>(.*?)</style>", page, re.S)
    assert len(styles) == 1
    import base64
    import hashlib

    digest = base64.b64encode(hashlib.sha256(styles[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" == style_hash()


@pytest.mark.parametrize("name", sorted(messages()))
def test_hostile_content_never_becomes_markup(name: str) -> None:
    raw = messages()[name]
    page = render_html(analyze(raw, policy=Policy(), name=f'{name}"><script>alert(1)</script>'))
    parsed = _parse(page)
    allowed = {
        "html",
        "head",
        "meta",
        "link",
        "title",
        "style",
        "body",
        "a",
        "header",
        "h1",
        "h2",
        "h3",
        "h4",
        "main",
        "nav",
        "table",
        "caption",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "div",
        "article",
        "section",
        "ul",
        "ol",
        "li",
        "p",
        "span",
        "code",
        "dl",
        "dt",
        "dd",
        "figure",
        "figcaption",
        "svg",
        "desc",
        "defs",
        "marker",
        "path",
        "line",
        "g",
        "rect",
        "text",
        "footer",
        "wbr",
    }
    assert {t for t, _ in parsed.tags} <= allowed
    for tag, attrs in parsed.tags:
        for attr, value in attrs:
            assert not attr.startswith("on"), (tag, attr)
            assert attr != "style", tag
            if attr == "href":
                assert value is not None and (value.startswith("#") or value == "data:,"), value
    assert page.count("<script") == 0
    text = "".join(parsed.text)
    assert not re.search("[\u202a-\u202e\u2066-\u2069\x1b\x07]", text), "raw bidi or control characters"


def test_a_megabyte_line_is_cut_not_copied() -> None:
    raw = messages()["megabyte-lines"]
    page = render_html(analyze(raw, policy=Policy()))
    assert len(raw) > 1_000_000
    assert len(page) < 200_000
    assert "more characters]" in page
    longest = max(len(line) for line in page.splitlines())
    assert longest < 120_000


def test_long_values_are_cut_with_a_count() -> None:
    value = "x" * (MAX_VALUE_CHARS + 50)
    assert html_module._finalize(value).endswith("… [50 more characters]")


def test_without_jinja2_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    real_import = builtins.__import__

    def no_jinja(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "jinja2" or name.startswith("jinja2."):
            raise ImportError("No module named 'jinja2'")
        return real_import(name, *args, **kwargs)

    html_module.environment.cache_clear()
    monkeypatch.setitem(sys.modules, "jinja2", None)
    monkeypatch.setattr(builtins, "__import__", no_jinja)
    try:
        with pytest.raises(HtmlUnavailableError, match=r"mailtrace\[html\]"):
            render_html(open_collection()["examples/plain"].analyze())
        err = io.StringIO()
        monkeypatch.setattr(sys, "stderr", err)
        code, out = _run(["analyze", "--format", "html", str(FIXTURES / "examples/plain.eml")])
        assert code == 2 and out == ""
        assert "mailtrace[html]" in err.getvalue()
    finally:
        monkeypatch.undo()
        html_module.environment.cache_clear()


def test_a_result_word_from_the_message_is_one_class_fragment() -> None:
    assert html_module.css_token("pass skip") == "pass_skip"
    assert html_module.css_token('x" onload="y') == "x__onload__y"
    raw = (
        b'Authentication-Results: mx.example.org; spf=pass skip smtp.mailfrom=a@b.example; dkim="sev-high skip"\r\n'
        b"From: a@b.example\r\n\r\nx"
    )
    parsed = _parse(render_html(analyze(raw, policy=Policy())))
    classes = [c for _, attrs in parsed.tags for k, v in attrs if k == "class" and v for c in v.split()]
    assert "skip" in classes  # the skip link's own class, once
    assert classes.count("skip") == 2  # the skip link and the visually hidden "Short answers" heading
