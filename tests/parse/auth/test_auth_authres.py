"""Authentication-Results (RFC 8601) parsed from RFC examples and real-world variants."""

from __future__ import annotations

import dataclasses
import json

from mailtrace.parse.auth import AuthenticationResults, parse_authentication
from mailtrace.parse.message import parse_message


def authres(value: str) -> AuthenticationResults:
    message = parse_message(b"From: a@example.com\r\nAuthentication-Results: " + value.encode() + b"\r\n\r\n")
    (parsed,) = parse_authentication(message).authentication_results
    return parsed


def codes(parsed: AuthenticationResults) -> list[str]:
    return [d.code for d in parsed.defects]


def test_rfc8601_no_result() -> None:
    parsed = authres("example.org 1; none")
    assert (parsed.authserv_id, parsed.version, parsed.results, parsed.defects) == ("example.org", 1, (), ())
    assert parsed.header_index == 1
    assert parsed.name == "Authentication-Results"
    assert parsed.instance is None


def test_rfc8601_smtp_auth_and_spf() -> None:
    parsed = authres(
        "example.com;\r\n          auth=pass (cram-md5) smtp.auth=sender@example.net;\r\n"
        "          spf=pass smtp.mailfrom=example.net"
    )
    auth, spf = parsed.results
    assert (auth.method, auth.result, auth.comments) == ("auth", "pass", ("cram-md5",))
    assert auth.get("smtp", "auth") == "sender@example.net"
    assert (spf.method, spf.result, spf.get("SMTP", "MailFrom")) == ("spf", "pass", "example.net")
    assert parsed.defects == ()


def test_rfc8601_reasons_quoted_and_plain() -> None:
    parsed = authres(
        'example.com; dkim=pass reason="good signature" header.i=@mail-router.example.net;'
        " dkim=fail reason=bad header.i=@newyork.example.com"
    )
    first, second = parsed.results
    assert (first.reason, first.properties) == ("good signature", (("header", "i", "@mail-router.example.net"),))
    assert (second.result, second.reason) == ("fail", "bad")
    assert parsed.defects == ()


def test_google_form_with_header_i_s_b_and_spf_comment() -> None:
    parsed = authres(
        "mx.google.com;\r\n       dkim=pass header.i=@example.com header.s=20230601 header.b=abcD+F12;\r\n"
        "       spf=pass (google.com: domain of a@example.com designates 192.0.2.1 as permitted sender)"
        " smtp.mailfrom=a@example.com;\r\n       dmarc=pass (p=NONE sp=NONE dis=NONE) header.from=example.com"
    )
    dkim, spf, dmarc = parsed.results
    assert dkim.properties == (
        ("header", "i", "@example.com"),
        ("header", "s", "20230601"),
        ("header", "b", "abcD+F12"),
    )
    assert spf.comments == ("google.com: domain of a@example.com designates 192.0.2.1 as permitted sender",)
    assert spf.get("smtp", "mailfrom") == "a@example.com"
    assert (dmarc.result, dmarc.comments, dmarc.get("header", "from")) == (
        "pass",
        ("p=NONE sp=NONE dis=NONE",),
        "example.com",
    )
    assert parsed.defects == ()


def test_google_arc_result_with_structured_comment() -> None:
    parsed = authres("mx.google.com; arc=pass (i=2 spf=pass spfdomain=a.example dkim=pass dkdomain=a.example)")
    (arc,) = parsed.results
    assert (arc.method, arc.result, arc.properties) == ("arc", "pass", ())
    assert arc.comments == ("i=2 spf=pass spfdomain=a.example dkim=pass dkdomain=a.example",)
    assert parsed.defects == ()


def test_microsoft_365_without_authserv_id_with_action_and_compauth() -> None:
    parsed = authres(
        "spf=pass (sender IP is 40.107.1.1) smtp.mailfrom=nxp.com; dkim=none (message not signed)"
        " header.d=none;dmarc=none action=none header.from=nxp.com;compauth=pass reason=100"
    )
    assert parsed.authserv_id is None
    assert [r.method for r in parsed.results] == ["spf", "dkim", "dmarc", "compauth"]
    dmarc, compauth = parsed.results[2:]
    assert dmarc.properties == (("", "action", "none"), ("header", "from", "nxp.com"))
    assert dmarc.get("", "action") == "none"
    assert (compauth.result, compauth.reason) == ("pass", "100")
    assert sorted(codes(parsed)) == ["authres.method_unknown", "authres.no_authserv_id", "authres.property_no_ptype"]


