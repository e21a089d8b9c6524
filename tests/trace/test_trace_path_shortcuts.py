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
from mailtrace.trace.border import _judge, _network, _submissions, client_inside
from mailtrace.trace.order import order_hops
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
    # find_borders' inside(hop, i) keeps each hop's answer: asked again, it is client_inside's
    hops = order_hops(received, headers)
    net = sorted((h for h in hops if _network(h)), key=lambda h: h.received_index or 0)
    submissions = _submissions(net, DEFAULT_POLICY)
    inside = _judge(net, hops, received, submissions)
    by_index = {h.received_index: h for h in hops if h.received_index is not None and not h.synthetic}
    for _ in range(2):
        for i, h in enumerate(net):
            below = net[i + 1] if i + 1 < len(net) else by_index.get((h.received_index or 0) + 1)
            assert inside(h, i) == client_inside(h, below, received, submissions)


@pytest.mark.parametrize("path", MESSAGES, ids=lambda p: p.name)
def test_shortcuts_on_the_fixtures(path: Path) -> None:
    _check(path)


@pytest.mark.corpus
def test_shortcuts_on_the_corpus(corpus: Path) -> None:
    files = sorted(corpus.rglob("*.eml"))[::40]
    assert files
    for f in files:
        _check(f)
