"""IP address forms found in ``Received:`` lines, normalised.

RFC 5321 section 4.1.3 ``address-literal`` (``[192.0.2.1]``,
``[IPv6:2001:db8::1]``) plus what MTAs really write: bare addresses in
comments, Gmail's ``?IPv6:...?``, ``%zone`` suffixes (RFC 4007 section 11),
IPv4-mapped ``::ffff:a.b.c.d`` (RFC 4291 section 2.5.5.2, reported as the IPv4
address), and ``IPv6:`` prefixes. Results are the :mod:`ipaddress` canonical
text (IPv6 compressed, lower-case), or ``None`` for anything that is not an IP.
"""

from __future__ import annotations

import ipaddress
import re

from mailtrace.memo import bounded_cache
from mailtrace.parse.numbers import ascii_int

_MAX_IP_CHARS = 64
_IP_CHARS = frozenset("0123456789abcdefABCDEF:.")
#: A dotted-quad IPv4 address in canonical form, as :mod:`ipaddress` accepts it: four ASCII
#: decimal octets of at most three digits, no leading zero, each <= 255. Linear (no nesting).
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_is_dotted_quad = re.compile(rf"{_OCTET}(?:\.{_OCTET}){{3}}").fullmatch
_HEXTET = "[0-9a-fA-F]{1,4}"
#: Eight groups; or up to seven around one "::" (the text has no "." and no "%" here).
_is_full_v6 = re.compile(rf"{_HEXTET}(?::{_HEXTET}){{7}}").fullmatch
_is_gap_v6 = re.compile(rf"((?:{_HEXTET}(?::{_HEXTET}){{0,6}})?)::((?:{_HEXTET}(?::{_HEXTET}){{0,6}})?)").fullmatch
#: An address ``ipaddress`` writes back unchanged, the usual one in trace fields (``2603:10a6:10:2c5::9``,
#: ``fe80::23d7:9e07:1de8:d80a``): lower-case groups without leading zeros and none of them zero, around
#: one ``::`` with a group before it (see :func:`_ipv6_text` for the count of groups).
_G = "[1-9a-f][0-9a-f]{0,3}"
_is_gap_canonical_v6 = re.compile(rf"{_G}(?::{_G}){{0,5}}::(?:{_G}(?::{_G}){{0,5}})?").fullmatch
#: Runs of two or more zero groups in the written text ("0:0", "0:0:0" ...), whole groups only.
_ZERO_RUNS = re.compile(r"(?<![0-9a-f])0(?::0)+(?![0-9a-f])")


def canonical_ip(text: str) -> str | None:
    """:func:`normalise_ip`, with a text that is already a dotted quad answered by one match.

    The parser's usual address needs no clean-up and is its own canonical form; this skips
    the cache call for it (the result is the same text :func:`normalise_ip` returns).
    """
    if _is_dotted_quad(text) is not None:
        return text
    return normalise_ip(text)


@bounded_cache(maxsize=8192, max_len=_MAX_IP_CHARS)
def normalise_ip(text: str) -> str | None:
    """Return the canonical form of the address in ``text``, or ``None``."""
    if not text or len(text) > _MAX_IP_CHARS:
        return None
    t = text.strip().strip("?[]/").rstrip(".")
    if t[:5].lower() == "ipv6:" or t[:5].lower() == "ipv4:":
        t = t[5:]
    pct = t.find("%")
    if pct >= 0:
        t = t[:pct]
    if not t or not _IP_CHARS.issuperset(t):
        return None
    if ":" not in t:
        # Dotted-quad IPv4, by far the usual case: checked by the pattern (the character
        # check above already excludes everything but digits, hex letters and dots), the
        # text itself is then its canonical form. ipaddress costs several µs per address.
        return t if _is_dotted_quad(t) is not None else None
    if "." not in t:
        # Hex groups only (every IPv6 address but the forms with an embedded IPv4 part).
        return _ipv6_text(t)
    try:
        addr = ipaddress.ip_address(t)
    except ValueError:
        return None
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        return str(addr.ipv4_mapped)
    return str(addr)


def _ipv6_text(t: str) -> str | None:
    """``t`` (hex digits and ``:`` only) as ``ipaddress`` reads and writes it, or ``None``.

    The same rules as ``IPv6Address``: eight groups of 1-4 hex digits, or fewer around one
    ``::`` that stands for at least one zero group; written in lower case without leading
    zeros, the first longest run of two or more zero groups as ``::``; an IPv4-mapped address
    (``::ffff:a.b.c.d``) as its IPv4 address. ``tests/parse/received/test_received_ipaddr.py``
    compares it with ``ipaddress`` on generated text.
    """
    if _is_gap_canonical_v6(t) is not None and (t.count(":") - t.endswith("::")) <= 6:
        # At most six groups written, none zero: "::" stands for the only zero run (two groups
        # or more), no group has a leading zero, the first is not zero (so not IPv4-mapped).
        return t
    if _is_full_v6(t) is not None:
        values = [int(group, 16) for group in t.split(":")]
    else:
        m = _is_gap_v6(t)
        if m is None:
            return None
        high, low = m.groups()
        values = [int(group, 16) for group in high.split(":")] if high else []
        tail = [int(group, 16) for group in low.split(":")] if low else []
        missing = 8 - len(values) - len(tail)
        if missing < 1:
            return None
        values += [0] * missing
        values += tail
    if values[5] == 0xFFFF and not any(values[:5]):
        return f"{values[6] >> 8}.{values[6] & 255}.{values[7] >> 8}.{values[7] & 255}"
    text = ":".join([f"{value:x}" for value in values])
    runs = list(_ZERO_RUNS.finditer(text))
    if not runs:
        return text
    start, end = (runs[0] if len(runs) == 1 else max(runs, key=_run_length)).span()  # the first longest
    return f"{text[: start - 1] if start else ''}::{text[end + 1 :]}"


def _run_length(m: re.Match[str]) -> int:
    return m.end() - m.start()


def looks_like_ip(text: str) -> bool:
    return normalise_ip(text) is not None


def split_port(text: str) -> tuple[str, int | None]:
    """``192.0.2.1:2525`` (Amazon Farcaster writes ports inside the literal) to address and port."""
    if text.count(":") == 1 and "." in text:
        host, _, port = text.partition(":")
        number = ascii_int(port, 5)
        if number is not None and 0 < number < 65536:
            return host, number
    return text, None
