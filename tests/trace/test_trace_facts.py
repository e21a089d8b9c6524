"""The facts a path derives once per hop (mailtrace.trace.facts) equal what each step reads from the view."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from mailtrace.analyze import _parse_trace
from mailtrace.parse.headers import extract_headers
from mailtrace.parse.message import parse_message
from mailtrace.policy import DEFAULT_POLICY
from mailtrace.trace.border import client_inside, crossing_line_missing, stamp_hops
from mailtrace.trace.facts import HopFacts, client_text, facts_of
from mailtrace.trace.hosts import ip_text
from mailtrace.trace.model import Border, BorderMethod, HopView, Stamp
from mailtrace.trace.order import order_hops

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
MESSAGES = sorted((FIXTURES / "scenarios").glob("*.eml")) + sorted((FIXTURES / "examples").glob("*.eml"))
#: HopFacts' attributes: its ``__slots__``, or in the compiled build (no ``__slots__``) mypyc's ``__mypyc_attrs__``
_ATTRS: tuple[str, ...] = getattr(HopFacts, "__slots__", None) or getattr(HopFacts, "__mypyc_attrs__", ())
_SLOTS = [name for name in _ATTRS if name not in ("_rdns_org", "names")]


def _hops(path: Path) -> tuple[tuple[HopView, ...], tuple[HopView, ...], tuple]:  # type: ignore[type-arg]
    message = parse_message(path.read_bytes(), DEFAULT_POLICY.limits)
    received, _ = _parse_trace(message.get_all("Received"), DEFAULT_POLICY)
    hops = order_hops(received, extract_headers(message))
    bare = tuple(dataclasses.replace(h, facts=None) for h in hops)  # views as a caller builds them by hand
    return hops, bare, received


@pytest.mark.parametrize("path", MESSAGES, ids=lambda p: p.name)
def test_attached_facts_equal_the_facts_read_from_the_view(path: Path) -> None:
    hops, bare, received = _hops(path)
    for h, b in zip(hops, bare, strict=True):
        assert h == b  # the facts are never compared
        if h.synthetic:
            assert h.facts is None
            continue
        attached, read = facts_of(h, received), facts_of(b, received)
        assert attached is h.facts and read is not h.facts
        for name in _SLOTS:
            mine, theirs = getattr(attached, name), getattr(read, name)
            if name == "client":
                mine, theirs = (
                    None if x is None else (x.text, x.internal, x.loopback, x.public) for x in (mine, theirs)
                )
            assert mine == theirs, name
        assert attached.rdns_org() == read.rdns_org()
        assert client_text(h) == client_text(b) == ip_text(h.from_ip)


@pytest.mark.parametrize("path", MESSAGES, ids=lambda p: p.name)
def test_border_questions_answer_alike_with_and_without_attached_facts(path: Path) -> None:
    hops, bare, received = _hops(path)
    net = [h for h in hops if not h.synthetic]
    net_bare = [h for h in bare if not h.synthetic]
    for i, (h, b) in enumerate(zip(net, net_bare, strict=True)):
        below, below_bare = (net[i + 1], net_bare[i + 1]) if i + 1 < len(net) else (None, None)
        assert client_inside(h, below, received) == client_inside(b, below_bare, received)
    shown = {h.from_ip for h in net if h.from_ip}
    # each client as the hop shows it and as a stamp may write it, and addresses no hop shows
    ips = shown | {f"[{ip}]" for ip in shown} | {"192.0.2.1", "[IPv6:2001:db8::1]", "not an address"}
    stamps = [Stamp(header="Received-SPF", header_index=0, ip=ip, authserv_id=None) for ip in sorted(ips)]
    assert stamp_hops(net, stamps) == stamp_hops(net_bare, stamps)
    for h in net:
        for ip in ips:
            border = Border(
                index=h.received_index or 0, ip=ip, receiver=None, client=None, method=BorderMethod.RECEIVED_SPF
            )
            assert crossing_line_missing(border, hops) == crossing_line_missing(border, bare)
