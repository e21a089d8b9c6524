"""Deterministic DKIM/ARC test keys (RFC 6376 section 3.6.1 key records, RFC 8463 Ed25519).

RSA keys are shipped pre-generated (:mod:`mailtrace.testing._keydata`), so building a message never
generates an RSA key. Ed25519 keys are derived from a fixed seed (``sha256("mailtrace test key " + name)``),
so the same name always gives the same key. The private halves are public: never sign real mail with them.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import nacl.signing

from mailtrace.errors import ConfigurationError
from mailtrace.testing._keydata import RSA_KEYS


class KeyAlgorithm(StrEnum):
    """The DKIM ``a=`` algorithms the builder signs with."""

    RSA_SHA256 = "rsa-sha256"
    ED25519_SHA256 = "ed25519-sha256"


@dataclass(frozen=True, slots=True, kw_only=True)
class TestKey:
    """A signing key and the DNS TXT record that publishes it."""

    __test__ = False  # not a pytest test class

    name: str  #: which shipped or derived key this is (``rsa2048a``, ``ed25519:sender.example``)
    algorithm: KeyAlgorithm
    private: bytes  #: PKCS#8 PEM for RSA; base64 of the 32-byte seed for Ed25519 (what dkimpy takes)
    public: str  #: the ``p=`` value
    bits: int

    @property
    def key_type(self) -> str:
        """The ``k=`` tag value."""
        return "rsa" if self.algorithm is KeyAlgorithm.RSA_SHA256 else "ed25519"

    def txt_record(self, *, revoked: bool = False) -> str:
        """The ``selector._domainkey`` TXT record; ``revoked`` publishes an empty ``p=`` (RFC 6376 3.6.1)."""
        return f"v=DKIM1; k={self.key_type}; p={'' if revoked else self.public}"

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "algorithm": str(self.algorithm), "bits": self.bits, "public": self.public}


def rsa_key(name: str = "rsa2048a") -> TestKey:
    """One of the shipped RSA keys: ``rsa2048a``, ``rsa2048b``, ``rsa2048c`` or ``rsa1024`` (a weak key)."""
    try:
        pem, public = RSA_KEYS[name]
    except KeyError:
        raise ConfigurationError(f"no shipped RSA test key {name!r}; choose from {sorted(RSA_KEYS)}") from None
    bits = 1024 if name == "rsa1024" else 2048
    return TestKey(name=name, algorithm=KeyAlgorithm.RSA_SHA256, private=pem.encode("ascii"), public=public, bits=bits)


def ed25519_key(name: str) -> TestKey:
    """The Ed25519 key derived from ``name`` (same name, same key)."""
    seed = hashlib.sha256(b"mailtrace test key " + name.encode("utf-8")).digest()
    signing = nacl.signing.SigningKey(seed)
    public = base64.b64encode(bytes(signing.verify_key)).decode("ascii")
    return TestKey(
        name=f"ed25519:{name}",
        algorithm=KeyAlgorithm.ED25519_SHA256,
        private=base64.b64encode(seed),
        public=public,
        bits=256,
    )


def key_for(algorithm: KeyAlgorithm | str, name: str) -> TestKey:
    """The test key for ``algorithm``: a shipped RSA key by name, or the Ed25519 key derived from ``name``."""
    algo = KeyAlgorithm(algorithm)
    if algo is KeyAlgorithm.RSA_SHA256:
        return rsa_key(name if name in RSA_KEYS else "rsa2048a")
    return ed25519_key(name)
