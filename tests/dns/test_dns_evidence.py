"""Record and replay: DNS answers as evidence files."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mailtrace import Policy, analyze
from mailtrace.batch import run
from mailtrace.dns import Answer, OfflineZone, RecordingResolver, ReplayResolver, Status, ZoneMissError
from mailtrace.errors import ConfigurationError
from mailtrace.load.sources import Source
from mailtrace.report import Report

ZONE = OfflineZone.from_dict(
    {"example.com": {"TXT": ["v=spf1 -all"]}, "slow.example": "TIMEOUT", "gone.example": "NXDOMAIN"}
)


def _fixed() -> datetime:
    return datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def test_recording_writes_header_and_one_line_per_lookup_with_its_time(tmp_path: Path) -> None:
    path = tmp_path / "dns.jsonl"
    with RecordingResolver(ZONE, path, now=_fixed) as rec:
        assert rec.resolve("example.com", "TXT").records == ("v=spf1 -all",)
        rec.resolve("slow.example", "A")
    lines = [json.loads(x) for x in path.read_text().splitlines()]
    assert lines[0]["format"] == "mailtrace-dns-evidence" and lines[0]["version"] == 1
    assert lines[1]["time"] == "2026-11-23T12:00:00+00:00" and lines[1]["status"] == "NOERROR"
    assert lines[2]["status"] == "TIMEOUT"


def test_replay_gives_back_exactly_what_was_recorded(tmp_path: Path) -> None:
    path = tmp_path / "dns.jsonl"
    questions = [("example.com", "TXT"), ("slow.example", "A"), ("gone.example", "TXT")]
    with RecordingResolver(ZONE, path) as rec:
        recorded = [rec.resolve(n, t) for n, t in questions]
    replay = ReplayResolver.from_file(path)
    assert [replay.resolve(n, t) for n, t in questions] == recorded


def test_hostile_txt_text_is_written_as_ascii_escapes_and_replays_unchanged(tmp_path: Path) -> None:
    # a TXT record is its owner's text: DEL, a C1 CSI, a bidi override and ESC must not reach a
    # terminal that shows the evidence file, and replay must give the very same answer back
    hostile = "v=spf1 \x1b[31m\x7f\x9b2J\u202etxt.lve -all \u00e9"
    zone = OfflineZone.from_dict({"evil.example": {"TXT": [hostile]}})
    path = tmp_path / "dns.jsonl"
    with RecordingResolver(zone, path) as rec:
        recorded = rec.resolve("evil.example", "TXT")
    raw = path.read_bytes()
    assert raw.isascii() and not any(b < 0x20 and b != 0x0A for b in raw) and 0x7F not in raw
    assert "\\u009b" in raw.decode() and "\\u202e" in raw.decode()
    assert ReplayResolver.from_file(path).resolve("evil.example", "TXT") == recorded
    assert recorded.records == (hostile,)


def test_replay_of_an_unrecorded_question_is_servfail_or_strict_error() -> None:
    buf = io.StringIO()
    RecordingResolver(ZONE, buf).resolve("example.com", "TXT")
    lines = buf.getvalue().splitlines()
    missing = ReplayResolver.from_lines(lines).resolve("other.example", "TXT")
    assert missing.status is Status.SERVFAIL and "evidence" in missing.detail
    with pytest.raises(ZoneMissError):
        ReplayResolver.from_lines(lines, strict=True).resolve("other.example", "TXT")


def test_replay_serves_repeated_questions_in_recorded_order() -> None:
    first = '{"name": "a.example", "type": "A", "status": "TIMEOUT"}'
    second = '{"name": "a.example", "type": "A", "status": "NOERROR", "records": ["192.0.2.1"]}'
    header = '{"format": "mailtrace-dns-evidence", "version": 1}'
    replay = ReplayResolver.from_lines([header, first, second])
    statuses = [replay.resolve("a.example", "A").status for _ in range(3)]
    assert statuses == [Status.TIMEOUT, Status.NOERROR, Status.NOERROR]


@pytest.mark.parametrize(
    "lines",
    [[], ["not json"], ['{"format": "something-else"}'], ['{"format": "mailtrace-dns-evidence", "version": 9}']],
)
def test_replay_rejects_files_that_are_not_evidence(lines: list[str]) -> None:
    with pytest.raises(ConfigurationError):
        ReplayResolver.from_lines(lines)


class _Flapping:
    """A live server as it may behave: the first question for a name times out, later ones answer."""

    def __init__(self, zone: OfflineZone) -> None:
        self.zone = zone
        self.asked: set[tuple[str, str]] = set()

    def resolve(self, name: str, rtype: str, *, timeout: float | None = None) -> Answer:
        key = (name.lower().rstrip("."), rtype.upper())
        if key not in self.asked:
            self.asked.add(key)
            return Answer(name=key[0], rtype=key[1], status=Status.TIMEOUT, detail="first try timed out")
        return self.zone.resolve(name, rtype)


def _message(subject: str) -> bytes:
    return (
        "Received: from mail.example.com (mail.example.com [192.0.2.10])\r\n"
        "\tby mx.example.org with ESMTPS id 4AbC; Mon, 23 Nov 2026 12:00:00 +0000\r\n"
        "Return-Path: <bounce@example.com>\r\n"
        "From: Alice <alice@example.com>\r\n"
        "To: bob@example.org\r\n"
        f"Subject: {subject}\r\n"
        "Date: Mon, 23 Nov 2026 11:59:58 +0000\r\n"
        f"Message-ID: <{subject}@example.com>\r\n"
        "\r\n"
        "body\r\n"
    ).encode()


def test_each_message_replays_its_own_answers_in_any_order_and_with_threads(tmp_path: Path) -> None:
    # The first message's questions time out while recording, the second's are answered. Replay must
    # give each message what it got, whatever order the messages are analysed in: before answers were
    # keyed by message, replaying in another order (or with --jobs) swapped them between messages.
    zone = OfflineZone.from_dict(
        {"example.com": {"TXT": ["v=spf1 ip4:192.0.2.10 -all"]}, "_dmarc.example.com": {"TXT": ["v=DMARC1; p=reject"]}}
    )
    first, second = _message("first"), _message("second")
    path = tmp_path / "dns.jsonl"
    with RecordingResolver(_Flapping(zone), path, now=_fixed) as rec:
        policy = Policy(resolver=rec)
        recorded = {raw: analyze(raw, policy=policy).to_dict()["verification"] for raw in (first, second)}
    assert recorded[first]["spf"]["result"] == "temperror" and recorded[second]["spf"]["result"] == "pass"
    lines = [json.loads(x) for x in path.read_text().splitlines()[1:]]
    assert {line["message_sha256"] for line in lines} == {
        hashlib.sha256(first).hexdigest(),
        hashlib.sha256(second).hexdigest(),
    }

    def replayed(order: list[bytes], jobs: int) -> dict[bytes, object]:
        replay = ReplayResolver.from_file(path)
        policy = Policy(resolver=replay)
        items = [(raw, Source(name=f"m{i}", format="eml")) for i, raw in enumerate(order)]
        docs = list(run(items, Report.to_dict, policy=policy, jobs=jobs))
        return {raw: doc["verification"] for raw, doc in zip(order, docs, strict=True)}

    for result in (replayed([second, first], 1), replayed([first, second], 2), replayed([second, first], 2)):
        for raw in (first, second):
            assert {k: result[raw][k] for k in ("spf", "dmarc")} == {k: recorded[raw][k] for k in ("spf", "dmarc")}


def test_files_without_message_keys_still_replay_in_recorded_order() -> None:
    header = '{"format": "mailtrace-dns-evidence", "version": 1}'
    first = '{"message_sha256": "aa", "name": "a.example", "type": "A", "status": "TIMEOUT"}'
    second = '{"name": "a.example", "type": "A", "status": "NOERROR", "records": ["192.0.2.1"]}'
    replay = ReplayResolver.from_lines([header, first, second])
    assert len(replay) == 2
    # outside an analysis, every answer for the question in recorded order, whoever it was for
    assert [replay.resolve("a.example", "A").status for _ in range(3)] == [
        Status.TIMEOUT,
        Status.NOERROR,
        Status.NOERROR,
    ]
