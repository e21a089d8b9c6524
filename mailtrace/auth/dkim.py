"""DKIM re-verification (RFC 6376) of every signature, with typed outcomes.

dkimpy does the canonicalisation and the cryptography on the raw bytes
(``message.raw``, never a re-serialised copy). We drive its steps ourselves
so the outcome says *why*: ``verify_headerprep`` is replaced by our own tag
parsing (dkimpy checks ``t=``/``x=`` against the wall clock; we judge them
against the analysis clock), the key is fetched through our resolver and
evaluated (``evaluate_pk``), then ``verify_sig_process`` checks ``bh=`` and
``b=``. Nothing raises: every dkimpy exception becomes a result and reason.

Keys below 1024 bits (RFC 8301 section 3.2) and ``rsa-sha1`` signatures
still verify here (the cryptographic fact is evidence) but carry the defects
``dkim.weak_key`` / ``dkim.sha1``.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

import dkim as dkimpy
import nacl.exceptions
import nacl.signing
from dkim.crypto import UnparsableKeyError, parse_public_key
from dkim.util import InvalidTagValueList, parse_tag_value

from mailtrace.auth._dkimpy import KEY_TIMEOUT, LOGGER, CpuBudget, DnsTemporaryFailure, rsa_cost_refusal
from mailtrace.auth.results import DkimCheck, DkimResult
from mailtrace.defects import Defect
from mailtrace.dns.resolver import Resolver
from mailtrace.errors import MailtraceError
from mailtrace.limits import DEFAULT_LIMITS, Limits
from mailtrace.model.fields import HeaderField, Message
from mailtrace.model.frozen import fast_maker
from mailtrace.parse.numbers import ascii_int

_MIN_SAFE_BITS = 1024
#: The whitespace ``bytes.strip()`` removes.
_BYTES_SPACE = " \t\n\r\x0b\x0c"
_LABEL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?")


def verify_dkim(
    message: Message,
    resolver: Resolver,
    *,
    clock: datetime | None,
    limits: Limits = DEFAULT_LIMITS,
    cpu: CpuBudget | None = None,
) -> tuple[DkimCheck, ...]:
    """One :class:`DkimCheck` per ``DKIM-Signature`` field, in header order.

    Bounded: the first ``limits.max_dkim_signatures`` are verified (the rest are
    ``not_checked`` with ``dkim.too_many``), none after ``cpu`` (default: a budget of
    ``limits.verify_cpu_budget`` CPU seconds) is spent (``dkim.cpu_budget``), and an RSA key
    too costly to verify is refused first (``key_too_large``).
    """
    fields = message.get_all("DKIM-Signature")
    if not fields:
        return ()
    cpu = cpu or CpuBudget(limits.verify_cpu_budget)
    try:
        signer = dkimpy.DKIM(message.raw, logger=LOGGER, minkey=1, timeout=KEY_TIMEOUT)
        raw_sigs = [(n, v) for n, v in signer.headers if n.lower() == b"dkim-signature"]
    except Exception as exc:  # dkimpy cannot split this header block
        why = f"dkimpy could not read the message: {type(exc).__name__}: {exc}"
        return tuple(_static(f.index, None, DkimResult.PERMERROR, why) for f in fields)
    out: list[DkimCheck] = []
    for idx, field in enumerate(fields):
        if idx >= len(raw_sigs):
            out.append(_static(field.index, None, DkimResult.PERMERROR, "signature not found by dkimpy"))
            continue
        skipped = _skipped(idx, limits, cpu)
        if skipped is not None:
            out.append(_unverified(field, *skipped))
            continue
        try:
            out.append(_verify_one(signer, raw_sigs[idx], field.index, resolver, clock, limits.max_rsa_key_bits))
        except MailtraceError:
            raise
        except Exception as exc:  # never raise for bad mail
            out.append(_static(field.index, None, DkimResult.PERMERROR, f"{type(exc).__name__}: {exc}"))
    return tuple(out)


def _skipped(idx: int, limits: Limits, cpu: CpuBudget) -> tuple[str, Defect] | None:
    """Why signature ``idx`` (0-based) is not verified: past the count bound or the CPU budget."""
    if idx >= limits.max_dkim_signatures:
        why = f"not verified: only the first {limits.max_dkim_signatures} signatures are (Limits.max_dkim_signatures)"
        return why, Defect("dkim.too_many", why)
    if cpu.spent():
        why = f"not verified: the verification CPU budget ({limits.verify_cpu_budget:g} s) is spent"
        return why, Defect("dkim.cpu_budget", why)
    return None


def _unverified(field: HeaderField, reason: str, defect: Defect) -> DkimCheck:
    return _static(field.index, _tags(field), DkimResult.NOT_CHECKED, reason, defects=(defect,))


def _tags(field: HeaderField) -> dict[bytes, bytes] | None:
    return tag_list(field.value.encode("utf-8", "replace"))


def tag_list(data: bytes) -> dict[bytes, bytes] | None:
    """A tag list as dkimpy's ``parse_tag_value`` reads it (RFC 6376 section 3.2), or ``None`` where it
    refuses it (a tag without ``=``, a name not opening with a letter, a tag given twice)."""
    tags: dict[bytes, bytes] = {}
    specs = data.strip().split(b";")
    if not specs[-1]:
        specs.pop()  # trailing semicolons are valid
    for spec in specs:
        key, eq, value = spec.partition(b"=")
        key = key.strip()
        if not eq or not key[:1].isalpha() or key in tags:
            return None
        tags[key] = value.strip()
    return tags


def not_checked_dkim(message: Message) -> tuple[DkimCheck, ...]:
    fields = message.get_all("DKIM-Signature")
    if not fields:
        return ()
    return tuple(_static(f.index, _tags(f), DkimResult.NOT_CHECKED, "no resolver: DKIM not re-checked") for f in fields)


#: ``DkimCheck(...)`` with every field given in order (result, header_index, domain, selector, algorithm,
#: canonicalization, signed_headers, body_length, identity, timestamp, expiration, key_type, key_bits,
#: key_fingerprint, reason, defects).
_make_check: Callable[..., DkimCheck] = fast_maker(DkimCheck)


def _text(value: bytes | None) -> str | None:
    return None if value is None else value.decode("utf-8", "replace").strip()


def _int(value: bytes | None) -> int | None:
    return None if value is None else ascii_int(value.strip(), 20)


def _static(
    header_index: int,
    sig: dict[bytes, bytes] | None,
    result: DkimResult,
    reason: str,
    *,
    key_type: str | None = None,
    key_bits: int | None = None,
    key_fingerprint: str | None = None,
    defects: tuple[Defect, ...] = (),
) -> DkimCheck:
    """The check of one signature as its tags read, built by :data:`_make_check` (every message without a
    resolver has one per signature; ``tests/auth/test_auth_dkim_tags.py`` compares the keyword constructor)."""
    sig = sig or {}
    domain = _text(sig.get(b"d"))
    # the signed header names, lower case, empty ones dropped (bytes whitespace: str.strip would take more)
    names = sig[b"h"].decode("ascii", "replace").lower().split(":") if b"h" in sig else []
    return _make_check(
        result,
        header_index,
        domain.lower() if domain else domain,
        _text(sig.get(b"s")),
        _text(sig.get(b"a")),
        _text(sig.get(b"c")) or ("simple/simple" if sig else None),
        tuple([n for h in names if (n := h.strip(_BYTES_SPACE))]),
        _int(sig.get(b"l")),
        _text(sig.get(b"i")),
        _int(sig.get(b"t")),
        _int(sig.get(b"x")),
        key_type,
        key_bits,
        key_fingerprint,
        reason,
        defects,
    )


def _verify_one(
    signer: Any,
    raw_sig: tuple[bytes, bytes],
    header_index: int,
    resolver: Resolver,
    clock: datetime | None,
    max_rsa_bits: int,
) -> DkimCheck:
    try:
        sig: dict[bytes, bytes] = parse_tag_value(raw_sig[1])
    except InvalidTagValueList as exc:
        return _static(header_index, None, DkimResult.PERMERROR, f"malformed tag list: {exc}")
    defects: list[Defect] = []

    def done(result: DkimResult, reason: str, **more: Any) -> DkimCheck:
        return _static(header_index, sig, result, reason, defects=tuple(defects), **more)

    # RFC 6376 section 6.1.1: tag checks, with t=/x= left to us (dkimpy compares them with the wall clock).
    timeless = {k: v for k, v in sig.items() if k not in (b"t", b"x")}
    if timeless.get(b"v", b"0.5") == b"0.5":
        # Pre-standard drafts (ietf-dkim-base 01-05) had no v= or v=0.5 and spelled q=dns; the algorithm is the same.
        defects.append(Defect("dkim.prestandard", "pre-standard signature (v= missing or 0.5; RFC 6376 wants v=1)"))
        timeless[b"v"] = b"1"
        if timeless.get(b"q", b"").strip().lower() == b"dns":
            timeless[b"q"] = b"dns/txt"
    if b"q" in timeless and b"dns/txt" in [q.strip().lower() for q in timeless[b"q"].split(b":")]:
        timeless[b"q"] = b"dns/txt"  # q= is a colon-separated list (RFC 6376 section 3.5)
    if b"i" in timeless:
        timeless[b"i"] = _qp_decode(timeless[b"i"])  # i= is dkim-quoted-printable (RFC 6376 section 2.11)
    try:
        dkimpy.validate_signature_fields(timeless)
    except dkimpy.DKIMException as exc:
        return done(DkimResult.PERMERROR, f"malformed signature: {exc}")
    t_sign, x_sign = sig.get(b"t"), sig.get(b"x")
    if t_sign is not None and _int(t_sign) is None:
        return done(DkimResult.PERMERROR, "malformed signature: t= is not a decimal integer")
    if x_sign is not None and _int(x_sign) is None:
        return done(DkimResult.PERMERROR, "malformed signature: x= is not a decimal integer")
    t_val, x_val = _int(t_sign), _int(x_sign)
    if t_val is not None and x_val is not None and x_val < t_val:
        return done(DkimResult.PERMERROR, "malformed signature: x= is before t=")
    include = [n.lower() for n in (h.strip() for h in sig[b"h"].split(b":")) if n]
    if b"from" not in include:
        return done(DkimResult.PERMERROR, "h= does not include From (RFC 6376 section 5.4)")
    if sig[b"a"].lower() == b"rsa-sha1":
        defects.append(Defect("dkim.sha1", "rsa-sha1 must not be considered valid (RFC 8301 section 3.1)"))
    if clock is None and x_val is not None:
        defects.append(Defect("dkim.expiry_unjudged", "no analysis clock: x= was not judged"))
    if clock is not None and t_val is not None and t_val > clock.timestamp() + 36000:
        defects.append(Defect("dkim.future_timestamp", "t= is more than 10 hours after the analysis clock"))

    # Key lookup (RFC 6376 section 3.6.2) through our resolver.
    domain, selector = _text(sig[b"d"]) or "", _text(sig[b"s"]) or ""
    name = f"{selector}._domainkey.{domain}".lower()
    if not _valid_name(name):
        return done(DkimResult.PERMERROR, f"d=/s= do not form a DNS name: {name!r}")
    answer = resolver.resolve(name, "TXT", timeout=KEY_TIMEOUT)
    if answer.temporary:
        return done(DkimResult.TEMPERROR, f"key lookup failed: {answer.describe()}")
    records = [r for r in answer.records if r.strip()]
    if not records:
        return done(DkimResult.KEY_UNAVAILABLE, f"no key: {answer.describe() if answer.negative else 'empty record'}")
    key_text = records[0].encode("utf-8", "replace")
    try:
        key_tags: dict[bytes, bytes] = parse_tag_value(key_text)
    except InvalidTagValueList as exc:
        return done(DkimResult.PERMERROR, f"key record malformed: {exc}")
    if b"p" not in key_tags:
        return done(DkimResult.PERMERROR, "key record has no p= tag")
    p_value = re.sub(rb"\s+", b"", key_tags[b"p"])
    if not p_value:
        return done(DkimResult.KEY_REVOKED, "key revoked: p= is empty (RFC 6376 section 3.6.1)")
    key_type = (key_tags.get(b"k") or b"rsa").decode("ascii", "replace").strip().lower()
    try:
        p_bytes = base64.b64decode(p_value, validate=True)
        fingerprint = "sha256:" + hashlib.sha256(p_bytes).hexdigest()
    except (binascii.Error, ValueError):
        return done(DkimResult.PERMERROR, "key record malformed: p= is not base64", key_type=key_type)
    key_more: dict[str, Any] = {"key_type": key_type, "key_fingerprint": fingerprint}
    hashes = key_tags.get(b"h")
    sig_hash = sig[b"a"].lower().partition(b"-")[2]
    if hashes is not None and sig_hash not in [h.strip().lower() for h in hashes.split(b":")]:
        return done(DkimResult.PERMERROR, f"key h= does not allow {sig_hash.decode()}", **key_more)
    flags = [f.strip().lower() for f in key_tags.get(b"t", b"").split(b":")]
    identity = timeless.get(b"i")
    if b"s" in flags and identity is not None:
        i_domain = identity.rpartition(b"@")[2].lower()
        if i_domain != sig[b"d"].lower():
            return done(DkimResult.PERMERROR, "key t=s forbids an i= subdomain", **key_more)
    services = [x.strip().lower() for x in key_tags.get(b"s", b"*").split(b":")]
    if b"*" not in services and b"email" not in services:
        return done(DkimResult.PERMERROR, "key record is not for email (s= service type)", **key_more)
    try:
        pk, keysize, ktag = _load_key(key_tags, p_bytes, key_type)
    except _KeyError as exc:
        return done(DkimResult.PERMERROR, f"key unusable: {exc}", **key_more)
    seqtlsrpt = False  # s= holds email or * (checked above); dkimpy's strict tlsrpt mode is not used
    key_more["key_bits"] = keysize
    refusal = rsa_cost_refusal(int(pk["modulus"]), int(pk["publicExponent"]), max_rsa_bits) if ktag == b"rsa" else None
    if refusal is not None:
        return done(DkimResult.KEY_TOO_LARGE, f"key refused before verification: {refusal}", **key_more)
    if ktag == b"rsa" and keysize is not None and keysize < _MIN_SAFE_BITS:
        defects.append(Defect("dkim.weak_key", f"RSA key of {keysize} bits (RFC 8301 requires at least 1024)"))
    if ktag is not None and ktag.decode() not in sig[b"a"].decode("ascii", "replace").lower():
        return done(DkimResult.PERMERROR, f"a= does not match the key type {ktag.decode()}", **key_more)

    # Body hash, then header signature (dkimpy on the raw bytes).
    signer.pk, signer.keysize, signer.ktag, signer.seqtlsrpt = pk, keysize, ktag, seqtlsrpt
    try:
        ok = signer.verify_sig_process({**sig, **timeless}, list(include), raw_sig, None)
        crypto, why = (
            (DkimResult.PASS, "signature verified")
            if ok
            else (
                DkimResult.SIGNATURE_MISMATCH,
                "b= does not verify: a signed header changed or the key does not match",
            )
        )
    except dkimpy.ValidationError as exc:
        if "body hash mismatch" in str(exc):
            crypto, why = DkimResult.BODY_HASH_MISMATCH, "bh= does not match the body: the body changed"
        else:
            crypto, why = DkimResult.PERMERROR, f"malformed signature: {exc}"
    except dkimpy.KeyFormatError as exc:
        crypto, why = DkimResult.SIGNATURE_MISMATCH, f"signature does not fit the key: {exc}"
    except DnsTemporaryFailure as exc:  # pragma: no cover - no lookups happen past this point
        crypto, why = DkimResult.TEMPERROR, str(exc)
    except dkimpy.DKIMException as exc:
        crypto, why = DkimResult.PERMERROR, f"{type(exc).__name__}: {exc}"
    if clock is not None and x_val is not None and x_val < clock.timestamp():
        when = datetime.fromtimestamp(x_val, tz=clock.tzinfo).isoformat()
        return done(
            DkimResult.EXPIRED, f"x= ({when}) is before the analysis clock; otherwise {crypto.value}", **key_more
        )
    return done(crypto, why, **key_more)


class _KeyError(Exception):
    """A key record that cannot be used (RFC 6376 section 3.6.1)."""


def _load_key(tags: dict[bytes, bytes], p_bytes: bytes, key_type: str) -> tuple[Any, int, bytes]:
    """(public key, bits, k=) as dkimpy's ``evaluate_pk`` builds them, from the already decoded ``p=``."""
    version = tags.get(b"v")
    if version is not None and version.strip() != b"DKIM1":
        raise _KeyError("v= is not DKIM1")
    if len(p_bytes) > _MAX_CACHED_KEY_BYTES:
        return _parse_key(key_type, p_bytes)
    return _parse_key_cached(key_type, p_bytes)


