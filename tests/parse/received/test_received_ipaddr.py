"""The parser's own IPv6 reading (``ipaddr._ipv6_text``) and dotted-quad check equal :mod:`ipaddress`."""

from __future__ import annotations

import ipaddress

from hypothesis import given, settings
from hypothesis import strategies as st

from mailtrace.parse.received.ipaddr import _ipv6_text, canonical_ip, normalise_ip


def _reference(text: str) -> str | None:
    """What ``normalise_ip`` answered before its own IPv6 reading: ``ipaddress``'s canonical text."""
    try:
        addr = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        return str(addr.ipv4_mapped)
    return str(addr)


_PIECES = st.sampled_from(["0", "1", "f", "A", "00", "0000", "ffff", "FFFF", "12345", "abc", ":", "::", ":::", "0:"])


@settings(max_examples=3000, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=16))
def test_ipv6_text_equals_ipaddress_on_generated_text(pieces: list[str]) -> None:
    text = "".join(pieces)
    if ":" in text and set(text) <= set("0123456789abcdefABCDEF:"):
        assert _ipv6_text(text) == _reference(text), text


@settings(max_examples=2000, deadline=None)
@given(
    st.integers(min_value=0, max_value=2**128 - 1),
    st.sampled_from([2**128 - 1, 0xFFFF_FFFF_FFFF, (2**128 - 1) ^ (0xFFFF_FFFF << 32), 0xFFFF_0000_FFFF_0000]),
)
def test_ipv6_text_equals_ipaddress_on_addresses(value: int, mask: int) -> None:
    addr = ipaddress.IPv6Address(value & mask)
    for text in (addr.exploded, addr.compressed, addr.exploded.upper(), addr.compressed.upper()):
        assert _ipv6_text(text) == _reference(text), text


_GROUPS = st.sampled_from(["1", "a", "f", "10a6", "2603", "ffff", "fe80", "0", "00", "01", "0db8", "DB8", "12345", ""])


@settings(max_examples=3000, deadline=None)
@given(st.lists(_GROUPS, max_size=8), st.lists(_GROUPS, max_size=8))
def test_ipv6_canonical_shortcut_equals_ipaddress(high: list[str], low: list[str]) -> None:
    """The shortcut for text already in canonical form (``_is_gap_canonical_v6``) against ``ipaddress``."""
    for text in (":".join(high) + "::" + ":".join(low), ":".join(high + low)):
        if ":" in text:
            assert _ipv6_text(text) == _reference(text), text


def test_ipv6_text_edge_cases() -> None:
    edge = ["::", "::1", "1::", ":::", "1:::2", ":1::2", "1::2:", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9", ":"]
    edge += ["1:2:3:4::5:6:7:8", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "1:0:0:2:0:0:0:3", "1:0:0:2:0:0:3:4"]
    edge += ["::ffff:c000:201", "0:0:0:0:0:ffff:c000:0201", "::ffff:0:1", "0:1::", "1:2", "12345::"]
    edge += ["1:2:3:4:5:6::", "1:2:3:4:5:6::7", "1:2:3::4:5:6", "1:2:3:4:5::6", "2603:10a6:10:2c5::9", "fe80::1:2:3:4"]
    for text in edge:
        assert _ipv6_text(text) == _reference(text), text


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(["0", "1", "2", "5", "9", "25", "255", "256", "01", "100", "199", "249", ".", "a"]),
                min_size=1, max_size=9))  # fmt: skip
def test_canonical_ip_equals_normalise_ip(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert canonical_ip(text) == normalise_ip.__wrapped__(text) == _reference_v4(text), text


def _reference_v4(text: str) -> str | None:
    if ":" in text or not text:
        return normalise_ip.__wrapped__(text)
    try:
        return str(ipaddress.IPv4Address(text.rstrip(".")))
    except ValueError:
        return None
