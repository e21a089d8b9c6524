"""mailtrace on a Dask cluster (the optional extra ``mailtrace[dask]``); see ``docs/scale.md``.

::

    from distributed import Client
    from mailtrace import Policy
    from mailtrace.dask import Job, write_parquet

    client = Client("tcp://scheduler:8786")       # every computation below runs there
    job = Job(policy=Policy(trusted_networks=("192.0.2.0/24",)))
    write_parquet(["/archive/2026-*.mbox", "/spamtrap/Maildir"], "out/", job)

Inputs are paths, glob patterns, Maildirs, folders and mbox files; a large mbox is split
into byte ranges at message boundaries (:mod:`mailtrace.dask.units`) so it spreads over
the workers. Results come back in input order and equal a serial run's, message for
message. The :class:`~mailtrace.policy.Policy` travels to the workers without a resolver;
a :class:`DnsSpec` says how each worker builds its own (with its own cache).
Nothing here schedules work itself: Dask does, and retries the tasks of a worker that dies.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import dask

from mailtrace.dask.local import LocalRun, local_scheduler
from mailtrace.dask.units import Unit, iter_plan
from mailtrace.dask.worker import DnsSpec, EvidenceMerger, Product, count_unit, run_job_unit
from mailtrace.dns.evidence import open_evidence_file
from mailtrace.errors import ConfigurationError, InputError
from mailtrace.load.patterns import expand
from mailtrace.load.sources import DEFAULT_OPTIONS, ReadOptions
from mailtrace.outputs import check_writable_target
from mailtrace.policy import DEFAULT_POLICY, Policy
from mailtrace.render.row import error_row
from mailtrace.report import Report

if TYPE_CHECKING:  # dask.bag (and fsspec with it) is imported by the functions that build a bag: a worker or
    # the command line's --dask starts without it (about 50 ms)
    import dask.bag as db

__all__ = [
    "DEFAULT_BLOCKSIZE",
    "ROWS_PER_PARTITION",
    "DnsSpec",
    "Job",
    "as_dict",
    "as_row",
    "cluster_threads",
    "collect",
    "in_flight",
    "iter_units",
    "plan_units",
    "reports_bag",
    "rows_bag",
    "rows_dataframe",
    "write_parquet",
]

#: Bytes of mbox per task, at most (64 MiB: about 10,000 messages of ordinary mail, a few seconds of work); an
#: archive of few blocks on a large cluster is cut finer (:func:`mailtrace.dask.units.plan`).
DEFAULT_BLOCKSIZE = 64 * 1024 * 1024
#: Rows of a partition of :func:`rows_dataframe`, and of a file of :func:`write_parquet`, about: in memory
#: about 100 MB (rows of about 1 KB), on disk a few tens of MB; readers such as DuckDB and Spark are slowed by
#: many small files.
ROWS_PER_PARTITION = 100_000
#: Units in flight per worker thread (:func:`in_flight`): one computing, one queued behind it.
UNITS_PER_THREAD = 2
#: Units in flight, at least (:func:`in_flight`).
MIN_WINDOW = 16
#: Mbox ranges counted by one Dask computation while a run is planned (:func:`iter_units`): a planning pass of
#: 256 cheap tasks, enough to keep a cluster's threads busy, and a bounded part of the plan held back for it.
COUNT_BATCH = 256
#: Units held back at most while the ranges among them wait for their counts (:func:`iter_units`).
HELD_UNITS = 4 * COUNT_BATCH


@dataclass(frozen=True, slots=True)
class Job:
    """What travels to the workers with every unit: the policy (without a resolver: a live resolver
    holds sockets and a cache), how each worker builds its resolver, how inputs are read, and the
    mbox block size."""

    policy: Policy = DEFAULT_POLICY
    dns: DnsSpec = field(default_factory=DnsSpec)
    options: ReadOptions = DEFAULT_OPTIONS
    blocksize: int = DEFAULT_BLOCKSIZE

    def __post_init__(self) -> None:
        if self.policy.resolver is not None:
            # Silently dropping it would turn every re-check into "not checked" on the workers.
            raise ConfigurationError(
                "Job: a policy's resolver cannot travel to Dask workers; give the policy none and say how the "
                "workers resolve with dns=DnsSpec.from_files('offline', zone=...), ('replay', replay=...) or ('live')"
            )


def as_dict(item: Report | InputError) -> dict[str, Any]:
    """A report's JSON form, or an input's error record (``InputError.to_dict()``)."""
    return item.to_dict()


def as_row(item: Report | InputError) -> dict[str, str]:
    """The table row of a report (``--format csv``), or of an input error."""
    if isinstance(item, InputError):
        return error_row(item.to_dict())
    return item.to_row()


def plan_units(paths: Sequence[str], job: Job | None = None, *, threads: int | None = None) -> list[Unit]:
    """The work units, with the serial position and the number of messages of every range, sized for
    ``threads`` worker threads (default: :func:`cluster_threads`; see :func:`mailtrace.dask.units.plan`):
    every unit of :func:`iter_units`, in a list.

    Counting the messages of the ranges is itself a Dask computation (one cheap task per
    range), so planning a 50 GB mbox reads it in parallel, once, without analysing it.
    """
    return list(iter_units(paths, job, threads=threads))


def iter_units(
    paths: Sequence[str],
    job: Job | None = None,
    *,
    threads: int | None = None,
    compute: Callable[..., tuple[Any, ...]] = dask.compute,
) -> Iterator[Unit]:
    """The units of :func:`plan_units`, as the folders are listed (:func:`mailtrace.dask.units.iter_plan`), so
    a run starts before the tree is listed and the client never holds its whole plan.

    The ranges of the mbox files are counted :data:`COUNT_BATCH` at a time, each batch by one ``compute``
    call (``dask.compute``: a cheap task per range, on the workers), and held back until then with the
    units between them; the other units come as they are planned.
    """
    job = job or Job()
    threads = cluster_threads() if threads is None else threads
    units = iter_plan(list(paths), job.blocksize, threads=threads, follow_symlinks=job.options.follow_symlinks)
    running: dict[str, int] = {}  # messages counted so far in each mbox: the position of its next range
    held: list[Unit] = []
    ranges = 0
    for unit in units:
        if not held and not unit.is_range:
            yield unit
            continue
        held.append(unit)
        ranges += unit.is_range
        if ranges >= COUNT_BATCH or len(held) >= HELD_UNITS:
            yield from _counted(held, running, job, compute)
            held, ranges = [], 0
    yield from _counted(held, running, job, compute)


def _counted(
    held: list[Unit], running: dict[str, int], job: Job, compute: Callable[..., tuple[Any, ...]]
) -> list[Unit]:
    """``held`` with each range's count and serial position, counted by one ``compute`` call."""
    if not held:
        return held
    counts = iter(compute(*[dask.delayed(count_unit)(unit, job.options) for unit in held if unit.is_range]))
    out: list[Unit] = []
    for unit in held:
        if unit.is_range:
            # an mbox given twice is read twice, each time numbered from 0, as a serial run numbers it
            base, count = (0 if unit.start == 0 else running[unit.path]), int(next(counts))
            out.append(replace(unit, position=base, count=count))
            running[unit.path] = base + count
        else:
            out.append(unit)
    return out


