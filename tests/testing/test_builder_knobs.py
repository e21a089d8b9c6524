"""The builder's coverage knobs: tampered headers, removed keys, receivers' stamps, HELO literals,
forged lines claiming the recipient's relays, forwarder deliveries, bounces and re-sent messages."""

from __future__ import annotations

import pytest

from mailtrace.errors import ConfigurationError
from mailtrace.testing import Scenario, build_message
from mailtrace.testing.builder import FORWARDED, PLAIN
from mailtrace.testing.notation import parse_path

RESENT = (
    "Author ==> MSA/Transmitter --> / --> Receiver/MDA ==> Recipient/Author ==> MSA/Transmitter --> / --> "
    "Receiver/MDA ==> Recipient"
)
BOT = "Author/Transmitter --> / --> Receiver/MDA ==> Recipient"


def _codes(built: object) -> set[str]:
    report = built.analyze()  # type: ignore[attr-defined]
    return {f.code for f in report.findings}


@pytest.mark.parametrize(
    "kwargs",
    [
        {"forged_claims_recipient": True},
        {"forged_sloppy_ids": True},
        {"stamped_dkim": "maybe"},
        {"tampered_header": "X-Spam"},
    ],
)
def test_scenario_refuses_impossible_knobs(kwargs: dict[str, object]) -> None:
    with pytest.raises(ConfigurationError):
        Scenario(**kwargs).check(parse_path(PLAIN))  # type: ignore[arg-type]


def test_forwarder_delivers_needs_a_forwarder() -> None:
    with pytest.raises(ConfigurationError, match="Forwarder"):
        build_message(PLAIN, scenario=Scenario(forwarder_delivers=True))


@pytest.mark.parametrize(
    "path",
    [
        "Author ==> MSA/Transmitter --> / --> Receiver/MDA ==> Recipient/Author --> / --> Receiver/MDA ==> Recipient",
        "Author ==> Recipient/Author ==> MSA/Transmitter --> / --> Receiver/MDA ==> Recipient",
        "Author ==> MSA/Transmitter --> / --> Receiver/MDA ==> Author ==> MSA --> / --> Receiver/MDA ==> Recipient",
    ],
)
def test_resender_must_sit_between_an_mda_and_an_msa(path: str) -> None:
    with pytest.raises(ConfigurationError):
        parse_path(path)


def test_resent_message_has_a_resent_block_and_two_legs() -> None:
    built = build_message(RESENT)
    assert parse_path(RESENT).resender == 3
    head = built.raw.split(b"\r\n\r\n", 1)[0]
    assert b"\r\nResent-From: Bob <bob@recipient.example>\r\n" in head
    assert head.count(b"Return-Path:") == 1  # the MSA dropped the first delivery's
    assert built.envelope_from == "bob@recipient.example"
    assert built.recipient == "carol@partner.example"
    report = built.analyze()
    assert report.path.notation == RESENT
    assert {"forwarding.resent", "forwarding.second_crossing"} <= {f.code for f in report.findings}


def test_bounce_has_null_sender_and_spf_on_helo() -> None:
    built = build_message(
        "Author/MSA/Transmitter --> / --> Receiver/MDA ==> Recipient",
        scenario=Scenario(bounce=True),
        from_addr="MAILER-DAEMON@sender.example",
    )
    assert built.envelope_from == ""
    assert b"smtp.helo=mail.sender.example" in built.raw
    assert b"identity=helo" in built.raw
    spf = built.analyze().verification.spf
    assert (str(spf.result), str(spf.identity)) == ("pass", "helo")


def test_key_removed_publishes_no_key_and_tampering_breaks_the_headers() -> None:
    removed = build_message(PLAIN, scenario=Scenario(key_removed=True, receiver_stamps=False))
    assert "s2025._domainkey.sender.example" not in removed.zone
    assert b"Authentication-Results" not in removed.raw
    assert "auth.dkim_unverifiable" in _codes(removed)
    tampered = build_message(PLAIN, scenario=Scenario(tampered_header="Subject"))
    assert b"Subject: URGENT: Minutes" in tampered.raw
    assert tampered.expected.dkim == (("sender.example", "signature_mismatch"),)
    assert "auth.dkim_header_fail" in _codes(tampered)


def test_stamp_knobs_change_only_what_the_receiver_writes() -> None:
    built = build_message(PLAIN, scenario=Scenario(stamped_dkim="fail", stamp_client_ip="203.0.113.99"))
    assert b"dkim=fail header.i=@sender.example" in built.raw
    assert b"client-ip=203.0.113.99" in built.raw
    assert built.expected.dkim == (("sender.example", "pass"),)  # the re-check still passes
    assert {"auth.stamp_disagreement", "trace.border_stamp_disagreement"} <= _codes(built)


def test_trace_knobs() -> None:
    helo = build_message(PLAIN, scenario=Scenario(helo_literal="203.0.113.77"))
    assert b"from [203.0.113.77] (unknown [198.51.100.201])" in helo.raw
    forged = build_message(
        BOT,
        scenario=Scenario(spoofed_from="bank.example", forged_received=2, forged_claims_recipient=True),
    )
    assert b"by mail1.recipient.example (Postfix)" in forged.raw
    sloppy = build_message(
        BOT, scenario=Scenario(spoofed_from="bank.example", forged_received=2, forged_sloppy_ids=True)
    )
    assert b" id zz-12\r\n" in sloppy.raw
    missing = build_message(PLAIN, scenario=Scenario(crossing_line_missing=True), internal_hops=[0, 1])
    assert b"by mx.recipient.example" not in missing.raw
    assert missing.expected.border_index == 1  # the lowest line the receiver's site wrote


def test_forwarder_delivers_writes_two_delivered_to() -> None:
    built = build_message(FORWARDED, scenario=Scenario(forwarder_delivers=True))
    head = built.raw.split(b"\r\n\r\n", 1)[0]
    assert b"Delivered-To: bob@forwarder.example" in head
    assert b"Delivered-To: bob@recipient.example" in head
    assert "forwarding.multiple_deliveries" in _codes(built)


def test_unauthenticated_publishes_no_spf_or_dmarc() -> None:
    built = build_message(PLAIN, scenario=Scenario(unauthenticated=True))
    assert b"DKIM-Signature" not in built.raw and b"Authentication-Results" not in built.raw
    assert "_dmarc.sender.example" not in built.zone
    assert not any(r.startswith("v=spf1") for r in built.zone.get("sender.example", {}).get("TXT", []))
    assert str(built.expected.verdict) == "indeterminate"
