"""Bad mail never raises: random traces through path reconstruction and judgement (Hypothesis)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from mailtrace import analyze
from mailtrace.model.headers import Headers
from mailtrace.model.received import Endpoint, Received, ReceivingHost
from mailtrace.parse.auth import parse_authentication
from mailtrace.parse.message import parse_message
from mailtrace.policy import DEFAULT_POLICY, Policy
from mailtrace.trace import reconstruct_path
from mailtrace.verdict import judge

HOSTS = st.sampled_from(
    [
        None,
        "",
        "localhost",
        "mx.recipient.example",
        "mail.sender.example",
        "a.b.c.d.e.example",
        "[192.0.2.1]",
        "2002:a05::1",
        "x" * 70 + ".example",
        "unknown",
        "co.uk",
        "é.example",
        "a..b",
    ]
)
IPS = st.sampled_from(
    [
        None,
        "",
        "10.0.0.1",
        "127.0.0.1",
        "192.0.2.7",
        "198.51.100.10",
        "::1",
        "2001:db8::5",
        "300.1.1.1",
        "fe80::1%eth0",
        "not-an-ip",
    ]
)
KINDS = st.sampled_from([None, "smtp", "local", "lmtp", "http", "internal", "fetch", "bogus"])
WITHS = st.sampled_from([None, " ", "", "ESMTP", "ESMTPSA", "LMTP", "HTTP", "IMAP", "mapi", "SMTP"])
STAMPS = st.one_of(
    st.none(), st.integers(-(10**6), 10**6).map(lambda s: datetime(2025, 3, 4, tzinfo=UTC) + timedelta(seconds=s))
)


@st.composite
def traces(draw: st.DrawFn) -> tuple[Received, ...]:
    n = draw(st.integers(0, 7))
    return tuple(
        Received(
            index=i,
            header_index=i * 2,
            raw="x",
            from_=Endpoint(helo=draw(HOSTS), rdns=draw(HOSTS), ip=draw(IPS)),
            by=ReceivingHost(host=draw(HOSTS), ip=draw(IPS)),
            with_=draw(WITHS),
            timestamp=draw(STAMPS),
            kind=draw(KINDS),
            authenticated=draw(st.booleans()),
        )
        for i in range(n)
    )


POLICIES = st.sampled_from(
    [
        DEFAULT_POLICY,
        Policy(trusted_networks=("192.0.2.0/24",)),
        Policy(internal_domains=("recipient.example",)),
        Policy(trusted_authserv_ids=("mx.recipient.example",)),
    ]
)


@settings(max_examples=150, deadline=None)
@given(received=traces(), policy=POLICIES)
def test_reconstruct_and_judge_never_raise_on_random_traces(received: tuple[Received, ...], policy: Policy) -> None:
    message = parse_message(b"From: a@b.example\r\nSubject: x\r\n\r\nbody\r\n", policy.limits)
    auth = parse_authentication(message)
    path = reconstruct_path(received, Headers(), auth, message, policy)
    assert len(path.hops) == len(received)
    assert path.notation.startswith("Author")
    findings, verdict = judge(
        message=message,
        headers=Headers(),
        received=received,
        authentication=auth,
        path=path,
        verification=None,
        policy=policy,
    )
    assert verdict is not None
    path.to_dict()
    verdict.to_dict()
    for f in findings:
        f.to_dict()


LINES = st.sampled_from(
    [
        "Received: from {h} ({h} [{ip}]) by {h} with ESMTP id 4Yx; Tue, 4 Mar 2025 10:15:10 +0100",
        "Received: by {h} with SMTP id q; Tue, 4 Mar 2025 10:15:1 +0100",
        "Received: from {h} by {h} with LMTP; junk",
        "Authentication-Results: {h}; spf=fail smtp.mailfrom=a@{h}; dkim=fail (body hash) header.d={h}",
        "Received-SPF: softfail client-ip={ip}; receiver={h}",
        "ARC-Seal: i=1; a=rsa-sha256; d={h}; s=x; cv=none; b=AAAA",
        "Return-Path: <SRS0=a=b={h}=x@{h}>",
        "List-Id: <x.{h}>",
        "Delivered-To: a@{h}",
        'From: "x@{h}" <y@{h}>',
        "Reply-To: z@gmail.com",
        "X-Originating-IP: [{ip}]",
        "Resent-From: r@{h}",
    ]
)


@settings(max_examples=60, deadline=None)
@given(lines=st.lists(st.tuples(LINES, HOSTS, IPS), max_size=12))
def test_analyze_never_raises_on_random_header_mixes(lines: list[tuple[str, str | None, str | None]]) -> None:
    head = "\r\n".join(t.format(h=h or "x.example", ip=ip or "192.0.2.1") for t, h, ip in lines)
    report = analyze((head + "\r\nFrom: a@b.example\r\n\r\nbody\r\n").encode())
    assert report.verdict is not None
    report.to_json()
