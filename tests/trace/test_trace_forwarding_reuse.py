"""The path and the verdict share one reading of a message's forwarding signals."""

from __future__ import annotations

from pathlib import Path

import pytest

import mailtrace
from mailtrace import analyze
from mailtrace.parse.headers import extract_headers
from mailtrace.parse.message import parse_message
from mailtrace.policy import DEFAULT_POLICY
from mailtrace.trace import forwarding

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "examples"


@pytest.mark.skipif(mailtrace.__compiled__, reason="a compiled module calls its functions directly: no patch counts")
def test_a_message_is_read_once_for_the_path_and_the_verdict(monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[frozenset[int]] = []
    real = forwarding._read_signals

    def counting(headers, message, own):  # type: ignore[no-untyped-def]
        reads.append(own)
        return real(headers, message, own)

    monkeypatch.setattr(forwarding, "_read_signals", counting)
    report = analyze((FIXTURES / "forwarded.eml").read_bytes())
    assert report.path is not None and reads == [frozenset()]


def test_other_seals_left_out_or_another_message_read_afresh() -> None:
    raw = (FIXTURES / "forwarded.eml").read_bytes()
    message = parse_message(raw, DEFAULT_POLICY.limits)
    headers = extract_headers(message)
    first = forwarding.forwarding_signals(headers, message)
    assert forwarding.forwarding_signals(headers, message) is first
    assert forwarding.forwarding_signals(headers, message, frozenset({0})) is not first
    again = parse_message(raw, DEFAULT_POLICY.limits)
    other = forwarding.forwarding_signals(extract_headers(again), again)
    assert other is not first and other == first
