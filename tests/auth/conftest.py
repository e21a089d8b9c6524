"""Fixtures for the verification tests: ed25519 keys (PyNaCl), signed messages, zones."""

from __future__ import annotations

import base64
from collections.abc import Callable

import dkim
import nacl.signing
import pytest

from mailtrace.limits import DEFAULT_LIMITS
from mailtrace.model.fields import Message
from mailtrace.parse.message import parse_message

BODY = b"Hello,\r\nthis is the body.\r\n"
HEADERS = (
    b"Return-Path: <alice@example.com>\r\n"
    b"Received: from mail.example.com (mail.example.com [93.184.216.34])\r\n"
    b"\tby mx.example.org with ESMTPS id abc; Mon, 23 Nov 2026 10:00:05 +0000\r\n"
    b"From: Alice <alice@example.com>\r\n"
    b"To: bob@example.org\r\n"
    b"Subject: quarterly figures\r\n"
    b"Date: Mon, 23 Nov 2026 10:00:00 +0000\r\n"
    b"Message-ID: <1@example.com>\r\n"
)
MESSAGE = HEADERS + b"\r\n" + BODY


class Signer:
    """An ed25519 DKIM key for one domain/selector, with its DNS record."""

    def __init__(self, domain: str, selector: str, seed: bytes) -> None:
        self.domain, self.selector = domain, selector
        self.key = nacl.signing.SigningKey(seed)
        pub = base64.b64encode(bytes(self.key.verify_key)).decode()
        self.record = f"v=DKIM1; k=ed25519; p={pub}"
        self.name = f"{selector}._domainkey.{domain}"

    def sign(self, message: bytes, **kw: object) -> bytes:
        sig = dkim.sign(
            message,
            self.selector.encode(),
            self.domain.encode(),
            base64.b64encode(bytes(self.key)),
            signature_algorithm=b"ed25519-sha256",
            **kw,  # type: ignore[arg-type]
        )
        return bytes(sig) + message


@pytest.fixture(scope="session")
def signer() -> Signer:
    return Signer("example.com", "ed1", b"\x01" * 32)


@pytest.fixture(scope="session")
def other_signer() -> Signer:
    return Signer("mailer.example.net", "s2", b"\x02" * 32)


@pytest.fixture(scope="session")
def parse() -> Callable[[bytes], Message]:
    def _parse(raw: bytes) -> Message:
        return parse_message(raw, DEFAULT_LIMITS)

    return _parse
