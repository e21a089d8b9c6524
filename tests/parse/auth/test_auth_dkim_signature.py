"""DKIM-Signature fields (RFC 6376 section 3.5) parsed from synthetic and RFC example headers."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime

from mailtrace.parse.auth import DkimSignature, parse_authentication
from mailtrace.parse.auth.dkim_signature import decode_dkim_quoted_printable
from mailtrace.parse.message import parse_message

# RFC 6376 appendix A.2, folded as in the RFC.
RFC_EXAMPLE = (
    b"DKIM-Signature: v=1; a=rsa-sha256; s=brisbane; d=example.com;\r\n"
    b"      c=simple/simple; q=dns/txt; i=joe@football.example.com;\r\n"
    b"      h=Received : From : To : Subject : Date : Message-ID;\r\n"
    b"      bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;\r\n"
    b"      b=AuUoFEfDxTDkHlLXSZEpZj79LICEps6eda7W3deTVFOk4yAUoqOB\r\n"
    b"        4nujc7YopdG5dWLSdNg6xNAZpOPr+kHxt1IrE+NahM6L/LbvaHut\r\n"
    b"        KVdkLLkpVaVVQPzeRDI009SO2Il5Lu7rDNH6mZckBdrIx0orEtZV\r\n"
    b"        4bmp/YzhwvcubU4=;\r\n"
    b"From: Joe SixPack <joe@football.example.com>\r\n"
    b"\r\n"
    b"Hi.\r\n"
)


def signature(value: str) -> DkimSignature:
    message = parse_message(b"From: a@example.com\r\nDKIM-Signature: " + value.encode() + b"\r\n\r\n")
    (sig,) = parse_authentication(message).dkim_signatures
    return sig


def codes(sig: DkimSignature) -> list[str]:
    return [d.code for d in sig.defects]


def test_rfc6376_example_signature_is_read_without_defects() -> None:
    (sig,) = parse_authentication(parse_message(RFC_EXAMPLE)).dkim_signatures
    assert sig.header_index == 0
    assert (sig.version, sig.algorithm, sig.domain, sig.selector) == ("1", "rsa-sha256", "example.com", "brisbane")
    assert sig.canonicalization == "simple/simple"
    assert sig.signed_headers == ("Received", "From", "To", "Subject", "Date", "Message-ID")
    assert sig.identity == "joe@football.example.com"
    assert sig.query_methods == "dns/txt"
    assert sig.body_hash == "2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8="
    assert sig.signature is not None
    assert sig.signature.startswith("AuUoFEfDxTDkHlLXSZEpZj79LICEps6eda7W3deTVFOk4yAUoqOB4nujc7")
    assert sig.signature.endswith("4bmp/YzhwvcubU4=")
    assert " " not in sig.signature
    assert [name for name, _ in sig.tags] == ["v", "a", "s", "d", "c", "q", "i", "h", "bh", "b"]
    assert sig.defects == ()


def test_google_style_signature_with_times_and_relaxed_canonicalization() -> None:
    sig = signature(
        "v=1; a=rsa-sha256; c=relaxed/relaxed;        d=gmail.com; s=20230601; t=1700000000; x=1700600000;"
        "        h=to:subject:message-id:date:from:mime-version:from:to:cc:subject;"
        "        bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;        b=dGVzdA=="
    )
    assert sig.timestamp == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
    assert sig.expiration == datetime.fromtimestamp(1700600000, tz=UTC)
    assert sig.signed_headers.count("from") == 2
    assert sig.identity is None
    assert sig.effective_identity == "@gmail.com"
    assert sig.defects == ()


def test_canonicalization_defaults_body_to_simple() -> None:
    assert signature("v=1; a=rsa-sha256; c=Relaxed; d=x.example; s=s; h=from; bh=YQ==; b=YQ==").canonicalization == (
        "relaxed/simple"
    )


def test_missing_required_tags_are_one_defect_each() -> None:
    sig = signature("a=rsa-sha256; d=example.com; s=sel; h=from")
    assert codes(sig) == ["dkim.tag_missing"] * 3
    assert {d.message.rsplit(" ", 1)[1] for d in sig.defects} == {"v=", "b=", "bh="}


def test_duplicate_domain_is_flagged_and_first_value_is_used() -> None:
    sig = signature("v=1; a=rsa-sha256; d=good.example; d=evil.example; s=s; h=from; bh=YQ==; b=YQ==")
    assert sig.domain == "good.example"
    assert codes(sig) == ["dkim.tag_duplicate"]
    assert sig.tags[2:4] == (("d", "good.example"), ("d", "evil.example"))


def test_semantic_checks_each_yield_their_defect() -> None:
    sig = signature(
        "v=2; a=rsa-md5; c=future/simple; d=example.com; s=s; h=to:subject; bh=Y!==; b=YQ==;"
        " t=200; x=100; l=-5; q=dns; i=user@other.example"
    )
    assert sorted(codes(sig)) == sorted(
        [
            "dkim.version",
            "dkim.algorithm_unknown",
            "dkim.canonicalization_unknown",
            "dkim.from_unsigned",
            "dkim.number",
            "dkim.expiration_before_timestamp",
            "dkim.identity_mismatch",
            "dkim.base64",
            "dkim.query_method_unknown",
        ]
    )
    assert sig.body_length is None
    assert (sig.timestamp, sig.expiration) == (
        datetime.fromtimestamp(200, tz=UTC),
        datetime.fromtimestamp(100, tz=UTC),
    )


def test_identity_is_dkim_quoted_printable_decoded() -> None:
    sig = signature("v=1; a=rsa-sha256; d=messiah.edu; s=s; h=from; bh=YQ==; b=YQ==; i=jlong=40messiah=2Eedu")
    assert sig.identity == "jlong@messiah.edu"
    assert ("i", "jlong=40messiah=2Eedu") in sig.tags
    assert sig.defects == ()
    assert decode_dkim_quoted_printable("=E2=82=AC x=4") == "€x=4"


def test_body_length_is_an_integer() -> None:
    assert signature("v=1; a=rsa-sha256; d=x.example; s=s; h=from; bh=YQ==; b=YQ==; l=1234").body_length == 1234


def test_empty_signature_is_flagged_not_raised() -> None:
    sig = signature("")
    assert sig.domain is None
    assert "dkim.empty" in codes(sig)
    assert codes(sig).count("dkim.tag_missing") == 7


def test_to_dict_keys_are_the_attribute_names_and_serialise_to_json() -> None:
    (sig,) = parse_authentication(parse_message(RFC_EXAMPLE)).dkim_signatures
    data = sig.to_dict()
    assert list(data) == [f.name for f in dataclasses.fields(sig)]
    assert data["tags"][0] == ["v", "1"]
    json.dumps(data)


def test_defects_per_field_are_capped() -> None:
    sig = signature("junk;" * 5000)
    assert len(sig.defects) == 21
    assert sig.defects[-1].code == "dkim.too_many_defects"
