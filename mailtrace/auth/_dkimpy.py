"""Glue between dkimpy and our resolver (shared by DKIM and ARC).

dkimpy's own ``get_txt`` turns SERVFAIL into "no key" and its ``verify()``
cannot tell "no key" from "bad signature"; it logs through the ``dkimpy``
logger. We always pass our own ``dnsfunc`` and a silent logger.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from mailtrace.dns.resolver import Resolver

#: A silent logger for dkimpy (its errors are already in our typed results).
LOGGER = logging.getLogger("mailtrace.dkimpy")
LOGGER.addHandler(logging.NullHandler())
LOGGER.propagate = False

#: Seconds one key lookup may take (dkimpy's default).
KEY_TIMEOUT = 5.0


class DnsTemporaryFailure(Exception):
    """A key lookup timed out or failed; raised through dkimpy so it is not mistaken for "no key"."""


def dnsfunc_for(resolver: Resolver) -> Callable[..., bytes | None]:
    """A dkimpy ``dnsfunc``: the first TXT record as bytes, ``None`` when there is none."""

    def dnsfunc(name: bytes, timeout: float = KEY_TIMEOUT) -> bytes | None:
        answer = resolver.resolve(name.decode("ascii", "replace"), "TXT", timeout=min(timeout, KEY_TIMEOUT))
        if answer.temporary:
            raise DnsTemporaryFailure(answer.describe())
        if not answer.records:
            return None
        return answer.records[0].encode("utf-8")

    return dnsfunc
