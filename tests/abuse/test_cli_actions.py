"""The command line: report-abuse (single, batch, never over an input), indicators, analyze --enrich/--indicators."""

from __future__ import annotations

import csv
import email
import io
import json
from pathlib import Path

import pytest

from mailtrace.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "examples"
PLAIN = (EXAMPLES / "plain.eml").read_bytes().replace(b"\r\n\r\nHi Bob", b"\r\n\r\nhttp://phish.example/a\r\nHi Bob", 1)
ZONE = {
    "10.100.51.198.abuse-contacts.abusix.zone": {"TXT": ["abuse@sender-hosting.example"]},
    "10.100.51.198.origin.asn.cymru.com": {"TXT": ["64500 | 198.51.100.0/24 | NL | ripencc | 2010-05-05"]},
}


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    a = tmp_path / "a.eml"
    a.write_bytes(PLAIN)
    b = tmp_path / "b.eml"
    b.write_bytes(PLAIN.replace(b"Subject:", b"X-Campaign: 2\r\nSubject:", 1))
    c = tmp_path / "c.eml"
    c.write_bytes(PLAIN.replace(b"198.51.100.10", b"203.0.113.7"))
    zone = tmp_path / "zone.json"
    zone.write_text(json.dumps(ZONE))
    return {"a": a, "b": b, "c": c, "zone": zone}


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), stdout=out)
    return code, out.getvalue()


def test_report_abuse_addresses_the_enriched_contact(files: dict[str, Path], tmp_path: Path) -> None:
    target = tmp_path / "report.eml"
    code, _ = run("report-abuse", str(files["a"]), "--zone", str(files["zone"]), "-o", str(target), "--no-progress")
    assert code == 0
    report = email.message_from_bytes(target.read_bytes())
    assert report["To"] == "abuse@sender-hosting.example"
    feedback = report.get_payload()[1].get_payload()[0]  # type: ignore[index, union-attr]
    assert feedback["Source-IP"] == "198.51.100.10"
    assert feedback["Reported-Uri"] == "http://phish.example/a"


def test_report_abuse_to_an_address_as_xarf_on_stdout(files: dict[str, Path]) -> None:
    code, out = run("report-abuse", str(files["a"]), "--to", "noc@example.net", "--format", "xarf")
    assert code == 0
    report = email.message_from_string(out)
    assert report["To"] == "noc@example.net" and report["X-XARF"] == "PLAIN"


def test_report_abuse_never_writes_over_its_input(files: dict[str, Path]) -> None:
    before = files["a"].read_bytes()
    code, _ = run("report-abuse", str(files["a"]), "-o", str(files["a"]))
    assert code == 2
    assert files["a"].read_bytes() == before


def test_batch_writes_one_report_per_origin_network(files: dict[str, Path], tmp_path: Path) -> None:
    out_dir = tmp_path / "reports"
    paths = [str(files[k]) for k in ("a", "b", "c")]
    code, _ = run("report-abuse", *paths, "--zone", str(files["zone"]), "--batch-dir", str(out_dir))
    assert code == 0
    written = sorted(out_dir.iterdir())
    assert [p.name for p in written] == ["report-001-AS64500.eml", "report-002-203_0_113_0_24.eml"]
    first = email.message_from_bytes(written[0].read_bytes())
    feedback = first.get_payload()[1].get_payload()[0]  # type: ignore[index, union-attr]
    assert feedback["Incidents"] == "2"
    second = email.message_from_bytes(written[1].read_bytes())
    assert second["To"] is None  # no contact known for that network


def test_indicators_command_formats(files: dict[str, Path]) -> None:
    code, out = run("indicators", str(files["a"]), "--defang")
    assert code == 0
    doc = json.loads(out)
    assert [u["url"] for u in doc["urls"]] == ["hxxp://phish[.]example/a"]
    code, out = run("indicators", str(files["a"]), str(files["c"]), "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][:3] == ["source", "type", "value"]
    assert [r[2] for r in rows[1:] if r[1] == "url"] == ["http://phish.example/a", "http://phish.example/a"]
    pytest.importorskip("stix2")
    code, out = run("indicators", str(files["a"]), "--format", "stix")
    assert json.loads(out)["type"] == "bundle"


def test_analyze_with_enrich_and_indicators(files: dict[str, Path]) -> None:
    code, out = run(
        "analyze", str(files["a"]), "--format", "json", "--zone", str(files["zone"]), "--enrich", "--indicators"
    )
    assert code == 0
    doc = json.loads(out)
    assert doc["enrichment"]["abuse_contacts"][0]["address"] == "abuse@sender-hosting.example"
    assert doc["indicators"]["urls"][0]["url"] == "http://phish.example/a"
    code, out = run("analyze", str(files["a"]), "--format", "json")
    assert "enrichment" not in json.loads(out)


def test_messages_from_several_networks_need_batch_dir(files: dict[str, Path]) -> None:
    code, out = run("report-abuse", str(files["a"]), str(files["c"]))
    assert code == 2 and out == ""
    code, out = run("report-abuse", str(files["a"]), str(files["b"]), "--to", "noc@example.net")
    assert code == 0  # one network: one grouped report
    feedback = email.message_from_string(out).get_payload()[1].get_payload()[0]  # type: ignore[index, union-attr]
    assert feedback["Incidents"] == "2"


def test_attached_reports_the_message_a_user_forwarded(files: dict[str, Path], tmp_path: Path) -> None:
    inner = files["c"].read_bytes()
    outer = (
        b"From: user@recipient.example\r\nTo: abuse-desk@recipient.example\r\nSubject: Fwd: phish\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=zz\r\n\r\n"
        b"--zz\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
        b"--zz\r\nContent-Type: message/rfc822\r\n\r\n" + inner + b"\r\n--zz--\r\n"
    )
    path = tmp_path / "forward.eml"
    path.write_bytes(outer)
    code, out = run("report-abuse", str(path), "--attached", "--to", "noc@example.net")
    assert code == 0
    feedback = email.message_from_string(out).get_payload()[1].get_payload()[0]  # type: ignore[index, union-attr]
    assert feedback["Source-IP"] == "203.0.113.7"


def test_enrichment_recorded_then_replayed_on_the_command_line(files: dict[str, Path], tmp_path: Path) -> None:
    evidence = tmp_path / "dns.jsonl"
    common = ("analyze", str(files["a"]), "--format", "json", "--enrich", "--dnsbl", "bl.example")
    code, first = run(*common, "--zone", str(files["zone"]), "--record", str(evidence), "--no-progress")
    assert code == 0
    code, second = run(*common, "--replay", str(evidence), "--no-progress")
    assert code == 0
    one, two = json.loads(first)["enrichment"], json.loads(second)["enrichment"]
    assert json.dumps(one) == json.dumps(two)
    assert one["hosts"][0]["facts"][1]["asn"] == 64500
