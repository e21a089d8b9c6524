"""Host names, addresses and organisations as the path compares them."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from mailtrace.trace import hosts
from mailtrace.trace.hosts import (
    IPFacts,
    clean_host,
    is_internal_ip,
    is_public_ip,
    org_domain,
    parse_ip,
    same_org,
    within,
)
from mailtrace.trace.model import Evidence


def test_org_domain_uses_the_icann_public_suffix_list() -> None:
    assert org_domain("mx1.mail.example.co.uk") == "example.co.uk"
    assert org_domain("gabe.freedesktop.org") == "freedesktop.org"  # private-section suffixes are ignored
    assert org_domain("mail.sender.example") == "sender.example"  # RFC 2606 names count
    assert org_domain("co.uk") is None
    assert org_domain("compute4.internal") is None
    assert org_domain("localhost") is None
    assert org_domain("192.0.2.1") is None
    assert org_domain("a" * 64 + ".example.com") is None


def test_same_org_accepts_provider_aliases_and_same_label_other_suffix() -> None:
    assert same_org("gmail.com", "google.com")
    assert same_org("sourceforge.com", "sourceforge.net")
    assert not same_org("abc.com", "abc.net")  # labels under four characters are too common
    assert not same_org("sender.example", "attacker.example")
    assert not same_org(None, "google.com")


def test_internal_addresses_exclude_the_documentation_ranges() -> None:
    for ip in ("10.1.2.3", "172.16.0.1", "192.168.1.1", "127.0.0.1", "::1", "fd00::1", "169.254.1.1", "100.64.0.1"):
        assert is_internal_ip(ip), ip
    for ip in ("192.0.2.10", "198.51.100.7", "203.0.113.1", "2001:db8::1", "8.8.8.8"):
        assert not is_internal_ip(ip), ip
        assert is_public_ip(ip), ip
    assert not is_internal_ip("not-an-ip")


def test_parse_ip_and_clean_host_normalise() -> None:
    assert str(parse_ip("[IPv6:2001:DB8::1]")) == "2001:db8::1"
    assert str(parse_ip("::ffff:192.0.2.1")) == "192.0.2.1"
    assert parse_ip("999.1.1.1") is None
    assert clean_host("MX.Example.ORG.") == "mx.example.org"
    assert clean_host("") is None
    assert within("a.b.recipient.example", ("recipient.example",))
    assert not within("recipient.example.evil", ("recipient.example",))


def test_evidence_describes_itself_for_a_text_report() -> None:
    ev = Evidence(text="client IP named", header="Received-SPF", header_index=4, hop=1)
    assert ev.describe() == "received[1], Received-SPF (field 4): client IP named"
    assert Evidence(text="plain").describe() == "plain"


@settings(max_examples=3000, deadline=None)
@given(
    st.one_of(
        st.integers(0, 2**32 - 1).map(ipaddress.IPv4Address), st.integers(0, 2**128 - 1).map(ipaddress.IPv6Address)
    )
)
def test_ip_facts_equal_the_ipaddress_properties(addr: ipaddress.IPv4Address | ipaddress.IPv6Address) -> None:
    facts = IPFacts(addr)
    nets = hosts._INTERNAL_V4 if addr.version == 4 else hosts._INTERNAL_V6
    internal = addr.is_loopback or addr.is_link_local or addr.is_unspecified or any(addr in n for n in nets)
    assert facts.loopback == addr.is_loopback
    assert facts.internal == internal
    assert facts.public == (not internal and not addr.is_multicast and not addr.is_reserved)
    assert facts.text == str(addr)


@pytest.mark.parametrize(
    "ip",
    ["0.0.0.0", "127.255.0.1", "169.254.9.9", "100.127.255.255", "100.128.0.0", "224.0.0.1", "239.255.255.255",
     "240.0.0.1", "255.255.255.255", "::", "::1", "::2", "fe80::1", "febf::1", "fec0::1", "fc00::1", "fdff::1",
     "ff02::1", "2001:db8::1", "2a00:1450::1", "100::1", "8000::1"],
)  # fmt: skip
def test_ip_facts_at_the_range_edges(ip: str) -> None:
    test_ip_facts_equal_the_ipaddress_properties.hypothesis.inner_test(ipaddress.ip_address(ip))  # type: ignore[attr-defined]


@settings(max_examples=3000, deadline=None)
@given(st.one_of(st.text(alphabet="0123456789.", max_size=20), st.ip_addresses(v=4).map(str), st.text(max_size=20)))
def test_dotted_quads_read_as_ipaddress_reads_them(text: str) -> None:
    assume(":" not in text and "%" not in text and hosts.clean_host(text) == text)
    try:
        addr = ipaddress.ip_address(text)
    except ValueError:
        assert hosts._address(text) is None
    else:
        assert hosts._address(text) == (addr, str(addr))


@settings(max_examples=500, deadline=None)
@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_ipv4_first_octet_shortcut_equals_the_range_walk(value: int) -> None:
    """IPFacts skips the range walk for a first octet no range starts with: the classes are the walk's."""
    facts = IPFacts(ipaddress.IPv4Address(value))
    internal = hosts._within(value, hosts._INTERNAL[0])
    assert facts.loopback == hosts._within(value, hosts._LOOPBACK[0])
    assert facts.internal == internal
    assert facts.public == (not internal and not hosts._within(value, hosts._NOT_PUBLIC[0]))


