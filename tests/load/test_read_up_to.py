"""A message file is read to its size, not by a ``read`` of the 64 MiB limit (``load.sources.read_up_to``).

``stream.read(limit)`` makes CPython allocate ``limit`` bytes before it reads; ``read_up_to`` must give
the same bytes for every kind of stream, and not that allocation for a regular file.
"""

from __future__ import annotations

import io
import os
import threading
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import pytest

from mailtrace import analyze_many
from mailtrace.load import sources
from mailtrace.load.sources import read_up_to

LIMIT = 64 * 1024 * 1024
EXAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "examples"


def _file(tmp_path: Path, size: int) -> Path:
    path = tmp_path / f"m{size}.eml"
    path.write_bytes(bytes(i % 251 for i in range(size)))
    return path


@pytest.mark.parametrize("size", [1, 100, 4095, 65_536, 300_000])
@pytest.mark.parametrize("limit", [1, 100, 4096, 300_000, LIMIT])
@pytest.mark.parametrize("skip", [0, 1, 50])
def test_a_file_gives_what_read_gives(tmp_path: Path, size: int, limit: int, skip: int) -> None:
    path = _file(tmp_path, size)
    with path.open("rb") as a, path.open("rb") as b:
        a.read(skip)
        b.read(skip)
        a.peek(8)  # as the reader sniffs the head first
        assert read_up_to(a, limit) == b.read(limit)
        assert a.tell() == b.tell()  # the rest, if any, is still there to skip


def test_a_file_that_grew_after_its_fstat_is_read_on_to_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _file(tmp_path, 10_000)
    real = os.fstat

    def stale(fd: int) -> os.stat_result:  # the size before the file grew to 10,000 bytes
        found = real(fd)
        return os.stat_result((found.st_mode, *found[1:6], 4_000, *found[7:]))

    monkeypatch.setattr(sources.os, "fstat", stale)
    with path.open("rb") as f:
        assert read_up_to(f, 6_000) == path.read_bytes()[:6_000]
    with path.open("rb") as f:
        assert read_up_to(f, LIMIT) == path.read_bytes()


@pytest.mark.parametrize(
    "make",
    [
        lambda data: io.BytesIO(data),  # no file descriptor
        lambda data: io.BufferedReader(io.BytesIO(data)),  # type: ignore[arg-type]
    ],
)
def test_streams_without_a_file_give_what_read_gives(make: Callable[[bytes], BinaryIO]) -> None:
    data = b"Subject: x\r\n\r\nbody\r\n" * 500
    for limit in (1, 100, len(data), LIMIT):
        assert read_up_to(make(data), limit) == make(data).read(limit)


def test_a_pipe_is_read_as_before() -> None:
    data = b"Subject: piped\r\n\r\n" + b"x" * 200_000
    read, write = os.pipe()

    def feed() -> None:
        with os.fdopen(write, "wb") as w:
            w.write(data)

    writer = threading.Thread(target=feed)
    writer.start()
    with os.fdopen(read, "rb") as r:
        assert read_up_to(r, LIMIT) == data
    writer.join()


def test_a_small_file_allocates_no_buffer_of_the_limit(tmp_path: Path) -> None:
    path = _file(tmp_path, 2_000)
    with path.open("rb") as f:
        tracemalloc.start()
        read_up_to(f, LIMIT)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    with path.open("rb") as f:  # the control: what read(limit) asks for
        tracemalloc.start()
        f.read(LIMIT)
        control = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert control >= LIMIT
    assert peak < 64 * 1024


def test_the_examples_read_from_their_files_give_the_reports_of_their_bytes() -> None:
    for path in sorted(EXAMPLES.glob("*.eml")):
        (from_file,) = analyze_many(path)
        (from_bytes,) = analyze_many(path.read_bytes())
        assert from_file.to_dict()["verdict"] == from_bytes.to_dict()["verdict"]
        assert from_file.message.raw == path.read_bytes()
