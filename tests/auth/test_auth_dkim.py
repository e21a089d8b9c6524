"""DKIM re-verification: every signature, and a result that says why."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mailtrace.auth.dkim import not_checked_dkim, verify_dkim
from mailtrace.auth.results import DkimResult
from mailtrace.dns import OfflineZone
from mailtrace.model.fields import Message

from .conftest import MESSAGE, Signer

CLOCK = datetime(2026, 11, 23, 10, 0, 5, tzinfo=UTC)
Parse = Callable[[bytes], Message]


def _zone(*signers: Signer, **extra: object) -> OfflineZone:
    data: dict[str, object] = {s.name: {"TXT": [s.record]} for s in signers}
    data.update(extra)
    return OfflineZone.from_dict(data)


def test_dkim_pass_reports_key_and_signature_details(signer: Signer, parse: Parse) -> None:
    (result,) = verify_dkim(parse(signer.sign(MESSAGE)), _zone(signer), clock=CLOCK)
    assert result.result is DkimResult.PASS
    assert (result.domain, result.selector, result.algorithm) == ("example.com", "ed1", "ed25519-sha256")
    assert result.key_type == "ed25519" and result.key_bits == 256
    assert result.key_fingerprint is not None and result.key_fingerprint.startswith("sha256:")
    assert "from" in result.signed_headers and result.body_length is None and result.header_index == 0


def test_dkim_body_change_is_body_hash_mismatch(signer: Signer, parse: Parse) -> None:
    signed = signer.sign(MESSAGE) + b"appended line\r\n"
    (result,) = verify_dkim(parse(signed), _zone(signer), clock=CLOCK)
    assert result.result is DkimResult.BODY_HASH_MISMATCH


def test_dkim_header_change_is_signature_mismatch(signer: Signer, parse: Parse) -> None:
    signed = signer.sign(MESSAGE).replace(b"quarterly figures", b"quarterly figureZ")
    (result,) = verify_dkim(parse(signed), _zone(signer), clock=CLOCK)
    assert result.result is DkimResult.SIGNATURE_MISMATCH


def test_dkim_key_outcomes_are_told_apart(signer: Signer, parse: Parse) -> None:
    message = parse(signer.sign(MESSAGE))
    cases = {
        DkimResult.KEY_UNAVAILABLE: OfflineZone.from_dict({}),
        DkimResult.KEY_REVOKED: OfflineZone.from_dict({signer.name: {"TXT": ["v=DKIM1; k=ed25519; p="]}}),
        DkimResult.TEMPERROR: OfflineZone.from_dict({signer.name: "TIMEOUT"}),
        DkimResult.PERMERROR: OfflineZone.from_dict({signer.name: {"TXT": ["v=DKIM1; k=ed25519; p=!!notbase64"]}}),
    }
    for expected, zone in cases.items():
        (result,) = verify_dkim(message, zone, clock=CLOCK)
        assert result.result is expected, (expected, result.reason)
    empty = OfflineZone.from_dict({signer.name: {"TXT": [""]}})
    assert verify_dkim(message, empty, clock=CLOCK)[0].result is DkimResult.KEY_UNAVAILABLE
    servfail = OfflineZone.from_dict({signer.name: "SERVFAIL"})
    assert verify_dkim(message, servfail, clock=CLOCK)[0].result is DkimResult.TEMPERROR


def test_dkim_every_signature_in_header_order(signer: Signer, other_signer: Signer, parse: Parse) -> None:
    twice = other_signer.sign(signer.sign(MESSAGE))
    results = verify_dkim(parse(twice), _zone(signer), clock=CLOCK)
    assert [r.domain for r in results] == ["mailer.example.net", "example.com"]
    assert [r.result for r in results] == [DkimResult.KEY_UNAVAILABLE, DkimResult.PASS]
    assert results[0].header_index < results[1].header_index


def test_dkim_malformed_signatures_are_permerror_not_exceptions(parse: Parse) -> None:
    bad = [
        b"DKIM-Signature: this is not a tag list\r\n",
        b"DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=x; h=from; bh=AAAA; b=AAAA; c=bogus/x\r\n",
        b"DKIM-Signature: v=1; a=rsa-md5; d=example.com; s=x; h=from; bh=AAAA; b=AAAA\r\n",
        b"DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=x; h=subject; bh=AAAA; b=AAAA\r\n",
        b"DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=x; h=from; bh=AAAA; b=AAAA; x=12; t=99\r\n",
        b"DKIM-Signature: v=1; a=rsa-sha256; d=ex ample.com; s=x; h=from; bh=AAAA; b=AAAA\r\n",
    ]
    for field in bad:
        (result,) = verify_dkim(parse(field + MESSAGE), OfflineZone.from_dict({}), clock=CLOCK)
        assert result.result in (DkimResult.PERMERROR, DkimResult.KEY_UNAVAILABLE), (field, result)
        assert result.reason


def test_dkim_no_resolver_means_not_checked(signer: Signer, parse: Parse) -> None:
    (result,) = not_checked_dkim(parse(signer.sign(MESSAGE)))
    assert result.result is DkimResult.NOT_CHECKED and result.domain == "example.com"


def test_dkim_expiry_is_judged_against_the_clock_not_the_wall_clock(corpus: Path, parse: Parse) -> None:
    # ignore_7.txt carries x= in October 2007 (Mail::DKIM corpus, key in FAKE_DNS.dat).
    raw = (corpus / "perl-mail-dkim" / "corpus" / "ignore_7.txt").read_bytes()
    lines = (corpus / "perl-mail-dkim" / "FAKE_DNS.dat").read_text().splitlines()
    records = dict(line.split(None, 1) for line in lines if line.strip() and not line.startswith("#"))
    zone = OfflineZone.from_dict(
        {"selector1._domainkey.messiah.edu": {"TXT": [records["selector1._domainkey.messiah.edu"]]}}
    )
    message = parse(raw)
    (before,) = verify_dkim(message, zone, clock=datetime(2007, 10, 1, tzinfo=UTC))
    (after,) = verify_dkim(message, zone, clock=datetime(2026, 1, 1, tzinfo=UTC))
    assert before.result is DkimResult.PASS
    assert after.result is DkimResult.EXPIRED and "otherwise pass" in (after.reason or "")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tail=st.binary(max_size=200), value=st.text(max_size=120))
def test_dkim_never_raises_on_hostile_signatures(tail: bytes, value: str, parse: Parse) -> None:
    field = b"DKIM-Signature: " + value.encode("utf-8", "replace").replace(b"\r", b"").replace(b"\n", b"") + b"\r\n"
    results = verify_dkim(parse(field + MESSAGE + tail), OfflineZone.from_dict({}), clock=CLOCK)
    assert all(isinstance(r.result, DkimResult) for r in results)
