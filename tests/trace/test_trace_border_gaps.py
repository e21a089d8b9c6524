"""Border gaps found by the fixtures collection: a missing crossing line, and a receiver stamp naming a lower
hop's client (the author's router) while the stamping host's own crossing line names another client."""

from __future__ import annotations

from pathlib import Path

from mailtrace import analyze
from mailtrace.policy import Policy
from mailtrace.testing import Scenario, build_message
from mailtrace.testing.collection import open_collection
from mailtrace.trace.model import BorderMethod
from tests.trace._mail import BORDER, DELIVERED, LMTP, ORIGINATOR, RETURN_PATH, SUBMISSION, run

PLAIN = "Author ==> MSA/Transmitter --> / --> Receiver/MDA ==> Recipient"
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def codes(report: object) -> set[str]:
    return {f.code for f in getattr(report, "findings", ())}


def test_crossing_line_missing_fixture_reads_the_submission_below_the_gap_as_author_msa() -> None:
    report = open_collection(FIXTURES)["scenarios/crossing-line-missing"].analyze()
    assert report.path.notation == PLAIN
    border = report.path.border
    assert border is not None and (border.index, border.ip) == (1, "198.51.100.10")
    assert not any(h.claim for h in report.path.hops)  # the gap explains the broken link: no claims
    assert "trace.crossing_line_missing" in codes(report)
    assert str(report.verdict.result) == "authentic"


def test_crossing_line_missing_without_recipient_internal_hop_names_no_recipient_host_as_sender() -> None:
    built = build_message(PLAIN, scenario=Scenario(crossing_line_missing=True))
    report = built.analyze()
    border = report.path.border
    assert border is not None and border.index == 0 and border.ip == "198.51.100.10"
    # the MSA is not split from a "Transmitter" named after the recipient's own MX
    assert report.path.notation == PLAIN
    assert "trace.helo_recipient_domain" not in codes(report)
    assert "trace.crossing_line_missing" in codes(report)
    assert str(report.verdict.result) == "authentic"


def test_stamp_naming_the_authors_router_keeps_the_border_at_the_stamping_hosts_crossing_line() -> None:
    built = build_message(PLAIN, scenario=Scenario(stamp_client_ip="198.51.100.201"))
    for report in (built.analyze(), analyze(built.raw, policy=Policy())):
        border = report.path.border
        assert border is not None and (border.index, border.ip) == (1, "198.51.100.10")
        assert border.method not in (BorderMethod.AUTHENTICATION_RESULTS, BorderMethod.RECEIVED_SPF)
        assert report.path.notation == PLAIN
        found = [f for f in report.findings if f.code == "trace.border_stamp_disagreement"]
        assert found and "198.51.100.201" in found[0].message
        assert "header.message_id_inconsistent" not in codes(report)


def test_stamp_naming_an_authenticated_submission_client_does_not_move_the_border() -> None:
    stamp = (
        "Received-SPF: pass (mx.recipient.example: domain of alice@sender.example designates 203.0.113.201 as "
        "permitted sender) client-ip=203.0.113.201; envelope-from=alice@sender.example; "
        "receiver=mx.recipient.example"
    )
    report = run(RETURN_PATH, DELIVERED, LMTP, stamp, BORDER, SUBMISSION, *ORIGINATOR)
    border = report.path.border
    assert border is not None and (border.index, border.ip) == (1, "198.51.100.10")
    assert "trace.border_stamp_disagreement" in codes(report)
