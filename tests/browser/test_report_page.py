"""The HTML report (``--format html``) in Chromium: verdict, the path drawn, links to header lines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from mailtrace.analyze import analyze
from mailtrace.policy import Policy
from mailtrace.render.html import render_html
from mailtrace.report import Report
from mailtrace.testing import open_collection
from tests.browser._browser import Watch, screenshot, screenshot_of

#: Fixtures with different path shapes: forwarding, a list, forged lines, webmail, internal, a resend.
SHAPES = (
    "examples/forwarded",
    "examples/plain",
    "scenarios/05-mailing-list",
    "scenarios/09-forged-received",
    "scenarios/06-webmail",
    "scenarios/07-internal",
    "scenarios/14-resent",
    "scenarios/18-clock-skew",
    "scenarios/gateway-to-mailbox-provider",
)


def _report(name: str) -> Report:
    return open_collection()[name].analyze()


def _open(page: Page, tmp_path: Path, reports: list[Report], name: str = "report") -> Path:
    path = tmp_path / f"{name}.html"
    path.write_text(render_html(reports), encoding="utf-8")
    page.goto(path.as_uri())
    return path


def test_verdict_and_short_answers_are_shown(page: tuple[Page, Watch], tmp_path: Path) -> None:
    pg, watch = page
    report = _report("examples/forwarded")
    _open(pg, tmp_path, [report])
    verdict = pg.locator("[data-verdict]")
    assert report.verdict is not None
    assert verdict.inner_text().lower() == report.verdict.result.value
    assert verdict.is_visible()
    questions = pg.locator("[data-answer] h3 .q").all_inner_texts()
    assert questions[:4] == [
        "Where did it come from?",
        "Is From: authenticated?",
        "Was it forwarded?",
        "What did the receiver decide?",
    ]
    assert all(text.strip() for text in pg.locator("[data-answer] p").all_inner_texts())
    # the border's client IP, the one address the sender could not choose, is in the first answer
    assert "203.0.113.10" in pg.locator('[data-answer="origin"] p').first.inner_text()
    assert pg.locator("h1").count() == 1
    screenshot(pg, "report-forwarded", full_page=True)
    watch.assert_quiet()


@pytest.mark.parametrize("name", SHAPES)
def test_svg_has_one_node_per_actor_and_one_arrow_per_hop(page: tuple[Page, Watch], tmp_path: Path, name: str) -> None:
    pg, watch = page
    report = _report(name)
    path: dict[str, Any] = report.to_dict()["path"]
    _open(pg, tmp_path, [report])
    svg = pg.locator("svg.path")
    assert svg.count() == 1
    assert svg.locator("g.actor").count() == len(path["actors"])
    assert svg.locator("g.hop").count() == len(path["hops"])
    labels = svg.locator("g.actor text.role").all_text_contents()
    assert labels == [a["label"] if len(a["label"]) <= 24 else a["label"][:23] + "…" for a in path["actors"]]
    if path["border"] is not None:
        assert svg.locator("g.border.recipient").count() == 1
    watch.assert_quiet()


def test_forwarded_diagram_counts(page: tuple[Page, Watch], tmp_path: Path) -> None:
    """The README's forwarded example: Author, the sender's MSA/Transmitter, the forwarder, the
    recipient's provider and the recipient; four Received hops; two crossings, the last the recipient's."""
    pg, watch = page
    _open(pg, tmp_path, [_report("examples/forwarded")])
    svg = pg.locator("svg.path")
    assert svg.locator("g.actor").count() == 5
    assert svg.locator("g.hop").count() == 4
    assert svg.locator("g.border").count() == 2
    assert svg.locator("g.border.recipient text").text_content() == "recipient's border"
    screenshot_of(pg.locator("figure.diagram"), "report-forwarded-diagram")
    watch.assert_quiet()


def test_finding_link_highlights_its_header_line(page: tuple[Page, Watch], tmp_path: Path) -> None:
    pg, watch = page
    _open(pg, tmp_path, [_report("scenarios/09-forged-received")])
    link = pg.locator("a.cite").first
    target_id = (link.get_attribute("href") or "")[1:]
    target = pg.locator(f"[id='{target_id}']")
    before = target.evaluate("e => getComputedStyle(e).backgroundColor")
    link.focus()
    pg.keyboard.press("Enter")  # keyboard, not the mouse
    assert target.evaluate("e => e.matches(':target')")
    after = target.evaluate("e => getComputedStyle(e).backgroundColor")
    assert after != before
    assert target.evaluate("e => getComputedStyle(e).borderLeftColor") != "rgba(0, 0, 0, 0)"
    # the line cited is the field the finding's evidence names, and it is scrolled into view
    field = int(target.get_attribute("data-field") or -1)
    assert target_id.endswith(f"-h{field}")
    assert target.is_visible()
    box = target.bounding_box()
    assert box is not None and 0 <= box["y"] < 900
    screenshot(pg, "report-cited-line")
    watch.assert_quiet()


def test_every_cited_anchor_exists(page: tuple[Page, Watch], tmp_path: Path) -> None:
    pg, watch = page
    reports = [_report(name) for name in SHAPES]
    _open(pg, tmp_path, reports, "batch")
    missing = pg.evaluate(
        "() => [...document.querySelectorAll('a[href^=\"#\"]')].map(a => a.getAttribute('href').slice(1))"
        ".filter(id => id && !document.getElementById(id))"
    )
    assert missing == []
    watch.assert_quiet()


def test_batch_index_links_to_each_message(page: tuple[Page, Watch], tmp_path: Path) -> None:
    pg, watch = page
    reports = [_report(name) for name in SHAPES[:4]]
    _open(pg, tmp_path, reports, "batch")
    rows = pg.locator("table.index tbody tr")
    assert rows.count() == 4
    assert pg.locator("article.message").count() == 4
    rows.nth(2).locator("a").click()
    assert pg.url.endswith("#m2")
    assert pg.locator("#m2").evaluate("e => e.matches(':target')")
    results = pg.locator("table.index tbody tr td .word").all_inner_texts()
    assert [r.lower() for r in results] == [r.verdict.result.value for r in reports if r.verdict]
    screenshot(pg, "report-batch-index")
    watch.assert_quiet()


def test_dark_and_print_styles(browser: Any, tmp_path: Path) -> None:
    path = tmp_path / "r.html"
    path.write_text(render_html([_report("examples/forwarded")]), encoding="utf-8")
    colours = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme, viewport={"width": 1000, "height": 800})
        pg = context.new_page()
        pg.goto(path.as_uri())
        colours[scheme] = pg.evaluate("getComputedStyle(document.documentElement).backgroundColor")
        if scheme == "dark":
            screenshot(pg, "report-dark")
            pg.emulate_media(media="print")
            raw = pg.locator(".raw").first
            assert raw.evaluate("e => getComputedStyle(e).maxHeight") == "none"
            assert raw.evaluate("e => getComputedStyle(e).whiteSpace") == "pre-wrap"
            assert pg.evaluate("getComputedStyle(document.documentElement).backgroundColor") == "rgb(255, 255, 255)"
            pdf = tmp_path / "r.pdf"
            pg.pdf(path=str(pdf))
            assert pdf.stat().st_size > 10_000
        context.close()
    assert colours["light"] == "rgb(255, 255, 255)"
    assert colours["dark"] != colours["light"]


def test_skip_link_is_the_first_tab_stop(page: tuple[Page, Watch], tmp_path: Path) -> None:
    pg, watch = page
    _open(pg, tmp_path, [_report("examples/plain")])
    pg.keyboard.press("Tab")
    assert pg.evaluate("document.activeElement.textContent") == "Skip to the report"
    pg.keyboard.press("Enter")
    assert pg.evaluate("document.activeElement.id") == "main"
    watch.assert_quiet()


SKEWED = (
    b"Received: from mx.relay.example (mx.relay.example [192.0.2.20]) by mx.recipient.example with ESMTPS id A3;"
    b" Tue, 4 Mar 2025 10:01:00 +0000\r\n"
    b"Received: from mail.sender.example (mail.sender.example [198.51.100.10]) by mx.relay.example with ESMTPS id A2;"
    b" Tue, 4 Mar 2025 10:00:00 +0000\r\n"
    b"Received: from [10.0.0.2] (host.sender.example [198.51.100.99]) by mail.sender.example with ESMTPSA id A1;"
    b" Tue, 4 Mar 2025 10:00:30 +0000\r\n"
    b"From: a@sender.example\r\nTo: b@recipient.example\r\nSubject: skew\r\n\r\nx\r\n"
)


def test_backwards_time_and_clock_skew_are_highlighted(page: tuple[Page, Watch], tmp_path: Path) -> None:
    pg, watch = page
    forged = _report("scenarios/09-forged-received")
    skewed = analyze(SKEWED, policy=Policy(), name="skewed.eml")
    _open(pg, tmp_path, [forged, skewed], "times")
    for article, report, status, tag in (
        ("#m0", forged, "backwards", "backwards"),
        ("#m1", skewed, "skew_tolerated", "clock skew"),
    ):
        assert report.path is not None
        expected = sum(1 for h in report.path.hops if h.delay_status.value == status)
        rows = pg.locator(f"{article} table.hops tbody tr.{status}")
        assert expected >= 1 and rows.count() == expected
        plain = pg.locator(f"{article} table.hops tbody tr.ok td.delay").first
        for i in range(expected):
            cell = rows.nth(i).locator("td.delay")
            assert tag in rows.nth(i).locator("td.notes").inner_text()
            assert cell.evaluate("e => getComputedStyle(e).color") != plain.evaluate("e => getComputedStyle(e).color")
            assert cell.evaluate("e => getComputedStyle(e).fontWeight") == "700"
            bar = cell.locator("svg.bar rect")
            assert bar.evaluate("e => getComputedStyle(e).fill") != plain.locator("svg.bar rect").evaluate(
                "e => getComputedStyle(e).fill"
            )
    # times are UTC: the skewed message's first hop 10:00:30 +0000 reads as written
    assert pg.locator("#m1 table.hops tbody tr td.time").first.inner_text() == "2025-03-04 10:00:30"
    screenshot_of(pg.locator("#m0 table.hops"), "report-backwards-hops")
    watch.assert_quiet()