def test_microsoft_authserv_id_with_version_and_trailing_semicolon() -> None:
    parsed = authres("mx.microsoft.com 1; spf=pass smtp.mailfrom=oracle.com; dmarc=pass action=none header.from=x.com;")
    assert (parsed.authserv_id, parsed.version, len(parsed.results)) == ("mx.microsoft.com", 1, 2)


def test_comments_anywhere_are_kept_and_skipped() -> None:
    parsed = authres("(c0) example.com (c1) ; (c2) dkim (c3) = (c4) pass (c5 (nested)) header.d=(c6)example.com (c7)")
    (dkim,) = parsed.results
    assert (parsed.authserv_id, dkim.method, dkim.result) == ("example.com", "dkim", "pass")
    assert dkim.get("header", "d") == "example.com"
    assert dkim.comments == ("c2", "c3", "c4", "c5 (nested)", "c6", "c7")
    assert parsed.defects == ()


def test_x_method_method_version_and_case_are_normalised() -> None:
    parsed = authres("example.com; X-Foo=PASS Policy.Bar=Baz; DKIM/1=Pass header.d=Example.COM")
    xfoo, dkim = parsed.results
    assert (xfoo.method, xfoo.result, xfoo.properties) == ("x-foo", "pass", (("policy", "bar", "Baz"),))
    assert (dkim.method, dkim.method_version, dkim.get("header", "d")) == ("dkim", "1", "Example.COM")
    assert parsed.defects == ()


def test_values_with_equals_quoted_local_part_and_spaced_value() -> None:
    parsed = authres(
        "example.com; spf=pass smtp.mailfrom=SRS0=ab=cd=example.org=user@fwd.example;"
        ' dkim=fail header.i=" foo bar \\"xyz\\"@gmail.com" header.b=SI+iqkld;'
        " bimi=pass policy.authority-uri=      https://example.com/a.pem header.d=example.com"
    )
    spf, dkim, bimi = parsed.results
    assert spf.get("smtp", "mailfrom") == "SRS0=ab=cd=example.org=user@fwd.example"
    assert dkim.get("header", "i") == ' foo bar "xyz"@gmail.com'
    assert dkim.get("header", "b") == "SI+iqkld"
    assert bimi.get("policy", "authority-uri") == "https://example.com/a.pem"
    assert bimi.get("header", "d") == "example.com"
    assert parsed.defects == ()


def test_authserv_id_quoted_and_with_slash() -> None:
    assert authres('"mx.example.com"; spf=pass smtp.mailfrom=x').authserv_id == "mx.example.com"
    parsed = authres("example/net; none")
    assert (parsed.authserv_id, parsed.defects) == ("example/net", ())


def test_unknown_result_and_version_and_junk_are_defects_not_errors() -> None:
    parsed = authres("example.com 2; dkim=timeout header.d=x; garbage here; spf=pass smtp.mailfrom=y stray")
    assert [r.method for r in parsed.results] == ["dkim", "spf"]
    assert sorted(codes(parsed)) == ["authres.result_unknown", "authres.syntax", "authres.syntax", "authres.version"]


def test_authserv_id_without_results_is_a_syntax_defect() -> None:
    parsed = authres("example.com")
    assert (parsed.authserv_id, parsed.results, codes(parsed)) == ("example.com", (), ["authres.syntax"])


def test_empty_and_unterminated_values_are_defects() -> None:
    assert codes(authres("")) == ["authres.empty"]
    parsed = authres("example.com; dkim=pass (never closed header.d=x")
    assert parsed.results[0].result == "pass"
    assert "authres.unterminated" in codes(parsed)
    assert "authres.unterminated" in codes(authres('example.com; dkim=pass header.i="open'))


def test_hostile_nesting_is_scanned_in_linear_time() -> None:
    parsed = authres("example.com; dkim=pass " + "(" * 60000)
    assert parsed.results[0].result == "pass"
    assert codes(parsed) == ["authres.unterminated"]
    parsed = authres("example.com; " + "a=b " * 15000)
    assert len(parsed.results) == 1
    assert len(parsed.results[0].properties) == 64


def test_arc_authentication_results_are_not_listed_as_authentication_results() -> None:
    message = parse_message(b"ARC-Authentication-Results: i=1; example.com; none\r\n\r\n")
    assert parse_authentication(message).authentication_results == ()


def test_to_dict_keys_are_the_attribute_names() -> None:
    parsed = authres("example.com; dkim=pass reason=ok (c) header.d=example.com")
    data = parsed.to_dict()
    assert list(data) == [f.name for f in dataclasses.fields(parsed)]
    result = data["results"][0]
    assert list(result) == [f.name for f in dataclasses.fields(parsed.results[0])]
    assert result["properties"] == [["header", "d", "example.com"]]
    json.dumps(data)
