"""Loading messages from every kind of source (mailtrace.load)."""

from __future__ import annotations

import io
import tracemalloc
from pathlib import Path

import pytest

import mailtrace
from mailtrace.errors import MailtraceError, UnreadableInputError, UnsupportedFormatError

ONE = b"Received: from a by b; Mon, 13 May 2024 10:00:00 +0000\nFrom: a@example.com\nSubject: one\n\nbody\n"


def _mbox(n: int, body: bytes = b"body\n") -> bytes:
    parts = []
    for i in range(n):
        parts.append(
            b"From sender@example.com Mon May 13 10:00:00 2024\n"
            + b"From: a@example.com\nSubject: message %d\n\n" % i
            + body
            + b">From the archive, quoted\n\n"
        )
    return b"".join(parts)


def test_analyze_accepts_bytes_str_path_and_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "m.eml"
    path.write_bytes(ONE)
    subjects = set()
    with path.open("rb") as fh:
        for source in (ONE, ONE.decode(), path, str(path), io.BytesIO(ONE), fh):
            report = mailtrace.analyze(source)
            assert report.headers.subject is not None
            subjects.add(report.headers.subject.value)
    assert subjects == {"one"}
    assert mailtrace.analyze(path).source.name == str(path)


def test_text_mode_file_is_a_programmer_error(tmp_path: Path) -> None:
    path = tmp_path / "m.eml"
    path.write_bytes(ONE)
    with path.open("r") as fh, pytest.raises(TypeError, match="binary mode"):
        mailtrace.analyze(fh)


def test_mbox_yields_one_report_per_message_with_position(tmp_path: Path) -> None:
    path = tmp_path / "box.mbox"
    path.write_bytes(_mbox(3))
    reports = list(mailtrace.analyze_many(path))
    assert [r.headers.subject.value for r in reports if r.headers.subject] == ["message 0", "message 1", "message 2"]
    assert [r.source.position for r in reports] == [0, 1, 2]
    assert all(r.source.format == "mbox" for r in reports)
    assert reports[1].source.offset == len(_mbox(1))
    # mboxrd quoting is undone in the body
    assert b"\nFrom the archive, quoted" in reports[0].message.body


def test_analyze_refuses_an_mbox_with_several_messages(tmp_path: Path) -> None:
    path = tmp_path / "box.mbox"
    path.write_bytes(_mbox(2))
    with pytest.raises(MailtraceError, match="analyze_many"):
        mailtrace.analyze(path)


def test_mbox_is_streamed_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.mbox"
    body = b"x" * 1000 + b"\n"
    with path.open("wb") as fh:
        for _ in range(40):
            fh.write(_mbox(100, body * 20))  # ~8 MB in all
    tracemalloc.start()
    count = 0
    for report in mailtrace.analyze_many(path):
        count += 1
        del report
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 4000
    assert peak < 2_000_000, peak  # a few messages at a time, not the 8 MB file


def test_maildir_and_folder(tmp_path: Path) -> None:
    for sub in ("cur", "new", "tmp"):
        (tmp_path / "md" / sub).mkdir(parents=True)
    (tmp_path / "md" / "new" / "1.host").write_bytes(ONE)
    (tmp_path / "md" / "cur" / "2.host:2,S").write_bytes(ONE.replace(b"one", b"two"))
    reports = list(mailtrace.analyze_many(tmp_path / "md"))
    assert [r.headers.subject.value for r in reports if r.headers.subject] == ["one", "two"]
    assert {r.source.format for r in reports} == {"maildir"}
    folder = tmp_path / "folder"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.eml").write_bytes(ONE)
    (folder / "sub" / "b.mbox").write_bytes(_mbox(2))
    assert len(list(mailtrace.analyze_many(folder))) == 3


@pytest.mark.parametrize(
    ("head", "name"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "Outlook .msg"),
        (b"%PDF-1.7\n%...", "PDF"),
    ],
)
def test_unsupported_formats_name_the_file_and_format(tmp_path: Path, head: bytes, name: str) -> None:
    path = tmp_path / "evidence.bin"
    path.write_bytes(head)
    with pytest.raises(UnsupportedFormatError) as info:
        mailtrace.analyze(path)
    assert str(path) in str(info.value) and name in str(info.value)


def test_missing_file_is_unreadable_input(tmp_path: Path) -> None:
    with pytest.raises(UnreadableInputError, match="no such file"):
        mailtrace.analyze(tmp_path / "nope.eml")


def test_header_only_and_crlf_input() -> None:
    report = mailtrace.analyze(b"Received: from a by b; Mon, 13 May 2024 10:00:00 +0000\r\nSubject: x\r\n")
    assert report.message.header_only
    assert report.message.newline == "\r\n"
    assert len(report.received) == 1


def test_raw_bytes_are_kept_exactly() -> None:
    raw = b"From: a@example.com\r\nSubject: \xff\r\n\r\nbody\r\n"
    assert mailtrace.analyze(raw).message.raw == raw
