"""Rows (Report.to_row) and the batch summary: counts, networks, generalised names, campaign clusters."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

import mailtrace
from mailtrace.cli import main
from mailtrace.render.row import COLUMNS
from mailtrace.summary import Summary
from mailtrace.summary.patterns import generalise, message_id_pattern, network
from tests.batch._mail import message

STAMP = (
    b"Authentication-Results: mx.example.org; spf=pass smtp.mailfrom=bounce@example.net;"
    b" dkim=pass header.d=example.net; dmarc=pass header.from=example.net\n"
)


def test_to_row_has_every_column_and_the_report_s_values() -> None:
    report = mailtrace.analyze(STAMP + message(ip="203.0.113.7", helo="WIN-344VU98D3RU", subject="=1+1"))
    row = report.to_row()
    assert list(row) == list(COLUMNS)
    assert row["origin_ip"] == "203.0.113.7" and row["origin_helo"] == "WIN-344VU98D3RU"
    assert row["subject"] == "=1+1"  # the row is data; only the CSV renderer neutralises it
    assert row["from_domain"] == "example.net" and row["from_authentication"].startswith("aligned_pass")
    assert "spf:example.net" in row["authenticated_as"].split()
    assert row["findings"] == " ".join(f.code for f in report.findings)
    assert row["verdict"] == report.verdict.result.value  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("ip", "net"),
    [("203.0.113.77", "203.0.113.0/24"), ("2001:db8:abcd:12::1", "2001:db8:abcd::/48"), ("junk", ""), ("", "")],
)
def test_network(ip: str, net: str) -> None:
    assert network(ip) == net


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("WIN-344VU98D3RU", "win-*"),
        ("mail-yw1-f173.google.com", "mail-yw#-f#.google.com"),
        ("ubuntu-s-1vcpu-512mb-10gb-nyc1-01", "ubuntu-s-#vcpu-#mb-#gb-nyc#-#"),
        ("", ""),
    ],
)
def test_generalise(text: str, pattern: str) -> None:
    assert generalise(text) == pattern


def test_message_id_pattern_keeps_the_domain() -> None:
    a = message_id_pattern("<20230804044947.845B5C48928233AF@tik.example.com>")
    b = message_id_pattern("20231101120000.0A1B2C3D4E5F6071@tik.example.com")
    assert a == b == "#.*@tik.example.com"
    assert message_id_pattern("x@other.example") != a


def _row(**fields: str) -> dict[str, str]:
    row = dict.fromkeys(COLUMNS, "")
    row.update(fields)
    return row


def test_summary_counts_and_clusters_from_rows() -> None:
    summary = Summary()
    for i in range(3):
        summary.add(
            _row(
                source=f"kit{i}.eml",
                origin_ip=f"198.51.100.{10 + i}",
                origin_helo=f"WIN-{i}A{i}B{i}C{i}D",
                verdict="forged",
                from_domain="bank.example",
                return_path=f"x{i}@bulk.example",
                message_id=f"2023110{i}120000.ABCDEF{i}@kit.example",
                date=f"2023-11-0{i + 1}T12:00:00+02:00",
                authenticated_as="spf:bulk.example",
                origin_provider="hoster" if i else "",
            )
        )
    summary.add(_row(source="other.eml", origin_ip="192.0.2.1", verdict="authentic", from_domain="ok.example"))
    summary.add_error({"source": {"name": "x.png", "position": None}, "error": {"code": "input.not_mail"}})
    doc = summary.to_dict()
    assert (doc["messages"], doc["errors"]) == (4, 1)
    assert doc["counts"]["verdict"] == {"forged": 3, "authentic": 1}
    assert doc["counts"]["origin_network"] == {"198.51.100.0/24": 3, "192.0.2.0/24": 1}
    assert doc["counts"]["spf_domain"] == {"bulk.example": 3, "(none)": 1}
    assert doc["counts"]["return_path_domain"] == {"bulk.example": 3, "(none)": 1}
    clusters = {(c["dimension"], c["key"]): c for c in doc["clusters"]}
    assert set(clusters) == {
        ("network", "198.51.100.0/24"),
        ("identity", "bulk.example"),
        ("helo", "win-*"),
        ("message_id", "#.*@kit.example"),
    }
    net = clusters[("network", "198.51.100.0/24")]
    assert net["count"] == 3 and net["verdicts"] == {"forged": 3} and net["providers"] == {"hoster": 2}
    assert (net["first"], net["last"]) == ("2023-11-01T10:00:00+00:00", "2023-11-03T10:00:00+00:00")
    assert net["examples"] == ["kit0.eml", "kit1.eml", "kit2.eml"]


def _run(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    return main(argv, stdout=out), out.getvalue()


@pytest.fixture
def campaign(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    for i in range(4):
        data = message(
            ip=f"203.0.113.{i + 1}", helo=f"vps{i}.hoster.example", message_id=f"{i}AB{i}CD{i}EF@kit.example"
        )
        (folder / f"{i}.eml").write_bytes(data)
    (folder / "x.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    return folder


def test_summary_command_text_json_and_csv(campaign: Path) -> None:
    code, text = _run(["summary", str(campaign)])
    assert code == 3
    assert text.startswith("mailtrace summary: 4 messages, 1 inputs failed")
    assert "network 203.0.113.0/24: 4 messages, 2024-05-13;" in text
    code, doc_text = _run(["summary", "--format", "json", str(campaign)])
    doc = json.loads(doc_text)
    assert doc["counts"]["origin_network"] == {"203.0.113.0/24": 4}
    assert {(c["dimension"], c["key"]) for c in doc["clusters"]} >= {("helo", "vps#.hoster.example")}
    assert doc["failed_inputs"][0]["error"]["code"] == "input.not_mail"
    code, csv_text = _run(["summary", "--format", "csv", "--jobs", "2", str(campaign)])
    rows = list(csv.DictReader(io.StringIO(csv_text, newline="")))
    assert {"section": "origin_network", "key": "203.0.113.0/24", "count": "4"}.items() <= rows[
        [r["section"] for r in rows].index("origin_network")
    ].items()
    assert any(r["section"] == "cluster:network" and r["count"] == "4" for r in rows)


def test_summary_text_shows_hostile_names_escaped(tmp_path: Path) -> None:
    for i in range(2):
        (tmp_path / f"{i}.eml").write_bytes(message(sender="x@evil\u202egnp.example", helo="h\x1b[2Jost"))
    _, text = _run(["summary", str(tmp_path)])
    assert "\x1b" not in text and "\u202e" not in text
