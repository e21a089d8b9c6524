"""ARC fields (RFC 8617) parsed and grouped into sets by instance."""

from __future__ import annotations

import dataclasses
import json

from mailtrace.parse.auth import Authentication, parse_authentication
from mailtrace.parse.message import parse_message

AMS = "i={i}; a=rsa-sha256; c=relaxed/relaxed; d=google.com; s=arc-20160816; h=from:to:subject; bh=YQ==; b=Yg=="
SEAL = "i={i}; a=rsa-sha256; t=1684528851; cv={cv};\r\n        d=google.com; s=arc-20160816;\r\n        b=YWJj\r\n ZGVm"
AAR = "i={i}; mx.google.com;\r\n       spf=pass smtp.mailfrom=a@example.com;\r\n       dkim=pass header.i=@example.com"


def parse(*fields: tuple[str, str]) -> Authentication:
    head = b"".join(f"{name}: {value}\r\n".encode() for name, value in fields)
    return parse_authentication(parse_message(head + b"From: a@example.com\r\n\r\n"))


def chain(*instances: int, cv: str = "pass") -> list[tuple[str, str]]:
    """Fields of the given instances, newest on top as an MTA adds them."""
    fields: list[tuple[str, str]] = []
    for i in sorted(instances, reverse=True):
        fields += [
            ("ARC-Seal", SEAL.format(i=i, cv="none" if i == 1 else cv)),
            ("ARC-Message-Signature", AMS.format(i=i)),
            ("ARC-Authentication-Results", AAR.format(i=i)),
        ]
    return fields


def codes(defects: tuple[object, ...]) -> list[str]:
    return [d.code for d in defects]  # type: ignore[attr-defined]


def test_two_sets_are_grouped_oldest_first() -> None:
    auth = parse(*chain(1, 2))
    assert [s.instance for s in auth.arc_sets] == [1, 2]
    first, second = auth.arc_sets
    assert first.seal is not None and first.message_signature is not None
    assert first.authentication_results is not None
    assert (first.seal.chain_validation, second.seal and second.seal.chain_validation) == ("none", "pass")
    assert first.seal.signature == "YWJjZGVm"
    assert first.seal.header_index == 3
    assert first.message_signature.signed_headers == ("from", "to", "subject")
    aar = first.authentication_results
    assert (aar.instance, aar.authserv_id, aar.name) == (1, "mx.google.com", "ARC-Authentication-Results")
    assert [r.method for r in aar.results] == ["spf", "dkim"]
    assert auth.defects == ()
    assert all(s.defects == () for s in auth.arc_sets)
    for s in auth.arc_sets:
        for part in (s.seal, s.message_signature, s.authentication_results):
            assert part is not None and part.defects == ()


def test_instance_gap_is_a_chain_defect() -> None:
    auth = parse(*chain(1, 3))
    assert [s.instance for s in auth.arc_sets] == [1, 3]
    assert codes(auth.defects) == ["arc.instance_gap"]


def test_incomplete_set_and_duplicate_instance() -> None:
    fields = chain(1)
    auth = parse(*fields[:2], ("ARC-Seal", SEAL.format(i=1, cv="none")))
    (only,) = auth.arc_sets
    assert only.authentication_results is None
    assert only.seal is not None and only.seal.header_index == 0
    assert codes(only.defects) == ["arc.instance_duplicate", "arc.set_incomplete"]


def test_missing_and_out_of_range_instances() -> None:
    auth = parse(
        ("ARC-Seal", "a=rsa-sha256; cv=none; d=x.example; s=s; b=YQ=="),
        ("ARC-Message-Signature", AMS.format(i=51)),
        ("ARC-Authentication-Results", "i=0; x.example; none"),
    )
    assert codes(auth.defects) == [
        "arc.instance_missing",
        "arc.instance_range",
        "arc.instance_range",
        "arc.instance_gap",
    ]
    assert [s.instance for s in auth.arc_sets] == [51]


def test_seal_checks_cv_and_forbidden_h() -> None:
    auth = parse(
        ("ARC-Seal", "i=2; a=rsa-sha256; cv=none; d=x.example; s=s; b=YQ=="),
        ("ARC-Seal", "i=1; a=rsa-sha256; cv=maybe; d=x.example; s=s; b=YQ==; h=from"),
    )
    first, second = auth.arc_sets
    assert first.seal is not None and second.seal is not None
    assert codes(first.seal.defects) == ["arc.cv_invalid", "arc.seal_h_tag"]
    assert codes(second.seal.defects) == ["arc.cv_unexpected"]
    assert codes(first.defects) == ["arc.set_incomplete"]


def test_message_signature_missing_tags() -> None:
    auth = parse(("ARC-Message-Signature", "i=1; a=rsa-sha256; d=x.example; s=s; h=from; bh=YQ=="))
    ams = auth.arc_sets[0].message_signature
    assert ams is not None
    assert codes(ams.defects) == ["arc.tag_missing"]


def test_microsoft_aar_with_version_and_aar_without_instance() -> None:
    auth = parse(
        ("ARC-Authentication-Results", "i=1; mx.microsoft.com 1; spf=pass smtp.mailfrom=nxp.com; arc=none"),
        ("ARC-Authentication-Results", "mx.example.com; spf=pass smtp.mailfrom=a.example"),
    )
    aar = auth.arc_sets[0].authentication_results
    assert aar is not None
    assert (aar.authserv_id, aar.version, [r.method for r in aar.results]) == ("mx.microsoft.com", 1, ["spf", "arc"])
    assert codes(auth.defects) == ["arc.instance_missing"]


def test_to_dict_keys_are_the_attribute_names() -> None:
    auth = parse(*chain(1))
    data = auth.to_dict()
    assert list(data) == [f.name for f in dataclasses.fields(auth)]
    arc_set = auth.arc_sets[0]
    assert list(data["arc_sets"][0]) == [f.name for f in dataclasses.fields(arc_set)]
    assert arc_set.seal is not None and arc_set.message_signature is not None
    assert list(data["arc_sets"][0]["seal"]) == [f.name for f in dataclasses.fields(arc_set.seal)]
    assert list(data["arc_sets"][0]["message_signature"]) == [
        f.name for f in dataclasses.fields(arc_set.message_signature)
    ]
    assert data["arc_sets"][0]["seal"]["timestamp"] == "2023-05-19T20:40:51+00:00"
    json.dumps(data)
