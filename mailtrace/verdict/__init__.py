"""Findings and the verdict.

``judge`` runs the catalogued checks (:mod:`.catalogue`) over the path, the
headers and the authentication evidence, then classifies the message
(:mod:`.classify`). ``docs/findings.md`` lists every finding code.
"""

from __future__ import annotations

from typing import Any

from mailtrace.model.fields import Message
from mailtrace.model.headers import Headers
from mailtrace.model.received import Received
from mailtrace.parse.auth import Authentication
from mailtrace.policy import Policy
from mailtrace.trace.forwarding import forwarding_signals, own_seals
from mailtrace.trace.model import Path
from mailtrace.verdict.catalogue import CATALOGUE, Finding, Indication, Severity, Spec, finding
from mailtrace.verdict.checks_auth import auth_findings, forwarding_findings
from mailtrace.verdict.checks_headers import header_findings
from mailtrace.verdict.checks_trace import trace_findings
from mailtrace.verdict.classify import Verdict, VerdictResult, classify
from mailtrace.verdict.evidence import AuthView, build_view
from mailtrace.verdict.from_identity import FromIdentity, from_identity

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

_ORDER = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2, Severity.INFO: 3}


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
    signals = forwarding_signals(headers, message, own_seals(path))
    view = build_view(verification, authentication, path, policy.trusted_authserv_ids, from_domain)
    findings: list[Finding] = []
    findings.extend(trace_findings(path, received, policy.now, signals.any))
    findings.extend(auth_findings(view, path, verification, signals))
    findings.extend(header_findings(headers, path, signals, identity))
    findings.extend(forwarding_findings(path, signals, view))
    findings.sort(key=lambda f: _ORDER[f.severity])
    verdict = classify(findings, view, path, signals, has_trace=bool(received), from_domain=from_domain)
    return tuple(findings), verdict
