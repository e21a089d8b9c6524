"""Issue 12: message content never raises, never stalls, never reaches the terminal raw.

Only behaviour is asserted here (results, defects, escapes); times are measured by
benchmarks/hostile_input.py and benchmarks/fuzz_campaign.py.
"""

from __future__ import annotations

import importlib
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

import mailtrace
from mailtrace.auth.dmarc import check_dmarc
from mailtrace.auth.results import DkimCheck, DkimResult, DmarcResult, SpfCheck, SpfResult
from mailtrace.cli import main
from mailtrace.dns import OfflineZone
from mailtrace.parse.dates import parse_date
from mailtrace.parse.received import parse_received_value
from mailtrace.render.text import render_text
from mailtrace.testing.hostile import CONTROL_CHARS

#: What must never be written raw: C0 but tab and newline, DEL, C1, bidi controls, Cf characters.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
DATE = "Mon, 3 Jun 2024 10:00:00 +0000"


def _internal(report: mailtrace.Report) -> list[str]:
    return [d.message for d in report.defects if d.code == "mailtrace.internal_error"]


def test_a_thousand_nested_groups_are_read_without_recursion() -> None:
    report = mailtrace.analyze(b"From: " + b"a:" * 1000 + b"x@y.example\r\n\r\nx\r\n")
    assert not _internal(report)
    assert report.headers.from_ is not None
    assert [a.address for a in report.headers.from_.addresses] == ["x@y.example"]


@pytest.mark.parametrize(
    ("text", "port"),
    [
        (f"from h ([203.0.113.5:\u00b2]) by mx.example; {DATE}", None),
        (f"from h (h [203.0.113.5] port=\u00b2\u00b3) by mx.example; {DATE}", None),
        (f"from h (h [203.0.113.5]:2525) by mx.example; {DATE}", 2525),
        (f"from h (h [203.0.113.5:\u0663]) by mx.example; {DATE}", None),
    ],
)
def test_unicode_digits_in_ports_are_not_numbers(text: str, port: int | None) -> None:
    hop = parse_received_value(text)
    assert hop.from_.port == port
    assert hop.from_.ip == ("203.0.113.5" if port else hop.from_.ip)  # a literal with a bad port may be refused


def test_unicode_digits_in_tls_bits_are_not_numbers() -> None:
    hop = parse_received_value(f"from h ([192.0.2.1]) (version=TLS1_3 cipher=X bits=\u00b2\u00b2/256) by mx; {DATE}")
    assert hop.tls is not None and hop.tls.bits is None


@pytest.mark.parametrize("text", ["Fri, 31 Dec 9999 23:59:59 -2359", "Mon, 1 Jan 0001 00:00:00 +2359"])
def test_dates_at_the_edge_of_datetime_are_implausible_not_errors(text: str) -> None:
    value, _defects = parse_date(text)
    assert value is None or value.astimezone(UTC) < datetime(9999, 1, 1, tzinfo=UTC)
    raw = f"Received: from h ([192.0.2.1]) by mx.example; {text}\r\nDate: {text}\r\nFrom: a@b.example\r\n\r\nx\r\n"
    report = mailtrace.analyze(raw.encode())
    assert not _internal(report)
    render_text(report)  # the text renderer converts to UTC: it must not overflow either


@pytest.mark.parametrize(
    ("pct", "expected"), [("\u00b2", 100), ("9" * 5000, 100), ("101", 100), ("-1", 100), ("30", 30)]
)
def test_dmarc_pct_that_is_not_0_to_100_is_ignored_and_the_record_evaluated(pct: str, expected: int) -> None:
    zone = OfflineZone.from_dict({"_dmarc.example.com": {"TXT": [f"v=DMARC1; p=reject; pct={pct}"]}})
    check = check_dmarc(
        zone,
        "example.com",
        SpfCheck(result=SpfResult.FAIL),
        [DkimCheck(result=DkimResult.SIGNATURE_MISMATCH, domain="example.com")],
    )
    assert check.result is DmarcResult.FAIL and check.policy == "reject"
    assert check.pct == expected
    assert ("dmarc.bad_pct" in {d.code for d in check.defects}) is (expected == 100)


