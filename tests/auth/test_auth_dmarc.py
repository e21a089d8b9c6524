"""DMARC (RFC 7489): discovery with organisational-domain fallback, alignment, policy."""

from __future__ import annotations

import pytest

from mailtrace.auth.dmarc import aligned, check_dmarc, organizational_domain, parse_record
from mailtrace.auth.results import DkimCheck, DkimResult, DmarcResult, SpfCheck, SpfResult
from mailtrace.dns import OfflineZone

ZONE = OfflineZone.from_dict(
    {
        "_dmarc.example.com": {"TXT": ["v=DMARC1; p=reject; sp=quarantine; adkim=s; pct=50"]},
        "_dmarc.example.co.uk": {"TXT": ["v=DMARC1; p=none"]},
        "_dmarc.slow.example": "TIMEOUT",
        "_dmarc.two.example": {"TXT": ["v=DMARC1; p=none", "v=DMARC1; p=reject"]},
        "_dmarc.badp.example": {"TXT": ["v=DMARC1; p=maybe"]},
    }
)


def _spf(result: SpfResult, domain: str | None) -> SpfCheck:
    return SpfCheck(result=result, domain=domain)


def _dkim(result: DkimResult, domain: str) -> DkimCheck:
    return DkimCheck(result=result, domain=domain)


def test_organizational_domain_uses_the_public_suffix_list() -> None:
    assert organizational_domain("mail.news.example.co.uk") == "example.co.uk"
    assert organizational_domain("a.b.example.com") == "example.com"
    assert organizational_domain("com") == "com"


def test_alignment_strict_and_relaxed() -> None:
    assert aligned("mail.example.com", "example.com", "r")
    assert not aligned("mail.example.com", "example.com", "s")
    assert aligned("example.com", "example.com", "s")
    assert not aligned("example.net", "example.com", "r")
    assert not aligned(None, "example.com", "r")


def test_dmarc_pass_through_relaxed_spf_alignment_on_a_subdomain() -> None:
    check = check_dmarc(ZONE, "news.example.com", _spf(SpfResult.PASS, "bounce.example.com"), [])
    assert check.result is DmarcResult.PASS and check.spf_aligned and not check.dkim_aligned
    assert check.record_domain == "_dmarc.example.com" and check.policy == "quarantine"  # sp= for a subdomain
    assert check.requested_policy == "reject" and check.pct == 50


def test_dmarc_strict_dkim_alignment_fails_for_a_subdomain_signature() -> None:
    check = check_dmarc(
        ZONE, "example.com", _spf(SpfResult.FAIL, "example.com"), [_dkim(DkimResult.PASS, "mail.example.com")]
    )
    assert check.result is DmarcResult.FAIL and check.policy == "reject" and check.dkim_aligned is False


def test_dmarc_dkim_alignment_only_counts_passing_signatures() -> None:
    dkim = [_dkim(DkimResult.BODY_HASH_MISMATCH, "example.com"), _dkim(DkimResult.PASS, "example.com")]
    check = check_dmarc(ZONE, "example.com", _spf(SpfResult.NONE, None), dkim)
    assert check.result is DmarcResult.PASS and check.dkim_domain == "example.com"


@pytest.mark.parametrize(
    ("domain", "result"),
    [
        ("nodmarc.example", DmarcResult.NONE),
        ("slow.example", DmarcResult.TEMPERROR),
        ("two.example", DmarcResult.NONE),
        ("badp.example", DmarcResult.NONE),
    ],
)
def test_dmarc_discovery_outcomes(domain: str, result: DmarcResult) -> None:
    assert check_dmarc(ZONE, domain, _spf(SpfResult.PASS, domain), []).result is result


def test_dmarc_needs_exactly_one_from_domain() -> None:
    assert check_dmarc(ZONE, None, _spf(SpfResult.PASS, "x"), []).result is DmarcResult.PERMERROR
    assert check_dmarc(ZONE, "example.com", _spf(SpfResult.PASS, "x"), [], from_count=2).result is DmarcResult.PERMERROR


def test_dmarc_record_parsing_keeps_defects() -> None:
    tags, defects = parse_record("v=DMARC1; p=none; p=reject; junk; rua=mailto:x@example.com")
    assert tags["p"] == "none" and tags["rua"] == "mailto:x@example.com"
    assert {d.code for d in defects} == {"dmarc.duplicate_tag", "dmarc.bad_tag"}
