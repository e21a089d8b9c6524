"""Coverage of the fixtures collection: every finding code of the catalogue and every path shape the
analyzer produces appears in at least one golden report, so that coverage cannot silently regress
(issue 6: one scenario per role combination and per finding)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mailtrace.testing.collection import Collection, open_collection
from mailtrace.verdict.catalogue import CATALOGUE

ROOT = Path(__file__).resolve().parents[2] / "fixtures"

#: Every path shape (``path.notation``) the collection must show, with the scenario it stands for.
SHAPES = {
    "plain delivery (scenario 1)": "Author ==> MSA/Transmitter --> / --> Receiver/MDA ==> Recipient",
    "ESP or separate outbound relay (scenario 3, RFC 5598 Figure 5)": (
        "Author ==> MSA ==> Transmitter --> / --> Receiver/MDA ==> Recipient"
    ),
    "alias forwarding (scenario 4)": (
        "Author ==> MSA/Transmitter --> / --> Receiver/Forwarder ~~> / ~~> Receiver/MDA ==> Recipient"
    ),
    "two forwarders (RFC 8617)": (
        "Author ==> MSA/Transmitter --> / --> Receiver/Forwarder ~~> / ~~> Receiver/Forwarder ~~> / ~~> "
        "Receiver/MDA ==> Recipient"
    ),
    "internal mail (scenario 7)": "Author ==> MSA/Transmitter/Receiver/MDA ==> Recipient",
    "a bot sending its own mail (scenario 8)": "Author/Transmitter --> / --> Receiver/MDA ==> Recipient",
    "open relay (scenario 20)": "Author --> Transmitter --> OpenRelay --> / --> Receiver/MDA ==> Recipient",
    "unauthenticated client (RFC 5322 A.4)": "Author --> Transmitter --> / --> Receiver/MDA ==> Recipient",
    "filtering gateway relaying with authentication to a mailbox provider": (
        "Author ==> MSA/Transmitter --> / --> Receiver ==> MDA ==> Recipient"
    ),
    "local pickup (Postfix 'from userid'), and a bounce (scenario 19)": (
        "Author/MSA/Transmitter --> / --> Receiver/MDA ==> Recipient"
    ),
    "re-sent by the recipient (scenario 14)": (
        "Author ==> MSA/Transmitter --> / --> Receiver/MDA ==> Recipient/Author ==> MSA/Transmitter --> / --> "
        "Receiver/MDA ==> Recipient"
    ),
    "a draft with no trace": "Author ==> Recipient",
}

#: The fixtures added for one finding or shape each: the golden report must keep showing it.
INTENDED = {
    "scenarios/dkim-header-tampered": "auth.dkim_header_fail",
    "scenarios/dkim-key-removed-unstamped": "auth.dkim_unverifiable",
    "scenarios/no-authentication": "auth.none",
    "scenarios/from-unregistrable": "header.from_unregistrable",
    "scenarios/stamp-disagrees": "auth.stamp_disagreement",
    "scenarios/stamp-other-client": "trace.border_stamp_disagreement",
    "scenarios/crossing-line-missing": "trace.crossing_line_missing",
    "scenarios/helo-ip-literal": "trace.helo_ip_mismatch",
    "scenarios/forged-recipient-relays": "trace.claims_recipient_relay",
    "scenarios/forged-bad-queue-ids": "trace.implausible_hop",
    "scenarios/forwarder-delivers": "forwarding.multiple_deliveries",
    "scenarios/14-resent": "forwarding.resent",
    "scenarios/24-esp-unaligned": "auth.unaligned_pass",
    "scenarios/25-spoofed-to-exchange": "auth.compauth_fail",
}


@pytest.fixture(scope="module")
def collection() -> Collection:
    return open_collection(ROOT)


@pytest.fixture(scope="module")
def goldens(collection: Collection) -> dict[str, dict[str, Any]]:
    return {f.name: f.expected() for f in collection}


def _codes(report: dict[str, Any]) -> set[str]:
    return {f["code"] for f in report.get("findings") or ()}


def test_every_catalogue_code_appears_in_some_golden_report(goldens: dict[str, dict[str, Any]]) -> None:
    seen = set().union(*(_codes(r) for r in goldens.values()))
    missing = sorted(set(CATALOGUE) - seen)
    assert not missing, f"no fixture's golden report shows {missing}: add a fixture (docs/builder.md)"


def test_golden_reports_use_only_catalogue_codes(goldens: dict[str, dict[str, Any]]) -> None:
    unknown = {name: sorted(_codes(r) - set(CATALOGUE)) for name, r in goldens.items() if _codes(r) - set(CATALOGUE)}
    assert not unknown


@pytest.mark.parametrize("shape", sorted(SHAPES), ids=sorted(SHAPES))
def test_every_path_shape_appears_in_some_golden_report(goldens: dict[str, dict[str, Any]], shape: str) -> None:
    notation = SHAPES[shape]
    having = [name for name, r in goldens.items() if (r.get("path") or {}).get("notation") == notation]
    assert having, f"no fixture's golden path.notation is {notation!r} ({shape})"


@pytest.mark.parametrize("name", sorted(INTENDED))
def test_coverage_fixture_shows_its_finding(goldens: dict[str, dict[str, Any]], name: str) -> None:
    assert INTENDED[name] in _codes(goldens[name]), f"{name}: {sorted(_codes(goldens[name]))}"


def test_bounce_fixture_is_a_dsn_checked_on_helo(collection: Collection) -> None:
    fixture = collection["scenarios/19-bounce"]
    raw = fixture.message()
    assert raw.startswith(b"Return-Path: <>\r\n")
    assert b"Content-Type: multipart/report; report-type=delivery-status;" in raw
    report = fixture.expected()
    assert report["verification"]["spf"]["identity"] == "helo"
    assert report["verification"]["spf"]["result"] == "pass"
    assert report["path"]["notation"] == SHAPES["local pickup (Postfix 'from userid'), and a bounce (scenario 19)"]


def test_local_pickup_fixture_has_a_from_userid_line(collection: Collection) -> None:
    assert b"(Postfix, from userid 1000)" in collection["scenarios/local-pickup"].message()
    assert b"from userid" not in collection["scenarios/19-bounce"].message()


def test_offline_fixture_golden_report_has_no_reverification(collection: Collection) -> None:
    fixture = collection["scenarios/no-authentication"]
    assert fixture.dns is False and fixture.resolver() is None
    entry = next(e for e in collection.manifest["fixtures"] if e["name"] == fixture.name)
    assert entry["dns"] is False
    assert json.loads(json.dumps(fixture.analyze().to_dict())) == fixture.expected()
