"""Round 8's verdict fast paths give exactly what the code they replaced gives.

- ``trace_integrity`` reads the findings in one pass and shares the ``consistent`` reading; it must equal the
  two-list reading it replaced (:func:`_reference_integrity`) for any findings.
"""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from mailtrace.verdict.catalogue import CATALOGUE, Finding, Indication, Severity, finding
from mailtrace.verdict.integrity import CONSISTENT, FORGED, SUSPECT, TRACE_FORGED, TraceIntegrity, trace_integrity


def _reference_integrity(findings: Sequence[Finding]) -> TraceIntegrity:
    """``trace_integrity`` as it was before round 8."""
    forged = [f.code for f in findings if f.code in TRACE_FORGED]
    if forged:
        codes = tuple(dict.fromkeys(forged))
        return TraceIntegrity(
            status=FORGED,
            findings=codes,
            summary="The trace is forged: " + "; ".join(f.message for f in findings if f.code in codes)[:600],
        )
    suspect = [
        f
        for f in findings
        if f.code.startswith("trace.")
        and f.severity in (Severity.MEDIUM, Severity.HIGH)
        and f.indicates in (Indication.FORGERY, Indication.SUSPICION)
    ]
    if suspect:
        return TraceIntegrity(
            status=SUSPECT,
            findings=tuple(dict.fromkeys(f.code for f in suspect)),
            summary="The trace is suspect: " + " ".join(f.message for f in suspect[:3])[:600],
        )
    return TraceIntegrity(status=CONSISTENT, summary="The trace is consistent: every line fits the ones around it.")


_FINDINGS = st.lists(
    st.builds(
        lambda code, message, severity: finding(code, message, severity=severity),
        st.sampled_from(sorted(CATALOGUE)),
        st.text(max_size=300),
        st.none() | st.sampled_from(list(Severity)),
    ),
    max_size=8,
)


@settings(max_examples=400, deadline=None)
@given(_FINDINGS)
def test_trace_integrity_equals_the_two_list_reading(findings: list[Finding]) -> None:
    assert trace_integrity(findings) == _reference_integrity(findings)


def test_trace_integrity_of_no_finding_is_consistent() -> None:
    assert trace_integrity([]) == _reference_integrity([]) and trace_integrity([]).status == CONSISTENT
