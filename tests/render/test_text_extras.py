"""The text report shows enrichment and indicators when they were asked for (they were JSON/CSV only)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mailtrace import analyze
from mailtrace.cli import main
from mailtrace.dns import OfflineZone
from mailtrace.enrich import Enrichment
from mailtrace.indicators import IndicatorOptions
from mailtrace.policy import Policy
from mailtrace.render.extras import MAX_LISTED
from mailtrace.render.text import render_text
from tests.enrich.test_enrich_pipeline import zone as _zone

EXAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "examples"
PLAIN = (EXAMPLES / "plain.eml").read_bytes()


def _section(text: str, title: str) -> list[str]:
    block = text.split(f"\n{title}", 1)[1].split("\n\n", 1)[0]
    return block.splitlines()[2:]  # after the title's rest and its underline


def _message(urls: list[str]) -> bytes:
    body = "\n".join(urls)
    return (
        "Received: from mail.sender.example (mail.sender.example [198.51.100.10]) by mx.recipient.example "
        "with ESMTPS id 4AbC; Tue, 1 Dec 2026 10:00:00 +0000\n"
        "From: A <a@sender.example>\nTo: b@recipient.example\nSubject: links\n"
        "Date: Tue, 1 Dec 2026 09:59:58 +0000\nMessage-ID: <1@sender.example>\n"
        f"MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n{body}\n"
    ).encode()


def test_nothing_asked_nothing_shown() -> None:
    text = render_text(analyze(PLAIN, policy=Policy(resolver=_zone())))
    assert "\nEnrichment" not in text and "\nIndicators" not in text


def test_every_border_fact_is_shown_with_what_dns_said() -> None:
    policy = Policy(resolver=_zone(), enrichment=Enrichment(dnsbl_zones=("bl.example",)))
    text = render_text(analyze(PLAIN, policy=policy))
    assert "\nEnrichment (7 DNS lookups)\n" in text
    lines = _section(text, "Enrichment")
    assert lines[0].startswith("  border 198.51.100.10 (received[")
    assert lines[1:6] == [
        "    FCrDNS      confirmed: mail.sender.example",
        "    origin      AS64500 198.51.100.0/24 NL (ripencc, allocated 2010-05-05)",
        "    AS name     SENDER-AS Sender Hosting, NL",
        "    abuse       abuse@sender-hosting.example",
        "    DNSBL       listed in bl.example (127.0.0.3)",
    ]
    contact = "    abuse@sender-hosting.example (network: txt:abuse-contacts.abusix.zone)"
    assert lines[6:] == ["  abuse contacts", contact]


def test_a_lookup_dns_could_not_answer_says_so_with_its_reason() -> None:
    data = json.loads((EXAMPLES / "plain.zone.json").read_text())
    data["10.100.51.198.origin.asn.cymru.com"] = "TIMEOUT"
    zone = OfflineZone.from_dict(data)
    lines = _section(render_text(analyze(PLAIN, policy=Policy(resolver=zone, enrichment=Enrichment()))), "Enrichment")
    origin = next(x for x in lines if x.strip().startswith("origin"))
    assert origin.split()[1] == "unknown" and "timeout" in origin.lower()


def test_without_a_resolver_the_section_says_no_dns_was_asked() -> None:
    text = render_text(analyze(PLAIN, policy=Policy(enrichment=Enrichment())))
    assert "\nEnrichment (no DNS asked: no resolver given)\n" in text
    assert _section(text, "Enrichment")[0].startswith("  border 198.51.100.10")


def test_long_lists_stop_with_a_count_and_urls_break_without_a_character_added() -> None:
    long_url = "https://files.attacker.example/" + "a1b2c3d4" * 30
    urls = [long_url, *(f"https://host{i}.attacker.example/p" for i in range(MAX_LISTED + 5))]
    report = analyze(_message(urls), policy=Policy(indicators=IndicatorOptions(defang=True)))
    text = render_text(report)
    assert all(len(line) <= 100 for line in text.splitlines())
    lines = _section(text, "Indicators")
    assert lines[0] == f"  URLs ({MAX_LISTED + 6})"
    assert "    ... and 6 more (the JSON report lists all)" in lines
    item = [lines[1]]
    for line in lines[2:]:
        if not line.startswith("        "):  # the next item
            break
        item.append(line)
    shown = "hxxps://files[.]attacker[.]example/" + "a1b2c3d4" * 30  # defanged, nothing inserted
    assert len(item) > 2 and "".join(x.strip() for x in item) in (f"{shown}(text)", f"{shown} (text)")
    assert "https://" not in "\n".join(lines)  # every shown URL is defanged


def test_hostile_characters_in_an_indicator_reach_the_terminal_as_escapes() -> None:
    hostile = _message(["https://evil.example/\u202egpj.exe\x1b[2J"])
    report = analyze(hostile, policy=Policy(indicators=IndicatorOptions()))
    text = render_text(report)
    assert "\x1b" not in text and "\u202e" not in text
    assert "\\u202e" in "\n".join(_section(text, "Indicators"))


def test_the_cli_prints_both_sections(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "m.eml"
    path.write_bytes(_message(["https://one.example/x"]))
    assert main(["analyze", "--indicators", "--enrich", str(path)]) == 0
    out = capsys.readouterr().out
    assert "\nEnrichment (no DNS asked: no resolver given)\n" in out
    assert "\n  URLs (1)\n    https://one.example/x (text)\n" in out


def test_the_html_report_shows_both_sections_escaped() -> None:
    pytest.importorskip("jinja2")
    from mailtrace.render.html import render_html

    body = (
        "--b\nContent-Type: text/plain\n\nhttps://two.example/y\n--b\nContent-Type: application/octet-stream\n"
        'Content-Disposition: attachment; filename="<img src=x onerror=alert(1)>.exe"\n'
        "Content-Transfer-Encoding: base64\n\nTVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAA\n--b--"
    )
    plain, mixed = b"Content-Type: text/plain; charset=utf-8\n\n", b"Content-Type: multipart/mixed; boundary=b\n\n"
    raw = _message([]).replace(plain, mixed)
    policy = Policy(resolver=_zone(), enrichment=Enrichment(), indicators=IndicatorOptions(defang=True))
    page = render_html(analyze(raw + body.encode(), policy=policy))
    assert ">Indicators (3 MIME parts, " in page and ">Enrichment (" in page
    assert "<h4>URLs (1)</h4>" in page and "hxxps://two[.]example/y (text)" in page
    assert "<h4>attachments (1)</h4>" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;.exe" in page
