"""Batch runs: many inputs, bad ones reported, analyses in parallel, results in input order.

:func:`iter_items` turns the caller's inputs into a stream of ``(raw bytes, Source)``
messages and :class:`InputError` records (an input that cannot be read or is not
mail), so one bad file never ends the batch. :func:`run` analyses the messages of
such a stream with ``jobs`` workers and yields, in input order, ``render(report)``
for each message and the error records unchanged.

Workers:

* ``jobs=1``: in this process, one message after the other.
* a policy that pickles (no resolver, an offline zone): a pool of ``jobs`` processes
  (``0`` means every core). Messages travel in chunks; each worker returns
  ``render(report)``, so ``render`` must be a picklable, module-level callable
  (for example ``Report.to_dict``) and its result small. Reports do not cross
  processes (they are large object graphs).
* a policy that does not pickle (a live, recording or replaying resolver, whose
  cache, evidence file and counters must be one): ``jobs`` threads sharing that
  resolver. DNS waits overlap; the CPU work does not (the GIL).

At most ``4 * jobs`` chunks are in flight, so memory stays bounded however long the
batch. The output is the same, byte for byte, whatever ``jobs`` is (analysis is
deterministic for a deterministic resolver).
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from typing import BinaryIO, Generic, TypeVar

from mailtrace.errors import InputError
from mailtrace.load.nested import expand
from mailtrace.load.sources import DEFAULT_OPTIONS, ReadOptions, Source, iter_messages
from mailtrace.policy import DEFAULT_POLICY, Policy
from mailtrace.report import Report

R = TypeVar("R")

#: Messages per task sent to a worker process (fewer round trips), and the byte cap of a chunk.
CHUNK_MESSAGES = 16
CHUNK_BYTES = 4 << 20
#: Chunks in flight per worker: bounds memory (the window) while keeping every worker busy.
WINDOW_PER_JOB = 4


def describe(error: InputError) -> str:
    """``file (message 3): why``: the line the command line prints on standard error."""
    where = error.source if error.position is None else f"{error.source} (message {error.position})"
    text = error.message
    if text.startswith(f"{error.source}: "):
        text = text[len(error.source) + 2 :]
    return f"{where}: {text}"


Item = tuple[bytes, Source] | InputError


def iter_items(
    sources: Iterable[object],
    *,
    policy: Policy | None = None,
    options: ReadOptions = DEFAULT_OPTIONS,
    stdin: BinaryIO | None = None,
) -> Iterator[Item]:
    """Every message of every source, or an :class:`InputError` where a source (or a file in it) fails.

    Sources are what :func:`~mailtrace.analyze_many` takes (a ``str`` is message text, a
    :class:`~pathlib.Path` a file or folder); ``"-"`` reads ``stdin`` (default: standard input).
    """
    limits = (policy or DEFAULT_POLICY).limits
    for source in sources:
        if source == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from iter_messages(stream, name="<stdin>", limits=limits, options=options, errors="report")
        else:
            yield from iter_messages(source, limits=limits, options=options, errors="report")


# -- workers ---------------------------------------------------------------------------------------

_WORKER_POLICY: Policy | None = None


def _init_worker(policy_blob: bytes) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle, once
    global _WORKER_POLICY  # one policy per worker process, set once when it starts
    _WORKER_POLICY = pickle.loads(policy_blob)  # pickled by the parent process, never from outside


def _analyze_one(raw: bytes, source: Source, policy: Policy, render: Callable[[Report], R]) -> R | InputError:
    from mailtrace.analyze import analyze_bytes  # late: analyze_many(jobs=) imports this module

    try:
        return render(analyze_bytes(raw, source, policy))
    except Exception as exc:  # a last line of defence beside analyze_bytes' own: the batch goes on
        return InputError(
            source=source.name,
            code="mailtrace.internal_error",
            message=f"{type(exc).__name__}: {exc}",
            position=source.position,
        )


def _analyze_all(
    raw: bytes, source: Source, policy: Policy, render: Callable[[Report], R], attached: bool
) -> list[R | InputError]:
    """The results of one message as read: its own, then (``attached``) each attached message's."""
    if not attached:
        return [_analyze_one(raw, source, policy, render)]
    return [
        item if isinstance(item, InputError) else _analyze_one(item[0], item[1], policy, render)
        for item in expand(raw, source, policy.limits)
    ]


