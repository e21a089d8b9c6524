"""mailtrace on Dask: a LocalCluster of two worker processes gives the serial run's rows.

The cluster binds to the loopback (127.0.0.1) only. The inputs are real corpus mail; the
large mbox is built from the list archives in a temporary folder and split into byte
ranges, so both workers take part of one file.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mailtrace import analyze_many
from mailtrace.errors import ConfigurationError

dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")

from mailtrace.dask import DnsSpec, Job, as_row, collect, plan_units, write_parquet  # noqa: E402
from mailtrace.dask.units import ranges, read_range  # noqa: E402
from mailtrace.policy import Policy  # noqa: E402
from tests.dask._serial import SEPARATOR, list_mbox, serial_rows  # noqa: E402

pytestmark = pytest.mark.corpus


BLOCK = 256 * 1024


@contextlib.contextmanager
def _local_client(workers: int) -> Iterator[Any]:
    """A client of a LocalCluster of ``workers`` single-threaded worker processes, on the loopback."""
    with (
        distributed.LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            scheduler_port=0,
            dashboard_address="127.0.0.1:0",
            silence_logs=50,
        ) as local,
        distributed.Client(local) as client,
    ):
        yield client


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    with _local_client(2) as client:
        yield client


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Path:
    """An mbox of real list mail (about 2 MB), with ``From `` lines quoted inside bodies as mboxrd does."""
    out = list_mbox(corpus, tmp_path_factory.mktemp("dask") / "lists.mbox", at_least=100, messages=300)
    if out is None:
        pytest.skip("list archives missing from the corpus")
    return out


def test_ranges_cut_only_at_message_boundaries(archive: Path) -> None:
    spans = ranges(str(archive), BLOCK)
    assert len(spans) >= 4
    assert spans[0][0] == 0 and spans[-1][1] == archive.stat().st_size
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert end == start
    for start, end in spans:
        chunk = read_range(str(archive), start, end)
        assert chunk.startswith(SEPARATOR)
        assert len(chunk) >= end - start  # reads on to the end of its last message


def test_cluster_rows_equal_the_serial_run_and_both_workers_share_one_mbox(
    cluster: Any, archive: Path, corpus: Path
) -> None:
    paths = [str(archive), str(corpus / "spamassassin-t-data")]
    units = plan_units(paths, Job(blocksize=BLOCK))
    assert sum(1 for u in units if u.path == str(archive)) >= 4
    assert sum(1 for u in units if u.members is not None) >= 2  # the folder's files spread over tasks too
    with distributed.get_task_stream(cluster) as stream:
        rows = list(collect(paths, Job(blocksize=BLOCK), product=as_row, window=64))
    assert rows == serial_rows(paths)
    workers = {task["worker"] for task in stream.data if "run_job_unit" in str(task["key"])}
    assert len(workers) == 2


def test_positions_in_a_split_mbox_are_the_serial_positions(cluster: Any, archive: Path) -> None:
    rows = list(collect([str(archive)], Job(blocksize=BLOCK), product=as_row))
    assert [row["position"] for row in rows] == [str(i) for i in range(len(rows))]
    assert len(rows) == 300


def test_a_worker_killed_mid_run_loses_no_message(cluster: Any, archive: Path) -> None:
    paths = [str(archive)]
    expected = serial_rows(paths)
    pids = list(cluster.run(os.getpid).values())
    got: list[Any] = []
    runner = threading.Thread(
        target=lambda: got.extend(collect(paths, Job(blocksize=BLOCK // 4), product=as_row, window=64))
    )
    runner.start()
    deadline = time.monotonic() + 60
    while not any(cluster.processing().values()) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    os.kill(pids[0], signal.SIGKILL)
    runner.join(timeout=300)
    assert not runner.is_alive()
    assert got == expected


def test_the_only_worker_killed_mid_run_loses_no_message(corpus: Path) -> None:
    # the job every task needs is a task itself: the restarted worker computes it again (scattered data
    # would be lost with the worker, and the run with it: FutureCancelledError after 384 of 1,102 rows)
    paths = [str(corpus / "spamassassin-public-corpus")]  # about 1,100 messages: seconds on one worker
    expected = serial_rows(paths)
    with _local_client(1) as client:
        pid = next(iter(client.run(os.getpid).values()))
        got: list[Any] = []
        runner = threading.Thread(target=lambda: got.extend(collect(paths, Job(), product=as_row)))
        runner.start()
        deadline = time.monotonic() + 60
        while not got and time.monotonic() < deadline:  # the first unit's rows are in
            time.sleep(0.02)
        assert got and runner.is_alive() and len(got) < len(expected)
        os.kill(pid, signal.SIGKILL)
        runner.join(timeout=300)
    assert not runner.is_alive()
    assert got == expected


def test_parquet_holds_the_rows(cluster: Any, archive: Path, tmp_path: Path) -> None:
    pandas = pytest.importorskip("pandas")
    write_parquet([str(archive)], tmp_path / "rows", Job(blocksize=BLOCK))
    frame = pandas.read_parquet(tmp_path / "rows")
    assert frame.to_dict("records") == serial_rows([str(archive)])


def test_recorded_evidence_from_the_workers_replays_the_same_rows(cluster: Any, tmp_path: Path) -> None:
    fixtures = Path(__file__).resolve().parents[2] / "fixtures" / "examples"
    paths = [str(fixtures / "forwarded.eml"), str(fixtures / "plain.eml")]
    zone = fixtures / "forwarded.zone.json"
    evidence = tmp_path / "evidence.jsonl"
    recorded = list(collect(paths, Job(dns=DnsSpec.from_files("offline", zone=str(zone))), record=evidence))
    assert evidence.read_text(encoding="utf-8").count("\n") > 1
    replayed = list(collect(paths, Job(dns=DnsSpec.from_files("replay", replay=str(evidence)))))
    assert replayed == recorded
    assert recorded[0]["verification"]["dkim"], "the zone's keys were used"
    with pytest.raises(ConfigurationError, match="exists"):
        list(collect(paths, record=evidence))


def test_policy_settings_travel_to_the_workers(cluster: Any, corpus: Path) -> None:
    message = next(iter(sorted((corpus / "phishing-pot-dev").glob("*.eml"))), None)
    if message is None:
        pytest.skip("phishing-pot-dev missing")
    policy = Policy(internal_domains=("example.org",))
    [doc] = collect([str(message)], Job(policy=policy))
    local = next(analyze_many(message, policy=policy)).to_dict()
    assert doc == local


def test_a_policy_resolver_is_refused_rather_than_dropped() -> None:
    from mailtrace.dns import OfflineZone

    with pytest.raises(ConfigurationError, match="dns=DnsSpec"):
        Job(policy=Policy(resolver=OfflineZone({})))


def test_without_a_distributed_client_the_local_scheduler_gives_the_same_rows(corpus: Path) -> None:
    folder = corpus / "spamassassin-t-data"
    with dask.config.set(scheduler="synchronous"):
        rows = list(collect([str(folder)], Job(), product=as_row, window=2))
    assert rows == serial_rows([str(folder)])


def test_a_consumer_that_stops_early_leaves_no_task_behind(cluster: Any, archive: Path) -> None:
    results = collect([str(archive)], Job(blocksize=BLOCK // 4), product=as_row, window=4)
    first = next(results)
    assert first["position"] == "0"
    results.close()  # type: ignore[attr-defined]
    deadline = time.monotonic() + 30  # releases reach the scheduler and the workers asynchronously
    while (any(cluster.processing().values()) or cluster.who_has()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(cluster.processing().values())
    assert not cluster.who_has()  # no result is kept on the workers either, the job included
