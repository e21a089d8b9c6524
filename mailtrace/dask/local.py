""":func:`mailtrace.dask.collect` without a ``distributed`` client: Dask's local schedulers.

``collect`` computes on the scheduler ``dask.compute`` would use: with nothing configured, Dask's
threaded scheduler, which the GIL keeps to one core, since the analysis is pure Python. For more than
one core on one machine, configure the processes scheduler (``dask.config.set(scheduler="processes")``)
or start a ``distributed.LocalCluster``. The processes scheduler is not chosen for you: it starts
processes with ``spawn`` (Dask's default), which import the calling script again, so a script must keep
its work under ``if __name__ == "__main__":``, and one that does not would fail where it used to work.

On the processes scheduler, one run uses one process pool, whose processes each receive the job once:

* ``dask.compute`` starts a pool of its own for each call unless it is given one, and spawning
  two processes that import mailtrace takes 1.1-1.3 s on a 2-core machine. A run computes one
  window after another, after counting the messages of its mbox ranges, so it paid that once per
  window (four times for the dev corpus's folders) and once more for the count.
* A task's arguments are pickled for the process that runs it, and the job holds a zone's or an
  evidence file's whole text. The job now travels once to each process, through the pool's
  initializer, and a task names it by a token (:func:`mailtrace.dask.worker.run_installed_unit`).

When a process of the run's pool dies (the kernel's out-of-memory killer, a signal), the pool is
broken and the tasks it held are lost. The run starts its processes again and repeats the window, as a
``distributed`` scheduler retries the tasks of a worker that died, at most
``distributed.scheduler.allowed-failures`` times (3), and only then raises.

``docs/scale.md`` ("One machine without a cluster") gives the measurements. A pool configured by
the user (``dask.config.set(pool=...)``) is used as it is, with the job sent with each task.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from typing import Any

import dask
from dask.multiprocessing import get_context, initialize_worker_process

from mailtrace.dask.units import Unit
from mailtrace.dask.worker import Product, UnitResult, install_job, run_installed_unit, run_job_unit

#: The names ``dask.config`` accepts for each local scheduler, and what :func:`local_scheduler` calls it.
_NAMES = {
    "sync": "sync",
    "synchronous": "sync",
    "single-threaded": "sync",
    "threads": "threads",
    "threading": "threads",
    "processes": "processes",
    "multiprocessing": "processes",
}


def local_scheduler() -> str:
    """The local scheduler a :class:`LocalRun` uses, as ``dask.compute`` would: ``sync``, ``threads`` (also
    when none is configured) or ``processes``, or ``other`` for a scheduler given as a function or an executor."""
    configured = dask.config.get("scheduler", None)
    if configured is None:
        return "threads"
    return _NAMES.get(configured, "other") if isinstance(configured, str) else "other"


#: Dask's settings while the run's own pool computes: the user's ``multiprocessing.initializer`` already ran in
#: each of its processes (:func:`_start_process`), and Dask warns that it cannot apply it to a pool it is given.
_OWN_POOL: dict[str, Any] = {"multiprocessing.initializer": None}


class LocalRun:
    """One :func:`~mailtrace.dask.collect` run on a local scheduler: its plan, then its units' results.

    On the processes scheduler with no pool of the user's, the run has one pool, started by the first
    task given to it (a run of one unit that counts no mbox range starts none) and shut when the run
    ends; each of its processes receives the job once, from the pool's initializer, and keeps it under
    the run's token. Use it as a context manager, around the whole run.
    """

    def __init__(self, job: Any, workers: int) -> None:
        self.job = job
        self.scheduler = local_scheduler()  #: as configured when the run starts
        self.token: str | None = None
        self._pool: _LazyPool | None = None
        if self.scheduler == "processes" and dask.config.get("pool", None) is None:
            self.token = uuid.uuid4().hex
            user_initializer = dask.config.get("multiprocessing.initializer", None)
            self._pool = _LazyPool(max(1, workers), partial(_start_process, self.token, job, user_initializer))

    def __enter__(self) -> LocalRun:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def compute(self, *tasks: Any) -> tuple[Any, ...]:
        """``dask.compute(*tasks)`` (the counting of mbox ranges, :func:`mailtrace.dask.iter_units`), on the run's
        pool when it has one (:func:`_compute`)."""
        return _compute(self._pool, tasks)

    def results(self, units: Iterable[Unit], product: Product, window: int) -> Iterator[UnitResult]:
        """Each unit's result in input order, computed ``window`` units at a time, taken from ``units`` as they
        are needed. A run of one unit is computed here, in this process: a pool would only add its start-up."""
        todo = iter(units)
        first = list(itertools.islice(todo, 2))
        units = itertools.chain(first, todo)
        if len(first) <= 1 or self.scheduler == "sync":
            yield from (run_job_unit(unit, self.job, product) for unit in units)
            return
        if self._pool is None:
            yield from _windows(units, window, lambda unit: dask.delayed(run_job_unit)(unit, self.job, product), None)
            return
        token = self.token
        installed = dask.delayed(run_installed_unit)
        yield from _windows(units, window, lambda unit: installed(unit, token, product), self._pool)


class _LazyPool(Executor):
    """A process pool (Dask's context, ``spawn`` by default) started by the first task it is given."""

    def __init__(self, workers: int, initializer: Callable[[], None]) -> None:
        self._max_workers = workers  # read by dask.multiprocessing.get, as of a ProcessPoolExecutor
        self._initializer = initializer
        self._pool: ProcessPoolExecutor | None = None

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self._max_workers, mp_context=get_context(), initializer=self._initializer
            )
        return self._pool.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Shut the processes; the next task given starts new ones (after a process died, :func:`_compute`)."""
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)
            self._pool = None


def _windows(
    units: Iterator[Unit], window: int, task: Callable[[Unit], Any], pool: _LazyPool | None
) -> Iterator[UnitResult]:
    """The units' results, ``window`` units to a computation (:func:`_compute`: on the run's own ``pool``, if
    it has one)."""
    size = max(1, window)
    while tasks := [task(unit) for unit in itertools.islice(units, size)]:
        yield from _compute(pool, tasks)


def allowed_failures() -> int:
    """How often a computation on a run's own pool is started again after one of its processes died: Dask's
    ``distributed.scheduler.allowed-failures`` (3 unless configured), as a ``distributed`` scheduler retries
    the tasks of a worker that died (and then gives up on them)."""
    return int(dask.config.get("distributed.scheduler.allowed-failures", 3))


def _compute(pool: _LazyPool | None, tasks: Sequence[Any]) -> tuple[Any, ...]:
    """``dask.compute(*tasks)``, on the scheduler configured, or on the run's own ``pool`` when it has one:
    one task to a process at a time (a unit is seconds of work, so handing the pool 6 tasks at a time, Dask's
    default chunk, only lets one process end a window with several units while the others wait), and
    without Dask's warning that it cannot apply the user's ``multiprocessing.initializer`` to a pool it is
    given (:data:`_OWN_POOL`, set for this call only, not across the results' yields).

    When a process of the run's own pool dies (the kernel's out-of-memory killer, a signal), the pool is
    broken and every task it held is lost: the processes are started again and the call repeated, at most
    :func:`allowed_failures` times, before the pool's error is raised with its two usual causes named. The
    tasks are pure (a unit's analysis and products), so a repeat gives the same results. Without a pool of
    the run's own (Dask's threads, a user's pool) nothing is repeated."""
    if pool is None:
        results: tuple[Any, ...] = dask.compute(*tasks)
        return results
    failures = 0
    while True:
        try:
            with dask.config.set(_OWN_POOL):
                results = dask.compute(*tasks, scheduler="processes", pool=pool, chunksize=1)
            return results
        except BrokenProcessPool as exc:
            failures += 1
            if failures > allowed_failures():
                raise BrokenProcessPool(
                    f"{exc} With spawn, Dask's default way to start a process, every process imports the calling "
                    "script again: a script must keep its work under 'if __name__ == \"__main__\":'. Otherwise a "
                    "process was killed (memory?) or its initializer failed; a run's own pool was started again "
                    f"{allowed_failures()} times first (distributed.scheduler.allowed-failures)."
                ) from exc
            pool.shutdown(wait=True)


def _start_process(token: str, job: Any, user_initializer: Callable[[], None] | None) -> None:
    """A pool process's start: Dask's own set-up of a worker process (and the user's initializer, as
    ``dask.config`` names it), then the run's job, kept under ``token``."""
    initialize_worker_process(user_initializer)
    install_job(token, job)
