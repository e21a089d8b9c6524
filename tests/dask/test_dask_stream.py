"""The plan and the evidence stream: ``collect`` takes its units as the folders are listed and writes the
recorded DNS answers as they come, so the client never holds the tree or the run's evidence.

The client listed every folder and planned every task before the first one was submitted, and kept the
plan for the run (about 200 bytes a file: 20 GB for 100 million files). These tests build trees of small
messages in a temporary folder; the mbox is real list mail from the corpus.
"""

from __future__ import annotations

import io
import json
import math
import tracemalloc
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

dask = pytest.importorskip("dask")

import mailtrace.dask as mailtrace_dask  # noqa: E402
from mailtrace.dask import DnsSpec, Job, as_dict, as_row, collect, iter_units, plan_units  # noqa: E402
from mailtrace.dask import units as units_module  # noqa: E402
from mailtrace.dask import worker as worker_module  # noqa: E402
from mailtrace.dask.units import (  # noqa: E402
    MIN_FILES_PER_UNIT,
    fitted,
    iter_plan,
    largest_run,
    look_ahead,
    plan,
)
from mailtrace.dask.worker import EvidenceMerger, count_unit, run_unit  # noqa: E402
from mailtrace.errors import ConfigurationError  # noqa: E402
from mailtrace.load.folders import walk  # noqa: E402
from tests.dask._serial import list_mbox, serial_rows, zone_job  # noqa: E402

MESSAGE = (
    b"Received: from mx.sender.example (mx.sender.example [192.0.2.%d]) by mx.example.org with ESMTP id %d;"
    b" Mon, 3 Jun 2024 10:00:00 +0000\nFrom: a@sender.example\nTo: b@example.org\nSubject: %d\n\nbody\n"
)


def _tree(root: Path, folders: int, files: int) -> list[str]:
    paths = []
    for f in range(folders):
        folder = root / f"box-{f:03d}"
        folder.mkdir()
        for i in range(files):
            (folder / f"{i:05d}.eml").write_bytes(MESSAGE % (i % 250 + 1, i, i))
        paths.append(str(folder))
    return paths


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """30 folders of 40 messages: 1,200 files, more than the planner reads ahead for one thread (512)."""
    return _tree(tmp_path_factory.mktemp("tree"), 30, 40)


