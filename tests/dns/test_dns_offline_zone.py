"""OfflineZone: answers from a dict, JSON or zone-file text; NXDOMAIN / NODATA / failures; strict mode."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mailtrace.dns import OfflineZone, Status, ZoneMissError
from mailtrace.errors import ConfigurationError

ZONE = {
    "Example.COM.": {
        "TXT": ["v=spf1 mx -all", ["v=DKIM1; p=AB", "CD"]],
        "MX": ["10 MX.example.com.", [20, "mx2.example.com"]],
    },
    "mx.example.com": {"A": ["192.0.2.1"], "AAAA": ["2001:db8::1"]},
    "alias.example.com": {"CNAME": ["mx.example.com."]},
    "loop1.example": {"CNAME": ["loop2.example"]},
    "loop2.example": {"CNAME": ["loop1.example"]},
    "*.wild.example": {"TXT": ["wildcard"]},
    "slow.example": "TIMEOUT",
    "broken.example": {"TXT": {"status": "SERVFAIL"}, "A": ["192.0.2.9"]},
    "mixed.example": {"TXT": ["v=spf1 -all"], "*": "TIMEOUT"},
}


def test_zone_from_dict_answers_normalised_names_and_concatenates_txt_strings() -> None:
    zone = OfflineZone.from_dict(ZONE)
    answer = zone.resolve("EXAMPLE.com.", "txt")
    assert answer.status is Status.NOERROR
    assert answer.records == ("v=spf1 mx -all", "v=DKIM1; p=ABCD")
    assert zone.resolve("example.com", "MX").records == ("10 mx.example.com", "20 mx2.example.com")


def test_zone_absent_name_is_nxdomain_and_absent_type_is_nodata() -> None:
    zone = OfflineZone.from_dict(ZONE)
    assert zone.resolve("nothing.example", "A").status is Status.NXDOMAIN
    assert zone.resolve("example.com", "A").status is Status.NODATA


def test_zone_failures_are_temporary_never_empty() -> None:
    zone = OfflineZone.from_dict(ZONE)
    assert zone.resolve("slow.example", "TXT").status is Status.TIMEOUT
    assert zone.resolve("broken.example", "TXT").status is Status.SERVFAIL
    assert zone.resolve("broken.example", "A").records == ("192.0.2.9",)
    assert zone.resolve("mixed.example", "TXT").status is Status.NOERROR
    assert zone.resolve("mixed.example", "A").status is Status.TIMEOUT


def test_zone_follows_cname_and_wildcard() -> None:
    zone = OfflineZone.from_dict(ZONE)
    assert zone.resolve("alias.example.com", "A").records == ("192.0.2.1",)
    assert zone.resolve("alias.example.com", "CNAME").records == ("mx.example.com",)
    assert zone.resolve("a.b.wild.example", "TXT").records == ("wildcard",)
    looping = zone.resolve("loop1.example", "A")
    assert looping.status is Status.NODATA and "loop" in looping.detail


def test_strict_zone_raises_naming_the_question() -> None:
    zone = OfflineZone.from_dict(ZONE, strict=True)
    with pytest.raises(ZoneMissError, match=r"TXT nothing\.example"):
        zone.resolve("nothing.example", "TXT")
    with pytest.raises(ZoneMissError, match="no A answer"):
        zone.resolve("example.com", "A")
    assert zone.resolve("slow.example", "A").status is Status.TIMEOUT  # declared failures still answer


def test_zone_from_zone_file_text() -> None:
    text = (
        "$ORIGIN example.org.\n"
        'sel._domainkey 300 IN TXT "v=DKIM1; k=ed25519; " "p=abc"\n'
        "@ IN MX 10 mail\n"
        "mail IN A 192.0.2.7\n"
        '_dmarc IN TXT "v=DMARC1; p=reject"\n'
    )
    zone = OfflineZone.from_zone_text(text)
    key = zone.resolve("sel._domainkey.example.org", "TXT")
    assert key.records == ("v=DKIM1; k=ed25519; p=abc",) and key.ttl == 300
    assert zone.resolve("example.org", "MX").records == ("10 mail.example.org",)
    assert zone.resolve("mail.example.org", "A").ttl == 3600


def test_zone_from_file_reads_json_and_zone_text(tmp_path: Path) -> None:
    js = tmp_path / "zone.json"
    js.write_text(json.dumps({"example.net": {"TXT": ["v=spf1 -all"]}}))
    zf = tmp_path / "zone.txt"
    zf.write_text('example.net. 60 IN TXT "v=spf1 -all"\n')
    for path in (js, zf):
        assert OfflineZone.from_file(path).resolve("example.net", "TXT").records == ("v=spf1 -all",)


@pytest.mark.parametrize(
    "data",
    [
        {"x.example": "MAYBE"},
        {"x.example": 42},
        {"x.example": {"MX": ["ten mx.example"]}},
        {"x.example": {"B@D": ["x"]}},
    ],
)
def test_zone_rejects_malformed_data(data: dict[str, object]) -> None:
    with pytest.raises(ConfigurationError):
        OfflineZone.from_dict(data)


def test_zone_file_syntax_error_is_a_configuration_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.zone"
    path.write_text("example.net. IN BOGUS stuff\n")
    with pytest.raises(ConfigurationError, match=r"bad\.zone"):
        OfflineZone.from_file(path)
