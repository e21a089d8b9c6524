"""ARC header fields grouped into sets by instance (RFC 8617), parsed, not verified.

* ``ARC-Seal`` (section 4.1.3): a tag list with ``i a b cv d s`` required
  (``t`` recommended); ``h=`` is not allowed in a seal (``arc.seal_h_tag``);
  ``cv`` is ``none`` / ``fail`` / ``pass`` (``arc.cv_invalid``), ``none`` for
  ``i=1`` and only for it (``arc.cv_unexpected``).
* ``ARC-Message-Signature`` (section 4.1.2): a DKIM-Signature without ``v=``,
  with ``i a b bh d h s`` required.
* ``ARC-Authentication-Results`` (section 4.1.1): ``i=N;`` followed by an
  RFC 8601 payload (parsed by :mod:`mailtrace.parse.auth.authres`).

The three fields of one instance form an :class:`ArcSet`. Sets are returned
oldest first (``i=1`` first). Set-level defects: ``arc.set_incomplete`` (a
field missing from the set), ``arc.instance_duplicate`` (two fields of one
kind with the same ``i=``; the topmost is used). Chain-level defects, on
:attr:`~mailtrace.parse.auth.Authentication.defects`: ``arc.instance_missing``
(a field whose ``i=`` is absent or unreadable; it joins no set),
``arc.instance_range`` (``i=`` outside 1..50, section 4.2.1),
``arc.instance_gap`` (the instances are not 1..N).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mailtrace.defects import Defect, defects_to_list
from mailtrace.model.fields import HeaderField
from mailtrace.model.frozen import fast_init
from mailtrace.parse.auth._scan import cap_defects, read_until, skip_cfws
from mailtrace.parse.auth.authres import AuthenticationResults, make_authentication_results, read_payload
from mailtrace.parse.auth.dkim_signature import missing_tags, read_signature_tags
from mailtrace.parse.auth.taglist import read_tag_list

#: RFC 8617 section 4.2.1: at most 50 ARC sets.
MAX_INSTANCE = 50
CHAIN_VALIDATION = frozenset({"none", "fail", "pass"})


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _instance(text: str | None) -> int | None:
    if text is None or not text.isascii() or not text.isdigit() or len(text) > 6:
        return None
    return int(text)


@dataclass(frozen=True, slots=True, kw_only=True)
class ArcSeal:
    """One ``ARC-Seal`` field. ``chain_validation`` is the ``cv=`` word, lower-cased."""

    header_index: int
    instance: int | None
    tags: tuple[tuple[str, str], ...]
    algorithm: str | None
    domain: str | None
    selector: str | None
    timestamp: datetime | None
    chain_validation: str | None
    signature: str | None
    defects: tuple[Defect, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "header_index": self.header_index,
            "instance": self.instance,
            "tags": [list(pair) for pair in self.tags],
            "algorithm": self.algorithm,
            "domain": self.domain,
            "selector": self.selector,
            "timestamp": _iso(self.timestamp),
            "chain_validation": self.chain_validation,
            "signature": self.signature,
            "defects": defects_to_list(self.defects),
        }


fast_init(ArcSeal)


@dataclass(frozen=True, slots=True, kw_only=True)
class ArcMessageSignature:
    """One ``ARC-Message-Signature`` field; the attributes mean what they mean on a DKIM-Signature."""

    header_index: int
    instance: int | None
    tags: tuple[tuple[str, str], ...]
    algorithm: str | None
    domain: str | None
    selector: str | None
    canonicalization: str | None
    signed_headers: tuple[str, ...]
    body_length: int | None
    timestamp: datetime | None
    body_hash: str | None
    signature: str | None
    defects: tuple[Defect, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "header_index": self.header_index,
            "instance": self.instance,
            "tags": [list(pair) for pair in self.tags],
            "algorithm": self.algorithm,
            "domain": self.domain,
            "selector": self.selector,
            "canonicalization": self.canonicalization,
            "signed_headers": list(self.signed_headers),
            "body_length": self.body_length,
            "timestamp": _iso(self.timestamp),
            "body_hash": self.body_hash,
            "signature": self.signature,
            "defects": defects_to_list(self.defects),
        }


fast_init(ArcMessageSignature)


@dataclass(frozen=True, slots=True, kw_only=True)
class ArcSet:
    """The ARC set of one instance: its seal, message signature and authentication results (``None`` if absent)."""

    instance: int
    seal: ArcSeal | None
    message_signature: ArcMessageSignature | None
    authentication_results: AuthenticationResults | None
    defects: tuple[Defect, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "instance": self.instance,
            "seal": None if self.seal is None else self.seal.to_dict(),
            "message_signature": None if self.message_signature is None else self.message_signature.to_dict(),
            "authentication_results": (
                None if self.authentication_results is None else self.authentication_results.to_dict()
            ),
            "defects": defects_to_list(self.defects),
        }


fast_init(ArcSet)


def parse_arc_seal(field: HeaderField) -> ArcSeal:
    """Parse one ``ARC-Seal`` field; never raises."""
    tags, first, tag_defects = read_tag_list(field.value, "arc")
    algorithm, domain, selector, _, _, _, timestamp, _, _, _, signature, common_defects = read_signature_tags(
        first, "arc"
    )
    defects = [*tag_defects, *missing_tags(first, "i a b cv d s", "arc", "ARC-Seal")]
    instance = _instance(first.get("i"))
    cv = first.get("cv")
    if cv is not None:
        cv = cv.lower()
        if cv not in CHAIN_VALIDATION:
            defects.append(Defect("arc.cv_invalid", f"cv={cv[:20]} is not none, fail or pass"))
        elif instance == 1 and cv != "none":
            defects.append(Defect("arc.cv_unexpected", f"the seal of i=1 carries cv={cv}, not none"))
        elif instance is not None and instance > 1 and cv == "none":
            defects.append(Defect("arc.cv_unexpected", f"the seal of i={instance} carries cv=none"))
    if first.get("h") is not None:
        defects.append(Defect("arc.seal_h_tag", "an ARC-Seal must not carry h="))
    # The shared reader also checks h=, l=, x=; only keep what applies to a seal.
    defects += [d for d in common_defects if d.code != "arc.from_unsigned"]
    return ArcSeal(
        header_index=field.index,
        instance=instance,
        tags=tags,
        algorithm=algorithm,
        domain=domain,
        selector=selector,
        timestamp=timestamp,
        chain_validation=cv,
        signature=signature,
        defects=cap_defects(defects, "arc") if defects else (),
    )


def parse_arc_message_signature(field: HeaderField) -> ArcMessageSignature:
    """Parse one ``ARC-Message-Signature`` field; never raises."""
    tags, first, tag_defects = read_tag_list(field.value, "arc")
    (
        algorithm,
        domain,
        selector,
        canonicalization,
        signed_headers,
        body_length,
        timestamp,
        _,
        _,
        body_hash,
        signature,
        common_defects,
    ) = read_signature_tags(first, "arc")
    defects = [*tag_defects, *missing_tags(first, "i a b bh d h s", "arc", "ARC-Message-Signature"), *common_defects]
    return ArcMessageSignature(
        header_index=field.index,
        instance=_instance(first.get("i")),
        tags=tags,
        algorithm=algorithm,
        domain=domain,
        selector=selector,
        canonicalization=canonicalization,
        signed_headers=signed_headers,
        body_length=body_length,
        timestamp=timestamp,
        body_hash=body_hash,
        signature=signature,
        defects=cap_defects(defects, "arc") if defects else (),
    )


#: ``i=N;`` with only white space around the pieces and at most six digits: what the step-by-step
#: reading below accepts with no defect (the key is read up to white space or ``=;(``, and only ``i``
#: and ``I`` lower-case to ``i``; the number up to white space or ``;(``). Linear: possessive runs.
_PLAIN_INSTANCE = re.compile(r"[ \t\r\n]*+[iI][ \t\r\n]*+=[ \t\r\n]*+([0-9]{1,6})[ \t\r\n]*+;")


def parse_arc_authentication_results(field: HeaderField) -> AuthenticationResults:
    """Parse one ``ARC-Authentication-Results`` field (``i=N;`` then an RFC 8601 payload); never raises."""
    text = field.value
    defects: list[Defect] = []
    plain = _PLAIN_INSTANCE.match(text)
    if plain is not None:
        authserv_id, version, results, payload_defects = read_payload(text[plain.end() :])
        return make_authentication_results(
            field.index,
            field.name,
            authserv_id,
            version,
            results,
            int(plain.group(1)),
            cap_defects(payload_defects, "arc") if payload_defects else (),
        )
    comments: list[str] = []
    pos, _ = skip_cfws(text, 0, comments)
    pos, key = read_until(text, pos, "=;(")
    instance: int | None = None
    if key.lower() == "i":
        pos, _ = skip_cfws(text, pos, comments)
        if text[pos : pos + 1] == "=":
            pos, _ = skip_cfws(text, pos + 1, comments)
            pos, number = read_until(text, pos, ";(")
            instance = _instance(number)
            pos, _ = skip_cfws(text, pos, comments)
            if text[pos : pos + 1] == ";":
                pos += 1
            else:
                defects.append(Defect("arc.aar_syntax", "no ';' after the i= tag"))
    if instance is None:
        pos = 0
    authserv_id, version, results, payload_defects = read_payload(text[pos:])
    return make_authentication_results(
        field.index,
        field.name,
        authserv_id,
        version,
        results,
        instance,
        cap_defects((*defects, *payload_defects), "arc"),
    )


_KINDS = ("seal", "message_signature", "authentication_results")


def group_arc_sets(
    seals: list[ArcSeal],
    signatures: list[ArcMessageSignature],
    results: list[AuthenticationResults],
) -> tuple[tuple[ArcSet, ...], tuple[Defect, ...]]:
    """Group parsed ARC fields (each list top to bottom) into sets by instance, oldest first."""
    chain_defects: list[Defect] = []
    slots: dict[int, dict[str, Any]] = {}
    set_defects: dict[int, list[Defect]] = {}
    groups: tuple[tuple[str, str, list[ArcSeal] | list[ArcMessageSignature] | list[AuthenticationResults]], ...] = (
        ("seal", "seal", seals),
        ("message_signature", "message signature", signatures),
        ("authentication_results", "authentication results", results),
    )
    for kind, field_name, fields in groups:
        for parsed in fields:
            instance = parsed.instance
            if instance is None:
                chain_defects.append(
                    Defect(
                        "arc.instance_missing", f"the ARC {field_name} at header {parsed.header_index} has no usable i="
                    )
                )
                continue
            if not 1 <= instance <= MAX_INSTANCE:
                chain_defects.append(
                    Defect("arc.instance_range", f"i={instance} at header {parsed.header_index} is outside 1..50")
                )
                if instance == 0:
                    continue
            slot = slots.setdefault(instance, {})
            if kind in slot:
                set_defects.setdefault(instance, []).append(
                    Defect(
                        "arc.instance_duplicate", f"two ARC {field_name} fields with i={instance}; the topmost is used"
                    )
                )
                continue
            slot[kind] = parsed
    sets: list[ArcSet] = []
    for instance in sorted(slots):
        slot = slots[instance]
        defects = set_defects.get(instance, [])
        if len(slot) < len(_KINDS):
            missing = [kind.replace("_", " ") for kind in _KINDS if kind not in slot]
            defects.append(Defect("arc.set_incomplete", f"ARC set i={instance} lacks its {', '.join(missing)}"))
        sets.append(
            ArcSet(
                instance=instance,
                seal=slot.get("seal"),
                message_signature=slot.get("message_signature"),
                authentication_results=slot.get("authentication_results"),
                defects=cap_defects(defects, "arc") if defects else (),
            )
        )
    instances = [s.instance for s in sets]
    if instances and instances != list(range(1, len(instances) + 1)):
        chain_defects.append(
            Defect("arc.instance_gap", f"ARC instances {instances[:10]} are not 1..{len(instances)} without gaps")
        )
    return tuple(sets), cap_defects(chain_defects, "arc")
