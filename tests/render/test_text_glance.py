"""The text report's first block and the fixes a new user asked for (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailtrace import analyze
from mailtrace.dns import OfflineZone, RecordingResolver, ReplayResolver
from mailtrace.model.headers import AddressField
from mailtrace.parse.headers import extract_headers
from mailtrace.parse.message import parse_message
from mailtrace.policy import Policy
from mailtrace.render.text import _addr, render_text

REPO = Path(__file__).resolve().parents[2]
PLAIN = REPO / "fixtures" / "scenarios" / "01-plain-exim"


def _block(text: str) -> str:
    return text.split("At a glance", 1)[1].split("\nVerdict:", 1)[0]


def test_glance_comes_first_and_answers_the_four_questions() -> None:
    zone = OfflineZone.from_file(PLAIN.with_suffix(".zone.json"))
    text = render_text(analyze(PLAIN.with_suffix(".eml").read_bytes(), policy=Policy(resolver=zone)))
    assert text.index("At a glance") < text.index("Verdict:")
    block = _block(text)
    assert "Came from      198.51.100.10 (reverse name mail.sender.example); into mx.recipient.example" in block
    assert "From:          Alice Example <alice@sender.example>" in block
    assert "Authenticated  Yes: sender.example by SPF sender.example, DKIM d=sender.example; source:" in block
    assert "Forwarded      No" in block
    assert "Receiver said  mx.recipient.example: DMARC pass for sender.example (p=reject, dis=none)" in block


def test_reverification_is_titled_by_the_resolver_it_used(tmp_path: Path) -> None:
    raw = PLAIN.with_suffix(".eml").read_bytes()
    zone_file = PLAIN.with_suffix(".zone.json")
    offline = render_text(analyze(raw, policy=Policy(resolver=OfflineZone.from_file(zone_file))))
    assert f"Re-verification: offline zone {zone_file}" in offline
    assert "DNS now" not in offline
    evidence = tmp_path / "evidence.jsonl"
    recorder = RecordingResolver(OfflineZone.from_file(zone_file), str(evidence), overwrite=True)
    recorded = render_text(analyze(raw, policy=Policy(resolver=recorder)))
    recorder.close()
    assert f"Re-verification: offline zone {zone_file}, recorded as evidence" in recorded
    replayed = render_text(analyze(raw, policy=Policy(resolver=ReplayResolver.from_file(evidence))))
    assert f"Re-verification: DNS replayed from {evidence} (recorded " in replayed


def test_no_empty_parentheses_and_no_run_on_disagreement() -> None:
    # an empty zone: SPF none has no explanation; the stamp (spf=pass) disagrees with the re-check
    text = render_text(analyze(PLAIN.with_suffix(".eml").read_bytes(), policy=Policy(resolver=OfflineZone({}))))
    assert "()" not in text
    assert "SPF   none: 198.51.100.10 for sender.example\n" in text
    assert ". the re-check differs" not in text
    assert "the re-check now gives none (DNS records may have changed since delivery" in text


def _field(value: str, name: str = "Return-Path") -> AddressField | None:
    raw = f"{name}: {value}\r\nFrom: a@sender.example\r\n\r\n".encode()
    h = extract_headers(parse_message(raw))
    return h.return_path[0] if name == "Return-Path" else h.to


def test_an_invalid_address_is_shown_as_written() -> None:
    # eml_parser-samples raw_email_multiple_from.eml: two addresses without a comma read as "@powerupdev.com"
    field = _field("tim@powerupdev.example concierge@powerupdev.example", "To")
    assert _addr(field) == "tim@powerupdev.example concierge@powerupdev.example (as written; not valid)"
    assert _addr(_field("<bounce@sender.example>")) == "bounce@sender.example"
    assert _addr(_field("<>")) == "<>"


def test_malformed_from_shows_the_display_and_the_authenticated_domain() -> None:
    fixture = REPO / "fixtures" / "scenarios" / "27-malformed-from.eml"
    text = render_text(analyze(fixture.read_bytes()))
    line = "Fgehen69, jehd <service@sender.example> (malformed; receivers authenticate sender.example)"
    assert f"From: {line}" in " ".join(_block(text).split())
    assert f"From {line}" in " ".join(text.split("Originator", 1)[1].split())


def test_phishing_pot_glance(corpus: Path) -> None:
    path = corpus / "phishing-pot-dev" / "sample-1403.eml"
    if not path.exists():
        pytest.skip("phishing-pot-dev absent")
    block = _block(render_text(analyze(path.read_bytes())))
    assert "77.91.100.118 (no reverse name, HELO messaggerocappuccino.it)" in block
    assert "No: authenticated as SPF messaggerocappuccino.it instead; stayfriends.de is not" in block
    assert "compauth pass (reason 105); SCL 5; BCL 5; delivered to the junk folder" in " ".join(block.split())


def test_list_mediation_and_unchecked_authentication_in_words() -> None:
    listed = _block(render_text(analyze((REPO / "fixtures/scenarios/05-mailing-list.eml").read_bytes())))
    assert "Forwarded      Yes, a mailing list at forwarder.example; that explains the DMARC fail" in listed
    assert "No: sender.example fails (DMARC fail); authenticated as SPF forwarder.example" in " ".join(listed.split())
    bare = _block(render_text(analyze((REPO / "fixtures/rfc/rfc5322-a4-trace.eml").read_bytes())))
    assert "Not checked: no stamp from the recipient's side and no re-check" in " ".join(bare.split())
    assert "Receiver said  no stamp from the recipient's side" in bare
