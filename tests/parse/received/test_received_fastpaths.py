"""The speed-ups of the Received parser give exactly what the plain code gives.

* the fast date path (``dates._fast``) against the full chain on every corpus date;
* ``make_received`` / ``make_endpoint`` / ``make_receiving_host`` / ``make_tls`` against the dataclass constructors;
* the two-label ``by`` domain lookup against :func:`host_in`;
* the dotted-quad check in ``normalise_ip`` against :mod:`ipaddress`;
* the direct ``from HELO (rdns [ipv4])`` and ``from NAME (address)`` readings against the general ``from`` reading;
* the one-word ``with`` reading against the general reading of the clause's words.
"""

from __future__ import annotations

import ipaddress
from dataclasses import fields
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailtrace.defects import Defect
from mailtrace.model.received import (
    Endpoint,
    Received,
    ReceivingHost,
    TLSInfo,
    make_endpoint,
    make_received,
    make_receiving_host,
    make_tls,
)
from mailtrace.parse.dates import _fast, _parse_full
from mailtrace.parse.message import parse_message
from mailtrace.parse.received import parse_received_value
from mailtrace.parse.received.clauses import Clause, Clauses, scan_and_group
from mailtrace.parse.received.dialects.base import by_domain_in, host_in, two_label_domains
from mailtrace.parse.received.draft import Draft, Line
from mailtrace.parse.received.generic import _from_name_ip, _from_name_v4, read_from_clause, read_with, read_with_words
from mailtrace.parse.received.ipaddr import normalise_ip
from mailtrace.parse.received.scanner import COMMENT, LITERAL, WORD, ScanResult


def _corpus_received_values(corpus: Path, limit: int) -> list[str]:
    out: list[str] = []
    for path in sorted(corpus.rglob("*.eml")):
        message = parse_message(path.read_bytes())
        out.extend(field.value for field in message.get_all("Received"))
        if len(out) >= limit:
            break
    return out


@pytest.mark.corpus
def test_fast_date_path_matches_full_chain_on_corpus_dates(corpus: Path) -> None:
    values = _corpus_received_values(corpus, 4000)
    assert len(values) > 500
    fast_hits = 0
    for value in values:
        _scanned, clauses = scan_and_group(value)
        text = " ".join(t for kind, t in clauses.date_tokens if kind != COMMENT)
        fast = _fast(text.strip())
        if fast is None:
            continue
        fast_hits += 1
        full, defects = _parse_full(text)
        assert defects == () and full == fast and full is not None, text
        assert full.utcoffset() == fast.utcoffset() and full.tzname() == fast.tzname(), text
    assert fast_hits > len(values) // 2  # the usual form really is the usual form


def test_make_received_equals_the_dataclass_constructor() -> None:
    stamp = datetime(2024, 5, 15, 10, 0, 3, tzinfo=UTC)
    tls = TLSInfo(version="TLSv1.3", cipher="TLS_AES_256_GCM_SHA384", bits=256)
    values = {
        "index": 2,
        "header_index": 7,
        "raw": "from a by b; date",
        "from_": Endpoint(helo="a", rdns="a.example", ip="192.0.2.1", port=25, ident="u"),
        "by": ReceivingHost(host="b", ip="192.0.2.2"),
        "via": "v",
        "with_": "ESMTPS",
        "id": "X1",
        "for_": "bob@example.org",
        "envelope_from": "alice@example.net",
        "tls": tls,
        "authenticated": True,
        "auth": "PLAIN",
        "timestamp": stamp,
        "software": "postfix",
        "kind": "smtp",
        "defects": (Defect("received.no_by", "x"),),
    }
    assert list(values) == [f.name for f in fields(Received)]  # make_received takes them in this order
    built = make_received(*values.values())
    expected = Received(**values)  # type: ignore[arg-type]
    assert built == expected and hash(built) == hash(expected) and built.to_dict() == expected.to_dict()
    with pytest.raises(AttributeError):
        built.index = 3  # type: ignore[misc]  # still frozen
    assert make_endpoint("h", "r", "192.0.2.9", None, None) == Endpoint(helo="h", rdns="r", ip="192.0.2.9")
    assert make_receiving_host("mx", None) == ReceivingHost(host="mx")
    details = (("key-exchange", "X25519"),)
    made = make_tls("TLSv1.3", "TLS_AES_256_GCM_SHA384", 256, details)
    assert made == TLSInfo(version="TLSv1.3", cipher="TLS_AES_256_GCM_SHA384", bits=256, details=details)
    assert hash(made) == hash(TLSInfo(version="TLSv1.3", cipher="TLS_AES_256_GCM_SHA384", bits=256, details=details))
    assert make_tls(None, None, None, ()) == TLSInfo()


