"""Folders and Maildirs (mailtrace.load.folders): regular files only, no symlink out, never a hang."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

import mailtrace
from mailtrace import InputError, Report

ONE = b"From: a@example.com\nSubject: %s\n\nbody\n"


def _mail(path: Path, subject: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(ONE % subject.encode())


def _outcome(results: list[Report | InputError]) -> list[str]:
    out = []
    for r in results:
        if isinstance(r, InputError):
            out.append(f"{r.code}:{Path(r.source).name}")
        else:
            out.append(r.headers.subject.value if r.headers.subject else Path(r.source.name).name)
    return out


def test_fifo_socket_and_symlinks_in_a_folder(tmp_path: Path) -> None:
    box = tmp_path / "box"
    outside = tmp_path / "secret.txt"
    outside.write_bytes(b"root:x:0:0:do not print me\n")
    _mail(box / "a.eml", "a")
    os.mkfifo(box / "b.fifo")  # nobody writes: opening it for reading without O_NONBLOCK would hang
    (box / "c.link").symlink_to(outside)
    (box / "d.dangling").symlink_to(tmp_path / "gone.eml")
    (box / "e.inside").symlink_to(box / "a.eml")
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(box / "f.sock"))
        _mail(box / "g.eml", "g")
        results = list(mailtrace.analyze_many(box, errors="report"))
    finally:
        sock.close()
    assert _outcome(results) == [
        "a",
        "input.special_file:b.fifo",
        "input.symlink_outside:c.link",
        "input.unreadable:d.dangling",
        "a",  # a symlink inside the folder is read
        "input.special_file:f.sock",
        "g",
    ]
    messages = {r.code: r.message for r in results if isinstance(r, InputError)}
    assert "a FIFO, skipped" in messages["input.special_file"] or "socket" in messages["input.special_file"]
    assert "dangling symlink" in messages["input.unreadable"]
    assert "do not print me" not in repr(results)
    followed = _outcome(list(mailtrace.analyze_many(box, errors="report", follow_symlinks=True)))
    assert followed[2] == "c.link"  # read when the caller asks
    with pytest.raises(mailtrace.UnreadableInputError, match=r"b\.fifo: a FIFO"):
        list(mailtrace.analyze_many(box))


def test_maildir_plus_plus_subfolders_are_read_in_a_fixed_order(tmp_path: Path) -> None:
    md = tmp_path / "Maildir"
    for sub in ("cur", "new", "tmp", ".Junk/cur", ".Junk/new", ".Junk/tmp", ".Archive.2024/cur"):
        (md / sub).mkdir(parents=True)
    _mail(md / "cur" / "2.host:2,S", "inbox-cur")
    _mail(md / "new" / "1.host", "inbox-new")
    _mail(md / "tmp" / "3.host", "being-delivered")
    _mail(md / ".Junk" / "new" / "5.host", "junk-new")
    _mail(md / ".Junk" / "cur" / "4.host:2,", "junk-cur")
    _mail(md / ".Archive.2024" / "cur" / "6.host:2,S", "archive")
    reports = list(mailtrace.analyze_many(md))
    assert _outcome(reports) == ["inbox-new", "inbox-cur", "archive", "junk-new", "junk-cur"]  # type: ignore[arg-type]
    assert [r.source.position for r in reports] == [0, 1, 2, 3, 4]
    assert {r.source.format for r in reports} == {"maildir"}
    assert reports[3].source.name == str(md / ".Junk" / "new" / "5.host")


def test_a_folder_with_no_mail_is_an_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    (empty / ".hidden").mkdir(parents=True)
    (empty / ".DS_Store").write_bytes(b"x")
    (result,) = mailtrace.analyze_many(empty, errors="report")
    assert isinstance(result, InputError) and result.code == "input.no_mail_in_folder"
    assert str(empty) in result.message
    with pytest.raises(mailtrace.EmptyInputError, match="holds no file to read"):
        list(mailtrace.analyze_many(empty))


def test_an_unreadable_member_names_the_file_and_the_batch_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _mail(tmp_path / "a.eml", "a")
    _mail(tmp_path / "b.eml", "b")
    _mail(tmp_path / "c.eml", "c")
    real_open = os.open

    def refuse_b(path: str, flags: int, *args: int) -> int:
        if os.fspath(path).endswith("b.eml"):
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", refuse_b)  # as chmod 0 would for any user but root
    results = list(mailtrace.analyze_many(tmp_path, errors="report"))
    assert _outcome(results) == ["a", "input.unreadable:b.eml", "c"]
    assert results[1].message == f"{tmp_path / 'b.eml'}: cannot read: Permission denied"  # type: ignore[union-attr]


def test_a_missing_path_is_an_error_result(tmp_path: Path) -> None:
    (result,) = mailtrace.analyze_many(tmp_path / "nope.eml", errors="report")
    assert isinstance(result, InputError) and result.code == "input.unreadable"
    assert result.message == f"{tmp_path / 'nope.eml'}: cannot read: no such file or folder"


def test_real_mail_with_bad_files_in_the_middle_every_message_and_four_errors(tmp_path: Path, corpus: Path) -> None:
    """Issue 15's batch at the library level: a PNG, a PDF, an empty file and a dangling symlink
    among real messages (copied to a temporary folder) give four error results, and every message
    is analysed."""
    real = sorted((corpus / "phishing-pot-dev").rglob("*.eml"))[:40]
    assert len(real) == 40
    for i, path in enumerate(real):
        (tmp_path / f"{i * 2:03d}.eml").write_bytes(path.read_bytes())
    (tmp_path / "021-scan.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    (tmp_path / "041-invoice.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    (tmp_path / "051-empty.eml").write_bytes(b"")
    (tmp_path / "061-gone.eml").symlink_to(tmp_path / "nowhere.eml")
    results = list(mailtrace.analyze_many(tmp_path, errors="report", nested=False))
    errors = [r for r in results if isinstance(r, InputError)]
    assert [(e.code, Path(e.source).name) for e in errors] == [
        ("input.not_mail", "021-scan.png"),
        ("input.not_mail", "041-invoice.pdf"),
        ("input.empty", "051-empty.eml"),
        ("input.unreadable", "061-gone.eml"),
    ]
    reports = [r for r in results if isinstance(r, Report)]
    assert [Path(r.source.name).name for r in reports] == [f"{i * 2:03d}.eml" for i in range(40)]
    assert all(r.received for r in reports)


def test_a_maildir_whose_cur_links_out_of_it_is_not_read(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    _mail(elsewhere / "private.eml", "private")
    md = tmp_path / "Maildir"
    (md / "new").mkdir(parents=True)
    _mail(md / "new" / "1.host", "inbox")
    (md / "cur").symlink_to(elsewhere)
    _mail(tmp_path / "other" / "cur" / "2.host", "other maildir")
    (md / ".Junk").symlink_to(tmp_path / "other")  # a Maildir++ subfolder out of the folder
    results = list(mailtrace.analyze_many(md, errors="report"))
    assert _outcome(results) == ["input.symlink_outside:.Junk", "inbox", "input.symlink_outside:cur"]
    assert "private" not in repr(results) and "other maildir" not in repr(results)
