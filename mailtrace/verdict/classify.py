"""The verdict: authentic, forwarded, suspicious, forged or indeterminate, derived from the statements.

The statements (:class:`Parts`: origin, from_authentication, receiver_judgement, mediation,
trace_integrity) are made first (``mailtrace.verdict.judge``); the result follows from them by
the table of ``docs/concepts.md`` ("The verdict as statements"), in order:

1. no trace, no authentication evidence and no receiver judgement: ``indeterminate``;
2. an authentication failure at the border (SPF fail, DKIM failing on its signed headers, DMARC
   fail) that nothing explains: ``forged``. A mediation explains SPF and DMARC failures only
   with evidence from before it (:mod:`.mediation`); an aligned DKIM pass explains an SPF
   failure; the receiver's stamped DMARC pass, a list or forward, or another aligned signature
   explains a DKIM header failure (scenario 29); a failure the stamp and the re-check dispute
   is never decisive; one a mediation without such evidence may have caused goes to rule 4;
3. the trace itself forged with the From: domain not authenticated and no mediation: ``forged``;
4. any other unexplained finding of medium or high severity that indicates forgery or
   suspicion (the receiver's composite failure, display-name spoofing, reply-to hijack,
   softfail, inserted lines, disagreeing evidence): ``suspicious``;
5. mediation ``forwarded``, ``list`` or ``resent``: ``forwarded``;
6. internal mail, or the From: domain authenticated (``aligned_pass``): ``authentic``
   (speaking of the infrastructure only: the verdict names the domain);
7. otherwise ``indeterminate`` (an ``unaligned_pass`` names who did authenticate).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from mailtrace.model.frozen import fast_init, fast_maker
from mailtrace.trace.forwarding import ForwardingSignals
from mailtrace.trace.hosts import org_domain, same_org
from mailtrace.trace.model import Path
from mailtrace.verdict.catalogue import Finding, Indication, Severity
from mailtrace.verdict.evidence import AuthView
from mailtrace.verdict.from_auth import ALIGNED_PASS, FAIL, UNALIGNED_PASS, FromAuthentication
from mailtrace.verdict.integrity import TraceIntegrity
from mailtrace.verdict.mediation import Mediation
from mailtrace.verdict.origin import Origin
from mailtrace.verdict.receiver import ReceiverJudgement


class VerdictResult(StrEnum):
    AUTHENTIC = "authentic"
    FORWARDED = "forwarded"
    SUSPICIOUS = "suspicious"
    FORGED = "forged"
    INDETERMINATE = "indeterminate"


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Verdict:
    """The overall classification and the reasons that decided it."""

    result: VerdictResult
    reasons: tuple[str, ...]
    decided_by: tuple[str, ...] = ()  #: finding codes the decision rests on
    evidence_source: str = "none"  #: ``stamped by <authserv-id>``, ``re-verification``, or ``none``
    domain: str | None = None  #: the From: domain the verdict speaks for
    explained: tuple[str, ...] = ()  #: failures that mediation explains (codes)
    parts: Parts | None = None  #: the statements the result is derived from

    def to_dict(self) -> dict[str, Any]:
        p = self.parts
        return {
            "result": self.result.value,
            "reasons": list(self.reasons),
            "decided_by": list(self.decided_by),
            "evidence_source": self.evidence_source,
            "domain": self.domain,
            "explained": list(self.explained),
            "origin": None if p is None or p.origin is None else p.origin.to_dict(),
            "from_authentication": None if p is None else p.from_auth.to_dict(),
            "receiver_judgement": None if p is None or p.receiver is None else p.receiver.to_dict(),
            "mediation": None if p is None else p.mediation.to_dict(),
            "trace_integrity": None if p is None else p.integrity.to_dict(),
        }


_AUTH_FAIL = ("auth.spf_fail", "auth.dkim_header_fail", "auth.dmarc_fail")
#: Weaker failures: explained by the same evidence as a fail, suspicious (never forged) otherwise.
_AUTH_WEAK = ("auth.spf_softfail", "auth.compauth_fail")
_HEAVY = (Severity.MEDIUM, Severity.HIGH)
_TRACE_SOFT = ("trace.link_broken", "trace.time_backwards", "trace.implausible_hop")


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Parts:
    """The verdict's statements, from which :func:`classify` derives the result."""

    origin: Origin | None
    from_auth: FromAuthentication
    receiver: ReceiverJudgement | None
    mediation: Mediation
    integrity: TraceIntegrity


