"""Hop order, links and signed delays (mailtrace.trace.order), on Received objects built here."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from mailtrace.model.headers import Headers, OriginatingIP
from mailtrace.model.received import Endpoint, Received, ReceivingHost
from mailtrace.trace.model import DelayStatus, HopKind, LinkStatus
from mailtrace.trace.order import SKEW_TOLERANCE, delay, hop_kind, order_hops

T0 = datetime(2025, 3, 4, 9, 15, tzinfo=UTC)


def hop(
    index: int,
    *,
    helo: str | None = None,
    rdns: str | None = None,
    ip: str | None = None,
    by: str | None = None,
    with_: str | None = "ESMTP",
    at: datetime | None = T0,
    kind: str | None = None,
    authenticated: bool = False,
) -> Received:
    return Received(
        index=index,
        header_index=10 + index,
        raw=f"synthetic hop {index}",
        from_=Endpoint(helo=helo, rdns=rdns, ip=ip),
        by=ReceivingHost(host=by),
        with_=with_,
        timestamp=at,
        kind=kind,
        authenticated=authenticated,
    )


def test_order_hops_runs_bottom_up_with_positions_and_received_indices() -> None:
    received = (
        hop(0, rdns="mail.sender.example", ip="198.51.100.10", by="mx.recipient.example", at=T0 + timedelta(seconds=8)),
        hop(1, helo="client", ip="203.0.113.201", by="mail.sender.example", at=T0),
    )
    hops = order_hops(received, Headers())
    assert [h.received_index for h in hops] == [1, 0]
    assert [h.position for h in hops] == [0, 1]
    assert hops[0].link is LinkStatus.FIRST
    assert hops[1].link is LinkStatus.LINKED
    assert hops[1].delay_seconds == 8.0
    assert hops[1].delay_status is DelayStatus.OK
    assert hops[1].organisation == "recipient.example"


def test_link_is_broken_when_from_names_another_host_than_the_previous_by() -> None:
    received = (
        hop(0, rdns="relay.other.example", ip="198.51.100.77", by="mx.recipient.example"),
        hop(1, helo="client", ip="203.0.113.201", by="mail.sender.example"),
    )
    top = order_hops(received, Headers())[-1]
    assert top.link is LinkStatus.BROKEN
    assert "mail.sender.example" in top.link_note


def test_link_same_organisation_and_loopback_and_ip_match() -> None:
    same_org = (
        hop(0, rdns="out-7.sender.example", ip="198.51.100.11", by="mx.recipient.example"),
        hop(1, helo="client", ip="203.0.113.201", by="smtp.sender.example"),
    )
    assert order_hops(same_org, Headers())[-1].link is LinkStatus.SAME_ORGANISATION
    loop = (
        hop(0, helo="localhost", ip="127.0.0.1", by="mx.recipient.example"),
        hop(1, rdns="mail.sender.example", ip="198.51.100.10", by="mx.recipient.example"),
    )
    assert order_hops(loop, Headers())[-1].link is LinkStatus.LOOPBACK
    by_ip = (
        hop(0, ip="192.0.2.5", by="mx.recipient.example"),
        Received(
            index=1,
            header_index=11,
            raw="x",
            from_=Endpoint(helo="c", ip="203.0.113.9"),
            by=ReceivingHost(host="gw", ip="192.0.2.5"),
            timestamp=T0,
        ),
    )
    assert order_hops(by_ip, Headers())[-1].link is LinkStatus.LINKED


def test_non_network_hops_are_labelled_not_broken() -> None:
    received = (
        hop(0, helo="mx.recipient.example", by="imap.recipient.example", with_="LMTP"),
        hop(1, rdns="mail.sender.example", ip="198.51.100.10", by="mx.recipient.example"),
        hop(2, by="2002:a05:6a10::1", with_="SMTP", kind="internal"),
    )
    hops = order_hops(received, Headers())
    assert [h.kind for h in hops] == [HopKind.INTERNAL, HopKind.SMTP, HopKind.LMTP]
    assert hops[1].link is LinkStatus.NOT_NETWORK
    assert hops[2].link is LinkStatus.NOT_NETWORK


def test_hop_kind_inferred_from_with_when_the_parser_gave_none() -> None:
    assert hop_kind(hop(0, helo="a", by="b", with_="LMTP")) is HopKind.LMTP
    assert hop_kind(hop(0, helo="a", by="b", with_="HTTPS")) is HopKind.HTTP
    assert hop_kind(hop(0, helo="a", by="b", with_="IMAP")) is HopKind.FETCH
    assert hop_kind(hop(0, helo="a", by="b", with_="POP3")) is HopKind.FETCH
    assert hop_kind(hop(0, helo="a", by="b", with_="mapi")) is HopKind.INTERNAL
    assert hop_kind(hop(0, by="b", with_="SMTP")) is HopKind.INTERNAL
    assert hop_kind(hop(0, helo="a", ip="192.0.2.1", by="b")) is HopKind.SMTP
    assert hop_kind(hop(0, helo="a", by="b", kind="fetch")) is HopKind.FETCH


def test_delay_is_signed_and_skew_is_tolerated_only_within_the_bound() -> None:
    assert delay(T0 + timedelta(seconds=5), T0) == (5.0, DelayStatus.OK)
    assert delay(T0 - timedelta(seconds=SKEW_TOLERANCE), T0) == (-SKEW_TOLERANCE, DelayStatus.SKEW_TOLERATED)
    seconds, status = delay(T0 - timedelta(minutes=9), T0)
    assert seconds == -540.0
    assert status is DelayStatus.BACKWARDS
    assert delay(None, T0) == (None, DelayStatus.UNKNOWN)


def test_clock_skew_hop_reports_a_negative_delay_never_a_huge_positive_one() -> None:
    received = (
        hop(0, rdns="mail.sender.example", ip="198.51.100.10", by="mx.recipient.example", at=T0 - timedelta(minutes=4)),
        hop(1, helo="client", ip="203.0.113.201", by="mail.sender.example", at=T0),
    )
    top = order_hops(received, Headers())[-1]
    assert top.delay_seconds == -240.0
    assert top.delay_status is DelayStatus.BACKWARDS


def test_x_originating_ip_gives_a_synthetic_first_hop_unless_a_line_shows_the_address() -> None:
    headers = Headers(
        originating_ip=(OriginatingIP(index=3, name="X-Originating-IP", value="[203.0.113.50]", ip="203.0.113.50"),)
    )
    received = (hop(0, helo="webmail.sender.example", ip="198.51.100.10", by="mx.recipient.example", with_="ESMTP"),)
    hops = order_hops(received, headers)
    assert hops[0].synthetic and hops[0].kind is HopKind.SYNTHETIC
    assert hops[0].source == "X-Originating-IP"
    assert hops[0].from_ip == "203.0.113.50"
    assert hops[0].received_index is None
    assert hops[1].position == 1
    shown = (hop(0, helo="x", ip="203.0.113.50", by="mx.recipient.example"),)
    assert not any(h.synthetic for h in order_hops(shown, headers))


def test_views_built_positionally_equal_the_keyword_built_ones() -> None:
    """order_hops builds each view with every field positional (order._make_view): field for field, facts
    included, the view the keyword constructor made before."""
    import dataclasses
    from pathlib import Path

    from mailtrace.analyze import _parse_trace
    from mailtrace.parse.headers import extract_headers
    from mailtrace.parse.message import parse_message
    from mailtrace.policy import DEFAULT_POLICY
    from mailtrace.trace.model import HopView

    fixtures = Path(__file__).resolve().parents[2] / "fixtures"
    paths = sorted((fixtures / "scenarios").glob("*.eml")) + sorted((fixtures / "examples").glob("*.eml"))
    views = 0
    for path in paths:
        message = parse_message(path.read_bytes(), DEFAULT_POLICY.limits)
        received, _ = _parse_trace(message.get_all("Received"), DEFAULT_POLICY)
        by_index = {r.index: r for r in received}
        for h in order_hops(received, extract_headers(message)):
            if h.synthetic:
                continue
            r, b = by_index[h.received_index], h.facts
            assert b is not None
            expected = HopView(  # the constructor call order_hops made before
                position=h.position,
                received_index=r.index,
                header_index=r.header_index,
                kind=b.kind,
                synthetic=False,
                source="Received",
                from_host=b.from_host,
                from_ip=b.from_ip,
                helo=r.from_.helo,
                by_host=b.by_host,
                by_ip=b.by_ip,
                with_=r.with_,
                authenticated=bool(r.authenticated),
                timestamp=r.timestamp,
                organisation=b.organisation,
                from_organisation=b.from_organisation,
                link=h.link,
                link_note=h.link_note,
                delay_seconds=h.delay_seconds,
                delay_status=h.delay_status,
                facts=b,
            )
            assert type(h) is HopView
            for f in dataclasses.fields(HopView):
                assert getattr(h, f.name) is getattr(expected, f.name) or getattr(h, f.name) == getattr(
                    expected, f.name
                ), f.name
            views += 1
    assert views > 50
