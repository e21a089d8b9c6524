"""Round 8's verdict fast paths give exactly what the code they replaced gives.

- ``trace_integrity`` reads the findings in one pass and shares the ``consistent`` reading; it must equal the
  two-list reading it replaced (:func:`_reference_integrity`) for any findings.
- ``make_evidence`` and the stamps' ``_make_outcome`` (``fast_maker``, every field in order) build the objects the
  keyword constructors build.
- ``classify`` builds its ``Verdict`` with ``_make_verdict``: the keyword constructor's object.
- ``from_identity._duplicate_from`` answers an empty defect list without a generator: the same answer.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mailtrace
from mailtrace.defects import Defect
from mailtrace.model.headers import Headers
from mailtrace.trace.model import Evidence, make_evidence
from mailtrace.verdict.catalogue import CATALOGUE, Finding, Indication, Severity, finding
from mailtrace.verdict.evidence import Outcome, _make_outcome
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


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=20), st.none() | st.text(max_size=8), st.none() | st.integers(), st.none() | st.integers())
def test_make_evidence_equals_the_constructor(
    text: str, header: str | None, index: int | None, hop: int | None
) -> None:
    made = make_evidence(text, header, index, hop)
    assert type(made) is Evidence and made == Evidence(text=text, header=header, header_index=index, hop=hop)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["spf", "dkim", "dmarc", "arc"]),
    st.text(max_size=8),
    st.none() | st.text(max_size=8),
    st.text(max_size=8),
    st.none() | st.booleans(),
    st.none() | st.sampled_from(["mailfrom", "helo"]),
)
def test_make_outcome_equals_the_constructor(
    method: str, result: str, domain: str | None, source: str, aligned: bool | None, identity: str | None
) -> None:
    ev = Evidence(text="t", header="Authentication-Results", header_index=1)
    made = _make_outcome(method, result, domain, source, ev, aligned, identity)
    expected = Outcome(
        method=method, result=result, domain=domain, source=source, evidence=ev, aligned=aligned, identity=identity
    )
    assert type(made) is Outcome and made == expected


fi = importlib.import_module("mailtrace.verdict.from_identity")


@given(
    st.lists(st.sampled_from(["header.duplicate", "header.other"]), max_size=3), st.sampled_from(["2 from fields", "x"])
)
def test_duplicate_from_equals_the_generator_reading(codes: list[str], text: str) -> None:
    headers = Headers(defects=tuple(Defect(c, text) for c in codes))
    expected = any(d.code == "header.duplicate" and " from fields" in d.message for d in headers.defects)
    assert fi._duplicate_from(headers) is expected


def test_make_verdict_equals_the_constructor() -> None:
    from mailtrace.verdict.classify import Verdict, VerdictResult, _make_verdict

    for result in VerdictResult:
        made = _make_verdict(result, ("r",), ("c",), "none", "a.example", ("e",), None)
        expected = Verdict(
            result=result,
            reasons=("r",),
            decided_by=("c",),
            evidence_source="none",
            domain="a.example",
            explained=("e",),
            parts=None,
        )
        assert type(made) is Verdict and made == expected and made.to_dict() == expected.to_dict()


@pytest.mark.skipif(mailtrace.__compiled__, reason="compiled fields check their types: the markers are no field's type")
def test_every_round8_maker_fills_the_fields_in_order() -> None:
    """Each maker stores its i-th argument in the class's i-th field, and the object is of the class."""
    import dataclasses

    from mailtrace.auth import dkim, spf
    from mailtrace.verdict import _make_parts, catalogue

    verify = importlib.import_module("mailtrace.auth.verify")  # the packages export functions of these names
    classify = importlib.import_module("mailtrace.verdict.classify")
    evidence = importlib.import_module("mailtrace.verdict.evidence")
    from_auth = importlib.import_module("mailtrace.verdict.from_auth")
    mediation = importlib.import_module("mailtrace.verdict.mediation")
    origin = importlib.import_module("mailtrace.verdict.origin")
    makers = [
        (make_evidence, Evidence),
        (catalogue._make_finding, Finding),
        (evidence._make_outcome, Outcome),
        (evidence._make_view, evidence.AuthView),
        (classify._make_verdict, classify.Verdict),
        (_make_parts, classify.Parts),
        (fi._make_identity, fi.FromIdentity),
        (from_auth._make_statement, from_auth.FromAuthentication),
        (mediation._make_mediation, mediation.Mediation),
        (origin._make_origin, origin.Origin),
        (dkim._make_check, dkim.DkimCheck),
        (spf._make_spf, spf.SpfCheck),
        (verify._make_dmarc, verify.DmarcCheck),
        (verify._make_verification, verify.Verification),
    ]
    for maker, cls in makers:
        names = [f.name for f in dataclasses.fields(cls)]
        values = [object() for _ in names]
        made = maker(*values)
        assert type(made) is cls
        assert all(getattr(made, name) is value for name, value in zip(names, values, strict=True)), cls
