"""``mailtrace serve`` in Chromium: paste or upload a message, read the same report; the JSON API."""

from __future__ import annotations

import json

from playwright.sync_api import Page

from mailtrace.analyze import analyze
from mailtrace.policy import Policy
from mailtrace.testing import open_collection
from tests.browser._browser import Watch, screenshot
from tests.browser.conftest import Served


def _raw(name: str) -> bytes:
    return bytes(open_collection()[name].message())


def test_pasting_headers_shows_the_report(page: tuple[Page, Watch], served: Served) -> None:
    pg, watch = page
    response = pg.goto(served.url)
    assert response is not None and response.status == 200
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "script-src" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert pg.locator("[data-verdict]").count() == 0
    assert "DNS: off" in pg.locator(".banner").first.inner_text()
    raw = _raw("examples/forwarded").decode()
    header = raw.split("\r\n\r\n", 1)[0]  # the headers only, as an analyst pastes them
    pg.get_by_label("Paste the headers or the whole message").fill(header)
    pg.get_by_role("button", name="Analyse").click()
    pg.wait_for_load_state()
    verdict = pg.locator("[data-verdict]")
    assert verdict.count() == 1
    # no DNS on the page: the verdict rests on the receiver's stamps, as the offline analysis does
    offline = analyze(header.encode(), policy=Policy())
    assert offline.verdict is not None
    assert verdict.inner_text().lower() == offline.verdict.result.value
    assert pg.locator("svg.path g.actor").count() == 5
    assert pg.locator("svg.path g.hop").count() == 4
    assert "Not re-checked" in pg.locator("article").inner_text()
    screenshot(pg, "serve-pasted", full_page=False)
    pg.locator("a.cite").first.click()
    target = pg.evaluate("location.hash")
    assert pg.locator(f"[id='{target[1:]}']").evaluate("e => e.matches(':target')")
    watch.assert_quiet()


def test_uploading_a_file_shows_the_report(page: tuple[Page, Watch], served: Served) -> None:
    pg, watch = page
    pg.goto(served.url)
    pg.get_by_label("or choose a file").set_input_files(
        {"name": "list.eml", "mimeType": "message/rfc822", "buffer": _raw("scenarios/05-mailing-list")}
    )
    pg.get_by_role("button", name="Analyse").click()
    pg.wait_for_load_state()
    assert pg.locator("article h2").inner_text() == "list.eml"
    assert pg.locator("[data-verdict]").count() == 1
    watch.assert_quiet()


def test_api_returns_the_schema_json(page: tuple[Page, Watch], served: Served) -> None:
    pg, _ = page
    raw = _raw("examples/plain")
    response = pg.request.post(served.url + "api/analyze", data=raw, headers={"content-type": "message/rfc822"})
    assert response.status == 200
    assert response.headers["content-type"] == "application/json"
    doc = json.loads(response.body())
    assert doc["verdict"]["result"] == analyze(raw, policy=Policy()).to_dict()["verdict"]["result"]
    assert len(doc["received"]) == raw.split(b"\r\n\r\n", 1)[0].count(b"\r\nReceived:") + raw.startswith(b"Received:")
