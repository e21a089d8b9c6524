"""Host names and addresses as the path compares them.

Organisational domains come from the Public Suffix List (``publicsuffixlist``),
the same notion DMARC uses (RFC 7489 section 3.2).
"""

from __future__ import annotations

import ipaddress
import re
import socket

from publicsuffixlist import PublicSuffixList

from mailtrace.memo import bounded_cache
from mailtrace.trace.providers import same_provider

_PSL: PublicSuffixList | None = None
_MAX_HOST = 253
#: Longest text whose result is cached: a host name with brackets, a zone or a trailing dot.
_CACHED_CHARS = 300


def _psl() -> PublicSuffixList:
    global _PSL
    if _PSL is None:
        _PSL = PublicSuffixList(only_icann=True, accept_unknown=False)
    return _PSL


class _Rules:
    """The list's rules (``PublicSuffixList``'s own set) and every label suffix of their names.

    ``privatesuffix`` tries each suffix of a name from the longest its rules can have, three set lookups
    and a join per suffix. No rule can match a suffix whose shorter suffix is no tail of any rule name,
    so :func:`_public_labels` walks up from the top-level domain while the suffix is such a tail, then
    asks the same three questions of the same suffixes, longest first, from there: the same answer
    (``tests/trace/test_trace_hosts.py`` compares the two), in two or three steps for most names.
    """

    __slots__ = ("rules", "tails")

    def __init__(self, psl: PublicSuffixList) -> None:
        found = getattr(psl, "_publicsuffix", None)  # the list's own parsed rules
        #: ``None`` when this version of ``publicsuffixlist`` keeps them otherwise: then it is asked itself
        self.rules: frozenset[str] | None = found if isinstance(found, frozenset) else None
        tails: set[str] = set()
        for rule in self.rules or ():
            for name in (rule, rule.removeprefix("!").removeprefix("*.")):
                labels = name.split(".")
                tails.update(".".join(labels[i:]) for i in range(len(labels)))
        self.tails = frozenset(tails)


_RULES: _Rules | None = None


def _public_labels(labels: list[str]) -> int | None:
    """``PublicSuffixList._countpublic(labels, accept_unknown=False)``: how many labels the public suffix has;
    ``None`` when the list's rules are not readable (:class:`_Rules`)."""
    global _RULES
    if _RULES is None:
        _RULES = _Rules(_psl())
    rules, tails = _RULES.rules, _RULES.tails
    if rules is None:
        return None
    n = len(labels)
    # the suffixes, shortest first, up to the longest that is a tail of some rule name: no longer one can match
    suffixes: list[str] = []
    suffix = labels[-1]
    while suffix in tails:
        suffixes.append(suffix)
        if len(suffixes) == n:
            break
        suffix = labels[-len(suffixes) - 1] + "." + suffix
    for depth in range(len(suffixes), 0, -1):
        s = suffixes[depth - 1]
        if "!" + s in rules:
            return depth - 1
        if "*." + s in rules:
            return depth + 1 if depth < n else depth
        if s in rules:
            return depth
    return 0


@bounded_cache(maxsize=4096, max_len=_CACHED_CHARS)
def clean_host(name: str | None) -> str | None:
    """Lower-case, without brackets, a trailing dot or an IPv6 tag; ``None`` when empty or absurdly long.

    Cached (4,096 texts up to 300 characters): a path cleans each of its host names about six times (the
    hop's facts, the organisational domain, the address, the stamps' writers), five C string calls each.
    """
    if not name:
        return None
    text = name.strip().strip("[]()<>").rstrip(".").lower()
    if text.startswith("ipv6:"):
        text = text[5:]
    if not text or len(text) > _MAX_HOST:
        return None
    return text


#: Characters of a dotted-quad IPv4 address: a text with another character and no ``:`` is no address, and
#: is refused without ``ipaddress`` raising (and formatting) two ``ValueError``.
_IPV4_CHARS = frozenset("0123456789.")


