"""Hostile input to the loader, splitter and header views finishes with defects and bounded output.

Only completion and bounds are asserted here; times are measured by benchmarks/hostile_input.py.
"""

from __future__ import annotations

import mailtrace
from mailtrace.limits import Limits


def _codes(report: mailtrace.Report) -> set[str]:
    codes = {d.code for d in report.defects} | {d.code for d in report.headers.defects}
    for hop in report.received:
        codes |= {d.code for d in hop.defects}
    return codes


def test_ten_thousand_received_fields_are_bounded_by_max_hops() -> None:
    raw = b"".join(b"Received: from a%d by b%d; Mon, 13 May 2024 10:00:00 +0000\n" % (i, i) for i in range(10_000))
    report = mailtrace.analyze(raw + b"\nbody")
    assert len(report.received) == Limits().max_hops
    assert "received.too_many" in _codes(report)


def test_one_megabyte_field_is_cut() -> None:
    report = mailtrace.analyze(b"Subject: " + b"x" * 1_000_000 + b"\n\nbody")
    subject = report.headers.subject
    assert subject is not None and len(subject.value) <= Limits().max_field_bytes
    assert "header.too_long" in {d.code for d in report.message.fields[0].defects}


def test_huge_header_block_without_end_is_bounded() -> None:
    raw = b"".join(b"X-%d: v\n" % i for i in range(300_000))
    report = mailtrace.analyze(raw)
    assert len(report.message.fields) <= Limits().max_fields
    assert {"message.header_too_large", "message.too_many_fields"} & _codes(report)


def test_nested_comments_nul_bytes_and_brackets_in_originator_fields() -> None:
    raw = (
        b"From: " + b"(" * 10_000 + b"a@example.com\n"
        b"Date: " + b"(" * 10_000 + b"\n"
        b"To: " + b"[" * 50_000 + b"\n"
        b"Reply-To: a\x00b@example.com\n"
        b"Subject: " + b"=?utf-8?q?" * 5000 + b"\n\n"
    )
    report = mailtrace.analyze(raw)
    assert report.headers.from_ is not None
    assert report.headers.date is not None and report.headers.date.timestamp is None
    assert "message.nul_byte" in _codes(report)
    assert len(report.to_json()) < 2_000_000
