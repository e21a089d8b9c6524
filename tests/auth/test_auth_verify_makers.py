"""Without a resolver, ``run_verification`` builds its SPF, DMARC and verification objects with makers
(``fast_maker``: every field in order); they must equal what the keyword constructors build."""

from __future__ import annotations

import importlib

from hypothesis import given, settings
from hypothesis import strategies as st

from mailtrace.auth.results import DmarcCheck, DmarcResult, SpfCheck, SpfResult, Verification
from mailtrace.auth.spf import not_checked_spf
from mailtrace.parse.auth import parse_authentication
from mailtrace.parse.headers import extract_headers
from mailtrace.parse.message import parse_message
from mailtrace.policy import DEFAULT_POLICY

verify_module = importlib.import_module("mailtrace.auth.verify")  # the package exports a function of that name

_TEXT = st.none() | st.text(max_size=12)


@settings(max_examples=300, deadline=None)
@given(_TEXT, _TEXT, _TEXT, _TEXT)
def test_not_checked_spf_equals_the_constructor(
    ip: str | None, mail_from: str | None, helo: str | None, note: str | None
) -> None:
    expected = SpfCheck(
        result=SpfResult.NOT_CHECKED,
        ip=ip,
        mail_from=(mail_from or "").strip("<>") or None,
        helo=helo,
        identity="mailfrom" if mail_from else "helo",
        border_note=note,
        explanation="no resolver: SPF not re-checked",
    )
    made = not_checked_spf(ip, mail_from, helo, note)
    assert type(made) is SpfCheck and made == expected and made.to_dict() == expected.to_dict()


_MESSAGES = [
    b"From: A <a@a.example>\r\nTo: b@b.example\r\nSubject: x\r\n\r\nbody\r\n",
    b"Received: from x.example (x.example [192.0.2.1]) by mx.b.example; Mon, 7 Dec 2026 10:00:00 +0000\r\n"
    b"Authentication-Results: mx.b.example; spf=pass smtp.mailfrom=a.example; dkim=pass header.d=a.example;"
    b" dmarc=pass header.from=a.example\r\n"
    b"DKIM-Signature: v=1; a=rsa-sha256; d=a.example; s=s1; h=from:to; bh=x; b=y\r\n"
    b"Return-Path: <bounce@a.example>\r\nFrom: a@a.example\r\n\r\nbody\r\n",
    b"From: nobody\r\n\r\n",
]


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(_MESSAGES), _TEXT, _TEXT)
def test_stamps_only_verification_equals_the_constructors(raw: bytes, client_ip: str | None, helo: str | None) -> None:
    message = parse_message(raw)
    headers = extract_headers(message)
    authentication = parse_authentication(message)
    got = verify_module.run_verification(
        message,
        headers,
        authentication,
        client_ip=client_ip,
        helo=helo,
        clock=None,
        border_note="n",
        policy=DEFAULT_POLICY,
    )
    domain, _ = verify_module.from_domain(headers)
    dmarc = DmarcCheck(result=DmarcResult.NOT_CHECKED, domain=domain, reason="no resolver: DMARC not re-checked")
    expected = Verification(
        spf=got.spf,
        dkim=got.dkim,
        arc=got.arc,
        dmarc=dmarc,
        stamped=verify_module.compare(
            verify_module.collect(authentication, DEFAULT_POLICY.trusted_authserv_ids),
            got.spf,
            got.dkim,
            got.arc,
            dmarc,
        ),
        checked=False,
    )
    assert type(got) is Verification and type(got.dmarc) is DmarcCheck
    assert got == expected and got.to_dict() == expected.to_dict()
