"""``collect`` without a cluster: Dask's local schedulers (``mailtrace.dask.local``).

On the processes scheduler each window of units started a process pool of its own, and the job (a
zone's whole text) was pickled with every task. These tests run real process pools on the examples
and compare with the serial reports.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from pathlib import Path
from typing import Any

import pytest

dask = pytest.importorskip("dask")
cloudpickle = pytest.importorskip("cloudpickle")
pytest.importorskip("distributed")

from mailtrace.dask import Job, as_dict, as_row, collect, plan_units, write_parquet  # noqa: E402
from mailtrace.dask import local as local_module  # noqa: E402
from mailtrace.dask.local import local_scheduler  # noqa: E402
from mailtrace.dask.worker import run_installed_unit  # noqa: E402
from mailtrace.render.row import row_from_dict  # noqa: E402
from tests.dask._serial import EXAMPLES, SEPARATOR, serial_rows, zone_job  # noqa: E402

#: A record of the examples' zone: where it is found in what a task carries, the zone travelled with it.
MARKER = b"v=DMARC1; p=reject; rua=mailto:dmarc@sender.example"


class Spy:
    """The process pools a run starts, and what each ``dask.compute`` call of the run carried."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.pools: list[ProcessPoolExecutor] = []
        self.shut: list[ProcessPoolExecutor] = []
        self.calls: list[tuple[list[bytes], dict[str, Any]]] = []
        spy = self

        class CountedPool(ProcessPoolExecutor):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                spy.pools.append(self)

            def shutdown(self, *args: Any, **kwargs: Any) -> None:
                spy.shut.append(self)
                super().shutdown(*args, **kwargs)

        compute = dask.compute

        def recording(*tasks: Any, **options: Any) -> Any:
            if not tasks:  # plan_units counting the messages of mbox ranges, of which these runs have none
                return compute(*tasks, **options)
            graphs = [cloudpickle.dumps(dict(task.__dask_graph__())) for task in tasks]  # as Dask sends them
            self.calls.append((graphs, {**options, "configured pool": dask.config.get("pool", None)}))
            return compute(*tasks, **options)

        monkeypatch.setattr(local_module, "ProcessPoolExecutor", CountedPool)
        monkeypatch.setattr(local_module.dask, "compute", recording)


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> Iterator[Spy]:
    """The processes scheduler with two processes, and a :class:`Spy` on the run."""
    with dask.config.set(scheduler="processes", num_workers=2):
        yield Spy(monkeypatch)


def test_one_pool_runs_every_window_and_the_zone_goes_once_to_each_process(spy: Spy) -> None:
    job, files, serial = zone_job()
    assert len(plan_units(files, job, threads=2)) == 3
    assert list(collect(files, job, product=as_dict, window=1)) == serial
    assert len(spy.calls) == 3  # three windows of one unit
    assert len(spy.pools) == 1 and spy.shut == spy.pools  # one pool for all three, shut at the end
    pools = {id(options["pool"]) for _, options in spy.calls}
    assert len(pools) == 1 and all(options["chunksize"] == 1 for _, options in spy.calls)
    # the tasks name the job by a token; the zone went to each process once, by the pool's initializer
    assert not any(MARKER in graph for graphs, _ in spy.calls for graph in graphs)


def test_the_job_travelled_with_every_task_before(spy: Spy, monkeypatch: pytest.MonkeyPatch) -> None:
    # the same run with a pool of the user's own: the job is sent with each task, as every run sent it
    job, files, serial = zone_job()
    with ThreadPoolExecutor(2) as own, dask.config.set(scheduler="processes", pool=own):
        assert list(collect(files, job, product=as_dict, window=1)) == serial
    assert spy.pools == [] and len(spy.calls) == 3
    assert all(MARKER in graph for graphs, _ in spy.calls for graph in graphs)


def test_a_configured_scheduler_is_used_as_configured(spy: Spy) -> None:
    job, files, serial = zone_job()
    # nothing configured: threads, as dask.compute would (a script that did not guard its work from
    # being imported again by spawned processes keeps working)
    schedulers = ((None, "threads"), ("threads", "threads"), ("synchronous", "sync"), ("processes", "processes"))
    for name, expected in schedulers:
        with dask.config.set(scheduler=name):
            assert local_scheduler() == expected
            assert list(collect(files, job, product=as_dict)) == serial
    assert len(spy.pools) == 1  # the processes scheduler's run only
    # threads twice, then processes (sync runs in this process)
    assert [options.get("scheduler") for _, options in spy.calls] == [None, None, "processes"]


def test_an_mbox_is_counted_and_analysed_by_the_same_pool(spy: Spy, tmp_path: Path) -> None:
    archive = tmp_path / "examples.mbox"
    with archive.open("wb") as f:
        for _ in range(40):
            for name in ("forwarded.eml", "plain.eml"):
                f.write(SEPARATOR + (EXAMPLES / name).read_bytes().rstrip(b"\n") + b"\n\n")
    job = Job(blocksize=64 * 1024)
    ranges = [unit for unit in plan_units([str(archive)], job, threads=2) if unit.is_range]
    assert len(ranges) >= 4
    spy.calls.clear()  # plan_units alone counts on Dask's default scheduler
    assert list(collect([str(archive)], job, product=as_row)) == serial_rows([str(archive)])
    assert len(spy.pools) == 1 and spy.shut == spy.pools
    count, *windows = [options for _, options in spy.calls]  # the count of the ranges, then the windows
    assert count["pool"] is not None and count["pool"] is windows[0]["pool"] and count["chunksize"] == 1
    # the pool is given to each call: Dask's own pool setting is never changed
    assert count["configured pool"] is None and dask.config.get("pool", None) is None