def _address(text: str | None) -> tuple[ipaddress.IPv4Address | ipaddress.IPv6Address, str] | None:
    """The address in ``text`` and its canonical text (``str()`` of the address), or ``None``."""
    host = clean_host(text)
    if host is None:
        return None
    bare = host.split("%", 1)[0]
    if ":" not in bare:
        if not _IPV4_CHARS.issuperset(bare):
            return None
        if _DOTTED_QUAD.fullmatch(bare):  # what IPv4Address accepts, already in its canonical form
            return ipaddress.IPv4Address(socket.inet_aton(bare)), bare
    elif _PTON_AGREES:
        # the C library reads an IPv6 text without ``ipaddress`` first failing it as IPv4 (an exception
        # formatted) and then reading it hextet by hextet in Python; a text it refuses is asked of
        # ``ipaddress`` below, so only its acceptances must be ``ipaddress``'s (``tests/trace/test_trace_hosts.py``)
        try:
            packed = socket.inet_pton(socket.AF_INET6, bare)
        except (OSError, ValueError):
            packed = None
        if packed is not None:
            addr6 = ipaddress.IPv6Address(packed)
            mapped = addr6.ipv4_mapped
            return (addr6, _v6_text(addr6)) if mapped is None else (mapped, str(mapped))
    try:
        addr = ipaddress.ip_address(bare)
    except ValueError:
        return None
    if isinstance(addr, ipaddress.IPv6Address):
        if addr.ipv4_mapped is not None:
            addr = addr.ipv4_mapped
        else:
            return addr, _v6_text(addr)
    return addr, str(addr)


def _v6_text(addr: ipaddress.IPv6Address) -> str:
    """``str(addr)``: the C library's ``inet_ntop`` writes the same RFC 5952 text (lower case, no leading zeros,
    the first longest run of two or more zero groups as ``::``) without ``ipaddress``'s Python formatting,
    except that it may write a dotted IPv4 tail: then, and where the check at import found it writing
    otherwise, ``str()`` itself (``tests/trace/test_trace_hosts.py`` compares the two)."""
    if _NTOP_AGREES:
        text = socket.inet_ntop(socket.AF_INET6, addr.packed)
        if "." not in text:
            return text
    return str(addr)


def _ntop_agrees() -> bool:
    """Does this platform's ``inet_ntop`` write what ``str()`` writes, on the cases RFC 5952 decides?"""
    samples = (
        "::", "::1", "1::", "2001:db8::1", "2001:db8:0:1:1:1:1:1", "2001:0:0:1::1", "2001:db8:0:0:1:0:0:1",
        "fe80::1:0:0:0", "0:1:0:1:0:1:0:1", "2001:DB8::ABCD", "1:0:0:2:0:0:0:3", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:0",
    )  # fmt: skip
    try:
        for sample in samples:
            addr = ipaddress.IPv6Address(sample)
            text = socket.inet_ntop(socket.AF_INET6, addr.packed)
            if "." not in text and text != str(addr):
                return False
    except (OSError, ValueError, AttributeError):  # no inet_ntop, or no IPv6 in it
        return False
    return True


_NTOP_AGREES = _ntop_agrees()


def _pton_agrees() -> bool:
    """Does this platform's ``inet_pton`` read IPv6 texts as ``ipaddress`` reads them, refusing what it refuses?"""
    accepted = ("::", "::1", "1::", "2001:DB8::abcd", "1:2:3:4:5:6:7:8", "::ffff:1.2.3.4", "1::1.2.3.4", "1:2::3")
    refused = (
        "1:2:3:4:5:6:7:8:9", "1::2::3", ":1::", "1::2:", "12345::", "::1.2.3.04", "::1.2.3", "1:2:3:4:5:6:7:8::",
        "::256.1.1.1", "1.2.3.4::", "g::1", ":", ":::", "1:2:3:4:5:6:7:1.2.3.4",
    )  # fmt: skip
    try:
        for text in accepted:
            if ipaddress.IPv6Address(socket.inet_pton(socket.AF_INET6, text)) != ipaddress.IPv6Address(text):
                return False
        for text in refused:
            try:
                socket.inet_pton(socket.AF_INET6, text)
            except (OSError, ValueError):
                continue
            return False
    except (OSError, ValueError, AttributeError):  # no inet_pton, or no IPv6 in it
        return False
    return True


_PTON_AGREES = _pton_agrees()


_OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
#: Four decimal octets up to 255 without a leading zero: exactly the texts ``ipaddress.IPv4Address`` accepts.
_DOTTED_QUAD = re.compile(rf"{_OCTET}\.{_OCTET}\.{_OCTET}\.{_OCTET}")


