"""The work fits the cluster: unit sizes from the number of worker threads, and enough units in flight.

A folder of a few hundred files or a mbox of a few MiB used to be one or two tasks however large
the cluster, and ``collect`` kept 16 units in flight, so a 64-thread cluster ran at most 16 of them.
The inputs are real corpus mail; the in-process cluster binds to 127.0.0.1 only.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import os
import pickle
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")
pyarrow = pytest.importorskip("pyarrow")
pytest.importorskip("pyarrow.parquet")

from mailtrace.cli import main  # noqa: E402
from mailtrace.dask import (  # noqa: E402
    DnsSpec,
    Job,
    as_dict,
    as_row,
    cluster_threads,
    collect,
    in_flight,
    plan_units,
    reports_bag,
    rows_dataframe,
    write_parquet,
)
from mailtrace.dask.units import FILES_PER_THREAD, FILES_PER_UNIT, MIN_BLOCKSIZE, MIN_FILES_PER_UNIT, Unit, plan  # noqa: E402
from mailtrace.dask.worker import run_unit  # noqa: E402
from mailtrace.errors import ConfigurationError  # noqa: E402
from mailtrace.load.folders import walk  # noqa: E402
from tests.dask._serial import list_mbox, serial_rows, zone_job  # noqa: E402

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def folder(corpus: Path) -> Path:
    path = corpus / "rspamd-functional-messages"
    if not path.is_dir():
        pytest.skip("rspamd-functional-messages missing from the corpus")
    return path


@pytest.fixture(scope="module")
def big_mbox(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Path:
    """About 10 MiB of real list mail in one mbox: under the default 64 MiB block."""
    out = list_mbox(corpus, tmp_path_factory.mktemp("fit") / "lists.mbox", at_least=1000, max_bytes=10 * 2**20)
    if out is None:
        pytest.skip("list archives missing from the corpus")
    return out


def _sizes(units: list[Any]) -> list[int]:
    return [len(u.members or ()) for u in units]


def test_a_small_folder_on_a_large_cluster_is_cut_into_more_tasks(folder: Path) -> None:
    listed = list(walk(folder))
    n = len(listed)
    assert 100 < n < 4 * FILES_PER_UNIT  # a folder too small for 128-file tasks to reach many threads

    one = plan([str(folder)], 2**26, threads=1)
    many = plan([str(folder)], 2**26, threads=64)
    assert _sizes(one)[0] == math.ceil(n / 4)  # four tasks for one thread
    assert len(one) == 4
    assert set(_sizes(many)[:-1]) == {MIN_FILES_PER_UNIT}  # as small as a task may be
    assert len(many) == math.ceil(n / MIN_FILES_PER_UNIT)
    for units in (one, many):  # every file once, in the serial reading order
        assert [m for u in units for m in u.members or ()] == listed


def test_a_large_input_keeps_the_largest_tasks(corpus: Path) -> None:
    folders = [str(corpus / "phishing-pot-dev"), str(corpus / "spamassassin-public-corpus")]
    units = plan(folders, 2**26, threads=2)
    assert max(_sizes(units)) == FILES_PER_UNIT
    assert sum(_sizes(units)) == sum(len(list(walk(Path(p)))) for p in folders)


def test_an_mbox_under_the_block_size_is_split_for_a_cluster(big_mbox: Path) -> None:
    size = big_mbox.stat().st_size
    alone = plan([str(big_mbox)], 2**26, threads=1)
    spread = plan([str(big_mbox)], 2**26, threads=16)
    asked = plan([str(big_mbox)], 2**20, threads=1)
    assert len(alone) == math.ceil(size / MIN_BLOCKSIZE)  # 10 MiB / 4 tasks is under the 4 MiB floor
    assert len(spread) == len(alone)
    assert len(asked) >= size // 2**20  # a smaller block asked for is kept
    for units in (alone, asked):  # contiguous, from the first byte to the last
        assert units[0].start == 0 and units[-1].end == size
        assert all(a.end == b.start for a, b in itertools.pairwise(units))


def test_a_split_small_mbox_gives_the_rows_of_one_task(big_mbox: Path) -> None:
    with dask.config.set(scheduler="synchronous"):
        assert cluster_threads() == 1
        split = list(collect([str(big_mbox)], Job(), product=as_row))
        assert len(plan_units([str(big_mbox)], Job(), threads=1)) > 1
        whole = list(collect([str(big_mbox)], Job(blocksize=2**40), product=as_row))
    assert split == whole
    assert [row["position"] for row in split] == [str(i) for i in range(len(split))]


@pytest.fixture
def threaded_cluster() -> Iterator[Any]:
    """One in-process worker with 12 threads, on the loopback."""
    with (
        distributed.LocalCluster(
            n_workers=1,
            threads_per_worker=12,
            processes=False,
            protocol="tcp",
            host="127.0.0.1",
            scheduler_port=0,
            dashboard_address=None,
            silence_logs=40,
        ) as local,
        distributed.Client(local) as client,
    ):
        yield client


def test_collect_keeps_every_thread_of_the_cluster_busy(threaded_cluster: Any, folder: Path) -> None:
    assert cluster_threads() == 12
    units = plan_units([str(folder)], Job())
    assert len(units) > in_flight(12) + 1  # 211 files in runs of 8
    submitted: list[object] = []
    submit = threaded_cluster.submit

    def counting(*args: Any, **kwargs: Any) -> Any:
        if isinstance(args[1], Unit):  # the units' tasks, not the job's own
            submitted.append(args[1])
        return submit(*args, **kwargs)

    threaded_cluster.submit = counting
    results = collect([str(folder)], Job(), product=as_row)
    next(results)
    # two units a thread in flight, and the one submitted as the first result was taken
    assert len(submitted) == in_flight(12) + 1 == 25
    rest = list(results)
    assert submitted == units
    assert len(rest) + 1 >= len(list(walk(folder)))


def _files(folder: Path) -> list[str]:
    return [str(p) for p in sorted(folder.iterdir()) if p.is_file()]


def test_files_given_one_by_one_go_in_runs(folder: Path) -> None:
    files = _files(folder)[:60]
    units = plan(files, 2**26, threads=1)
    assert [len(u.paths) for u in units] == [15, 15, 15, 15]  # four tasks for one thread
    assert [p for u in units for p in u.paths] == files
    assert all(u.path == u.paths[0] for u in units)
    assert len(plan(files[:1], 2**26, threads=1)[0].paths) == 0  # one input alone keeps its old shape


def test_a_run_of_files_ends_before_its_bytes_pass_the_range_size(folder: Path) -> None:
    files = _files(folder)
    block = 64 * 1024
    units = plan(files, block, threads=1)
    sizes = {f: os.path.getsize(f) for f in files}
    assert any(size > block for size in sizes.values()) and any(len(u.paths) > 1 for u in units)
    for u in units:
        run = u.paths or (u.path,)
        assert len(run) == 1 or sum(sizes[f] for f in run) <= block
    assert [p for u in units for p in (u.paths or (u.path,))] == files


def test_runs_of_files_give_the_rows_of_a_serial_run(folder: Path) -> None:
    files = [*_files(folder)[:40], str(folder / "no-such-file.eml"), *_files(folder)[40:80]]
    with dask.config.set(scheduler="synchronous"):
        rows = list(collect(files, Job(), product=as_row))
        assert len(plan_units(files, Job(), threads=1)) == 4
    serial = serial_rows(files)
    assert rows == serial
    # the missing file is an error record in its place, its row as the CSV's
    (missing,) = [row for row in rows if row["error"]]
    assert missing["source"] == files[40] and missing["error"].startswith("input.unreadable: ")
    out = io.StringIO()
    main(["analyze", "--format", "csv", "--no-progress", *files], stdout=out)
    printed = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    keys = ("source", "position", "error")
    assert [[r[k] for k in keys] for r in printed] == [[r[k] for k in keys] for r in rows]


def test_parquet_files_hold_about_rows_per_file_rows(folder: Path, tmp_path: Path) -> None:
    pandas = pytest.importorskip("pandas")
    serial = serial_rows([str(folder)])
    with dask.config.set(scheduler="threads", num_workers=64):
        assert len(plan_units([str(folder)], Job())) == 27  # 211 files in runs of 8: one task each
        # the DataFrame (what a cluster's workers write): neighbouring tasks' rows in partitions of about 50
        frame = rows_dataframe([str(folder)], Job(), rows_per_partition=50)
        parts = [frame.get_partition(i).compute() for i in range(frame.npartitions)]
        assert len(parts) == 5 and all(35 <= len(part) <= 65 for part in parts)  # 212 rows / 50
        assert pandas.concat(parts).to_dict("records") == serial
        # without a cluster this process writes the rows as they come: files of 50, the last fewer
        write_parquet([str(folder)], tmp_path / "rows", Job(), rows_per_file=50)
        write_parquet([str(folder)], tmp_path / "one", Job())
    files = sorted((tmp_path / "rows").iterdir())
    assert [f.name for f in files] == [f"part-{i:06d}.parquet" for i in range(5)]
    written = [pandas.read_parquet(f) for f in files]
    assert [len(part) for part in written] == [50, 50, 50, 50, len(serial) - 200]
    assert pandas.concat(written).to_dict("records") == serial  # every row once, in input order
    assert len(list((tmp_path / "one").iterdir())) == 1  # one file of the default 100,000 rows
    # the same columns and types as the DataFrame's files
    assert [(f.name, str(f.type)) for f in pyarrow.parquet.read_schema(files[0])] == [
        (name, "large_string") for name in frame.columns
    ]


def test_a_large_cluster_gets_longer_runs_so_its_scheduler_keeps_up(tmp_path: Path) -> None:
    # 200,000 inputs given one by one (they need not exist to be planned: a worker refuses a missing file)
    files = [str(tmp_path / f"m{i:06d}.eml") for i in range(200_000)]
    small, large = plan(files, 2**26, threads=2), plan(files, 2**26, threads=64)
    assert {len(u.paths) for u in small[:-1]} == {FILES_PER_UNIT}
    assert {len(u.paths) for u in large[:-1]} == {FILES_PER_THREAD * 64} == {512}
    assert len(large) == math.ceil(200_000 / 512)  # 391 tasks; runs of 128 made 1,563
    assert [p for u in large for p in u.paths] == files


def test_the_zone_travels_once_in_a_bag_not_with_every_task() -> None:
    job, files, serial = zone_job()
    marker = b"v=DMARC1; p=reject; rua=mailto:dmarc@sender.example"  # a record of the zone's text
    with dask.config.set(scheduler="synchronous"):
        assert len(plan_units(files, job, threads=1)) == 3
        bag = reports_bag(files, job)
        nodes = [pickle.dumps(node) for node in dict(bag.__dask_graph__()).values()]
        assert sum(marker in node for node in nodes) == 1
        assert bag.compute() == serial


def test_the_zone_travels_once_to_a_cluster_not_with_every_task(threaded_cluster: Any) -> None:
    job, files, serial = zone_job()
    sent: list[tuple[Any, ...]] = []
    submit = threaded_cluster.submit

    def recording(*args: Any, **kwargs: Any) -> Any:
        sent.append(args)
        return submit(*args, **kwargs)

    threaded_cluster.submit = recording
    assert list(collect(files, job)) == serial
    carrying = [args for args in sent if any(isinstance(arg, Job | DnsSpec) for arg in args)]
    assert len(carrying) == 1  # the job's own task, once; the 3 units' tasks carry a reference to it
    units = [args for args in sent if args not in carrying]
    assert len(units) == 3 and all(isinstance(args[2], distributed.Future) for args in units)


def test_recorded_evidence_is_merged_as_it_comes(tmp_path: Path) -> None:
    job, files, serial = zone_job()
    files, serial = files * 4, serial * 4  # 96 messages, 8 tasks of 12
    recording = replace(job, dns=replace(job.dns, record=True))
    with dask.config.set(scheduler="synchronous"):
        units = plan_units(files, recording, threads=2)
        returned = [run_unit(u, recording.policy, recording.dns, as_dict, recording.options)[1] for u in units]
        evidence = tmp_path / "evidence.jsonl"
        assert list(collect(files, job, record=evidence)) == serial
        replayed = list(collect(files, Job(dns=DnsSpec.from_files("replay", replay=str(evidence)))))
    distinct = evidence.read_text(encoding="utf-8").splitlines()[1:]
    assert len(units) == 8 and 0 < len(distinct) <= 10
    # each task returns its distinct answers only, not every question of its 12 messages
    assert all(len(lines) == len(set(lines)) <= len(distinct) for lines in returned)
    assert replayed == serial


def test_parquet_is_never_written_into_an_input(folder: Path, tmp_path: Path) -> None:
    inputs = tmp_path / "mail"
    inputs.mkdir()
    (inputs / "one.eml").write_bytes((folder / sorted(os.listdir(folder))[0]).read_bytes())
    with dask.config.set(scheduler="synchronous"):
        for out in (inputs, inputs / "rows"):
            with pytest.raises(ConfigurationError, match=r"lies inside the input folder|is also an input"):
                write_parquet([str(inputs)], out, Job())
        with pytest.raises(ConfigurationError, match="lies inside the input folder"):
            write_parquet([str(tmp_path / "*")], inputs / "rows", Job())  # a pattern's matches are inputs too
        write_parquet([str(inputs)], tmp_path / "rows", Job())
    assert sorted(os.listdir(inputs)) == ["one.eml"] and len(os.listdir(tmp_path / "rows")) == 1
