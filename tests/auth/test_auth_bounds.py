"""Verification cost is bounded: huge RSA keys are refused before dkimpy sees them, signatures are counted.

The huge keys are built from their numbers (cryptography's ``RSAPublicNumbers``, no prime
generation): a refusal never needs a real key, and the test ships no fixture.
"""

from __future__ import annotations

import base64
from collections.abc import Callable

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from mailtrace.auth._dkimpy import MAX_RSA_EXPONENT, record_refusal
from mailtrace.auth.arc import verify_arc
from mailtrace.auth.dkim import verify_dkim
from mailtrace.auth.results import ArcResult, DkimResult
from mailtrace.dns import OfflineZone
from mailtrace.limits import Limits
from mailtrace.model.fields import Message

from .conftest import MESSAGE, Signer

Parse = Callable[[bytes], Message]


def _record(modulus_bits: int, exponent: int = 65537) -> str:
    modulus = (1 << modulus_bits) - 1  # odd, exactly modulus_bits long: enough for a public key object
    key = rsa.RSAPublicNumbers(exponent, modulus).public_key()
    der = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return f"v=DKIM1; k=rsa; p={base64.b64encode(der).decode()}"


def _signature(selector: str, domain: str = "example.com") -> bytes:
    b = base64.b64encode(b"\x01" * 256).decode()
    return (
        f"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d={domain}; s={selector}; "
        f"h=from:to:subject; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b={b}\r\n"
    ).encode()


def test_a_16384_bit_key_is_refused_with_a_typed_result(parse: Parse) -> None:
    zone = OfflineZone.from_dict({"big._domainkey.example.com": {"TXT": [_record(16384)]}})
    (check,) = verify_dkim(parse(_signature("big") + MESSAGE), zone, clock=None)
    assert check.result is DkimResult.KEY_TOO_LARGE
    assert check.key_bits == 16384 and "16384 bits" in (check.reason or "")


def test_a_key_at_the_limit_is_verified_and_a_huge_exponent_refused(parse: Parse) -> None:
    zone = OfflineZone.from_dict(
        {
            "edge._domainkey.example.com": {"TXT": [_record(8192)]},
            "exp._domainkey.example.com": {"TXT": [_record(4096, exponent=(1 << 2048) + 1)]},
        }
    )
    edge, exp = verify_dkim(parse(_signature("edge") + _signature("exp") + MESSAGE), zone, clock=None)
    assert edge.result is DkimResult.BODY_HASH_MISMATCH  # verified (the body hash is made up), not refused
    assert exp.result is DkimResult.KEY_TOO_LARGE and "exponent of 2049 bits" in (exp.reason or "")


def test_record_refusal_reads_dns_records() -> None:
    assert record_refusal(_record(9000).encode(), 8192) is not None
    assert record_refusal(_record(2048, MAX_RSA_EXPONENT).encode(), 8192) is None
    assert record_refusal(b"v=DKIM1; k=ed25519; p=AAAA", 8192) is None
    assert record_refusal(b"not a tag list", 8192) is None


def test_signatures_past_the_bound_are_not_checked(parse: Parse) -> None:
    raw = b"".join(_signature(f"s{i}") for i in range(12)) + MESSAGE
    checks = verify_dkim(parse(raw), OfflineZone.from_dict({}), clock=None, limits=Limits(max_dkim_signatures=10))
    assert [c.result for c in checks[:10]] == [DkimResult.KEY_UNAVAILABLE] * 10
    assert [c.result for c in checks[10:]] == [DkimResult.NOT_CHECKED] * 2
    assert all(c.selector for c in checks[10:])  # the signature's tags are still reported
    assert {d.code for c in checks[10:] for d in c.defects} == {"dkim.too_many"}


def test_signatures_past_the_cpu_budget_are_not_checked(signer: Signer, parse: Parse) -> None:
    signed = signer.sign(signer.sign(signer.sign(MESSAGE)))
    zone = OfflineZone.from_dict({signer.name: {"TXT": [signer.record]}})
    _first, *rest = verify_dkim(parse(signed), zone, clock=None, limits=Limits(verify_cpu_budget=1e-9))
    assert rest and all(c.result is DkimResult.NOT_CHECKED for c in rest)
    assert {d.code for c in rest for d in c.defects} == {"dkim.cpu_budget"}


_ARC = (
    b"ARC-Seal: i=1; a=rsa-sha256; cv=none; d=example.com; s=big; t=1700000000; b=AAAA\r\n"
    b"ARC-Message-Signature: i=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=big; t=1700000000;"
    b" h=from:to:subject; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=AAAA\r\n"
    b"ARC-Authentication-Results: i=1; mx.example.org; spf=pass smtp.mailfrom=example.com\r\n"
)


def test_an_arc_key_too_large_is_refused_before_dkimpy_uses_it(parse: Parse) -> None:
    zone = OfflineZone.from_dict({"big._domainkey.example.com": {"TXT": [_record(16384)]}})
    check = verify_arc(parse(_ARC + MESSAGE), zone)
    assert check.cv is ArcResult.NOT_CHECKED
    assert [d.code for d in check.defects] == ["arc.key_too_large"]
    assert [i.instance for i in check.instances] == [1]


def test_an_arc_chain_longer_than_the_bound_is_not_checked(parse: Parse) -> None:
    check = verify_arc(parse(_ARC * 3 + MESSAGE), OfflineZone.from_dict({}), limits=Limits(max_arc_sets=2))
    assert check.cv is ArcResult.NOT_CHECKED and [d.code for d in check.defects] == ["arc.too_many_sets"]