def test_parsed_hop_is_a_normal_received() -> None:
    hop = parse_received_value(
        "from mail.example.net (mail.example.net [192.0.2.25]) by mx.example.org (Postfix) with ESMTP id 4AB"
        " for <bob@example.org>; Wed, 15 May 2024 10:00:03 +0000 (UTC)"
    )
    rebuilt = Received(**{f.name: getattr(hop, f.name) for f in fields(Received)})
    assert hop == rebuilt and repr(hop) == repr(rebuilt)


_LABEL = st.sampled_from(["google", "gmail", "com", "net", "mx", "a", "", "x-google", "googlecom", "COM", "2002:db8"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_LABEL, min_size=0, max_size=5), st.sampled_from(["", ".", ".."]))
def test_by_domain_lookup_equals_host_in(labels: list[str], trail: str) -> None:
    host = ".".join(labels) + trail
    domains = ("google.com", "gmail.com", "a.net")
    line = Line(f"by {host} with SMTP", *scan_and_group(f"by {host} with SMTP"))
    assert by_domain_in(line, two_label_domains(*domains)) == host_in(line.by_host, *domains)


def test_two_label_domains_refuses_other_shapes() -> None:
    with pytest.raises(ValueError, match="two-label"):
        two_label_domains("mail.google.com")


_OCTET = st.sampled_from(
    ["0", "00", "01", "1", "9", "10", "99", "100", "199", "255", "256", "300", "999", "1000", "a", ""]
)


def _reference_ipv4(text: str) -> str | None:
    """What normalise_ip did before the fast check: the same clean-up, then ipaddress."""
    text = text.strip("?[]/").rstrip(".")
    if text.count(".") != 3:
        return None
    try:
        return str(ipaddress.IPv4Address(text))
    except ValueError:
        return None


@settings(max_examples=500, deadline=None)
@given(st.lists(_OCTET, min_size=1, max_size=5))
def test_ipv4_fast_check_equals_ipaddress(octets: list[str]) -> None:
    text = ".".join(octets)
    assert normalise_ip.__wrapped__(text) == _reference_ipv4(text)
    assert normalise_ip.__wrapped__(f"[{text}]") == _reference_ipv4(text)


_NAME = st.sampled_from(
    ["mail.example.net", "unknown", "helo", "EHLO", "account", "using", "tls.example", "authenticated", "a,", "1.2.3.4",
     "10.0.0.1,", "abc", "deadbeef", "fe80", "?x", "/x", "x.", ".", "IDENT", "\u0661x", "envelope-x", "cipher"]
)  # fmt: skip
_V4 = st.sampled_from(["192.0.2.1", "010.0.0.1", "256.1.1.1", "0.0.0.0", "1.2.3.4"])
_HELO = st.sampled_from(["mail.example.net", "[192.0.2.9]", "192.0.2.1", "192.0.2.9", "x.", "unknown"])


