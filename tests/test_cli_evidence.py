"""Evidence is never destroyed: the DNS evidence file and --output never replace an input or a message."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from mailtrace.cli import main
from mailtrace.dns import OfflineZone, RecordingResolver, ReplayResolver
from mailtrace.errors import ConfigurationError
from mailtrace.outputs import holds_message
from tests.batch._mail import message

ZONE = '{"example.net": {"TXT": ["v=spf1 ip4:198.51.100.0/24 -all"]}}'


def run(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    code = main(argv, stdout=out)
    return code, out.getvalue()


def _checks(doc: dict[str, object]) -> dict[str, object]:
    """The re-check results (``verification.dns`` says which resolver answered: it differs on replay)."""
    verification = dict(doc["verification"])  # type: ignore[call-overload]
    verification.pop("dns")
    return verification


@pytest.fixture
def case(tmp_path: Path) -> tuple[Path, Path, Path]:
    victim, other, zone = tmp_path / "victim.eml", tmp_path / "other.eml", tmp_path / "zone.json"
    victim.write_bytes(message(subject="the evidence"))
    other.write_bytes(message(subject="another"))
    zone.write_text(ZONE)
    return victim, other, zone


def test_forgotten_record_file_never_overwrites_the_message(
    case: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    victim, other, _ = case
    before = victim.read_bytes()
    code, text = run(["analyze", "--dns", "record", str(victim), str(other)])
    assert code == 2 and text == ""
    assert victim.read_bytes() == before
    assert "already holds a message" in capsys.readouterr().err
    for argv in (
        ["--dns=record", str(victim)],
        ["--record", str(victim)],
        ["--record", str(victim), "--overwrite-record"],
    ):
        assert run(["analyze", *argv, str(other)])[0] == 2
        assert victim.read_bytes() == before


def test_record_file_that_is_an_input_or_inside_an_input_folder_is_refused(
    case: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    victim, other, zone = case
    before = other.read_bytes()
    assert run(["analyze", "--zone", str(zone), "--record", str(other), str(other)])[0] == 2
    assert other.read_bytes() == before
    assert "is also an input" in capsys.readouterr().err
    assert (
        run(["analyze", "--zone", str(zone), "--record", str(victim.parent / "new.jsonl"), str(victim.parent)])[0] == 2
    )
    assert not (victim.parent / "new.jsonl").exists()


def test_old_and_new_spellings_record_then_replay(case: tuple[Path, Path, Path], tmp_path: Path) -> None:
    victim, _, zone = case
    out_dir = tmp_path / "evidence"
    out_dir.mkdir()
    spellings = {
        "a.jsonl": ["--dns", "record"],
        "b.jsonl": ["--dns=record"],
        "c.jsonl": ["--record"],
    }
    results = []
    for name, spelling in spellings.items():
        code, text = run(
            ["analyze", "--format", "json", "--zone", str(zone), *spelling, str(out_dir / name), str(victim)]
        )
        assert code == 0, name
        lines = (out_dir / name).read_text().splitlines()
        assert json.loads(lines[0])["format"] == "mailtrace-dns-evidence" and len(lines) > 1
        results.append(_checks(json.loads(text)))
    assert results[0] == results[1] == results[2] and results[0]["spf"]["result"] == "pass"
    for spelling in (["--dns", "replay"], ["--dns=replay"], ["--replay"]):
        code, text = run(["analyze", "--format", "json", *spelling, str(out_dir / "a.jsonl"), str(victim)])
        assert code == 0 and _checks(json.loads(text)) == results[0]


def test_existing_evidence_needs_overwrite_record(case: tuple[Path, Path, Path], tmp_path: Path) -> None:
    victim, _, zone = case
    evidence = tmp_path / "dns.jsonl"
    assert run(["analyze", "--zone", str(zone), "--record", str(evidence), str(victim)])[0] == 0
    first = evidence.read_bytes()
    assert run(["analyze", "--zone", str(zone), "--record", str(evidence), str(victim)])[0] == 2
    assert evidence.read_bytes() == first
    assert run(["analyze", "--zone", str(zone), "--record", str(evidence), "--overwrite-record", str(victim)])[0] == 0
    assert ReplayResolver.from_file(evidence).created is not None


def test_overwrite_record_never_replaces_a_file_that_is_not_evidence(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my case notes\n")
    with pytest.raises(ConfigurationError, match="not a DNS evidence file"):
        RecordingResolver(OfflineZone({}), notes, overwrite=True)
    assert notes.read_text() == "my case notes\n"


@pytest.mark.parametrize("spelling", [["--dns", "record"], ["--dns=record"], ["--dns", "replay"]])
def test_old_spelling_without_a_file_is_a_usage_error(spelling: list[str]) -> None:
    assert run(["analyze", *spelling])[0] == 2
    assert run(["analyze", *spelling, "--format", "json"])[0] == 2


def test_recording_keeps_each_answer_on_disk_as_it_comes(tmp_path: Path) -> None:
    evidence = tmp_path / "dns.jsonl"
    zone = OfflineZone.from_dict({"example.com": {"TXT": ["v=spf1 -all"]}})
    recorder = RecordingResolver(zone, evidence)
    recorder.resolve("example.com", "TXT")
    recorder.resolve("missing.example", "TXT")
    # Not closed (as after a crash): both answers are already in the file.
    lines = evidence.read_text().splitlines()
    assert [json.loads(line).get("status") for line in lines] == [None, "NOERROR", "NXDOMAIN"]
    recorder.close()
    with pytest.raises(ConfigurationError, match="exists"):
        RecordingResolver(zone, evidence)


def test_output_never_replaces_an_input(case: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    victim, other, _ = case
    before = victim.read_bytes()
    assert run(["analyze", "--output", str(victim), str(victim), str(other)])[0] == 2
    assert run(["analyze", "-o", str(victim), str(other)])[0] == 2  # not an input, but it holds a message
    assert run(["summary", "--output", str(victim), str(victim.parent)])[0] == 2
    assert victim.read_bytes() == before
    assert "mailtrace never writes over" in capsys.readouterr().err


def test_output_file_gets_the_report(case: tuple[Path, Path, Path], tmp_path: Path) -> None:
    victim, _, _ = case
    target = tmp_path / "out" / "reports.csv"
    target.parent.mkdir()
    code, text = run(["analyze", "--format", "csv", "--output", str(target), str(victim)])
    assert code == 0 and text == ""
    assert "the evidence" in target.read_text()
    assert not holds_message(target)


def test_holds_message_sniffs_mail_and_not_evidence(tmp_path: Path) -> None:
    cases = {
        "mail.eml": message(),
        "mbox": b"From alice@example.net Mon May 13 10:00:00 2024\n" + message(),
        "folded.eml": b"Received: from a\n\tby b; Mon, 13 May 2024 10:00:00 +0000\nFrom: a@b.example\n\nx\n",
        "evidence.jsonl": b'{"format": "mailtrace-dns-evidence", "version": 1}\n',
        "report.csv": b"source,position,date\n/x.eml,,2024\n",
        "notes.txt": b"Subject: my notes\nthat go on in prose\n",
        "empty": b"",
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
    found = {name for name in cases if holds_message(tmp_path / name)}
    assert found == {"mail.eml", "mbox", "folded.eml"}
