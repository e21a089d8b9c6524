"""Each DNS interface of enrichment against offline zones built here: query forms, typed answers, garbage."""

from __future__ import annotations

import ipaddress

import pytest

from mailtrace.dns import OfflineZone
from mailtrace.enrich import Enrichment
from mailtrace.enrich.facts import reverse_name, reversed_labels
from mailtrace.enrich.lookups import abuse_contacts, as_name, dnsbl, fcrdns, origin_asn
from mailtrace.errors import ConfigurationError

V4 = ipaddress.ip_address("192.0.2.25")
V6 = ipaddress.ip_address("2001:db8::25")
NIBBLES6 = "5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2"


def test_query_names() -> None:
    assert reversed_labels(V4) == "25.2.0.192"
    assert reverse_name(V4) == "25.2.0.192.in-addr.arpa"
    assert reversed_labels(V6) == NIBBLES6
    assert reverse_name(V6) == NIBBLES6 + ".ip6.arpa"


def test_fcrdns_confirmed_unconfirmed_missing_and_open() -> None:
    zone = OfflineZone.from_dict(
        {
            "25.2.0.192.in-addr.arpa": {"PTR": ["mail.example.com", "other.example.net"]},
            "mail.example.com": {"A": ["192.0.2.25"]},
            "other.example.net": {"A": ["198.51.100.1"]},
            "26.2.0.192.in-addr.arpa": {"PTR": ["liar.example.org"]},
            "liar.example.org": {"A": ["203.0.113.1"]},
            "27.2.0.192.in-addr.arpa": "TIMEOUT",
            "28.2.0.192.in-addr.arpa": {"PTR": ["bad name with spaces"]},
        },
        strict=True,
    )
    ok = fcrdns(zone, V4, 4)
    assert (ok.status, ok.data["name"]) == ("confirmed", "mail.example.com")
    assert [a.name for a in ok.evidence] == ["25.2.0.192.in-addr.arpa", "mail.example.com", "other.example.net"]
    assert fcrdns(zone, ipaddress.ip_address("192.0.2.26"), 4).status == "unconfirmed"
    assert fcrdns(zone, ipaddress.ip_address("192.0.2.27"), 4).status == "unknown"
    assert fcrdns(zone, ipaddress.ip_address("192.0.2.28"), 4).status == "unknown"
    missing = fcrdns(OfflineZone({}), V4, 4)
    assert missing.status == "not_found"


def test_fcrdns_of_ipv6_asks_aaaa() -> None:
    zone = OfflineZone.from_dict(
        {NIBBLES6 + ".ip6.arpa": {"PTR": ["v6.example.com"]}, "v6.example.com": {"AAAA": ["2001:db8:0::25"]}},
        strict=True,
    )
    fact = fcrdns(zone, V6, 4)
    assert fact.status == "confirmed"
    assert fact.evidence[1].rtype == "AAAA"


CYMRU = {
    "25.2.0.192.origin.asn.cymru.com": {
        "TXT": ["64500 | 192.0.2.0/24 | US | arin | 2001-01-01", "64501 64502 | 192.0.0.0/16 | US | arin | 1999-01-01"]
    },
    NIBBLES6 + ".origin6.asn.cymru.com": {"TXT": ["64510 | 2001:db8::/32 | DE | ripencc | 2005-03-14"]},
    "as64500.asn.cymru.com": {"TXT": ["64500 | US | arin | 2001-01-01 | EXAMPLE-NET - Example Networks, US"]},
}


def test_origin_asn_takes_the_longest_prefix_and_reads_every_field() -> None:
    zone = OfflineZone.from_dict(CYMRU, strict=True)
    fact = origin_asn(zone, V4, "origin.asn.cymru.com", "origin6.asn.cymru.com")
    assert fact is not None and fact.status == "found"
    assert fact.data == {
        "asn": 64500,
        "asns": [64500],
        "prefix": "192.0.2.0/24",
        "country": "US",
        "registry": "arin",
        "allocated": "2001-01-01",
    }
    v6 = origin_asn(zone, V6, "origin.asn.cymru.com", "origin6.asn.cymru.com")
    assert v6 is not None and (v6.data["asn"], v6.data["registry"]) == (64510, "ripencc")
    name = as_name(zone, 64500, "asn.cymru.com")
    assert name is not None and name.data["name"] == "EXAMPLE-NET - Example Networks, US"


