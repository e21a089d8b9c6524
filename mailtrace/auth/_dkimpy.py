"""Glue between dkimpy and our resolver (shared by DKIM and ARC).

dkimpy's own ``get_txt`` turns SERVFAIL into "no key" and its ``verify()``
cannot tell "no key" from "bad signature"; it logs through the ``dkimpy``
logger. We always pass our own ``dnsfunc`` and a silent logger.
"""

from __future__ import annotations

import base64
import binascii
import logging
import re
import time
from collections.abc import Callable

from dkim.crypto import UnparsableKeyError, parse_public_key
from dkim.util import InvalidTagValueList, parse_tag_value

from mailtrace.dns.resolver import Resolver

#: A silent logger for dkimpy (its errors are already in our typed results).
LOGGER = logging.getLogger("mailtrace.dkimpy")
LOGGER.addHandler(logging.NullHandler())
LOGGER.propagate = False

#: Seconds one key lookup may take (dkimpy's default).
KEY_TIMEOUT = 5.0


#: Largest RSA public exponent verified (65537 is near universal; FIPS 186-4 allows up to 2**256, but a
#: verification costs one modular multiplication per exponent bit, and a 16,384-bit exponent is an attack).
MAX_RSA_EXPONENT = 2**32 + 1


class DnsTemporaryFailure(Exception):
    """A key lookup timed out or failed; raised through dkimpy so it is not mistaken for "no key"."""


class KeyTooLarge(Exception):
    """A published key whose verification would cost too much; raised before dkimpy verifies with it."""


class CpuBudget:
    """CPU seconds (of the calling thread) that one message's DKIM and ARC verification may spend."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._start = time.thread_time()

    def spent(self) -> bool:
        return time.thread_time() - self._start > self.seconds


def rsa_cost_refusal(modulus: int, exponent: int, max_bits: int) -> str | None:
    """Why an RSA key is refused before verification (modulus or exponent too large), or ``None``."""
    bits = modulus.bit_length()
    if bits > max_bits:
        return f"RSA key of {bits} bits (more than Limits.max_rsa_key_bits = {max_bits})"
    if exponent > MAX_RSA_EXPONENT:
        return f"RSA public exponent of {exponent.bit_length()} bits (more than 2**32 + 1)"
    return None


def record_refusal(record: bytes, max_bits: int) -> str | None:
    """For a DKIM key record (``v=DKIM1; k=rsa; p=...``): why its RSA key is refused, or ``None``."""
    try:
        tags = parse_tag_value(record)
    except (InvalidTagValueList, ValueError, TypeError):
        return None
    if (tags.get(b"k") or b"rsa").strip().lower() != b"rsa":
        return None
    try:
        key = parse_public_key(base64.b64decode(re.sub(rb"\s+", b"", tags.get(b"p", b"")), validate=True))
        return rsa_cost_refusal(int(key["modulus"]), int(key["publicExponent"]), max_bits)
    except (binascii.Error, UnparsableKeyError, KeyError, TypeError, ValueError, IndexError):
        return None  # dkimpy refuses an unparsable key itself, cheaply


def dnsfunc_for(resolver: Resolver, max_rsa_bits: int | None = None) -> Callable[..., bytes | None]:
    """A dkimpy ``dnsfunc``: the first TXT record as bytes, ``None`` when there is none.

    With ``max_rsa_bits``, a record holding an RSA key too costly to verify raises
    :class:`KeyTooLarge` instead of reaching dkimpy.
    """

    def dnsfunc(name: bytes, timeout: float = KEY_TIMEOUT) -> bytes | None:
        answer = resolver.resolve(name.decode("ascii", "replace"), "TXT", timeout=min(timeout, KEY_TIMEOUT))
        if answer.temporary:
            raise DnsTemporaryFailure(answer.describe())
        if not answer.records:
            return None
        record = answer.records[0].encode("utf-8")
        refusal = None if max_rsa_bits is None else record_refusal(record, max_rsa_bits)
        if refusal is not None:
            raise KeyTooLarge(f"{name.decode('ascii', 'replace').rstrip('.')}: {refusal}")
        return record

    return dnsfunc