#: ``Verdict(...)`` with every field given in order (one per message; tests/verdict/test_verdict_round8_speedpaths.py).
_make_verdict: Callable[..., Verdict] = fast_maker(Verdict)


def classify(
    findings: Sequence[Finding],
    view: AuthView,
    path: Path,
    signals: ForwardingSignals,
    *,
    has_trace: bool,
    from_domain: str | None,
    parts: Parts,
) -> Verdict:
    """The result by the table of ``docs/concepts.md`` ("The verdict as statements")."""
    by_code: dict[str, Finding] = {}
    for f in findings:
        by_code.setdefault(f.code, f)
    source = _source(view)
    fa, med = parts.from_auth, parts.mediation

    def verdict(result: VerdictResult, reasons: list[str], codes: list[str], explained: Sequence[str] = ()) -> Verdict:
        # every field in order: result, reasons, decided_by, evidence_source, domain, explained, parts
        return _make_verdict(
            result, (*reasons, *view.set_aside), tuple(codes), source, from_domain, tuple(explained), parts
        )

    if not has_trace and not view.any and (parts.receiver is None or not parts.receiver.any):
        return verdict(
            VerdictResult.INDETERMINATE,
            ["No Received: lines and no authentication evidence to judge."],
            ["trace.no_received"],
        )
    aligned_dkim = any(d.result == "pass" and d.aligned for d in view.dkim)
    authenticity = fa.status == ALIGNED_PASS
    receiver_pass = authenticity and (
        (parts.receiver is not None and parts.receiver.passes_from)
        or (view.dmarc is not None and view.dmarc.result == "pass" and view.dmarc.source != "re-verification")
    )
    disputed = "auth.stamp_disagreement" in by_code
    relayed = "trace.open_relay" in by_code
    mediated = med.mediated
    explained: list[str] = []
    unexplained: list[str] = []
    for code in _AUTH_FAIL:
        if code not in by_code:
            continue
        if (
            code in med.explains
            or (code == "auth.spf_fail" and (aligned_dkim or relayed))
            or (code == "auth.dmarc_fail" and relayed)
            or (
                code == "auth.dkim_header_fail" and (med.kind in ("list", "forwarded") or aligned_dkim or receiver_pass)
            )
            or disputed
        ):
            explained.append(code)
        else:
            unexplained.append(code)
    for code in _AUTH_WEAK:
        if code in by_code and (code in med.explains or (code == "auth.spf_softfail" and (aligned_dkim or relayed))):
            explained.append(code)
    exp_reasons = [f"{by_code[c].title} is explained by {_why(c, med, relayed)}." for c in explained]
    # a mediation with no evidence from before it: the failure may be the mediator's or the author's; suspicious
    open_question = [c for c in unexplained if mediated and med.before is None and c in med.unexplained]
    unexplained = [c for c in unexplained if c not in open_question]
    if unexplained:
        reasons = [by_code[c].message for c in unexplained]
        if med.note and med.unexplained:
            reasons.append(med.note)
        elif not mediated:
            reasons.append("No mediation (forwarder, list, Resent-*) explains the failure.")
        return verdict(VerdictResult.FORGED, reasons + exp_reasons, unexplained, explained)
    if parts.integrity.status == "forged" and not authenticity and not mediated:
        reasons = [by_code[c].message for c in parts.integrity.findings if c in by_code]
        reasons.append("Nothing authenticates the From: domain and nothing suggests mediation.")
        return verdict(VerdictResult.FORGED, reasons, list(parts.integrity.findings), explained)
    suspicious = [
        f
        for f in findings
        if f.severity in _HEAVY
        and f.indicates in (Indication.FORGERY, Indication.SUSPICION)
        and f.code not in explained
        and not (authenticity and f.code in _TRACE_SOFT)
    ]
    if suspicious:
        codes = list(dict.fromkeys(f.code for f in suspicious))
        reasons = [f.message for f in suspicious[:6]]
        if disputed:
            reasons.append(_dispute_note(view))
        if mediated and med.note and any(c in med.unexplained for c in codes):
            reasons.append(med.note)
        return verdict(VerdictResult.SUSPICIOUS, reasons + exp_reasons, codes, explained)
    if mediated:
        codes = [f.code for f in findings if f.indicates is Indication.FORWARDING]
        reasons = [by_code[c].message for c in dict.fromkeys(codes) if c in by_code][:5]
        if not reasons:
            reasons = [f"Mediated ({med.kind})" + (f" by {', '.join(med.by)}" if med.by else "") + "."]
        if med.note:
            reasons.append(med.note)
        return verdict(VerdictResult.FORWARDED, reasons + exp_reasons, list(dict.fromkeys(codes)), explained)
    if path.internal and fa.status != FAIL:
        return verdict(
            VerdictResult.AUTHENTIC,
            [by_code["trace.internal"].message if "trace.internal" in by_code else "Internal mail: no border crossed."],
            ["trace.internal"],
            explained,
        )
    if authenticity:
        codes = [c for c in ("auth.spf_pass", "auth.dkim_pass", "auth.dmarc_pass") if c in by_code]
        reasons = [fa.summary]
        if from_domain:
            reasons.append(f"Authentic speaks of the infrastructure only: the mail comes from {from_domain}'s systems.")
        return verdict(VerdictResult.AUTHENTIC, reasons + exp_reasons, codes or ["from_authentication"], explained)
    if fa.status == UNALIGNED_PASS:
        codes = [c for c in ("auth.unaligned_pass",) if c in by_code]
        return verdict(VerdictResult.INDETERMINATE, [fa.summary, *exp_reasons], codes, explained)
    reasons = [
        "No authentication evidence decides either way: no SPF, DKIM or DMARC result other than none, stamped at the "
        "border or re-checked."
    ]
    if "auth.none" not in by_code and view.any:
        reasons = ["The authentication evidence neither passes nor fails decisively."]
    return verdict(VerdictResult.INDETERMINATE, reasons, [c for c in ("auth.none",) if c in by_code], explained)


