"""``DKIM-Signature`` fields (RFC 6376 section 3.5), parsed, not verified.

The tag list is split by :mod:`mailtrace.parse.auth.taglist`; this module
reads the tags the verifier and the report need and checks the rules a
verifier would reject a signature for, as defects (never exceptions):

* ``dkim.tag_missing``: one of the required tags ``v a b bh d h s`` is absent;
* ``dkim.version``: ``v=`` is not ``1``;
* ``dkim.algorithm_unknown``: ``a=`` is not ``rsa-sha256``, ``rsa-sha1`` or
  ``ed25519-sha256`` (RFC 8463);
* ``dkim.canonicalization_unknown``: ``c=`` is not ``simple`` / ``relaxed`` (each half);
* ``dkim.number``: ``l=``, ``t=`` or ``x=`` is not a decimal number of at most 12 digits;
* ``dkim.expiration_before_timestamp``: ``x=`` is earlier than ``t=`` (section 3.5, ``x=``);
* ``dkim.from_unsigned``: ``h=`` does not list ``From`` (section 5.4: it MUST be signed);
* ``dkim.identity_mismatch``: the domain of ``i=`` is not ``d=`` or a subdomain of it;
* ``dkim.base64``: ``b=`` or ``bh=`` holds characters outside the base64 alphabet;
* ``dkim.query_method_unknown``: ``q=`` is not ``dns/txt``.

Times (``t=``, ``x=``) are turned into timezone-aware UTC datetimes; the
integers stay in ``tags``. Unknown values are ``None``, never invented: an
absent ``i=`` stays ``None`` (its RFC default, ``@`` + ``d=``, is the
:attr:`DkimSignature.effective_identity` property).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from mailtrace.defects import Defect, defects_to_list
from mailtrace.model.fields import HeaderField
from mailtrace.model.frozen import fast_init, fast_maker
from mailtrace.parse.auth._scan import cap_defects
from mailtrace.parse.auth.taglist import read_tag_list, remove_whitespace

KNOWN_ALGORITHMS = frozenset({"rsa-sha256", "rsa-sha1", "ed25519-sha256"})
KNOWN_CANONICALIZATIONS = frozenset({"simple", "relaxed"})
_MAX_DIGITS = 12


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


#: What :func:`read_signature_tags` returns, in this order: algorithm, domain, selector,
#: canonicalization, signed_headers, body_length, timestamp, expiration, identity, body_hash,
#: signature, defects. A plain tuple: the parsers copy these into their own objects, and building
#: an intermediate frozen object per field cost more than reading the tags.
SignatureValues = tuple[
    str | None,
    str | None,
    str | None,
    str | None,
    tuple[str, ...],
    int | None,
    datetime | None,
    datetime | None,
    str | None,
    str | None,
    str | None,
    list[Defect],
]


_HEX = frozenset("0123456789ABCDEFabcdef")


def decode_dkim_quoted_printable(value: str) -> str:
    """Decode ``dkim-quoted-printable`` (RFC 6376 section 2.11): ``=XX`` hex octets, white space ignored.

    A malformed ``=`` is kept as written; bytes that are not UTF-8 become U+FFFD.
    """
    if "=" not in value:
        return "".join(value.split())
    out = bytearray()
    pos, end = 0, len(value)
    while pos < end:
        char = value[pos]
        if char == "=" and pos + 2 < end and value[pos + 1] in _HEX and value[pos + 2] in _HEX:
            out.append(int(value[pos + 1 : pos + 3], 16))
            pos += 3
            continue
        if char not in " \t\r\n":
            out += char.encode("utf-8", "replace")
        pos += 1
    return out.decode("utf-8", "replace")


def _number(text: str | None, name: str, prefix: str, defects: list[Defect]) -> int | None:
    if text is None:
        return None
    if not text.isascii() or not text.isdigit() or len(text) > _MAX_DIGITS:
        defects.append(
            Defect(f"{prefix}.number", f"{name}= is not a decimal number of at most 12 digits: {text[:20]!r}")
        )
        return None
    return int(text)


def _time(seconds: int | None) -> datetime | None:
    if seconds is None:
        return None
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


_BASE64_RE = re.compile(r"[A-Za-z0-9+/=]*")


def read_signature_tags(first: dict[str, str], prefix: str) -> SignatureValues:
    """Read the shared signature tags (``first``: the first value of each tag); defects carry ``prefix``."""
    get = first.get
    defects: list[Defect] = []
    algorithm = get("a")
    if algorithm is not None:
        algorithm = algorithm.lower()
        if algorithm not in KNOWN_ALGORITHMS:
            defects.append(Defect(f"{prefix}.algorithm_unknown", f"unknown signing algorithm a={algorithm[:40]}"))
    canonicalization = get("c")
    if canonicalization is not None:
        header_c, _, body_c = canonicalization.lower().partition("/")
        body_c = body_c or "simple"
        if header_c not in KNOWN_CANONICALIZATIONS or body_c not in KNOWN_CANONICALIZATIONS:
            defects.append(
                Defect(f"{prefix}.canonicalization_unknown", f"unknown canonicalization c={canonicalization[:40]}")
            )
        canonicalization = f"{header_c}/{body_c}"
    h = get("h")
    signed: tuple[str, ...] = ()
    if h is not None:
        names = remove_whitespace(h)
        signed = tuple(filter(None, names.split(":")))
        # ASCII lower-casing is per character, so lowering the list before splitting it lowers each name.
        lowered = names.lower().split(":") if names.isascii() else [name.lower() for name in signed]
        if "from" not in lowered:
            defects.append(Defect(f"{prefix}.from_unsigned", "h= does not list the From field, which MUST be signed"))
    body_length = _number(get("l"), "l", prefix, defects)
    t = _number(get("t"), "t", prefix, defects)
    x = _number(get("x"), "x", prefix, defects)
    if t is not None and x is not None and x < t:
        defects.append(Defect(f"{prefix}.expiration_before_timestamp", f"x={x} is earlier than t={t}"))
    domain = get("d")
    identity = get("i")
    if prefix == "dkim" and identity is not None:
        identity = decode_dkim_quoted_printable(identity)
        if domain:
            at_domain = identity.rpartition("@")[2].lower().rstrip(".")
            d = domain.lower().rstrip(".")
            if at_domain != d and not at_domain.endswith("." + d):
                defects.append(
                    Defect(
                        f"{prefix}.identity_mismatch", f"i= domain {at_domain[:60]} is not d={d[:60]} or a subdomain"
                    )
                )
    body_hash = get("bh")
    signature = get("b")
    if signature is not None and _BASE64_RE.fullmatch(signature) is None:
        defects.append(Defect(f"{prefix}.base64", "b= holds characters outside the base64 alphabet"))
    if body_hash is not None and _BASE64_RE.fullmatch(body_hash) is None:
        defects.append(Defect(f"{prefix}.base64", "bh= holds characters outside the base64 alphabet"))
    return (
        algorithm,
        domain,
        get("s"),
        canonicalization,
        signed,
        body_length,
        None if t is None else _time(t),
        None if x is None else _time(x),
        identity,
        body_hash,
        signature,
        defects,
    )


def missing_tags(first: dict[str, str], required: str, prefix: str, field: str) -> list[Defect]:
    """One ``<prefix>.tag_missing`` defect per name of ``required`` (space-separated) absent from ``first``."""
    return [
        Defect(f"{prefix}.tag_missing", f"{field} lacks the required tag {name}=")
        for name in required.split()
        if name not in first
    ]


@dataclass(frozen=True, slots=True, kw_only=True)
class DkimSignature:
    """One ``DKIM-Signature`` field (RFC 6376 section 3.5).

    ``tags`` holds every ``(name, value)`` pair in order (``b=``/``bh=`` with
    white space removed); the named attributes are the first occurrence of
    each tag, ``None`` when absent or unreadable. ``canonicalization`` is
    ``header/body`` with the RFC defaults filled in (``c=relaxed`` reads
    ``relaxed/simple``); ``None`` when ``c=`` is absent (meaning ``simple/simple``).
    """

    header_index: int
    tags: tuple[tuple[str, str], ...]
    version: str | None
    algorithm: str | None
    domain: str | None
    selector: str | None
    canonicalization: str | None
    signed_headers: tuple[str, ...]
    body_length: int | None
    timestamp: datetime | None
    expiration: datetime | None
    identity: str | None
    body_hash: str | None
    signature: str | None
    query_methods: str | None
    defects: tuple[Defect, ...] = ()

    @property
    def effective_identity(self) -> str | None:
        """``i=``, or its default ``@`` + ``d=`` (RFC 6376 section 3.5)."""
        if self.identity is not None:
            return self.identity
        return None if self.domain is None else "@" + self.domain

    def tag(self, name: str) -> str | None:
        """The first value of tag ``name``, or ``None``."""
        return next((value for key, value in self.tags if key == name), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "header_index": self.header_index,
            "tags": [list(pair) for pair in self.tags],
            "version": self.version,
            "algorithm": self.algorithm,
            "domain": self.domain,
            "selector": self.selector,
            "canonicalization": self.canonicalization,
            "signed_headers": list(self.signed_headers),
            "body_length": self.body_length,
            "timestamp": _iso(self.timestamp),
            "expiration": _iso(self.expiration),
            "identity": self.identity,
            "body_hash": self.body_hash,
            "signature": self.signature,
            "query_methods": self.query_methods,
            "defects": defects_to_list(self.defects),
        }


fast_init(DkimSignature)


def parse_dkim_signature(field: HeaderField) -> DkimSignature:
    """Parse one ``DKIM-Signature`` field; never raises."""
    tags, first, tag_defects = read_tag_list(field.value, "dkim")
    (
        algorithm,
        domain,
        selector,
        canonicalization,
        signed_headers,
        body_length,
        timestamp,
        expiration,
        identity,
        body_hash,
        signature,
        common_defects,
    ) = read_signature_tags(first, "dkim")
    defects = [*tag_defects]
    if not tags:
        defects.append(Defect("dkim.empty", "DKIM-Signature holds no tag"))
    defects += missing_tags(first, "v a b bh d h s", "dkim", "DKIM-Signature")
    version = first.get("v")
    if version is not None and version != "1":
        defects.append(Defect("dkim.version", f"v={version[:20]} where 1 is required"))
    query = first.get("q")
    if query is not None and any(m.strip().lower() != "dns/txt" for m in query.split(":")):
        defects.append(Defect("dkim.query_method_unknown", f"q={query[:40]} is not dns/txt"))
    defects += common_defects
    # ``DkimSignature(...)`` by its positional maker: the frozen ``__init__`` calls a slot descriptor
    # per field, about 800 instructions each, sixteen times here.
    return _make_dkim_signature(
        field.index,
        tags,
        version,
        algorithm,
        domain,
        selector,
        canonicalization,
        signed_headers,
        body_length,
        timestamp,
        expiration,
        identity,
        body_hash,
        signature,
        query,
        cap_defects(defects, "dkim") if defects else (),
    )


#: ``DkimSignature(...)`` with every field given positionally, in field order (``frozen.fast_maker``).
_make_dkim_signature: Callable[..., DkimSignature] = fast_maker(DkimSignature)
