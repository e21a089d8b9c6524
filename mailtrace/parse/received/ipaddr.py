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

from mailtrace.memo import bounded_cache
from mailtrace.parse.numbers import ascii_int

_MAX_IP_CHARS = 64
_IP_CHARS = frozenset("0123456789abcdefABCDEF:.")


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
        if t.count(".") != 3:
            return None
        # Dotted-quad IPv4, by far the usual case: check it as ipaddress does (four ASCII
        # decimal octets of at most three digits, no leading zero, each <= 255; the
        # character check above already excludes everything but digits, hex letters and
        # dots) and return the text itself, which is then its canonical form. ipaddress
        # costs several µs per address.
        for octet in t.split("."):
            if not octet.isdigit() or len(octet) > 3 or (octet[0] == "0" and len(octet) > 1) or int(octet) > 255:
                return None
        return t
    try:
        addr = ipaddress.ip_address(t)
    except ValueError:
        return None
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        return str(addr.ipv4_mapped)
    return str(addr)


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