class Walked:
    """The folders the planner has listed so far."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.folders: list[str] = []

        def recording(root: Path, **kwargs: Any) -> Iterator[Any]:
            self.folders.append(str(root))
            return walk(root, **kwargs)

        monkeypatch.setattr(units_module, "walk", recording)


def test_the_first_row_comes_before_the_tree_is_listed(tree: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    walked = Walked(monkeypatch)
    assert 40 * len(tree) > look_ahead(1) == 512
    with dask.config.set(scheduler="synchronous"):
        rows = collect(tree, Job(), product=as_row)
        first = next(rows)
        # the look-ahead: 512 files are 13 folders of 40; the rest is listed as the run goes
        assert len(walked.folders) == math.ceil(look_ahead(1) / 40) == 13
        rest = list(rows)
    assert walked.folders == tree  # each folder listed once, in order
    assert [first, *rest] == serial_rows(tree)


def test_past_the_look_ahead_the_runs_are_those_of_the_whole_tree(tree: list[str]) -> None:
    files = 40 * len(tree)
    for threads in (1, 2, 3, 16, 64):
        streamed = list(iter_plan(tree, 2**26, threads=threads))
        read_ahead = files >= look_ahead(threads)
        assert read_ahead == (threads <= 2)  # both cases are met
        # the run size fitted to all the files, as when the whole tree was listed first
        per_unit = fitted(files, threads, MIN_FILES_PER_UNIT, largest_run(threads))
        for unit in streamed:
            assert unit.members is not None and 0 < len(unit.members) <= per_unit
        assert max(len(unit.members or ()) for unit in streamed) == min(per_unit, 40)
        assert len(streamed) == len(tree) * math.ceil(40 / per_unit)
        assert [m for unit in streamed for m in unit.members or ()] == [m for f in tree for m in walk(Path(f))]


def test_a_folder_given_again_is_planned_again(tree: list[str]) -> None:
    units = plan([tree[0]] * 3, 2**26, threads=1)
    # 120 files in runs of 30, each time the folder is given (one list of its files would make runs of 30 only)
    assert [len(u.members or ()) for u in units] == [30, 10, 30, 10, 30, 10]
    assert [m for u in units for m in u.members or ()] == 3 * list(walk(Path(tree[0])))


def test_the_plan_is_not_held_whole(tmp_path: Path) -> None:
    tree = _tree(tmp_path, 40, 100)  # 4,000 files, about eight look-aheads of one thread
    next(iter_units(tree, threads=1))  # imports warmed
    tracemalloc.start()
    units = plan_units(tree, threads=1)
    whole = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    tracemalloc.start()
    streamed = 0
    for _ in iter_units(tree, threads=1):
        streamed += 1
        if streamed == 30:  # the 512 files read ahead are planned by now, and let go
            held = tracemalloc.get_traced_memory()[0]
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert streamed == len(units) == 40  # a unit a folder: runs of 128
    assert peak < whole / 3, (peak, whole)
    assert held < peak / 2, (held, peak)  # measured 51 kB of 157 kB; 125 kB of 190 kB with the look-ahead kept


@pytest.fixture(scope="module")
def mbox(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Path:
    """About 1 MB of real list mail in one mbox."""
    out = list_mbox(corpus, tmp_path_factory.mktemp("mbox") / "lists.mbox", at_least=100, messages=150)
    if out is None:
        pytest.skip("list archives missing from the corpus")
    return out


class Counting:
    """``dask.compute`` that keeps the number of tasks of each call (the ranges a count computes)."""

    def __init__(self) -> None:
        self.calls: list[int] = []

    def __call__(self, *tasks: Any, **options: Any) -> Any:
        self.calls.append(len(tasks))
        return dask.compute(*tasks, **options)


@pytest.mark.corpus
def test_ranges_are_counted_in_batches_with_the_serial_positions(
    mbox: Path, tree: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = [tree[0], str(mbox), tree[1], str(mbox)]
    job = Job(blocksize=64 * 1024)
    with dask.config.set(scheduler="synchronous"):
        whole = plan_units(paths, job, threads=1)  # every range counted by one computation
        ranges = sum(unit.is_range for unit in whole)
        assert ranges >= 20
        counting = Counting()
        monkeypatch.setattr(mailtrace_dask, "COUNT_BATCH", 3)
        batched = list(iter_units(paths, job, threads=1, compute=counting))
        assert batched == whole  # the same counts and positions
        calls = counting.calls
        assert sum(calls) == ranges and max(calls) == 3 and len(calls) == math.ceil(ranges / 3)
        rows = list(collect(paths, job, product=as_row))
    assert rows == serial_rows(paths)
    positions = [int(row["position"]) for row in rows if row["source"] == str(mbox)]
    half = len(positions) // 2
    assert positions == [*range(half), *range(half)]  # each reading of the mbox numbered from 0


@pytest.mark.corpus
def test_units_held_for_a_count_are_bounded(mbox: Path, tree: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    # ranges, then folder units: fewer ranges than COUNT_BATCH, so each count is started by HELD_UNITS units held
    paths = [str(mbox), *tree]
    job = Job(blocksize=64 * 1024)
    monkeypatch.setattr(mailtrace_dask, "HELD_UNITS", 4)
    counting = Counting()
    counted = counting.calls
    with dask.config.set(scheduler="synchronous"):
        units = iter_units(paths, job, threads=1, compute=counting)
        first = next(units)
        assert first.is_range and first.count and counted == [4]
        assert list(units)[-1].members is not None
    ranges = sum(unit.is_range for unit in plan_units(paths, job, threads=1))
    assert 20 <= ranges < mailtrace_dask.COUNT_BATCH
    assert max(counted) == 4 and sum(counted) == ranges  # never more than four units held, every range counted


def test_recorded_evidence_is_on_disk_as_the_run_goes(tmp_path: Path) -> None:
    job, files, serial = zone_job()
    evidence = tmp_path / "evidence.jsonl"
    with dask.config.set(scheduler="synchronous"):
        run = collect(files, job, record=evidence)
        first = next(run)
        # the first unit's answers are written and flushed while the run is still going
        header, *written = evidence.read_text(encoding="utf-8").splitlines()
        assert json.loads(header)["format"] == "mailtrace-dns-evidence" and written
        rest = list(run)
        replayed = list(collect(files, Job(dns=DnsSpec.from_files("replay", replay=str(evidence)))))
    assert [first, *rest] == serial == replayed
    assert evidence.read_text(encoding="utf-8").splitlines()[: len(written) + 1] == [header, *written]


def test_the_client_keeps_a_digest_of_each_answer_not_its_line() -> None:
    lines = [
        json.dumps({"time": f"2026-12-08T00:00:{i % 60:02d}+00:00", "message_sha256": f"{i:064x}",
                    "name": f"s{i}._domainkey.example.com", "type": "TXT", "status": "NOERROR",
                    "records": ["v=DKIM1; k=rsa; p=" + "A" * 400], "ttl": 3600, "detail": ""})
        for i in range(2_000)
    ]  # fmt: skip

    class Sink(io.StringIO):  # counts what is written, keeps none of it
        lines = chars = 0

        def write(self, text: str) -> int:
            self.lines += text.count("\n")
            self.chars += len(text)
            return len(text)

    sink = Sink()
    tracemalloc.start()
    merger = EvidenceMerger(sink, created="2026-12-08T00:00:00+00:00")
    merger.add(lines)
    merger.add(lines[:100])  # met again: dropped
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert sink.lines == 1 + len(lines) and merger.records() == []
    assert sink.chars > sum(len(line) + 1 for line in lines)  # every line, and the header
    assert held < 2_000 * 250, held  # the lines are 600 bytes each: 1.2 MB, and as much for their keys


def test_the_client_keeps_the_digests_of_the_last_answers_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(worker_module, "MAX_DIGESTS", 3)
    lines = [json.dumps({"time": f"t{i}", "message_sha256": f"{i:064x}", "name": "example.com"}) for i in range(4)]
    sink = io.StringIO()
    merger = EvidenceMerger(sink, created="")
    merger.add(lines)
    again = [line.replace('"time": "t', '"time": "later t') for line in (lines[3], lines[1], lines[0])]
    merger.add(again)
    # the last three digests are kept: lines 1 to 3 are known, line 0 was forgotten and is written again
    assert sink.getvalue().splitlines()[1:] == [*lines, again[2]]


def test_each_answer_is_read_once_by_its_worker_not_again_by_the_client(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    job, files, serial = zone_job()
    recording = replace(job, dns=replace(job.dns, record=True))
    read: list[str] = []
    real = worker_module.digest

    def counted(line: str) -> bytes:
        read.append(line)
        return real(line)

    monkeypatch.setattr(worker_module, "digest", counted)
    with dask.config.set(scheduler="synchronous"):
        units = plan_units(files, recording, threads=2)
        returned = [len(run_unit(u, recording.policy, recording.dns, as_dict, recording.options)[1]) for u in units]
        by_workers = len(read)
        read.clear()
        assert list(collect(files, job, record=tmp_path / "evidence.jsonl")) == serial
    assert len(read) == by_workers > sum(returned) > 0  # each task's lines, and nothing more on the client


def test_the_evidence_file_is_never_an_input(tree: list[str]) -> None:
    job, _, _ = zone_job()
    inside = Path(tree[0]) / "evidence.jsonl"
    with pytest.raises(ConfigurationError, match="lies inside the input folder"):
        list(collect(tree[:2], job, record=inside))
    assert not inside.exists()


@pytest.mark.corpus
def test_an_mbox_gone_during_the_run_is_an_error_row_not_the_end_of_the_run(
    mbox: Path, tree: list[str], tmp_path: Path
) -> None:
    job = Job(blocksize=64 * 1024)
    copy = tmp_path / "gone.mbox"
    copy.write_bytes(mbox.read_bytes())
    with dask.config.set(scheduler="synchronous"):
        rows = collect([tree[0], str(copy)], job, product=as_row)
        first = next(rows)  # the folder's first unit: the mbox is stat'ed, its ranges not cut yet
        copy.unlink()
        rest = list(rows)
        assert [first, *rest][:40] == serial_rows([tree[0]])
        assert [(row["source"], row["error"].split(":")[0]) for row in rest[39:]] == [(str(copy), "input.unreadable")]
        # gone after its ranges were cut and counted: each range's task gives an error record
        copy.write_bytes(mbox.read_bytes())
        ranges = [unit for unit in plan_units([str(copy)], job, threads=1) if unit.is_range]
        copy.unlink()
        assert len(ranges) > 1 and count_unit(ranges[1]) == 0
        products, _ = run_unit(ranges[1], job.policy, job.dns, as_row, job.options)
    assert [(row["error"].split(":")[0], row["position"]) for row in products] == [
        ("input.unreadable", str(ranges[1].position))
    ]
