"""The builder's messages: signatures that verify, trace lines mailtrace parses, knobs that do what they say."""

from __future__ import annotations

import email
import re
from datetime import datetime

import dkim
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mailtrace
from mailtrace.errors import ConfigurationError
from mailtrace.testing.builder import FORWARDED, PLAIN, BuiltMessage, MessageBuilder, build_message
from mailtrace.testing.dialects import DIALECT_NAMES
from mailtrace.testing.keys import ed25519_key, rsa_key
from mailtrace.testing.scenario import Scenario
from mailtrace.testing.srs import srs0
from mailtrace.testing.zone import ZoneBuilder

LIST = "Author ==> MSA/Transmitter --> / --> Receiver/Forwarder ~~> / ~~> Receiver/MDA ==> Recipient"


def _dnsfunc(built: BuiltMessage):  # type: ignore[no-untyped-def]
    def lookup(name: bytes, timeout: int = 5) -> bytes | None:
        records = built.zone.get(name.decode().rstrip(".").lower(), {}).get("TXT")
        return records[0].encode() if records else None

    return lookup


def _verify_all(built: BuiltMessage) -> list[object]:
    d = dkim.DKIM(built.raw)
    count = sum(1 for name, _ in d.headers if name.lower() == b"dkim-signature")
    results: list[object] = []
    for i in range(count):
        try:
            results.append(d.verify(idx=i, dnsfunc=_dnsfunc(built)))
        except dkim.ValidationError as exc:
            results.append(str(exc).split(" (")[0])
    return results


def _received(built: BuiltMessage) -> list[str]:
    return email.message_from_bytes(built.raw).get_all("Received") or []


def test_build_message_same_arguments_give_same_bytes() -> None:
    assert build_message(FORWARDED).raw == build_message(FORWARDED).raw
    assert build_message(FORWARDED, seed=1).raw != build_message(FORWARDED).raw


@pytest.mark.parametrize("dialect", DIALECT_NAMES)
def test_build_message_forwarded_dkim_and_arc_verify_against_zone(dialect: str) -> None:
    built = build_message(FORWARDED, dialect=dialect)
    assert _verify_all(built) == [True]
    cv, _, reason = dkim.arc_verify(built.raw, dnsfunc=_dnsfunc(built))
    assert (cv, reason) == (b"pass", "success")
    assert built.expected.borders == (2, 1) or dialect in ("gmail", "exchange")
    assert built.envelope_from.startswith("SRS0=")


@pytest.mark.parametrize("dialect", DIALECT_NAMES)
def test_build_message_received_lines_parse_with_client_ip_at_border(dialect: str) -> None:
    built = build_message(PLAIN, dialect=dialect)
    report = mailtrace.analyze(built.raw)
    border = report.received[built.expected.border_index or 0]
    assert border.from_.ip is not None
    assert border.software == dialect
    assert border.timestamp is not None
    assert all(not [d for d in hop.defects if d.code.startswith("received.date")] for hop in report.received)


def test_build_message_every_line_crlf_and_header_lines_bounded() -> None:
    built = build_message(LIST, scenario=Scenario(mailing_list=True), dialect="exchange")
    head = built.raw.split(b"\r\n\r\n", 1)[0]
    assert b"\n" not in head.replace(b"\r\n", b"")
    assert max(len(line) for line in head.split(b"\r\n")) <= 998  # RFC 5322 section 2.1.1


def test_build_message_rsa_and_ed25519_both_verify() -> None:
    built = build_message(PLAIN, scenario=Scenario(dkim="both"))
    assert _verify_all(built) == [True, True]
    algos = re.findall(rb"a=(rsa-sha256|ed25519-sha256)", built.raw)
    assert set(algos) == {b"rsa-sha256", b"ed25519-sha256"}