def test_a_run_of_one_unit_starts_no_process(spy: Spy) -> None:
    job, files, serial = zone_job()
    assert len(plan_units(files[:2], job, threads=2)) == 1
    assert list(collect(files[:2], job, product=as_dict)) == serial[:2]
    assert spy.pools == [] and spy.calls == []


def test_a_failing_task_ends_the_run_and_its_pool(spy: Spy) -> None:
    job, files, _ = zone_job()

    def _refuse(item: Any) -> Any:  # local: pickled by value for the pool's processes
        raise ValueError("a product that fails")

    with pytest.raises(ValueError, match="a product that fails"):
        list(collect(files, job, product=_refuse, window=1))
    assert len(spy.pools) == 1 and spy.shut == spy.pools


def test_a_consumer_that_stops_early_shuts_the_pool(spy: Spy) -> None:
    job, files, serial = zone_job()
    results = collect(files, job, product=as_dict, window=1)
    assert next(results) == serial[0]
    results.close()
    assert len(spy.pools) == 1 and spy.shut == spy.pools and len(spy.calls) == 1


def test_a_task_outside_such_a_pool_names_the_missing_job() -> None:
    job, files, _ = zone_job()
    (unit,) = plan_units(files[:2], job, threads=1)
    with pytest.raises(RuntimeError, match="no job installed under 'nothing'"):
        run_installed_unit(unit, "nothing", as_dict)


def test_a_pool_process_that_ends_before_its_task_is_explained(spy: Spy) -> None:
    job, files, _ = zone_job()
    # every process exits in its initializer, as one does that imports an unguarded script and fails there
    with (
        dask.config.set({"multiprocessing.initializer": partial(os._exit, 3)}),
        dask.config.set({"distributed.scheduler.allowed-failures": 1}),
        pytest.raises(BrokenProcessPool, match=r"if __name__ == \"__main__\":.* started again 1 times"),
    ):
        list(collect(files, job, product=as_dict))
    assert len(spy.pools) == 2 and spy.shut == spy.pools  # the first pool, and the one started again


def _dies(folder: Path, *, always: bool = False) -> Any:
    """A product whose process dies (SIGKILL, as the out-of-memory killer sends it): the first process to
    get a report, or, ``always``, every one. Each death leaves a file in ``folder``."""

    def product(item: Any) -> Any:  # local: pickled by value for the pool's processes
        if not always:
            try:
                os.close(os.open(folder / "killed", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            except FileExistsError:
                return as_dict(item)
        (folder / f"killed-{os.getpid()}").touch()
        os.kill(os.getpid(), signal.SIGKILL)
        return None

    return product


def test_a_process_killed_mid_run_loses_no_message(spy: Spy, tmp_path: Path) -> None:
    job, files, serial = zone_job()
    results = collect(files, job, product=_dies(tmp_path), window=2)
    assert list(results) == serial
    assert len(list(tmp_path.glob("killed-*"))) == 1  # one process was killed
    assert len(spy.pools) == 2 and spy.shut == spy.pools  # its pool, and the one that took the window again
    # two windows (three units, two a window); the one that broke was computed again
    assert len(plan_units(files, job, threads=2)) == 3 and len(spy.calls) == 2 + 1


def test_a_process_killed_again_and_again_ends_the_run(spy: Spy, tmp_path: Path) -> None:
    job, files, _ = zone_job()
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 1}),
        pytest.raises(BrokenProcessPool, match="started again 1 times"),
    ):
        list(collect(files, job, product=_dies(tmp_path, always=True), window=2))
    assert len(list(tmp_path.glob("killed-*"))) >= 2  # a process of each pool
    assert len(spy.pools) == 2 and spy.shut == spy.pools


def test_parquet_is_written_from_one_pool_the_zone_sent_once_to_each_process(spy: Spy, tmp_path: Path) -> None:
    pandas = pytest.importorskip("pandas")
    job, files, serial = zone_job()
    write_parquet(files, tmp_path / "rows", job, rows_per_file=10)
    assert len(spy.pools) == 1 and spy.shut == spy.pools and len(spy.calls) == 1  # one window of three units
    assert not any(MARKER in graph for graphs, _ in spy.calls for graph in graphs)
    parts = sorted((tmp_path / "rows").iterdir())
    assert [p.name for p in parts] == ["part-000000.parquet", "part-000001.parquet", "part-000002.parquet"]
    rows = pandas.concat([pandas.read_parquet(p) for p in parts]).to_dict("records")
    assert rows == [row_from_dict(doc) for doc in serial]  # 24 rows: files of 10, 10 and 4


def test_a_pool_process_starts_without_dask_bag() -> None:
    # what a pool process imports to run a unit: dask.bag (and fsspec with it, about 50 ms) only builds bags
    code = "import sys, mailtrace.dask.local; print(sorted({'dask.bag', 'fsspec'} & sys.modules.keys()))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