@pytest.mark.parametrize(
    "record",
    [
        "garbage",
        "64500 | 192.0.2.0/24 | US | arin",  # a field missing
        "AS64500 | 192.0.2.0/24 | US | arin | 2001-01-01",  # not a number
        "64500 | 10.0.0.0/8 | US | arin | 2001-01-01",  # a prefix that does not hold the address
        "64500 | 192.0.2.0/24 | <script> | arin | 2001-01-01",
        "64500 | 192.0.2.0/24 | US | arin | yesterday",
    ],
)
def test_a_malformed_origin_txt_is_unknown_never_a_guess(record: str) -> None:
    zone = OfflineZone.from_dict({"25.2.0.192.origin.asn.cymru.com": {"TXT": [record]}})
    fact = origin_asn(zone, V4, "origin.asn.cymru.com", None)
    assert fact is not None
    assert fact.status == "unknown" and "malformed TXT" in fact.reason
    assert "asn" not in fact.data


def test_a_malformed_as_name_is_unknown() -> None:
    zone = OfflineZone.from_dict({"as64500.asn.cymru.com": {"TXT": ["64999 | US | arin | 2001-01-01 | OTHER"]}})
    fact = as_name(zone, 64500, "asn.cymru.com")
    assert fact is not None and fact.status == "unknown"


def test_abuse_contacts_all_records_kept_and_garbage_unknown() -> None:
    zone = OfflineZone.from_dict(
        {
            "25.2.0.192.abuse-contacts.abusix.zone": {"TXT": ["abuse@example.net", "noc@example.net"]},
            "26.2.0.192.abuse-contacts.abusix.zone": {"TXT": ["abuse@example.net\nBcc: x@y"]},
            "27.2.0.192.abuse-contacts.abusix.zone": {"TXT": {"status": "SERVFAIL"}},
        }
    )
    found = abuse_contacts(zone, V4, "abuse-contacts.abusix.zone")
    assert found is not None and found.data["contacts"] == ["abuse@example.net", "noc@example.net"]
    bad = abuse_contacts(zone, ipaddress.ip_address("192.0.2.26"), "abuse-contacts.abusix.zone")
    assert bad is not None and bad.status == "unknown"
    failed = abuse_contacts(zone, ipaddress.ip_address("192.0.2.27"), "abuse-contacts.abusix.zone")
    assert failed is not None and failed.status == "unknown"
    none = abuse_contacts(zone, ipaddress.ip_address("192.0.2.28"), "abuse-contacts.abusix.zone")
    assert none is not None and none.status == "not_found"


def test_dnsbl_codes_listing_and_error_answers() -> None:
    zone = OfflineZone.from_dict(
        {
            "25.2.0.192.bl.example": {"A": ["127.0.0.2", "127.0.0.4"], "TXT": ["listed: see https://bl.example/x"]},
            "26.2.0.192.bl.example": {"A": ["127.255.255.254"]},
            "27.2.0.192.bl.example": {"A": ["10.0.0.1"]},
        }
    )
    listed = dnsbl(zone, V4, "bl.example")
    assert listed.status == "listed"
    assert listed.data == {
        "zone": "bl.example",
        "codes": ["127.0.0.2", "127.0.0.4"],
        "text": ["listed: see https://bl.example/x"],
    }
    assert dnsbl(zone, ipaddress.ip_address("192.0.2.26"), "bl.example").status == "unknown"
    assert dnsbl(zone, ipaddress.ip_address("192.0.2.27"), "bl.example").status == "unknown"
    assert dnsbl(zone, ipaddress.ip_address("192.0.2.28"), "bl.example").status == "not_listed"


def test_zone_names_are_checked() -> None:
    assert Enrichment(dnsbl_zones=("ZEN.Example.",)).dnsbl_zones == ("zen.example",)
    with pytest.raises(ConfigurationError):
        Enrichment(asn_zone="bad zone")
    with pytest.raises(ConfigurationError):
        Enrichment(dnsbl_zones=("a..b",))