class IPFacts:
    """One parsed address and what the path asks of it, computed once per text.

    The classes are read from the address's integer against the ranges of ``ipaddress``'s own
    properties (:data:`_LOOPBACK` ..., ``tests/trace/test_trace_hosts.py`` checks them against the
    properties): ``addr in network`` is a Python call per network, a dozen per address.
    """

    __slots__ = ("addr", "internal", "loopback", "public", "text")

    def __init__(self, addr: ipaddress.IPv4Address | ipaddress.IPv6Address, text: str | None = None) -> None:
        self.addr = addr
        #: the canonical form, ``str(addr)``: two addresses are equal when their texts are
        self.text = str(addr) if text is None else text
        v6 = addr.version == 6
        value = int(addr)
        if (value >> 120 not in _V6_SPECIAL_FIRST) if v6 else (value >> 24 not in _V4_SPECIAL_FIRST):
            # a first octet no range below starts with (most public addresses, IPv6 2000::/3): nothing to walk
            self.loopback = self.internal = False
            self.public = True
            return
        self.loopback = _within(value, _LOOPBACK[v6])
        self.internal = _within(value, _INTERNAL[v6])
        self.public = not self.internal and not _within(value, _NOT_PUBLIC[v6])


@bounded_cache(maxsize=4096, max_len=_CACHED_CHARS)
def ip_facts(text: str) -> IPFacts | None:
    """The address in ``text`` (brackets, ``IPv6:``, a ``%zone`` and ``::ffff:`` mapping removed) with its
    classes, or ``None``.

    Cached (4,096 texts): a path asks for the same few addresses many times.
    """
    found = _address(text)
    return None if found is None else IPFacts(*found)