@settings(max_examples=1500, deadline=None)
@given(
    st.one_of(
        st.integers(min_value=0, max_value=2**128 - 1),
        st.integers(min_value=0x20 << 120, max_value=(0x40 << 120) - 1),  # 2000::/3, the shortcut's range
        st.integers(min_value=0, max_value=0xFF).map(lambda b: b << 120),  # each first octet's lowest address
        st.integers(min_value=1, max_value=0x100).map(lambda b: (b << 120) - 1),  # and its highest
    )
)
def test_ipv6_first_octet_shortcut_equals_the_range_walk(value: int) -> None:
    """IPFacts skips the range walk for an IPv6 first octet no range starts with: the classes are the walk's."""
    facts = IPFacts(ipaddress.IPv6Address(value))
    internal = hosts._within(value, hosts._INTERNAL[1])
    assert facts.loopback == hosts._within(value, hosts._LOOPBACK[1])
    assert facts.internal == internal
    assert facts.public == (not internal and not hosts._within(value, hosts._NOT_PUBLIC[1]))


def _rule_labels() -> list[str]:
    labels: set[str] = set()
    for rule in sorted(hosts._psl()._publicsuffix)[::7]:
        labels.update(rule.split("."))
    return sorted(labels | {"!city", "*", "www", "city", "kawasaki", "jp", "ck", "uk", "co", "com", "example"})


_LABELS = _rule_labels()


@settings(max_examples=1500, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from(_LABELS), st.from_regex(r"[a-z0-9!*-]{1,6}", fullmatch=True)), min_size=1, max_size=7
    )
)
def test_public_suffix_walk_equals_the_lists_own(labels: list[str]) -> None:
    """The tail walk answers what PublicSuffixList.privatesuffix answers, on names built from the rules' labels."""
    psl = hosts._psl()
    assert hosts._public_labels(labels) == psl._countpublic(labels, False)
    name = ".".join(labels)
    expected = psl.privatesuffix(name)
    public = hosts._public_labels(labels)
    mine = ".".join(labels[-(public + 1) :]) if public and len(labels) >= public + 1 else None
    assert mine == expected


