from __future__ import annotations

from mailtrace.parse.headers import extract_headers
from mailtrace.parse.message import parse_message

MSG = b"""Return-Path: <SRS0=ab=cd=example.com=alice@fwd.example>
Delivered-To: bob@final.example
Delivered-To: bob@old.example
X-Original-To: bob@old.example
Resent-From: Carol <carol@example.net>
Resent-Date: Tue, 14 May 2024 09:00:00 +0000
Resent-To: dave@example.org
Received: from x by y; Tue, 14 May 2024 08:59:00 +0000
Resent-From: Alice <alice@example.com>
Resent-Date: Mon, 13 May 2024 09:00:00 +0000
From: "Alice" <alice@example.com>
Reply-To: alice.private@freemail.example
To: bob@old.example
Date: Mon, 13 May 2024 08:00:00 +0000
Message-ID: <abc@example.com>
References: <r1@example.com> <r2@example.com>
Subject: hello
List-Id: Dev list <dev.lists.example.org>
List-Post: <mailto:dev@lists.example.org>
X-Originating-IP: [198.51.100.23]
X-Mailer: TestMailer 1.0

body
"""


def test_originator_fields_are_typed() -> None:
    h = extract_headers(parse_message(MSG))
    assert h.from_ is not None and h.from_.first is not None
    assert h.from_.first.domain == "example.com"
    assert h.reply_to is not None and h.reply_to.first is not None
    assert h.reply_to.first.domain == "freemail.example"
    assert h.date is not None and h.date.timestamp is not None and h.date.timestamp.hour == 8
    assert h.message_id is not None and h.message_id.ids == ("abc@example.com",)
    assert h.references is not None and h.references.ids == ("r1@example.com", "r2@example.com")
    assert h.x_mailer is not None and h.x_mailer.decoded == "TestMailer 1.0"


def test_envelope_fields_keep_every_occurrence_in_order() -> None:
    h = extract_headers(parse_message(MSG))
    assert [f.first.address for f in h.delivered_to if f.first] == ["bob@final.example", "bob@old.example"]
    assert h.return_path[0].first is not None
    assert h.return_path[0].first.local_part == "SRS0=ab=cd=example.com=alice"
    assert [(o.name, o.ip) for o in h.originating_ip] == [("X-Originating-IP", "198.51.100.23")]


def test_resent_blocks_are_grouped_in_order() -> None:
    h = extract_headers(parse_message(MSG))
    assert len(h.resent) == 2
    first = h.resent[0].get("Resent-From")
    assert first is not None and "carol@example.net" in first.value
    assert h.resent[0].defects == ()
    second = h.resent[1].get("resent-from")
    assert second is not None and "alice@example.com" in second.value


def test_list_fields_are_collected() -> None:
    h = extract_headers(parse_message(MSG))
    list_id = h.list_field("List-Id")
    assert list_id is not None and list_id.ids == ("dev.lists.example.org",)
    assert h.to_dict()["list"]["list_post"]["value"] == "<mailto:dev@lists.example.org>"


def test_missing_and_duplicate_originator_fields_are_defects() -> None:
    h = extract_headers(parse_message(b"Subject: a\nSubject: b\n\n"))
    codes = sorted(d.code for d in h.defects)
    assert codes == ["header.date_missing", "header.duplicate", "header.from_missing"]
    assert h.subject is not None and h.subject.value == "a"