@settings(max_examples=400, deadline=None)
@given(_HELO, _NAME, _V4)
def test_from_name_v4_equals_the_general_from_reading(helo: str, name: str, v4: str) -> None:
    text = f"from {helo} ({name} [{v4}]) by mx.example.org (Postfix) with ESMTP id 1; Mon, 1 Jan 2024 00:00:00 +0000"
    line = Line(text, *scan_and_group(text))
    clause = line.clause("from")
    assert clause is not None
    fast, general = Draft(), Draft()
    taken = _from_name_v4(helo, clause.comments[0], fast) if clause.values[0][0] == WORD else False
    read_from_clause(line, clause, general)
    if taken:
        names = getattr(Draft, "__slots__", None) or Draft.__mypyc_attrs__  # type: ignore[attr-defined]  # compiled
        assert [getattr(fast, s) for s in names] == [getattr(general, s) for s in names], text
    if name == "mail.example.net" and v4 == "192.0.2.1" and helo[0] != "[":
        assert taken  # the usual line does take the direct reading


_ADDRESS = st.sampled_from(
    ["2603:10a6:20b:4a4::18", "192.0.2.1", "::ffff:192.0.2.7", "::1", "0.0.0.0", "010.0.0.1", "1.2.3", ".1.2.3.4",
     "abc", "dead:beef", "fe80::1%eth0", ":", "...", "1.2.3.4.", "2001:DB8::A", "192.0.2.1:25", "a.b", "ffff"]
)  # fmt: skip
_SOFTWARE = st.sampled_from([None, "exim", "qmail", "exchange", "sendmail"])


@settings(max_examples=400, deadline=None)
@given(_HELO, _ADDRESS, _SOFTWARE)
def test_from_name_ip_equals_the_general_from_reading(helo: str, address: str, software: str | None) -> None:
    text = f"from {helo} ({address}) by mx.example.org with Microsoft SMTP Server id 15.20.1; Mon, 1 Jan 2024"
    line = Line(text, *scan_and_group(text))
    clause = line.clause("from")
    assert clause is not None
    fast, general = Draft(), Draft()
    fast.software = general.software = software
    taken = _from_name_ip(helo, clause.comments[0], fast) if clause.values[0][0] == WORD else False
    read_from_clause(line, clause, general)
    if taken:
        names = getattr(Draft, "__slots__", None) or Draft.__mypyc_attrs__  # type: ignore[attr-defined]  # compiled
        assert [getattr(fast, s) for s in names] == [getattr(general, s) for s in names], text
    if address == "2603:10a6:20b:4a4::18" and helo[0] != "[":
        assert taken  # Exchange's usual line does take the direct reading


def test_from_name_ip_on_a_100k_hostile_comment() -> None:
    # The address-only pattern is one possessive character class: linear on any input.
    for comment in ("1:" * 50_000, "a" * 100_000, "0." * 50_000 + "x"):
        draft = Draft()
        assert not _from_name_ip("mail.example.net", comment, draft)
        assert draft.ip is None
        hop = parse_received_value(f"from mail.example.net ({comment}) by mx.example.org; Mon, 1 Jan 2024")
        assert hop.from_.ip is None


_WITH_WORD = st.sampled_from(
    ["ESMTPS", "esmtp", "SMTP", "tls", "TLS", "x=TLS1.3:TLS_AES_256_GCM_SHA384:256", "X=tls1.2:C:128", "x=tl",
     "Microsoft", "SMTPSVC(6.0)", "ESMTP/TLS/ECDHE-RSA-AES256-GCM-SHA384", "esmtp/tls/x", "HTTP", "LOCAL",
     "esmtpsa;", "", "\u0130x", "\u212a", "mapi"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(_WITH_WORD, st.sampled_from([WORD, LITERAL]), st.booleans())
def test_one_word_with_equals_the_general_with_reading(word: str, kind: str, tls_before: bool) -> None:
    clauses = Clauses()
    clauses.by_keyword["with"] = Clause("with", [(kind, word)], [])
    line = Line("with x", ScanResult(), clauses)
    fast, general = Draft(), Draft()
    fast.tls_cipher = general.tls_cipher = "EARLIER" if tls_before else None
    read_with(line, fast)
    read_with_words([word] if kind == WORD else [], general)
    names = getattr(Draft, "__slots__", None) or Draft.__mypyc_attrs__  # type: ignore[attr-defined]  # compiled
    assert [getattr(fast, s) for s in names] == [getattr(general, s) for s in names], word
