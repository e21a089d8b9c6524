"""Findings and the verdict.

``judge`` runs the catalogued checks (:mod:`.catalogue`) over the path, the
headers and the authentication evidence, then classifies the message
(:mod:`.classify`). ``docs/findings.md`` lists every finding code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mailtrace.model.fields import Message
from mailtrace.model.frozen import fast_maker
from mailtrace.model.headers import Headers
from mailtrace.model.received import Received
from mailtrace.parse.addresses import parse_address_list
from mailtrace.parse.auth import Authentication
from mailtrace.policy import Policy
from mailtrace.trace.forwarding import forwarding_signals, own_seals
from mailtrace.trace.model import Path
from mailtrace.verdict.catalogue import CATALOGUE, Finding, Indication, Severity, Spec, finding
from mailtrace.verdict.checks_auth import auth_findings, forwarding_findings
from mailtrace.verdict.checks_headers import header_findings, unregistrable_from
from mailtrace.verdict.checks_statements import statement_findings
from mailtrace.verdict.checks_trace import trace_findings
from mailtrace.verdict.classify import Parts, Verdict, VerdictResult, classify, corroborated_forwarding
from mailtrace.verdict.evidence import AuthView, build_view, trusted_results
from mailtrace.verdict.from_auth import ALIGNED_PASS, from_authentication, identities
from mailtrace.verdict.from_identity import FromIdentity, from_identity
from mailtrace.verdict.integrity import trace_integrity
from mailtrace.verdict.mediation import mediation
from mailtrace.verdict.origin import origin
from mailtrace.verdict.receiver import receiver_judgement

__all__ = [
    "CATALOGUE",
    "AuthView",
    "Finding",
    "FromIdentity",
    "Indication",
    "Severity",
    "Spec",
    "Verdict",
    "VerdictResult",
    "finding",
    "from_identity",
    "judge",
]

#: ``Parts(...)`` with every field given in order (one per message).
_make_parts: Callable[[Any, Any, Any, Any, Any], Parts] = fast_maker(Parts)
#: Severities, highest first: findings are grouped in this order, keeping their order within a severity.
_ORDER = (Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.INFO)


def original_from(message: Message) -> frozenset[str]:
    """The addresses of ``X-Original-From:`` (where a list that rewrote From: keeps the author), lower case."""
    out: set[str] = set()
    for f in message.get_all("X-Original-From")[:4]:
        out.update((a.address or "").lower() for a in parse_address_list(f.value[:2048])[0] if a.address)
    return frozenset(out)


def judge(
    *,
    message: Message,
    headers: Headers,
    received: tuple[Received, ...],
    authentication: Authentication,
    path: Any,
    verification: Any,
    policy: Policy,
) -> tuple[tuple[Finding, ...], Verdict | None]:
    """Return ``(findings, verdict)``; findings sorted by severity, highest first."""
    if not isinstance(path, Path):
        return (), None
    identity = from_identity(headers)  # From: as receivers read it (issue 14), not the first RFC 5322 mailbox
    from_domain = identity.domain
    seals = own_seals(path)  # ARC sets that record no intermediary
    signals = forwarding_signals(headers, message, seals)
    trusted = trusted_results(authentication, path, policy.trusted_authserv_ids)  # the receiver's stamps
    view = build_view(verification, authentication, path, policy.trusted_authserv_ids, from_domain, trusted)
    findings: list[Finding] = []
    findings.extend(trace_findings(path, received, policy.now, signals.any))
    findings.extend(auth_findings(view, path, verification, signals))
    findings.extend(header_findings(headers, path, signals, identity, original_from(message)))
    findings.extend(forwarding_findings(path, signals, view))
    judgement = receiver_judgement(authentication, message, path, policy.trusted_authserv_ids, from_domain, trusted)
    idents = identities(view.spf, view.dkim, from_domain)  # the same list for the From: statement and the origin
    fa = from_authentication(view, verification, judgement, path, from_domain, identity.displayed, idents)
    findings.extend(unregistrable_from(identity, path, fa.status == ALIGNED_PASS))
    findings = statement_findings(findings, view, fa, judgement)
    med = mediation(
        path=path,
        signals=signals,
        headers=headers,
        message=message,
        authentication=authentication,
        view=view,
        from_domain=from_domain,
        corroborated=corroborated_forwarding(path, signals),
        failures=[f.code for f in findings],
        seals=seals,
    )
    findings = [f for severity in _ORDER for f in findings if f.severity is severity]  # a stable sort
    # every field in order: origin, from_auth, receiver, mediation, integrity
    parts = _make_parts(
        origin(path, received, view, from_domain, idents), fa, judgement, med, trace_integrity(findings)
    )
    verdict = classify(findings, view, path, signals, has_trace=bool(received), from_domain=from_domain, parts=parts)
    return tuple(findings), verdict
