"""Loading messages from every kind of source (mailtrace.load)."""

from __future__ import annotations

import io
import tracemalloc
from pathlib import Path

import pytest

import mailtrace
from mailtrace.batch import iter_items
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
        for source in (ONE, ONE.decode(), path, io.BytesIO(ONE), fh):
            report = mailtrace.analyze(source)
            assert report.headers.subject is not None
            subjects.add(report.headers.subject.value)
    assert subjects == {"one"}
    assert mailtrace.analyze(path).source.name == str(path)


def test_a_str_is_content_never_a_path(tmp_path: Path) -> None:
    path = tmp_path / "m.eml"
    path.write_bytes(ONE)
    for text in ("/etc/hostname", str(path), str(tmp_path / "missing.eml")):
        report = mailtrace.analyze(text)
        assert report.source.name == "<text>" and report.message.raw == text.encode()
        assert report.headers.subject is None
        assert "message.no_header" in {d.code for d in report.defects}


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
    # mboxo (assumed): a ">From " line is kept as the file holds it, with a defect that it may be quoting
    assert b"\n>From the archive, quoted" in reports[0].message.body
    assert "mbox.body_quoting" in {d.code for d in reports[0].defects}
    assert reports[0].source.mbox_variant == "mboxo"
    assert reports[0].to_dict()["source"]["mbox_variant"] == "mboxo"


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
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000, "cannot be read as an Outlook .msg"),
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


def test_a_path_holding_a_nul_byte_is_unreadable_input_not_a_crash(tmp_path: Path) -> None:
    # a path from a list (an archive's index, a database) may hold a NUL, which no file name can
    bad = tmp_path / "a\0b.eml"
    with pytest.raises(UnreadableInputError, match="NUL byte"):
        mailtrace.analyze(bad)
    (tmp_path / "ok.eml").write_bytes(ONE)
    results = list(iter_items([bad, tmp_path / "ok.eml"]))  # a batch goes on past it
    assert isinstance(results[0], mailtrace.InputError) and results[0].code == "input.unreadable"
    assert not isinstance(results[1], mailtrace.InputError) and results[1][0] == ONE


def test_header_only_and_crlf_input() -> None:
    report = mailtrace.analyze(b"Received: from a by b; Mon, 13 May 2024 10:00:00 +0000\r\nSubject: x\r\n")
    assert report.message.header_only
    assert report.message.newline == "\r\n"
    assert len(report.received) == 1


def test_raw_bytes_are_kept_exactly() -> None:
    raw = b"From: a@example.com\r\nSubject: \xff\r\n\r\nbody\r\n"
    assert mailtrace.analyze(raw).message.raw == raw


def test_a_stream_is_read_in_chunks_and_a_long_message_cut_with_a_defect() -> None:
    limits = mailtrace.Limits(max_message_bytes=10_000)
    raw = ONE + b"x" * 100_000 + b"\n"
    (report,) = mailtrace.analyze_many(io.BytesIO(raw), policy=mailtrace.Policy(limits=limits), name="<stdin>")
    assert report.source.name == "<stdin>" and len(report.message.raw) == 10_000
    (defect,) = [d for d in report.defects if d.code == "message.too_large"]
    assert f"the {len(raw) - 10_000} bytes after them were skipped" in defect.message


def test_errors_report_yields_error_results_and_goes_on(tmp_path: Path) -> None:
    (tmp_path / "a.eml").write_bytes(ONE)
    (tmp_path / "b.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 50)
    (tmp_path / "c.eml").write_bytes(b"")
    (tmp_path / "d.pdf").write_bytes(b"%PDF-1.7\n")
    (tmp_path / "e.eml").write_bytes(ONE.replace(b"one", b"five"))
    results = list(mailtrace.analyze_many(tmp_path, errors="report"))
    kinds = [r.code if isinstance(r, mailtrace.InputError) else "report" for r in results]
    assert kinds == ["report", "input.not_mail", "input.empty", "input.not_mail", "report"]
    png = results[1]
    assert isinstance(png, mailtrace.InputError)
    assert png.to_dict() == {
        "source": {"name": str(tmp_path / "b.png"), "position": None},
        "error": {"code": "input.not_mail", "message": png.message},
    }
    assert str(tmp_path / "b.png") in png.message and "a PNG image" in png.message
    with pytest.raises(UnsupportedFormatError):
        list(mailtrace.analyze_many(tmp_path))  # errors="raise", the default, stops at the PNG


def test_empty_inputs_are_errors_with_a_clear_message(tmp_path: Path) -> None:
    empty = tmp_path / "empty.eml"
    empty.write_bytes(b"")
    with pytest.raises(mailtrace.EmptyInputError, match=r"empty\.eml: empty"):
        mailtrace.analyze(empty)
    (error,) = mailtrace.analyze_many(io.BytesIO(b""), errors="report", name="<stdin>")
    assert isinstance(error, mailtrace.InputError) and error.code == "input.empty"
    assert error.message == "<stdin>: empty (0 bytes)"
    # Content given in memory is content: empty bytes are analysed as an (empty) message.
    assert mailtrace.analyze(b"").message.raw == b""
    with pytest.raises(ValueError, match="errors must be"):
        list(mailtrace.analyze_many(ONE, errors="ignore"))
    with pytest.raises(mailtrace.ConfigurationError, match="mbox_variant"):
        list(mailtrace.analyze_many(ONE, mbox_variant="mboxq"))
