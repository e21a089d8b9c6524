"""Can the trace be believed? (``verdict.trace_integrity``)

``forged``: the trace itself is forged (a HELO claiming the recipient's domain, the recipient's own
relays claimed below the border); ``suspect``: a trace finding of medium or high severity that
points to forgery or suspicion (a broken link the rest of the evidence agrees with, time going
backwards beyond clock skew, an implausible line, an open relay, a HELO literal that is not the
client's address); ``consistent`` otherwise. The findings behind it are listed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from mailtrace.model.frozen import fast_init
from mailtrace.verdict.catalogue import Finding, Indication, Severity

CONSISTENT = "consistent"
SUSPECT = "suspect"
FORGED = "forged"

#: Trace findings that show the trace itself forged.
TRACE_FORGED = ("trace.helo_recipient_domain", "trace.claims_recipient_relay")


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class TraceIntegrity:
    status: str
    findings: tuple[str, ...] = ()
    summary: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "findings": list(self.findings), "summary": self.summary}


#: The usual reading, shared (immutable): no trace finding shows the trace forged or suspect.
_CONSISTENT = TraceIntegrity(status=CONSISTENT, summary="The trace is consistent: every line fits the ones around it.")
#: The severities and indications of a finding that makes the trace suspect.
_HEAVY = (Severity.MEDIUM, Severity.HIGH)
_POINTS = (Indication.FORGERY, Indication.SUSPICION)


def trace_integrity(findings: Sequence[Finding]) -> TraceIntegrity:
    # one pass: most messages have no finding that counts (tests/verdict/test_verdict_round8_speedpaths.py)
    forged: list[str] = []
    suspect: list[Finding] = []
    for f in findings:
        code = f.code
        if code in TRACE_FORGED:
            forged.append(code)
        elif code.startswith("trace.") and f.severity in _HEAVY and f.indicates in _POINTS:
            suspect.append(f)
    if forged:
        codes = tuple(dict.fromkeys(forged))
        return TraceIntegrity(
            status=FORGED,
            findings=codes,
            summary="The trace is forged: " + "; ".join(f.message for f in findings if f.code in codes)[:600],
        )
    if suspect:
        return TraceIntegrity(
            status=SUSPECT,
            findings=tuple(dict.fromkeys(f.code for f in suspect)),
            summary="The trace is suspect: " + " ".join(f.message for f in suspect[:3])[:600],
        )
    return _CONSISTENT
