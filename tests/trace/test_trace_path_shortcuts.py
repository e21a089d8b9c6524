"""Shortcuts of reconstruct_path (mailtrace.trace) answer what the code they replace answers, on every fixture
message and on a sample of the corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailtrace.analyze import _parse_trace
from mailtrace.parse.auth import parse_authentication
from mailtrace.parse.headers import extract_headers
from mailtrace.parse.message import parse_message
from mailtrace.policy import DEFAULT_POLICY
from mailtrace.trace import reconstruct_path
from mailtrace.trace.recipient import find_recipient

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
MESSAGES = sorted((FIXTURES / "scenarios").glob("*.eml")) + sorted((FIXTURES / "examples").glob("*.eml"))


def _check(path: Path) -> None:
    message = parse_message(path.read_bytes(), DEFAULT_POLICY.limits)
    headers = extract_headers(message)
    received, _ = _parse_trace(message.get_all("Received"), DEFAULT_POLICY)
    result = reconstruct_path(received, headers, parse_authentication(message), message, DEFAULT_POLICY)
    # the recipient: reconstruct_path asks find_recipient again with the borders only when the early answer
    # (no borders) is a ``for`` clause
    assert result.recipient == find_recipient(headers, message, received, result.borders)


@pytest.mark.parametrize("path", MESSAGES, ids=lambda p: p.name)
def test_shortcuts_on_the_fixtures(path: Path) -> None:
    _check(path)


@pytest.mark.corpus
def test_shortcuts_on_the_corpus(corpus: Path) -> None:
    files = sorted(corpus.rglob("*.eml"))[::40]
    assert files
    for f in files:
        _check(f)