#: Longest key (DER bytes) whose parsed form is cached: an 8,192-bit RSA key is about 1,050 bytes.
_MAX_CACHED_KEY_BYTES = 1100


def _parse_key(key_type: str, p_bytes: bytes) -> tuple[Any, int, bytes]:
    """Parse a public key. Cached below (keyed by the key bytes), as one mailbox sees the same keys again and again.

    The parsed key objects are only read afterwards, so sharing them between threads is safe.
    """
    if key_type == "ed25519":
        try:
            return nacl.signing.VerifyKey(p_bytes), 256, b"ed25519"
        except (nacl.exceptions.ValueError, nacl.exceptions.TypeError, ValueError, TypeError) as exc:
            raise _KeyError(f"could not parse ed25519 public key: {exc}") from None
    if key_type == "rsa":
        try:
            pk = parse_public_key(p_bytes)
            return pk, int(dkimpy.bitsize(pk["modulus"])), b"rsa"
        except (UnparsableKeyError, KeyError, TypeError, ValueError, IndexError) as exc:
            raise _KeyError(f"could not parse RSA public key: {exc}") from None
    raise _KeyError(f"unknown key type k={key_type}")


_parse_key_cached = functools.lru_cache(maxsize=512)(_parse_key)


def _qp_decode(value: bytes) -> bytes:
    """Decode dkim-quoted-printable (``=40`` for ``@``), RFC 6376 section 2.11."""
    if b"=" not in value:
        return value
    try:
        return binascii.a2b_qp(re.sub(rb"\s+", b"", value))
    except (binascii.Error, ValueError):
        return value


def _valid_name(name: str) -> bool:
    if len(name) > 253:
        return False
    return all(_LABEL.fullmatch(label) for label in name.split("."))
