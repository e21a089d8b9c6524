"""Received-SPF (RFC 7208 section 9.1) parsed from RFC examples and real-world variants."""

from __future__ import annotations

import dataclasses
import json

from mailtrace.parse.auth import ReceivedSPF, parse_authentication
from mailtrace.parse.message import parse_message


def received_spf(value: str) -> ReceivedSPF:
    message = parse_message(b"Received-SPF: " + value.encode() + b"\r\nFrom: a@example.com\r\n\r\n")
    (parsed,) = parse_authentication(message).received_spf
    return parsed


def codes(parsed: ReceivedSPF) -> list[str]:
    return [d.code for d in parsed.defects]


def test_rfc7208_pass_example() -> None:
    parsed = received_spf(
        "pass (mybox.example.org: domain of\r\n myname@example.com designates 192.0.2.1 as\r\n permitted sender)\r\n"
        '    receiver=mybox.example.org; client-ip=192.0.2.1;\r\n    envelope-from="myname@example.com";\r\n'
        "    helo=foo.example.com;"
    )
    assert parsed.header_index == 0
    assert parsed.result == "pass"
    assert parsed.comment == (
        "mybox.example.org: domain of myname@example.com designates 192.0.2.1 as permitted sender"
    )
    assert (parsed.receiver, parsed.client_ip) == ("mybox.example.org", "192.0.2.1")
    assert (parsed.envelope_from, parsed.helo) == ("myname@example.com", "foo.example.com")
    assert (parsed.identity, parsed.mechanism, parsed.problem) == (None, None, None)
    assert [k for k, _ in parsed.pairs] == ["receiver", "client-ip", "envelope-from", "helo"]
    assert parsed.defects == ()


def test_rfc7208_fail_example_with_identity() -> None:
    parsed = received_spf(
        "fail (mybox.example.org: domain of myname@example.com does not designate 192.0.2.1 as permitted sender)"
        ' identity=mailfrom; client-ip=192.0.2.1; envelope-from="myname@example.com";'
    )
    assert (parsed.result, parsed.identity, parsed.client_ip) == ("fail", "mailfrom", "192.0.2.1")
    assert parsed.defects == ()


def test_google_form() -> None:
    parsed = received_spf(
        "pass (google.com: domain of a@ti.com designates 2607:f8b0:4864:20::f31 as permitted sender)"
        " client-ip=2607:f8b0:4864:20::f31;"
    )
    assert (parsed.result, parsed.client_ip) == ("pass", "2607:f8b0:4864:20::f31")
    assert parsed.comment is not None
    assert parsed.comment.startswith("google.com: domain of a@ti.com")
    assert parsed.defects == ()


def test_microsoft_capitalised_result_without_pairs() -> None:
    parsed = received_spf("None (SATLEXMB04.amd.com: a@amd.com does not designate permitted sender hosts)")
    assert (parsed.result, parsed.pairs, parsed.defects) == ("none", (), ())


def test_nested_comment_mechanism_problem_and_receiver_unknown() -> None:
    parsed = received_spf(
        "softfail (example.org: x (mechanism '~all' matched)) receiver=<UNKNOWN>; mechanism=~all;"
        ' problem="a b"; x-extra = 1'
    )
    assert parsed.comment == "example.org: x (mechanism '~all' matched)"
    assert (parsed.receiver, parsed.mechanism, parsed.problem) == ("<UNKNOWN>", "~all", "a b")
    assert parsed.get("X-Extra") == "1"
    assert parsed.defects == ()


def test_pairs_separated_by_space_only_are_kept_and_flagged() -> None:
    parsed = received_spf("pass (c) client-ip=192.0.2.1 helo=mx.example")
    assert (parsed.client_ip, parsed.helo) == ("192.0.2.1", "mx.example")
    assert codes(parsed) == ["received_spf.syntax"]


def test_unknown_result_duplicate_key_and_junk_are_defects() -> None:
    parsed = received_spf("error (old RFC 4408 word) helo=a; helo=b; junk; client-ip=192.0.2.9")
    assert (parsed.result, parsed.helo, parsed.client_ip) == ("error", "a", "192.0.2.9")
    assert sorted(codes(parsed)) == ["received_spf.key_duplicate", "received_spf.result_unknown", "received_spf.syntax"]


def test_empty_and_unterminated_are_defects() -> None:
    assert codes(received_spf("")) == ["received_spf.empty"]
    assert codes(received_spf("pass (open comment " + "(" * 30000)) == ["received_spf.unterminated"]
    assert codes(received_spf('pass envelope-from="open')) == ["received_spf.unterminated"]


def test_to_dict_keys_are_the_attribute_names() -> None:
    parsed = received_spf("pass (c) client-ip=192.0.2.1;")
    data = parsed.to_dict()
    assert list(data) == [f.name for f in dataclasses.fields(parsed)]
    assert data["pairs"] == [["client-ip", "192.0.2.1"]]
    json.dumps(data)