@pytest.mark.parametrize(
    "name",
    ["city.kawasaki.jp", "www.city.kawasaki.jp", "a.b.kawasaki.jp", "www.ck", "a.www.ck", "x.ck", "a.x.ck", "co.uk",
     "mail.example.co.uk", "kawasaki.jp", "jp", "foo.bar.baz.qux.com", "s3.dualstack.us-east-1.amazonaws.com"],
)  # fmt: skip
def test_public_suffix_walk_on_exceptions_and_wildcards(name: str) -> None:
    labels = name.split(".")
    assert hosts._public_labels(labels) == hosts._psl()._countpublic(labels, False)


_GROUP = st.one_of(st.just(0), st.just(0), st.just(0xFFFF), st.integers(min_value=0, max_value=0xFFFF))


@settings(max_examples=3000, deadline=None)
@given(st.lists(_GROUP, min_size=8, max_size=8))
def test_ipv6_text_equals_str(groups: list[int]) -> None:
    """The canonical IPv6 text written by inet_ntop is str()'s, zero runs of every length and place included."""
    value = 0
    for g in groups:
        value = value << 16 | g
    addr = ipaddress.IPv6Address(value)
    assert hosts._v6_text(addr) == str(addr)


def test_org_domain_asks_the_list_when_its_rules_are_not_readable(monkeypatch: pytest.MonkeyPatch) -> None:
    """A publicsuffixlist that keeps its rules otherwise: org_domain asks privatesuffix, with the same answers."""
    names = ["mail.example.co.uk", "a.b.kawasaki.jp", "www.city.kawasaki.jp", "mx.google.com", "co.uk", "x.y.z.ck"]
    expected = [org_domain.__wrapped__(n) for n in names]
    monkeypatch.setattr(hosts, "_RULES", hosts._Rules(object()))  # type: ignore[arg-type]
    assert hosts._RULES is not None and hosts._RULES.rules is None
    assert [org_domain.__wrapped__(n) for n in names] == expected


_HEXTET = st.one_of(st.from_regex(r"[0-9a-fA-F]{1,5}", fullmatch=True), st.just("0"), st.just(""))


@settings(max_examples=4000, deadline=None)
@given(
    st.one_of(
        st.ip_addresses(v=6).map(str),
        st.ip_addresses(v=6).map(lambda a: a.exploded.upper()),
        st.ip_addresses(v=4).map(lambda a: f"::ffff:{a}"),
        st.tuples(st.lists(_HEXTET, min_size=1, max_size=9), st.one_of(st.just(""), st.ip_addresses(v=4).map(str))).map(
            lambda t: ":".join([*t[0], t[1]] if t[1] else t[0])
        ),
        st.text(alphabet="0123456789abcdefABCDEF:.g", min_size=1, max_size=24).filter(lambda t: ":" in t),
    )
)
def test_ipv6_texts_read_as_ipaddress_reads_them(text: str) -> None:
    """inet_pton's reading of an IPv6 text (hosts._address) is ipaddress's, refusals included."""
    assume(hosts.clean_host(text) == text.lower() and "%" not in text)
    try:
        addr = ipaddress.ip_address(text)
    except ValueError:
        assert hosts._address(text) is None
    else:
        if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
            addr = addr.ipv4_mapped
        assert hosts._address(text) == (addr, str(addr))
        assert type(hosts._address(text)[0]) is type(addr)  # type: ignore[index]


def test_ipv6_reading_agrees_with_ipaddress_on_this_platform() -> None:
    assert hosts._PTON_AGREES  # else the fast reading is off and ipaddress reads every IPv6 text


@settings(max_examples=1000, deadline=None)
@given(st.one_of(st.none(), st.text(max_size=20), st.text(alphabet=" []()<>.:IPv6abcAB1", max_size=12)))
def test_cached_clean_host_answers_as_the_function(name: str | None) -> None:
    """clean_host is cached: the first and the later answers are the function's own."""
    expected = hosts.clean_host.__wrapped__(name)
    assert hosts.clean_host(name) == expected
    assert hosts.clean_host(name) == expected
    long = (name or "x") + " " * 400  # over the cache's bound: computed every time
    assert hosts.clean_host(long) == hosts.clean_host.__wrapped__(long)
