"""DKIM signing (RFC 6376, RFC 8463 Ed25519) and ARC sealing (RFC 8617) with dkimpy, at a chosen time.

dkimpy's ``sign()`` stamps ``t=`` from the wall clock; the builder needs the time of the
Transmitter's hop (and reproducible bytes), so :func:`dkim_sign` builds the tag list itself and
lets dkimpy compute the body hash and signature. ARC uses ``dkim.arc_sign`` (which takes a timestamp).
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

import dkim
import dkim.crypto
import nacl.signing
from nacl.encoding import Base64Encoder

from mailtrace.testing.keys import KeyAlgorithm, TestKey

#: Header fields a Transmitter signs when they are present (RFC 6376 section 5.4.1).
SIGNED_FIELDS = (
    "from",
    "to",
    "cc",
    "subject",
    "date",
    "message-id",
    "reply-to",
    "mime-version",
    "content-type",
    "content-transfer-encoding",
    "list-id",
    "list-post",
    "list-unsubscribe",
)


class _TimedDKIM(dkim.DKIM):  # type: ignore[misc]
    def sign_at(
        self,
        selector: bytes,
        domain: bytes,
        key: TestKey,
        *,
        timestamp: int,
        include_headers: Sequence[bytes],
        identity: bytes | None,
        canonicalize: tuple[bytes, bytes],
        expiration: int | None,
    ) -> bytes:
        algo = key.algorithm.value.encode("ascii")
        self.signature_algorithm = algo
        pk: Any
        if key.algorithm is KeyAlgorithm.RSA_SHA256:
            pk = dkim.crypto.parse_pem_private_key(key.private)
        else:
            pk = nacl.signing.SigningKey(key.private, encoder=Base64Encoder)
        canon_policy = dkim.CanonicalizationPolicy.from_c_value(b"/".join(canonicalize))
        include = tuple(h.lower() for h in include_headers)
        self.include_headers = include
        body = canon_policy.canonicalize_body(self.body)
        self.hasher = dkim.HASH_ALGORITHMS[algo]
        digest = self.hasher()
        digest.update(body)
        fields = [
            (b"v", b"1"),
            (b"a", algo),
            (b"c", canon_policy.to_c_value()),
            (b"d", domain),
            (b"i", identity or b"@" + domain),
            (b"q", b"dns/txt"),
            (b"s", selector),
            (b"t", str(timestamp).encode("ascii")),
        ]
        if expiration is not None:
            fields.append((b"x", str(expiration).encode("ascii")))
        fields += [(b"h", b" : ".join(include)), (b"bh", base64.b64encode(digest.digest())), (b"b", b"0" * 60)]
        value: bytes = self.gen_header(fields, include, canon_policy, b"DKIM-Signature", pk)
        return b"DKIM-Signature: " + value


def dkim_sign(
    message: bytes,
    *,
    domain: str,
    selector: str,
    key: TestKey,
    timestamp: int,
    identity: str | None = None,
    canonicalize: tuple[str, str] = ("relaxed", "relaxed"),
    expiration: int | None = None,
) -> bytes:
    """The ``DKIM-Signature:`` field (CRLF-terminated) for ``message`` (CRLF line ends)."""
    signer = _TimedDKIM(message, linesep=b"\r\n")
    present = {name.lower() for name, _ in signer.headers}
    include = [h.encode("ascii") for h in SIGNED_FIELDS if h.encode("ascii") in present]
    result: bytes = signer.sign_at(
        selector.encode("ascii"),
        domain.encode("ascii"),
        key,
        timestamp=timestamp,
        include_headers=include,
        identity=identity.encode("ascii") if identity else None,
        canonicalize=(canonicalize[0].encode("ascii"), canonicalize[1].encode("ascii")),
        expiration=expiration,
    )
    return result


def arc_seal(
    message: bytes, *, domain: str, selector: str, key: TestKey, authserv_id: str, timestamp: int
) -> tuple[bytes, ...]:
    """The ARC set ``(ARC-Seal, ARC-Message-Signature, ARC-Authentication-Results)`` for ``message``.

    ``message`` must carry an ``Authentication-Results:`` field with ``authserv_id`` (RFC 8617
    section 4.1.1: the AAR copies it). dkimpy seals with RSA only.
    """
    present = {line.split(b":", 1)[0].strip().lower() for line in message.split(b"\r\n\r\n", 1)[0].split(b"\r\n")}
    include = [h.encode("ascii") for h in SIGNED_FIELDS if h.encode("ascii") in present]
    fields: list[bytes] = dkim.arc_sign(
        message,
        selector.encode("ascii"),
        domain.encode("ascii"),
        key.private,
        authserv_id.encode("ascii"),
        include_headers=include,
        timestamp=timestamp,
    )
    return tuple(fields)
