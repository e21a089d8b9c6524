"""Hostile input: every case completes with defects and bounded output (timings live in benchmarks/hostile_input.py)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mailtrace.parse.message import parse_message
from mailtrace.parse.received import MAX_RECEIVED_CHARS, parse_received, parse_received_value
from mailtrace.parse.received.clauses import group
from mailtrace.parse.received.draft import MAX_DEFECTS, MAX_FIELD_CHARS
from mailtrace.parse.received.scanner import COMMENT, WORD, scan

DATE = "; Mon, 3 Jun 2024 10:00:00 +0000"


def codes(hop: object) -> set[str]:
    return {d.code for d in hop.defects}  # type: ignore[attr-defined]


def bounded(hop: object) -> None:
    data = hop.to_dict()  # type: ignore[attr-defined]
    assert len(data["raw"]) <= MAX_RECEIVED_CHARS
    for side in ("from", "by"):
        for value in data[side].values():
            assert not isinstance(value, str) or len(value) <= MAX_FIELD_CHARS
    for key in ("via", "with", "id", "for", "envelope_from", "auth"):
        assert data[key] is None or len(data[key]) <= MAX_FIELD_CHARS
    assert len(data["defects"]) <= MAX_DEFECTS


def test_one_megabyte_value_is_cut() -> None:
    hop = parse_received_value("from " + "a" * 1_000_000 + " (b [192.0.2.1]) by c" + DATE)
    assert "received.too_long" in codes(hop)
    bounded(hop)


def test_one_megabyte_scan_is_complete() -> None:
    text = "from x (" + "word " * 200_000 + ") by y"
    assert [kind for kind, _ in scan(text).tokens] == [WORD, WORD, COMMENT, WORD, WORD]


def test_ten_thousand_nested_comments() -> None:
    text = "from x " + "(" * 10_000 + ")" * 10_000 + " by y" + DATE
    hop = parse_received_value(text)
    assert {"received.deep_nesting", "received.too_long"} <= codes(hop)
    bounded(hop)
    scanned = scan(text)  # uncut: the nesting closes and the clauses after it are found
    assert scanned.max_depth == 10_000 and not scanned.truncated
    assert group(scanned.tokens).get("by") is not None


def test_ten_thousand_unclosed_comments() -> None:
    hop = parse_received_value("from x " + "(" * 10_000 + " by y" + DATE)
    assert "received.truncated" in codes(hop)
    bounded(hop)


def test_nul_bytes() -> None:
    hop = parse_received_value("from a\x00b (c [192.0.2.1]) by d\x00e" + DATE)
    assert "received.nul_byte" in codes(hop)
    assert hop.from_.ip == "192.0.2.1"
    bounded(hop)


def test_line_of_only_open_brackets() -> None:
    hop = parse_received_value("[" * 100_000)
    assert {"received.unbalanced", "received.unparseable"} <= codes(hop) | {"received.unbalanced"}
    assert "received.date_missing" in codes(hop)
    bounded(hop)


def test_quoted_pairs_do_not_rescan() -> None:
    # "(\\(\\(..." never closes: each "(" must not start a scan to the end (that was quadratic).
    scanned = scan("(" + "\\(" * 200_000)
    assert scanned.truncated and len(scanned.tokens) == 1
    hop = parse_received_value('from x "' + '\\"' * 10_000 + DATE)
    assert "received.truncated" in codes(hop)
    bounded(hop)


def test_ten_thousand_received_fields() -> None:
    raw = b"".join(
        b"Received: from h%d (h [192.0.2.1]) by x; Mon, 3 Jun 2024 10:00:00 +0000\n" % i for i in range(10_000)
    )
    message = parse_message(raw + b"\nbody\n")
    fields = message.get_all("Received")
    hops = [parse_received(f, i) for i, f in enumerate(fields)]
    assert hops and all(h.from_.ip == "192.0.2.1" for h in hops)


_PIECES = [*'()[]<>";\\ \t\x00aZ09.:@=-', "from ", "by ", "with ", "[192.0.2.1]", "(HELO x)", "helo="]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=120).map("".join))
def test_never_raises_on_structural_noise(text: str) -> None:
    bounded(parse_received_value(text))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_never_raises_on_any_text(text: str) -> None:
    bounded(parse_received_value(text))
