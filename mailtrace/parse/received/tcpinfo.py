"""The ``TCP-info`` comment of a ``from`` clause (RFC 5321 section 4.4).

::

    TCP-info = address-literal / ( Domain FWS address-literal )

MTAs extend it: Postfix and Sendmail write ``(rdns [ip])`` (Sendmail with
``IDENT:user@`` or ``user@`` before the name), Exim ``([ip]:port helo=name
ident=user)``, qmail ``(HELO name) (user@ip)``, Exchange ``(ip)``. This module
cuts one comment into those items; :mod:`.generic` decides what the ``from``
value means from them. The HELO argument is only ever a claim (``helo``),
never the client address.
"""

from __future__ import annotations

import re

from mailtrace.parse.numbers import ascii_int
from mailtrace.parse.received.ipaddr import canonical_ip, split_port

_ITEM = re.compile(
    r"""
    (?P<key>[A-Za-z][A-Za-z_-]{0,30})=(?P<kval>\[[^\[\]]*\]|[^\s()\[\]]*)
  | \[(?P<lit>[^\[\]]*)\](?::(?P<port>\d{1,5}))?
  | (?P<word>[^\s()\[\]]+)
    """,
    re.VERBOSE,
)
#: Comments that are never TCP-info, by their lower-cased start.
NOT_TCPINFO = (
    "using ",
    "no client certificate",
    "authenticated",
    "envelope-",
    "may be forged",
    "auth:",
    "google transport",
    "version=",
    "tls",
    "cipher",
    "from userid",
    "proxying for",
)
_MAX_ITEMS = 32


class TcpInfo:
    """What one comment says about the client."""

    __slots__ = ("first_is_ip", "helo", "ident", "ip", "port", "rdns", "words")

    def __init__(self) -> None:
        self.ip: str | None = None
        self.port: int | None = None
        self.rdns: str | None = None  #: the name written just before the address
        self.helo: str | None = None  #: ``helo=`` or ``HELO name`` / ``EHLO name``
        self.ident: str | None = None
        self.first_is_ip = False  #: the comment opens with the address (Exim, Sendmail without rDNS)
        self.words: list[str] = []


def _port(text: str | None) -> int | None:
    value = ascii_int(text, 5)
    return value if value is not None and 0 < value < 65536 else None


def read_tcpinfo(comment: str) -> TcpInfo:
    """Cut ``comment`` into client facts; bounded to the first few items."""
    info = TcpInfo()
    pending_helo = False
    last_word: str | None = None
    count = 0
    for m in _ITEM.finditer(comment):
        count += 1
        if count > _MAX_ITEMS:
            break
        key = m.group("key")
        if key is not None:
            k = key.lower()
            value = m.group("kval")
            if k == "helo":
                info.helo = value or None
            elif k == "ident":
                info.ident = value or None
            elif k == "port":
                info.port = _port(value)
            else:
                info.words.append(m.group())
            continue
        lit = m.group("lit")
        if lit is not None:
            if pending_helo:
                info.helo = f"[{lit}]"
                pending_helo = False
                continue
            lit, inner_port = split_port(lit)
            ip = canonical_ip(lit)
            if ip is not None and info.ip is None:
                info.ip = ip
                info.port = _port(m.group("port")) or inner_port or info.port
                info.first_is_ip = not info.words and last_word is None
                if last_word is not None:
                    _set_name(info, last_word)
            continue
        word = m.group("word")
        if word[:1] == '"' or word[-1:] == '"':
            word = word.strip('"')  # ZMailer: "EHLO name"
            if not word:
                continue
        if pending_helo:
            info.helo = word
            pending_helo = False
            continue
        wl = word.lower()
        if wl in ("helo", "ehlo", "lhlo"):
            pending_helo = True
            continue
        if info.ip is None:
            ip = _word_ip(word, info)
            if ip is not None:
                info.ip = ip
                info.first_is_ip = last_word is None and not info.words
                continue
            if last_word is not None:
                info.words.append(last_word)
            last_word = word
        else:
            info.words.append(word)
    if last_word is not None and info.ip is None:
        info.words.append(last_word)
    return info


def _word_ip(word: str, info: TcpInfo) -> str | None:
    """A bare address (``10.0.0.1``, ``user@192.0.2.1``, ``2001:db8::1``), or ``None``."""
    at = word.rfind("@")
    if at > 0:
        ip = canonical_ip(word[at + 1 :])
        if ip is not None:
            info.ident = info.ident or word[:at]
        return ip
    return bare_ip(word)


def bare_ip(word: str) -> str | None:
    """``word`` read as a bare address (``10.0.0.1``, ``2001:db8::1``, ``10.0.0.1,``), or ``None``."""
    if word[:1].isdigit() or word[:1] in ":?/" or word[:5].lower() == "ipv6:" or word[:1] in "abcdefABCDEF":
        return canonical_ip(word.rstrip(","))
    return None


def _set_name(info: TcpInfo, word: str) -> None:
    """``name``, ``IDENT:user@name`` or ``user@name`` written before the address literal."""
    if word[:6].upper() == "IDENT:":
        word = word[6:]
    at = word.rfind("@")
    if at >= 0:
        info.ident = info.ident or (word[:at] or None)
        word = word[at + 1 :]
    if word:  # "user@[192.0.2.1]" (qmail ident form) names no host
        info.rdns = word
