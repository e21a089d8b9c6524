"""The Sender Rewriting Scheme (SRS, as libsrs2 and postsrsd write it).

``SRS0=HHHH=TT=orig-domain=orig-local@forwarder-domain``: ``HHHH`` is the first four characters of the
base64 HMAC-SHA1 over ``TT``, the domain and the local part (lower case); ``TT`` is the day
number modulo 1024 in base32. A forwarder rewrites the envelope sender so that SPF at the next
receiver checks the forwarder's domain (RFC 7208 section 1.2.3 explains why forwarding breaks SPF).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime

_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def srs_timestamp(when: datetime) -> str:
    day = int(when.timestamp()) // 86400 % 1024
    return _B32[day >> 5] + _B32[day & 31]


def srs0(sender: str, forwarder_domain: str, *, when: datetime, secret: bytes = b"mailtrace-test-secret") -> str:
    """Rewrite ``sender`` (``local@domain``) for ``forwarder_domain``; ``<>`` and SRS addresses are kept."""
    if not sender or "@" not in sender:
        return sender
    local, domain = sender.rsplit("@", 1)
    if local.upper().startswith(("SRS0=", "SRS1=")):
        return sender  # already rewritten once: a real forwarder would use SRS1; kept simple
    tt = srs_timestamp(when)
    mac = hmac.new(secret, f"{tt}{domain}{local}".lower().encode("utf-8"), hashlib.sha1).digest()
    digest = base64.b64encode(mac).decode("ascii")[:4]
    return f"SRS0={digest}={tt}={domain}={local}@{forwarder_domain}"
