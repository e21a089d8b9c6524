"""The findings catalogue: stable codes, a documented example for each, evidence on every finding."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mailtrace.trace.model import Evidence
from mailtrace.verdict import CATALOGUE, Indication, Severity, finding
from tests.trace._mail import BORDER, DELIVERED, LMTP, ORIGINATOR, RETURN_PATH, STAMP_FAIL, SUBMISSION, run

DOCS = Path(__file__).resolve().parents[2] / "docs" / "findings.md"
_CODE = re.compile(r"[a-z]+\.[a-z_]+")


def test_every_code_is_dotted_lower_case_and_complete() -> None:
    for code, spec in CATALOGUE.items():
        assert _CODE.fullmatch(code), code
        assert spec.code == code
        assert isinstance(spec.severity, Severity) and isinstance(spec.indicates, Indication)
        assert spec.title and spec.example.endswith((".", ")"))


def test_issue_list_of_findings_is_covered() -> None:
    required = {
        "trace.link_broken",
        "trace.time_backwards",
        "trace.time_future",
        "trace.helo_recipient_domain",
        "trace.helo_ip_mismatch",
        "trace.private_below_border",
        "trace.implausible_hop",
        "auth.spf_fail",
        "auth.spf_softfail",
        "auth.dkim_header_fail",
        "auth.dkim_body_fail",
        "auth.dmarc_fail",
        "header.display_name_address",
        "header.reply_to_unrelated",
        "header.return_path_unrelated",
        "header.message_id_inconsistent",
        "header.date_inconsistent",
        "forwarding.srs",
        "forwarding.arc",
        "forwarding.resent",
        "forwarding.list",
        "forwarding.multiple_deliveries",
        "forwarding.list_modified",
        "auth.stamp_disagreement",
    }
    assert required <= set(CATALOGUE)


def test_docs_page_lists_every_code() -> None:
    if not DOCS.exists():
        pytest.skip("docs/findings.md not present")
    text = DOCS.read_text(encoding="utf-8")
    missing = [code for code in CATALOGUE if f"`{code}`" not in text]
    assert not missing, f"docs/findings.md lacks {missing}"


def test_finding_takes_catalogue_defaults_and_rejects_unknown_codes() -> None:
    f = finding("auth.spf_fail", "SPF fail.", [Evidence(text="x", header="Received-SPF", header_index=3)])
    assert (f.severity, f.indicates, f.title) == (Severity.HIGH, Indication.FORGERY, "SPF fail at the border")
    assert f.to_dict()["evidence"][0] == {"text": "x", "header": "Received-SPF", "header_index": 3, "hop": None}
    assert finding("auth.spf_fail", "x", severity=Severity.LOW).severity is Severity.LOW
    with pytest.raises(KeyError):
        finding("no.such_code", "x")


def test_findings_in_a_report_carry_evidence_and_serialise() -> None:
    report = run(RETURN_PATH, DELIVERED, LMTP, STAMP_FAIL, BORDER, SUBMISSION, *ORIGINATOR)
    data = json.loads(report.to_json())
    spf = next(f for f in data["findings"] if f["code"] == "auth.spf_fail")
    assert spf["severity"] == "high" and spf["indicates"] == "forgery"
    assert spf["evidence"][0]["header"] == "Authentication-Results"
    assert "198.51.100.10" in spf["message"]
    assert data["verdict"]["result"] == "forged"
    assert data["verdict"]["decided_by"] == ["auth.spf_fail", "auth.dmarc_fail"]
    assert data["path"]["border"]["index"] == 1
    assert data["path"]["hops"][-1]["roles"] == ["Receiver", "MDA"]
    severities = [f["severity"] for f in data["findings"]]
    order = ["high", "medium", "low", "info"]
    assert severities == sorted(severities, key=order.index)