def _products(unit: Unit, *, job: Job, product: Product) -> list[Any]:
    return run_job_unit(unit, job, product)[0]


def reports_bag(paths: Sequence[str], job: Job | None = None, *, product: Product = as_dict) -> db.Bag:
    """A bag of one ``report.to_dict()`` (or ``product(report)``) per message or input error, in input order."""
    job = job or Job()
    return _bag(plan_units(paths, job), job, product)


def _bag(units: list[Unit], job: Job, product: Product) -> db.Bag:
    """One partition per unit: each unit's products, in input order. The job is one key of the graph that
    every task depends on, so it travels to each worker once rather than with every task."""
    import dask.bag as db

    shared = dask.delayed(job, pure=True)
    return db.from_sequence(units, npartitions=max(1, len(units))).map(_products, job=shared, product=product).flatten()


def rows_bag(paths: Sequence[str], job: Job | None = None) -> db.Bag:
    """A bag of the ``--format csv`` rows (:mod:`mailtrace.render.row`), one per message, in input order."""
    return reports_bag(paths, job, product=as_row)


def rows_dataframe(
    paths: Sequence[str], job: Job | None = None, *, rows_per_partition: int = ROWS_PER_PARTITION
) -> Any:
    """A Dask DataFrame of the rows: the CSV columns, every one a string, in input order.

    Each unit is analysed by its own task; then neighbouring units are put together into partitions of
    about ``rows_per_partition`` rows (counted from the plan: a file is a message, a range its counted
    messages), so an archive of 100 million messages is a thousand partitions, not a million.
    """
    from mailtrace.dask.frame import to_frame

    job = job or Job()
    units = plan_units(paths, job)
    frame = to_frame(_bag(units, job, as_row))
    wanted = max(1, -(-sum(unit.messages for unit in units) // max(1, rows_per_partition)))
    return frame.repartition(npartitions=wanted) if wanted < frame.npartitions else frame


def write_parquet(
    paths: Sequence[str], out: str | Path, job: Job | None = None, *, rows_per_file: int = ROWS_PER_PARTITION
) -> None:
    """The rows as a Parquet dataset in the folder ``out`` (pyarrow), for pandas, DuckDB and Spark: files
    of about ``rows_per_file`` rows, named in input order.

    On a ``distributed`` cluster the workers write the files (:func:`rows_dataframe`'s partitions), so they
    go to storage the workers share. On Dask's local schedulers the rows come from :func:`collect` (on the
    processes scheduler: one pool, the job sent once to each process) and this process writes them, files
    of ``rows_per_file`` rows, the last one fewer: the DataFrame's graph sent the job with every task there
    and started its own pool (``docs/scale.md``). A local ``out`` that is an input, or lies inside an input
    folder, is refused (:class:`~mailtrace.errors.ConfigurationError`): a run must not read its own files."""
    if "://" not in str(out):  # a URL (s3://...) is the workers' storage, no local input
        paths = expand(list(paths))  # once: the planner keeps a match as it is
        check_writable_target(out, paths, what="write_parquet: the folder", folder=True)
    if _current_client() is not None:
        frame = rows_dataframe(paths, job, rows_per_partition=rows_per_file)
        frame.to_parquet(str(out), write_index=False, name_function=_part_name)
        return
    from mailtrace.dask.frame import write_part

    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    part: list[dict[str, str]] = []
    written = 0
    for row in collect(paths, job, product=as_row):
        part.append(row)
        if len(part) >= max(1, rows_per_file):
            write_part(folder / _part_name(written), part)
            part, written = [], written + 1
    if part or not written:  # no row at all: one empty file, as the DataFrame's one empty partition writes
        write_part(folder / _part_name(written), part)


def _part_name(index: int) -> str:
    """``part-000012.parquet``: the files sort in input order, as every reader lists them."""
    return f"part-{index:06d}.parquet"


def collect(
    paths: Sequence[str],
    job: Job | None = None,
    *,
    product: Product = as_dict,
    record: str | Path | IO[str] | None = None,
    window: int | None = None,
) -> Iterator[Any]:
    """Run on the current Dask scheduler; yield one product per message or input error, in input order.

    The scheduler is the ``distributed`` client's cluster when there is one, otherwise the local scheduler
    ``dask.compute`` would use: threads (one core: the analysis holds the GIL) unless ``dask.config`` names
    another. On the processes scheduler the run has one pool, and the job goes once to each of its
    processes (:mod:`mailtrace.dask.local`).

    At most ``window`` units are computed at a time, so the client holds only their results
    however large the archive. By default (``None``) that is :func:`in_flight`: twice the cluster's
    worker threads, at least 16, read again as the results come (a cluster that grows gets more).
    With ``record`` (a path, or a text file open for writing), the
    workers record their DNS answers and the client merges them into that evidence file as the results
    come, flushed, in input order: a path is created new, as ``--record`` does (an existing file, one
    holding a message, an input or a file inside an input folder is refused).
    """
    job = job or Job()
    if record is None:
        yield from _windows(paths, job, product, window, None)
        return
    job = replace(job, dns=replace(job.dns, record=True))
    if isinstance(record, str | Path):  # never an input, nor inside an input folder: the run would read it
        paths = expand(list(paths))  # once: the planner keeps a match as it is
        check_writable_target(record, paths, what="record:")
    target: IO[str] = record if not isinstance(record, str | Path) else open_evidence_file(Path(record))
    try:
        recorded = EvidenceMerger(target, created=datetime.now(UTC).isoformat())
        yield from _windows(paths, job, product, window, recorded)
    finally:
        if target is not record:
            target.close()


def _windows(
    paths: Sequence[str], job: Job, product: Product, window: int | None, recorded: EvidenceMerger | None
) -> Iterator[Any]:
    client = _current_client()
    threads = cluster_threads()
    with contextlib.ExitStack() as stack:
        if client is None:
            run = stack.enter_context(LocalRun(job, threads))
            units = iter_units(paths, job, threads=threads, compute=run.compute)
            results = run.results(units, product, in_flight(threads) if window is None else window)
        else:
            results = _sliding(client, iter_units(paths, job, threads=threads), job, product, window)
        for products, evidence in results:
            if recorded is not None:
                recorded.add_records(evidence)
            yield from products


def cluster_threads() -> int:
    """The worker threads of the scheduler ``dask.compute`` would use: the total of a ``distributed``
    client's workers (at least 1: a cluster may still be starting them); for Dask's local schedulers,
    their ``num_workers`` setting or this machine's cores, and 1 for the synchronous one."""
    client = _current_client()
    if client is not None:
        return _client_threads(client)
    if local_scheduler() == "sync":
        return 1
    return int(dask.config.get("num_workers", None) or os.cpu_count() or 1)


def _client_threads(client: Any) -> int:
    """The threads of the workers a ``distributed`` client's scheduler has now, at least 1."""
    return max(1, sum(int(n) for n in client.nthreads().values()))


def in_flight(threads: int) -> int:
    """The default window of :func:`collect` for ``threads`` worker threads: every thread busy with one
    unit and one more queued, at least :data:`MIN_WINDOW`."""
    return max(MIN_WINDOW, UNITS_PER_THREAD * threads)


def _the_job(job: Job) -> Job:
    """The job, as the result of a task (:func:`_sliding`)."""
    return job


def _current_client() -> Any | None:
    """The ``distributed`` client that ``dask.compute`` would run on, or None (another scheduler)."""
    if dask.config.get("scheduler", None) not in (None, "dask.distributed", "distributed"):
        return None
    try:
        from distributed import default_client

        return default_client()
    except (ImportError, ValueError):
        return None


def _sliding(client: Any, units: Iterable[Unit], job: Job, product: Product, window: int | None) -> Iterator[Any]:
    """Each unit's result in input order, with at most ``window`` units submitted and not yet consumed:
    a unit is submitted as soon as the oldest one is taken, so no worker waits for a window's last task.
    With ``window`` None, :func:`in_flight` of the cluster's threads, asked again after each window's
    worth of results, so workers that join are given work."""
    todo = iter(units)
    pending: deque[Any] = deque()
    # The job goes to the scheduler once, as a task of its own that every unit's task depends on, not with
    # every task: a zone's or an evidence file's text can be large (a 28 MB zone with every task of the dev
    # corpus's folders: 14.4-17.9 s; once, 8.5-12.7 s). A task, not scattered data: if every worker holding
    # it dies, the scheduler computes it again from its arguments (scattered data would be lost, and with it
    # the run).
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Sending large graph", category=UserWarning)
        shared = client.submit(_the_job, job, pure=False)

    def submit(unit: Unit) -> Any:
        return client.submit(run_job_unit, unit, shared, product, pure=False)

    def target() -> int:
        return max(1, window) if window is not None else in_flight(_client_threads(client))

    size, taken = target(), 0
    pending.extend(submit(unit) for unit in itertools.islice(todo, size))
    try:
        while pending:
            future = pending.popleft()
            result = future.result()
            future.release()
            taken += 1
            if taken % size == 0:
                size = target()
            pending.extend(submit(unit) for unit in itertools.islice(todo, max(0, size - len(pending))))
            yield result
    finally:
        # A consumer that stops early: the tasks still pending are cancelled before the job they depend on
        # is released, so no worker is left waiting for a job the scheduler has forgotten.
        if pending:
            client.cancel(list(pending))
        shared.release()