def _why(code: str, med: Mediation, relayed: bool) -> str:
    if code in med.explains and med.before is not None:
        return f"the mediation ({med.kind}), as evidence from before it shows ({med.before.source})"
    if relayed and not med.mediated:
        return "the third-party relay"
    return "another passing check or the mediation"


def corroborated_forwarding(path: Path, signals: ForwardingSignals) -> bool:
    """Forwarding evidence strong enough to explain failures and to call a message ``forwarded``.

    ``List-*`` fields alone are trivially forged; they count when the trace
    agrees: a second crossing, or the client at the recipient's border (or the
    envelope sender in ``Return-Path``, the list's bounce address) in the list's
    organisation. SRS, ARC, ``Resent-*`` and
    several ``Delivered-To`` count on their own.
    """
    if signals.srs or signals.arc or signals.resent or signals.deliveries or len(path.borders) > 1:
        return True
    if not signals.lists:
        return False
    border = path.border
    client_org = org_domain(border.client) if border is not None else None
    return any(same_org(client_org, d) or same_org(signals.return_path_domain, d) for d in signals.list_domains)


def _source(view: AuthView) -> str:
    if view.rechecked and any(o.source == "re-verification" for o in (view.spf, view.dmarc, *view.dkim) if o):
        return "re-verification" + (f" and {view.trusted_authserv}" if view.trusted_authserv else "")
    return view.trusted_authserv or "none"


def _dispute_note(view: AuthView) -> str:
    return (
        "The receiver's stamp and the re-check disagree: the verdict uses the re-check's cryptographic DKIM result "
        "and the stamp for SPF and DMARC, and does not call the message forged on disputed evidence."
    )
