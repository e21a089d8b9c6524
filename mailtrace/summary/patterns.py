"""Keys that group messages by sending infrastructure: networks and generalised names.

* :func:`network`: the /24 of an IPv4 address, the /48 of an IPv6 one (the
  allocation a sender usually controls as a block).
* :func:`generalise`: a HELO name or Message-ID with its variable parts folded,
  so messages from one mailer or one kit share the key: a run of letters and
  digits of 6 or more characters holding a digit becomes ``*``, a remaining run
  of digits ``#``. ``WIN-344VU98D3RU`` -> ``win-*``,
  ``20230804044947.845B5C48928233AF@tik.example`` -> ``#.*@tik.example``.

All linear in the input (one regex pass, no backtracking).
"""

from __future__ import annotations

import ipaddress
import re

_TOKEN = re.compile(r"[a-z0-9]+")
_DIGITS = re.compile(r"[0-9]+")
_MAX_KEY = 200


def network(ip: str) -> str:
    """``203.0.113.0/24`` or ``2001:db8:1::/48`` for an address; ``""`` for anything else."""
    try:
        addr = ipaddress.ip_address(ip.strip())
    except ValueError:
        return ""
    prefix = 24 if addr.version == 4 else 48
    return str(ipaddress.ip_network(f"{addr}/{prefix}", strict=False))


def _token(match: re.Match[str]) -> str:
    text = match.group()
    if len(text) >= 6 and not text.isalpha() and not text.isdigit():
        return "*"
    return _DIGITS.sub("#", text)


def generalise(text: str) -> str:
    """The pattern of a host name or Message-ID (see the module docstring); ``""`` for ``""``."""
    return _TOKEN.sub(_token, text.strip().strip("<>").lower()[:_MAX_KEY])


def message_id_pattern(message_id: str) -> str:
    """The generalised local part and the domain as written (digits folded): a mailer's or kit's signature."""
    local, at, domain = message_id.strip().strip("<>").rpartition("@")
    if not at:
        return generalise(message_id)
    return f"{generalise(local)}@{_DIGITS.sub('#', domain.lower()[:_MAX_KEY])}"