def parse_ip(text: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address in ``text`` (brackets, ``IPv6:``, a ``%zone`` and ``::ffff:`` mapping removed), or ``None``."""
    facts = ip_facts(text) if text else None
    return None if facts is None else facts.addr


def ip_text(text: str | None) -> str | None:
    """``str(parse_ip(text))``: the canonical form of the address in ``text``, or ``None``."""
    facts = ip_facts(text) if text else None
    return None if facts is None else facts.text


def same_ip(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    x = ip_facts(a)
    if x is None:
        return False
    if a == b:
        return True
    y = ip_facts(b)
    return y is not None and x.text == y.text


def is_ip(text: str | None) -> bool:
    if not text:
        return False
    if ":" not in text and "%" not in text and text.upper() != text.lower():
        # a letter, which cleaning keeps, and no ':' (IPv6) nor '%' (a zone, cut off): a name, not an address
        return False
    return ip_facts(text) is not None


def is_public_ip(text: str | None) -> bool:
    """A routable client address: an IP that is not internal (documentation ranges count as public)."""
    facts = ip_facts(text) if text else None
    return facts is not None and facts.public


def is_internal_ip(text: str | None) -> bool:
    """An address that never crosses the Internet: RFC 1918 private, RFC 6598 shared (CGN), loopback,
    link-local, RFC 4193 unique-local IPv6, unspecified.

    The RFC 5737 / RFC 3849 documentation ranges are *not* internal: examples
    and test messages use them for public hosts.
    """
    facts = ip_facts(text) if text else None
    return facts is not None and facts.internal


def is_loopback(text: str | None) -> bool:
    facts = ip_facts(text) if text else None
    return facts is not None and facts.loopback


_INTERNAL_V4 = tuple(
    ipaddress.IPv4Network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "0.0.0.0/8")
)
_INTERNAL_V6 = (ipaddress.IPv6Network("fc00::/7"),)

Ranges = tuple[tuple[int, int], ...]


def _ranges(*networks: str) -> Ranges:
    """``(network, mask)`` integers of each network."""
    nets = [ipaddress.ip_network(n) for n in networks]
    return tuple((int(n.network_address), int(n.netmask)) for n in nets)


def _within(value: int, ranges: Ranges) -> bool:
    for network, mask in ranges:  # noqa: SIM110 - a loop: no generator per call
        if value & mask == network:
            return True
    return False


# ``ipaddress`` (Python 3.11): is_loopback, is_link_local, is_unspecified, is_multicast, is_reserved
_V4_LOOPBACK, _V6_LOOPBACK = ("127.0.0.0/8",), ("::1/128",)
_V4_LINK_LOCAL, _V6_LINK_LOCAL = ("169.254.0.0/16",), ("fe80::/10",)
_V4_UNSPECIFIED, _V6_UNSPECIFIED = ("0.0.0.0/32",), ("::/128",)
_V4_MULTICAST, _V6_MULTICAST = ("224.0.0.0/4",), ("ff00::/8",)
_V4_RESERVED = ("240.0.0.0/4",)
_V6_RESERVED = (
    "::/8", "100::/8", "200::/7", "400::/6", "800::/5", "1000::/4", "4000::/3", "6000::/3", "8000::/3",
    "a000::/3", "c000::/3", "e000::/4", "f000::/5", "f800::/6", "fe00::/9",
)  # fmt: skip
#: indexed by ``version == 6``: loopback; internal (:func:`is_internal_ip`); multicast or reserved
_LOOPBACK = (_ranges(*_V4_LOOPBACK), _ranges(*_V6_LOOPBACK))
_INTERNAL = (
    _ranges(*_V4_LOOPBACK, *_V4_LINK_LOCAL, *_V4_UNSPECIFIED, *(str(n) for n in _INTERNAL_V4)),
    _ranges(*_V6_LOOPBACK, *_V6_LINK_LOCAL, *_V6_UNSPECIFIED, *(str(n) for n in _INTERNAL_V6)),
)
_NOT_PUBLIC = (_ranges(*_V4_MULTICAST, *_V4_RESERVED), _ranges(*_V6_MULTICAST, *_V6_RESERVED))
#: First octets of the IPv4 addresses inside any of the ranges above: an address starting with another octet is
#: public, neither loopback nor internal (``tests/trace/test_trace_hosts.py`` checks it against the walk).
_V4_SPECIAL_FIRST = frozenset(
    octet
    for octet in range(256)
    for network, mask in (*_LOOPBACK[0], *_INTERNAL[0], *_NOT_PUBLIC[0])
    if (octet << 24) & mask & 0xFF000000 == network & 0xFF000000
)
#: The same for the first octet of an IPv6 address: every octet but those of 2000::/3, the global unicast range.
_V6_SPECIAL_FIRST = frozenset(
    octet
    for octet in range(256)
    for network, mask in (*_LOOPBACK[1], *_INTERNAL[1], *_NOT_PUBLIC[1])
    if (octet << 120) & mask & (0xFF << 120) == network & (0xFF << 120)
)
_RESERVED_TLDS = frozenset({"example", "test", "invalid"})


@bounded_cache(maxsize=4096, max_len=_CACHED_CHARS)
def org_domain(name: str | None) -> str | None:
    """The organisational domain of a host name (RFC 7489 section 3.2), or ``None``.

    ``None`` for IP literals, single labels, public suffixes and names under a
    top-level domain the Public Suffix List does not know (``.internal``,
    ``.local``, ``.lan``), except the reserved example TLDs ``.example``,
    ``.test`` and ``.invalid`` (RFC 2606), which count as organisations.
    """
    host = clean_host(name)
    if host is None or "." not in host or is_ip(host) or host.endswith((".localdomain", ".local", ".lan")):
        return None
    labels = host.split(".")
    if "" in labels or max(map(len, labels)) > 63:  # an empty label, or one longer than DNS allows
        return None
    if labels[-1] in _RESERVED_TLDS:  # RFC 2606 / RFC 6761 names used in examples and tests
        return ".".join(labels[-2:])
    public = _public_labels(labels)  # PublicSuffixList.privatesuffix(host), without re-splitting the name
    if public is None:
        try:
            found = _psl().privatesuffix(host)
        except Exception:
            return None
        return found if isinstance(found, str) else None
    if not public or len(labels) < public + 1:
        return None
    return ".".join(labels[-(public + 1) :])


def same_org(a: str | None, b: str | None) -> bool:
    """Two organisational domains of one organisation: equal, domains of one provider of the table
    (:func:`mailtrace.trace.providers.same_provider`: ``gmail.com`` and ``google.com``,
    ``exchangelabs.com`` and ``outlook.com``), or the same registrable label under different suffixes
    (``sourceforge.com`` and ``sourceforge.net``), a label of four characters or more."""
    if not a or not b:
        return False
    if a == b or same_provider(a, b):
        return True
    la, lb = a.split(".", 1)[0], b.split(".", 1)[0]
    return la == lb and len(la) >= 4


def within(host: str | None, domains: tuple[str, ...]) -> bool:
    """``host`` equals one of ``domains`` or is below it."""
    if not domains:
        return False
    h = clean_host(host)
    if h is None:
        return False
    return any(h == d or h.endswith("." + d) for d in domains)


def address_domain(address: str | None) -> str | None:
    if not address or "@" not in address:
        return None
    return clean_host(address.rsplit("@", 1)[1])