def test_build_message_mailing_list_breaks_author_body_hash_and_signs_for_list() -> None:
    built = build_message(LIST, scenario=Scenario(mailing_list=True))
    msg = email.message_from_bytes(built.raw)
    assert msg["Subject"].startswith("[Team] ")
    assert msg["List-Id"] == "Team list <team.forwarder.example>"
    assert _verify_all(built) == [True, "body hash mismatch"]
    assert built.expected.dkim == (("forwarder.example", "pass"), ("sender.example", "body_hash_mismatch"))
    assert built.envelope_from == "team-bounces@forwarder.example"


@pytest.mark.parametrize("dialect", DIALECT_NAMES)
def test_build_message_two_forwarders_add_arc_instances_one_and_two(dialect: str) -> None:
    path = (
        "Author ==> MSA/Transmitter --> / --> Receiver/Forwarder ~~> / ~~> Receiver/Forwarder ~~> / ~~> "
        "Receiver/MDA ==> Recipient"
    )
    built = build_message(path, dialect=["postfix", "exim", dialect, "postfix"], scenario=Scenario(mailing_list=True))
    assert re.findall(rb"ARC-Seal: i=(\d)", built.raw) == [b"2", b"1"]
    cv, results, _ = dkim.arc_verify(built.raw, dnsfunc=_dnsfunc(built))
    assert cv == b"pass" and len(results) == 2
    assert len(built.expected.borders) == 3


def test_build_message_spoofed_from_sends_from_outside_victim_spf() -> None:
    built = build_message(
        "Author/Transmitter --> / --> Receiver/MDA ==> Recipient", scenario=Scenario(spoofed_from="bank.example")
    )
    msg = email.message_from_bytes(built.raw)
    assert msg["From"].endswith("@bank.example>")
    assert b"DKIM-Signature" not in built.raw
    assert built.zone["bank.example"]["TXT"] == ["v=spf1 ip4:203.0.113.240 -all"]
    assert built.expected.spf == "fail"
    assert str(built.expected.verdict) == "forged"


def test_build_message_forged_received_lines_sit_below_the_border() -> None:
    built = build_message(
        "Author/Transmitter --> / --> Receiver/MDA ==> Recipient",
        scenario=Scenario(spoofed_from="bank.example", forged_received=3),
    )
    received = _received(built)
    assert len(received) == 5
    assert built.expected.forged_indexes == (2, 3, 4)
    assert all(i > (built.expected.border_index or 0) for i in built.expected.forged_indexes)
    assert any("mx.recipient.example" in line.split(" by ")[0] for line in received[2:])  # HELO claims the recipient


def test_build_message_ip_outside_spf_publishes_record_without_the_sending_address() -> None:
    built = build_message(PLAIN, scenario=Scenario(ip_outside_spf=True))
    record = built.zone["sender.example"]["TXT"][0]
    client_ip = re.search(r"\[([0-9.]+)\]", _received(built)[1]).group(1)  # type: ignore[union-attr]
    assert client_ip not in record and record.startswith("v=spf1 ip4:")
    assert built.expected.spf == "fail"
    assert b"spf=fail" in built.raw


def test_build_message_revoked_key_publishes_empty_p_and_stamped_pass() -> None:
    built = build_message(PLAIN, scenario=Scenario(revoked_key=True))
    assert built.zone["s2025._domainkey.sender.example"]["TXT"] == ["v=DKIM1; k=rsa; p="]
    assert b"dkim=pass" in built.raw
    assert built.expected.dkim == (("sender.example", "key_revoked"),)


def test_build_message_clock_skew_makes_border_hop_earlier_than_hop_below() -> None:
    built = build_message(PLAIN, scenario=Scenario(clock_skew_minutes=7))
    report = mailtrace.analyze(built.raw)
    border, below = report.received[1], report.received[2]
    assert border.timestamp is not None and below.timestamp is not None
    assert 6 * 60 <= (below.timestamp - border.timestamp).total_seconds() <= 7 * 60


def test_build_message_internal_path_has_no_crossing() -> None:
    built = build_message("Author ==> MSA/Transmitter/Receiver/MDA ==> Recipient", recipient="bob@sender.example")
    assert built.expected.border_index is None
    assert b"DKIM-Signature" not in built.raw