def test_an_unexpected_exception_becomes_an_internal_error_defect(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(importlib.import_module("mailtrace.analyze"), "reconstruct_path", explode)
    report = mailtrace.analyze(b"From: a@b.example\r\nSubject: x\r\n\r\nbody\r\n")
    (message,) = _internal(report)
    assert message.startswith("ZeroDivisionError at mailtrace/analyze.py:")
    assert len(report.message.fields) == 2  # the minimal report still holds the split message
    assert "mailtrace.internal_error" in render_text(report)
    assert json.loads(report.to_json())["defects"][-1]["code"] == "mailtrace.internal_error"


def test_the_innermost_mailtrace_frame_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    import mailtrace.parse.headers as headers_module

    def explode(*args: object) -> None:
        raise KeyError("x")

    monkeypatch.setattr(headers_module, "parse_address_list", explode)
    (message,) = _internal(mailtrace.analyze(b"From: a@b.example\r\n\r\nx\r\n"))
    assert re.fullmatch(r"KeyError at mailtrace/parse/headers\.py:\d+; the analysis stopped there", message)


def _hostile_message() -> bytes:
    evil = "".join(CONTROL_CHARS)
    lines = [
        f"Received: from helo{evil}.example (rdns{evil}.example [192.0.2.1]) by mx{evil}.example; {DATE}",
        f'From: "Bank{evil}" <a@b.example>',
        f"Reply-To: r{evil}@b.example",
        f"Subject: pay now{evil}\u202egnp.exe",
        f"Subject: =?utf-8?q?=1B[2J=C2=9B31m=E2=80=AE?= {evil}",
        f"Message-ID: <id{evil}@b.example>",
        f"X-Mailer: m{evil}",
        f"List-Id: l{evil}",
        f"Date: {DATE}",
    ]
    return ("\r\n".join(lines) + "\r\n\r\nbody\r\n").encode("utf-8")


def test_text_and_json_of_a_message_full_of_controls_hold_no_raw_control() -> None:
    report = mailtrace.analyze(_hostile_message(), name=f"evil{''.join(CONTROL_CHARS)}.eml")
    text = render_text(report)
    assert not RAW_CONTROL.findall(text)
    assert "\\x1b[2J" in text and "\\u202e" in text  # shown, not dropped
    document = report.to_json()
    assert not RAW_CONTROL.findall(document)
    assert json.loads(document) == report.to_dict()  # escapes decode back to the same data


@pytest.mark.parametrize("fmt", ["text", "json", "jsonl"])
def test_cli_output_and_errors_hold_no_raw_control(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "evil.eml"
    path.write_bytes(_hostile_message())
    missing = tmp_path / "missing\x1b]0;pwned\x07\u202e.eml"
    main(["analyze", "--format", fmt, str(path), str(missing)])
    out, err = capsys.readouterr()
    assert out and not RAW_CONTROL.findall(out)
    assert "missing" in out + err and not RAW_CONTROL.findall(err)
    if fmt != "text":
        json.loads(out.splitlines()[0] if fmt == "jsonl" else out)


def test_a_line_break_inside_a_value_cannot_fake_a_report_line() -> None:
    report = mailtrace.analyze(b"From: a@b.example\r\nSubject: =?utf-8?q?x=0D=0AVerdict:_authentic?=\r\n\r\nbody\r\n")
    text = render_text(report)
    assert "x\\r\\nVerdict: authentic" in text
    assert not any(line.startswith("Verdict: authentic") for line in text.splitlines())


@pytest.mark.parametrize(
    "value",
    [
        b'\\"' * 500_000,
        b'"' + b'\\"' * 500_000 + b",",
        b"a" + b" " * 1_000_000 + b">",
        b"a:" * 500_000,
        b"(" * 1_000_000,
    ],
    ids=["backslash-quote", "quoted-backslash-quote", "spaces-before-angle", "groups", "parens"],
)
def test_a_one_megabyte_address_field_is_cut_and_read(value: bytes) -> None:
    """Completion and bounds only; the time is measured by benchmarks/hostile_input.py (linear reader)."""
    report = mailtrace.analyze(b"Delivered-To: " + value + b"\r\nFrom: a@b.example\r\n\r\nx\r\n")
    assert not _internal(report)
    (field,) = report.headers.delivered_to
    assert "header.too_long" in {d.code for d in report.message.fields[0].defects}
    if len(report.message.fields[0].value.strip()) > 16 * 1024:  # spaces before '>' strip to "a"
        assert "address.list_too_long" in {d.code for d in field.defects}
    assert report.headers.from_ is not None and report.headers.from_.addresses[0].address == "a@b.example"