def _process_chunk(
    render: Callable[[Report], R], attached: bool, chunk: list[tuple[bytes, Source]]
) -> list[list[R | InputError]]:
    policy = _WORKER_POLICY or DEFAULT_POLICY
    return [_analyze_all(raw, source, policy, render, attached) for raw, source in chunk]


def _thread_chunk(
    policy: Policy, render: Callable[[Report], R], attached: bool, chunk: list[tuple[bytes, Source]]
) -> list[list[R | InputError]]:
    return [_analyze_all(raw, source, policy, render, attached) for raw, source in chunk]


def effective_jobs(jobs: int) -> int:
    """``0`` is every core (``os.process_cpu_count`` where known); negative is an error."""
    if jobs < 0:
        raise ValueError(f"jobs must be 0 (every core) or more, not {jobs}")
    if jobs == 0:
        count = getattr(os, "process_cpu_count", os.cpu_count)()
        return max(1, count or 1)
    return jobs


def policy_pickles(policy: Policy) -> bool:
    """True when ``policy`` (and its resolver) can be sent to worker processes."""
    try:
        pickle.dumps(policy)
    except (TypeError, AttributeError, pickle.PicklingError):
        return False
    return True


@dataclass(slots=True)
class _Chunk(Generic[R]):
    """A run of stream items; only the messages go to a worker, errors wait here in their place."""

    items: list[Item]
    future: Future[list[list[R | InputError]]] | None = None


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    chunk: list[Item] = []
    weight = 0
    for item in items:
        chunk.append(item)
        if not isinstance(item, InputError):
            weight += len(item[0])
        if len(chunk) >= size or weight >= CHUNK_BYTES:
            yield chunk
            chunk, weight = [], 0
    if chunk:
        yield chunk


def run(
    items: Iterable[Item],
    render: Callable[[Report], R],
    *,
    policy: Policy | None = None,
    jobs: int = 1,
    executor: str = "auto",
    attached: bool = False,
) -> Iterator[R | InputError]:
    """Analyse the messages of ``items``; yield ``render(report)`` or the error record, in input order.

    ``executor``: ``auto`` (processes when the policy pickles, threads otherwise),
    ``process`` or ``thread``. ``attached``: the items were read without splitting off
    attached messages (``ReadOptions(nested=False)``); the workers do it (as
    :func:`~mailtrace.load.nested.expand`, in the same order), which keeps that MIME walk out
    of the reading process.
    """
    policy = policy or DEFAULT_POLICY
    workers = effective_jobs(jobs)
    if workers == 1:
        for item in items:
            if isinstance(item, InputError):
                yield item
            else:
                yield from _analyze_all(item[0], item[1], policy, render, attached)
        return
    use_processes = executor == "process" or (executor == "auto" and policy_pickles(policy))
    pool: Executor
    if use_processes:
        pool = ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(pickle.dumps(policy),))
        size = CHUNK_MESSAGES
    else:
        pool = ThreadPoolExecutor(workers, thread_name_prefix="mailtrace")
        size = 1  # threads share memory: one message per task keeps the DNS waits overlapping
    with pool:
        window: deque[_Chunk[R]] = deque()
        try:
            for items_chunk in _chunks(items, size):
                messages = [item for item in items_chunk if not isinstance(item, InputError)]
                chunk: _Chunk[R] = _Chunk(items_chunk)
                if messages:
                    chunk.future = (
                        pool.submit(_process_chunk, render, attached, messages)
                        if use_processes
                        else pool.submit(_thread_chunk, policy, render, attached, messages)
                    )
                window.append(chunk)
                if len(window) >= WINDOW_PER_JOB * workers:
                    yield from _drain(window.popleft())
            while window:
                yield from _drain(window.popleft())
        finally:
            for pending in window:
                if pending.future is not None:
                    pending.future.cancel()


def _drain(chunk: _Chunk[R]) -> Iterator[R | InputError]:
    results = iter(chunk.future.result() if chunk.future is not None else ())
    for item in chunk.items:
        if isinstance(item, InputError):
            yield item
        else:
            yield from next(results)


def identity(report: Report) -> Report:
    """The report itself (for thread workers, where reports need not be pickled)."""
    return report