def test_build_message_internal_hops_add_private_relays() -> None:
    built = build_message(PLAIN, internal_hops=[2, 0])
    assert sum("relay" in line.split(" by ")[-1][:20] for line in _received(built)) == 2
    assert built.expected.border_index == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"dialect": "qmail"}, "unknown MTA dialect"),
        ({"dialect": ["postfix"]}, "1 values for 2 relaying actors"),
        ({"date": datetime(2025, 1, 1)}, "timezone-aware"),
        ({"domains": {"bank": "x.example"}}, "unknown keys"),
        ({"scenario": Scenario(mailing_list=True)}, "needs a Forwarder"),
    ],
)
def test_build_message_bad_options_raise_configuration_error(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        build_message(PLAIN, **kwargs)  # type: ignore[arg-type]


def test_message_builder_shares_zone_and_refuses_conflicts() -> None:
    builder = MessageBuilder()
    builder.build(PLAIN)
    builder.build(FORWARDED, dialect="exim")
    assert "forwarder.example" in builder.zone.to_dict()
    with pytest.raises(ConfigurationError, match="zone conflict"):
        builder.build(PLAIN, scenario=Scenario(revoked_key=True))


def test_zone_builder_merges_spf_terms_into_one_record() -> None:
    zone = ZoneBuilder()
    zone.spf("a.example", "ip4:192.0.2.1")
    zone.spf("a.example", "include:_spf.b.example")
    assert zone.to_dict()["a.example"]["TXT"] == ["v=spf1 ip4:192.0.2.1 include:_spf.b.example -all"]
    answer = zone.resolver().resolve("a.example", "TXT")
    assert answer.records == ("v=spf1 ip4:192.0.2.1 include:_spf.b.example -all",)


def test_keys_are_deterministic_and_publishable() -> None:
    assert ed25519_key("x.example") == ed25519_key("x.example")
    assert ed25519_key("x.example").public != ed25519_key("y.example").public
    assert rsa_key().txt_record().startswith("v=DKIM1; k=rsa; p=MIIBIjAN")
    with pytest.raises(ConfigurationError):
        rsa_key("rsa4096")


def test_srs0_rewrites_once_in_libsrs2_shape() -> None:
    when = datetime.fromisoformat("2025-03-04T09:15:00+00:00")
    address = srs0("alice@sender.example", "forwarder.example", when=when)
    assert re.fullmatch(r"SRS0=[A-Za-z0-9+/]{4}=[A-Z2-7]{2}=sender\.example=alice@forwarder\.example", address)
    assert srs0(address, "other.example", when=when) == address
    assert srs0("", "other.example", when=when) == ""


_ROLE_SETS = [
    "MSA",
    "Transmitter",
    "MSA/Transmitter",
    "OpenRelay",
    "Receiver",
    "Receiver/MDA",
    "Receiver/Forwarder",
    "MDA",
    "Author/Transmitter",
    "Author/MSA/Transmitter",
]


@settings(max_examples=40, deadline=None)
@given(
    middle=st.lists(st.sampled_from(_ROLE_SETS), min_size=1, max_size=4),
    arrows=st.lists(st.sampled_from(["==>", "-->", "--> / -->", "~~> / ~~>"]), min_size=5, max_size=5),
    dialect=st.sampled_from(DIALECT_NAMES),
)
def test_build_message_any_path_builds_or_refuses_cleanly(middle: list[str], arrows: list[str], dialect: str) -> None:
    actors = ["Author", *middle, "Recipient"]
    if "/" in middle[0] and middle[0].startswith("Author"):
        actors = middle[:1] + middle[1:] + ["Recipient"]
    text = actors[0] + "".join(f" {arrow} {actor}" for arrow, actor in zip(arrows, actors[1:], strict=False))
    try:
        built = build_message(text, dialect=dialect)
    except ConfigurationError:
        return
    report = mailtrace.analyze(built.raw)
    assert len(report.received) >= 1 or built.expected.border_index is None
    assert built.raw.endswith(b"\r\n")
