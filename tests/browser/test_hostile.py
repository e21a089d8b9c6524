"""The XSS corpus (``hostile.py``) in both pages: no script runs, nothing injected, the layout holds.

The report file carries its own Content-Security-Policy, which would stop a script even if
escaping failed; so each message is also rendered with that policy removed, and escaping
alone must hold. The DOM is then searched for anything a payload could have inserted.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page

from mailtrace.analyze import analyze
from mailtrace.policy import Policy
from mailtrace.render.html import render_html
from tests.browser._browser import Watch, screenshot
from tests.browser.conftest import Served
from tests.browser.hostile import HOSTILE_FILENAME, messages

CORPUS = messages()

#: Anything a payload could have inserted; the page itself has none of these.
INJECTED = """() => {
  const found = [];
  for (const sel of ['script', 'img', 'iframe', 'object', 'embed', 'link[rel=stylesheet]', 'foreignObject',
                     'meta[http-equiv=refresh]', 'base', 'b', 'body *[autofocus]']) {
    if (document.querySelector(sel)) found.push(sel);
  }
  if (document.querySelectorAll('style').length !== 1) found.push('extra style');
  if (document.querySelectorAll('svg').length !== document.querySelectorAll('svg.path, svg.bar').length)
    found.push('foreign svg');
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (/^on/i.test(attr.name)) found.push(el.tagName + '[' + attr.name + ']');
      // (Playwright itself sets a style on the form controls it typed into)
      if (/^(formaction|srcdoc|xlink:href)$/i.test(attr.name) ||
          (attr.name === 'style' && !['INPUT', 'TEXTAREA'].includes(el.tagName)))
        found.push(el.tagName + '[' + attr.name + ']');
    }
  }
  for (const a of document.querySelectorAll('[href]')) {
    const href = a.getAttribute('href');
    if (!href.startsWith('#') && !(a.tagName === 'LINK' && href === 'data:,')) found.push('href ' + href.slice(0, 40));
  }
  return found;
}"""

#: Elements wider than the viewport that are not inside a scrolling box (the raw panel, a wide table).
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = el => { for (let p = el; p; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return true; }
    return false; };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > width + 1 && !scrolls(el.parentElement)) out.push(el.tagName + '.' + el.className);
  }
  return {page: document.documentElement.scrollWidth, width, out: out.slice(0, 5)};
}"""

#: Labels of the diagram that run out of their actor's box.
LABELS_OUT = """() => [...document.querySelectorAll('svg.path g.actor')].flatMap(g => {
  const box = g.querySelector('rect').getBBox();
  return [...g.querySelectorAll('text')]
    .filter(t => { const b = t.getBBox(); return b.x + b.width > box.x + box.width + 1; })
    .map(t => t.textContent);
})"""

#: Bidi and control characters: shown as escapes, never present raw in the rendered text.
RAW_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\u061c]")


def _check(pg: Page, watch: Watch, name: str) -> None:
    assert pg.evaluate(INJECTED) == [], name
    layout = pg.evaluate(OVERFLOW)
    assert layout["page"] <= layout["width"], layout
    assert layout["out"] == [], layout
    assert pg.evaluate(LABELS_OUT) == []
    text = pg.locator("body").inner_text()
    assert not RAW_CONTROLS.search(text), f"{name}: a raw control or bidi character reached the page"
    assert pg.title().startswith("mailtrace")
    watch.assert_quiet()


@pytest.mark.parametrize("csp", [True, False], ids=["with-csp", "escaping-only"])
@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_message_in_the_report_file(page: tuple[Page, Watch], tmp_path: Path, name: str, csp: bool) -> None:
    pg, watch = page
    html = render_html(analyze(CORPUS[name], policy=Policy(), name=f"{name} <script>alert('name')</script>"))
    if not csp:
        html, removed = re.subn(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
        assert removed == 1
    assert len(html) < 400_000, "a megabyte of header must not make a megabyte page"
    path = tmp_path / "hostile.html"
    path.write_text(html, encoding="utf-8")
    pg.goto(path.as_uri())
    pg.keyboard.press("Tab")  # an autofocus/onfocus payload would fire now
    pg.mouse.move(300, 300)
    _check(pg, watch, name)
    if name in ("rtl-and-controls", "svg-breakout") and csp:
        screenshot(pg, f"hostile-{name}", full_page=True)
    if name == "rtl-and-controls":
        assert "\\u202e" in pg.locator("body").inner_text()


def test_hostile_batch_in_the_report_file(page: tuple[Page, Watch], tmp_path: Path) -> None:
    pg, watch = page
    reports = [analyze(raw, policy=Policy(), name=name) for name, raw in sorted(CORPUS.items())]
    path = tmp_path / "batch.html"
    path.write_text(render_html(reports), encoding="utf-8")
    pg.goto(path.as_uri())
    assert pg.locator("table.index tbody tr").count() == len(CORPUS)
    _check(pg, watch, "batch")


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_message_in_the_served_page(page: tuple[Page, Watch], served: Served, name: str) -> None:
    pg, watch = page
    pg.goto(served.url)
    pg.get_by_label("or choose a file").set_input_files(
        {"name": HOSTILE_FILENAME, "mimeType": "message/rfc822", "buffer": CORPUS[name]}
    )
    pg.get_by_role("button", name="Analyse").click()
    pg.wait_for_load_state()
    assert pg.locator("[data-verdict]").count() == 1
    assert "gpj.eml" in pg.locator("article h2").inner_text()  # the file name, shown as text
    _check(pg, watch, name)


def test_hostile_paste_in_the_served_page(page: tuple[Page, Watch], served: Served) -> None:
    pg, watch = page
    pg.goto(served.url)
    pg.get_by_label("Paste the headers or the whole message").fill(CORPUS["script-tags"].decode())
    pg.get_by_role("button", name="Analyse").click()
    pg.wait_for_load_state()
    assert pg.locator("[data-verdict]").count() == 1
    assert "<script>alert(3)</script>" in pg.locator("article").inner_text()  # shown, as text
    screenshot(pg, "serve-hostile-paste", full_page=False)
    _check(pg, watch, "paste")
