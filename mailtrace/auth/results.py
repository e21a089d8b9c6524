"""Typed results of re-verification: the words of RFC 7208, RFC 6376, RFC 8617 and RFC 7489.

Every result is a :class:`~enum.StrEnum` spelled as the RFC spells it, plus
documented extras: ``not_checked`` (no resolver, or nothing to check) and
DKIM's finer-grained failure words (see :class:`DkimResult`). Each model has
``to_dict()`` for the JSON report (``verification`` key).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from mailtrace.defects import Defect, defects_to_list
from mailtrace.model.frozen import fast_init


class SpfResult(StrEnum):
    """RFC 7208 section 2.6 results, plus ``not_checked``."""

    PASS = "pass"
    FAIL = "fail"
    SOFTFAIL = "softfail"
    NEUTRAL = "neutral"
    NONE = "none"
    TEMPERROR = "temperror"
    PERMERROR = "permerror"
    NOT_CHECKED = "not_checked"


class DkimResult(StrEnum):
    """One DKIM signature's outcome (RFC 6376 section 6.1, split by cause).

    ``pass``; ``body_hash_mismatch`` (``bh=`` differs: the body changed);
    ``signature_mismatch`` (``b=`` does not verify: a signed header changed
    or the key does not match); ``key_unavailable`` (NXDOMAIN, NODATA or an
    empty record: unverifiable now, not forged); ``key_revoked`` (``p=``
    empty, RFC 6376 section 3.6.1); ``expired`` (``x=`` before the analysis
    clock); ``temperror`` (DNS timeout or SERVFAIL); ``permerror`` (a
    malformed signature or key record); ``key_too_large`` (an RSA key above
    ``Limits.max_rsa_key_bits`` or with an exponent above 2**32 + 1, refused
    before any verification: its cost is the attack); ``not_checked`` (no
    resolver, or past ``Limits.max_dkim_signatures`` or the CPU budget).
    """

    PASS = "pass"
    BODY_HASH_MISMATCH = "body_hash_mismatch"
    SIGNATURE_MISMATCH = "signature_mismatch"
    KEY_UNAVAILABLE = "key_unavailable"
    KEY_REVOKED = "key_revoked"
    EXPIRED = "expired"
    TEMPERROR = "temperror"
    PERMERROR = "permerror"
    KEY_TOO_LARGE = "key_too_large"
    NOT_CHECKED = "not_checked"


class ArcResult(StrEnum):
    """RFC 8617 chain validation status (``cv``), plus ``temperror`` and ``not_checked``."""

    PASS = "pass"
    FAIL = "fail"
    NONE = "none"
    TEMPERROR = "temperror"
    NOT_CHECKED = "not_checked"


class DmarcResult(StrEnum):
    """RFC 7489 section 11.2 results, plus ``not_checked``."""

    PASS = "pass"
    FAIL = "fail"
    NONE = "none"
    TEMPERROR = "temperror"
    PERMERROR = "permerror"
    NOT_CHECKED = "not_checked"


class Agreement(StrEnum):
    """How a stamped result compares with the re-check."""

    AGREE = "agree"
    DISAGREE = "disagree"
    UNVERIFIABLE_NOW = "unverifiable_now"  #: the re-check could not reach the evidence (key gone, DNS failure)
    NOT_RECHECKED = "not_rechecked"


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class SpfCheck:
    """RFC 7208 ``check_host()`` for the border client IP and the envelope sender."""

    result: SpfResult
    ip: str | None = None
    mail_from: str | None = None
    helo: str | None = None
    identity: str | None = None  #: "mailfrom" or "helo" (null sender: RFC 7208 section 2.4)
    domain: str | None = None
    mechanism: str | None = None
    lookups: int = 0  #: DNS-querying terms counted against RFC 7208 section 4.6.4's limit of 10
    dns_queries: int = 0  #: DNS questions actually asked
    explanation: str | None = None
    border_note: str | None = None  #: how the client IP was chosen
    defects: tuple[Defect, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "result": self.result.value,
            "ip": self.ip,
            "mail_from": self.mail_from,
            "helo": self.helo,
            "identity": self.identity,
            "domain": self.domain,
            "mechanism": self.mechanism,
            "lookups": self.lookups,
            "dns_queries": self.dns_queries,
            "explanation": self.explanation,
            "border_note": self.border_note,
            "defects": defects_to_list(self.defects),
        }


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class DkimCheck:
    """One ``DKIM-Signature`` re-verified (RFC 6376 section 6)."""

    result: DkimResult
    header_index: int | None = None
    domain: str | None = None
    selector: str | None = None
    algorithm: str | None = None
    canonicalization: str | None = None
    signed_headers: tuple[str, ...] = ()
    body_length: int | None = None  #: ``l=``; a body-length limit lets anyone append content
    identity: str | None = None
    timestamp: int | None = None
    expiration: int | None = None
    key_type: str | None = None
    key_bits: int | None = None
    key_fingerprint: str | None = None  #: ``sha256:`` + hex of the decoded ``p=``
    reason: str | None = None
    defects: tuple[Defect, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "domain": self.domain,
            "selector": self.selector,
            "algorithm": self.algorithm,
            "result": self.result.value,
            "key_bits": self.key_bits,
            "reason": self.reason,
            "header_index": self.header_index,
            "canonicalization": self.canonicalization,
            "signed_headers": list(self.signed_headers),
            "body_length": self.body_length,
            "identity": self.identity,
            "timestamp": self.timestamp,
            "expiration": self.expiration,
            "key_type": self.key_type,
            "key_fingerprint": self.key_fingerprint,
            "defects": defects_to_list(self.defects),
        }


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class ArcInstance:
    """One ARC set (RFC 8617 section 4.1) as validated."""

    instance: int
    seal_domain: str | None = None
    seal_selector: str | None = None
    seal: ArcResult = ArcResult.NOT_CHECKED  #: ARC-Seal signature: pass / fail
    message_signature_domain: str | None = None
    message_signature_selector: str | None = None
    message_signature: ArcResult = ArcResult.NOT_CHECKED  #: ARC-Message-Signature: pass / fail
    cv: str | None = None  #: the ``cv=`` this instance's sealer claimed
    authentication_results: str | None = None  #: the ARC-Authentication-Results recorded by this instance

    def to_dict(self) -> dict[str, Any]:
        return {
            "instance": self.instance,
            "seal": self.seal.value,
            "seal_domain": self.seal_domain,
            "seal_selector": self.seal_selector,
            "message_signature": self.message_signature.value,
            "message_signature_domain": self.message_signature_domain,
            "message_signature_selector": self.message_signature_selector,
            "cv": self.cv,
            "authentication_results": self.authentication_results,
        }


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class ArcCheck:
    """The ARC chain's validation status (RFC 8617 section 5.2)."""

    cv: ArcResult
    reason: str | None = None
    instances: tuple[ArcInstance, ...] = ()
    defects: tuple[Defect, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "cv": self.cv.value,
            "reason": self.reason,
            "instances": [i.to_dict() for i in self.instances],
            "defects": defects_to_list(self.defects),
        }


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class DmarcCheck:
    """RFC 7489 evaluation for the ``From:`` domain."""

    result: DmarcResult
    domain: str | None = None  #: the RFC5322.From domain
    organizational_domain: str | None = None
    record_domain: str | None = None  #: where the policy record was found
    record: str | None = None
    policy: str | None = None  #: the policy that applies (``sp=`` for a subdomain when given)
    requested_policy: str | None = None  #: ``p=``
    subdomain_policy: str | None = None  #: ``sp=``
    pct: int | None = None
    adkim: str | None = None
    aspf: str | None = None
    spf_aligned: bool | None = None
    dkim_aligned: bool | None = None
    dkim_domain: str | None = None  #: the aligned passing ``d=``, if any
    reason: str | None = None
    defects: tuple[Defect, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "result": self.result.value,
            "domain": self.domain,
            "policy": self.policy,
            "spf_aligned": self.spf_aligned,
            "dkim_aligned": self.dkim_aligned,
            "organizational_domain": self.organizational_domain,
            "record_domain": self.record_domain,
            "record": self.record,
            "requested_policy": self.requested_policy,
            "subdomain_policy": self.subdomain_policy,
            "pct": self.pct,
            "adkim": self.adkim,
            "aspf": self.aspf,
            "dkim_domain": self.dkim_domain,
            "reason": self.reason,
            "defects": defects_to_list(self.defects),
        }


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class StampedResult:
    """One method result from an ``Authentication-Results`` field (RFC 8601)."""

    header_index: int
    authserv_id: str | None
    method: str
    result: str
    reason: str | None = None
    properties: tuple[tuple[str, str, str], ...] = ()

    def get(self, ptype: str, prop: str) -> str | None:
        for t, p, v in self.properties:
            if t.lower() == ptype and p.lower() == prop:
                return v
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "header_index": self.header_index,
            "authserv_id": self.authserv_id,
            "method": self.method,
            "result": self.result,
            "reason": self.reason,
            "properties": {f"{t}.{p}": v for t, p, v in self.properties},
        }


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Comparison:
    """A stamped result next to the re-check of the same thing."""

    method: str
    subject: str | None  #: e.g. the DKIM ``d=`` / SPF identity compared
    stamped: str
    rechecked: str
    agreement: Agreement
    note: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "subject": self.subject,
            "stamped": self.stamped,
            "rechecked": self.rechecked,
            "agreement": self.agreement.value,
            "note": self.note,
        }


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Stamped:
    """What the receiving side wrote at delivery, and how it compares with the re-check.

    ``authserv_id`` / ``header_index`` name the ``Authentication-Results``
    field taken as the receiver's (a trusted authserv-id from the policy, or
    else the topmost field; ``chosen_by`` says which). ``results`` are that
    field's results; ``others`` every other A-R result in the message (not
    trusted: anyone upstream can write one). ``disagreements`` is the subset
    of ``comparisons`` whose agreement is not ``agree``.
    """

    authserv_id: str | None = None
    header_index: int | None = None
    chosen_by: str | None = None
    results: tuple[StampedResult, ...] = ()
    others: tuple[StampedResult, ...] = ()
    comparisons: tuple[Comparison, ...] = ()

    @property
    def disagreements(self) -> tuple[Comparison, ...]:
        return tuple(c for c in self.comparisons if c.agreement not in (Agreement.AGREE, Agreement.NOT_RECHECKED))

    def to_dict(self) -> dict[str, Any]:
        return {
            "authserv_id": self.authserv_id,
            "header_index": self.header_index,
            "chosen_by": self.chosen_by,
            "results": [r.to_dict() for r in self.results],
            "others": [r.to_dict() for r in self.others],
            "comparisons": [c.to_dict() for c in self.comparisons],
            "disagreements": [c.to_dict() for c in self.disagreements],
        }


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class DnsUsage:
    """The DNS work one verification did, against its bounds."""

    lookups: int = 0
    max_lookups: int = 0
    time_budget: float = 0.0
    refused: int = 0  #: questions refused because a bound was reached
    #: what answered, in words: ``live DNS, now``, ``DNS replayed from FILE``, ``offline zone FILE``.
    #: A fact of the run, not of the message: the text report titles its re-verification with it,
    #: and it stays out of ``to_dict`` so that a replay reproduces the recorded JSON byte for byte.
    resolver: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "lookups": self.lookups,
            "max_lookups": self.max_lookups,
            "time_budget": self.time_budget,
            "refused": self.refused,
        }


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Verification:
    """Everything re-verified for one message (the report's ``verification`` key)."""

    spf: SpfCheck
    dkim: tuple[DkimCheck, ...]
    arc: ArcCheck
    dmarc: DmarcCheck
    stamped: Stamped
    checked: bool = False  #: False when no resolver was given (everything ``not_checked``)
    dns: DnsUsage = DnsUsage()
    defects: tuple[Defect, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "checked": self.checked,
            "spf": self.spf.to_dict(),
            "dkim": [d.to_dict() for d in self.dkim],
            "arc": self.arc.to_dict(),
            "dmarc": self.dmarc.to_dict(),
            "stamped": self.stamped.to_dict(),
            "dns": self.dns.to_dict(),
            "defects": defects_to_list(self.defects),
        }
