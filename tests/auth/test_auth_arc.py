"""ARC chain validation through our resolver (keys from the corpus: dkimpy's test key)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import dkim
import pytest

from mailtrace.auth.arc import verify_arc
from mailtrace.auth.results import ArcResult
from mailtrace.dns import OfflineZone
from mailtrace.model.fields import Message

from .conftest import MESSAGE

Parse = Callable[[bytes], Message]
AR = b"Authentication-Results: mx.fwd.example; spf=pass smtp.mailfrom=alice@example.com; dkim=none\r\n"


@pytest.fixture(scope="module")
def arc_key(corpus: Path) -> tuple[bytes, str]:
    data = corpus / "dkimpy-testdata"
    return (data / "test.private").read_bytes(), (data / "test.txt").read_text().strip()


def _sealed(key: bytes) -> bytes:
    raw = AR + MESSAGE
    sets = dkim.arc_sign(raw, b"arc1", b"fwd.example", key, b"mx.fwd.example")
    return b"".join(sets) + raw


def test_arc_pass_with_instance_details_and_recorded_results(arc_key: tuple[bytes, str], parse: Parse) -> None:
    key, record = arc_key
    check = verify_arc(parse(_sealed(key)), OfflineZone.from_dict({"arc1._domainkey.fwd.example": {"TXT": [record]}}))
    assert check.cv is ArcResult.PASS
    (inst,) = check.instances
    assert inst.instance == 1 and inst.seal is ArcResult.PASS and inst.message_signature is ArcResult.PASS
    assert inst.seal_domain == "fwd.example" and inst.cv == "none"
    assert inst.authentication_results is not None and "spf=pass" in inst.authentication_results


def test_arc_key_missing_is_fail_but_says_unverifiable_now(arc_key: tuple[bytes, str], parse: Parse) -> None:
    check = verify_arc(parse(_sealed(arc_key[0])), OfflineZone.from_dict({}))
    assert check.cv is ArcResult.FAIL and "unverifiable now" in (check.reason or "")
    assert [d.code for d in check.defects] == ["arc.key_unavailable"]


def test_arc_dns_failure_is_temperror(arc_key: tuple[bytes, str], parse: Parse) -> None:
    check = verify_arc(parse(_sealed(arc_key[0])), OfflineZone.from_dict({"arc1._domainkey.fwd.example": "TIMEOUT"}))
    assert check.cv is ArcResult.TEMPERROR and check.instances


def test_arc_altered_after_sealing_fails(arc_key: tuple[bytes, str], parse: Parse) -> None:
    key, record = arc_key
    raw = _sealed(key).replace(b"quarterly figures", b"quarterly figureZ")
    check = verify_arc(parse(raw), OfflineZone.from_dict({"arc1._domainkey.fwd.example": {"TXT": [record]}}))
    assert check.cv is ArcResult.FAIL


def test_arc_none_without_sets_and_garbage_never_raises(parse: Parse) -> None:
    assert verify_arc(parse(MESSAGE), OfflineZone.from_dict({})).cv is ArcResult.NONE
    junk = b"ARC-Seal: i=x; garbage\r\nARC-Seal: i=1; a=rsa-sha256\r\nARC-Message-Signature: ;;;\r\n" + MESSAGE
    assert verify_arc(parse(junk), OfflineZone.from_dict({})).cv is ArcResult.FAIL
