"""Mutation fuzz campaign: N mutations of every corpus message, each analysed in a worker process.

Each task is ``(file, seed)``: the worker reads the file, applies
:func:`mailtrace.testing.hostile.mutate` with ``random.Random(seed)``, then runs
``mailtrace.analyze`` and both renderers (text and JSON). Workers run under a memory
limit (``resource.setrlimit(RLIMIT_AS)``); a task whose CPU time passes the timeout is
counted as a timeout, and so is one still running after 6 times the timeout of wall time
(its worker is killed and replaced). Times are CPU seconds of the worker (the machine may
be shared: wall time would measure the neighbours), wall seconds are kept beside them.
Reported: exceptions (type and innermost mailtrace location), inputs the loader refuses as
documented (counted apart: ``analyze()`` takes one message, and a mutation can make an mbox of two
or an Outlook file unreadable), ``mailtrace.internal_error`` defects, raw control characters in
the outputs, timeouts, the slowest inputs, and the peak resident memory of the workers (with the
inputs that raised it most).

Replay one input: ``python benchmarks/fuzz_campaign.py --replay FILE:SEED``.

Usage::

    nice -n 10 python benchmarks/fuzz_campaign.py [--corpus DIR] [--mutations 21] [--workers 2]
        [--timeout 10] [--memory-mb 1536] [--seed 1] [--out results.json]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import multiprocessing.connection as mpc
import random
import re
import resource
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import mailtrace  # noqa: E402
from mailtrace.errors import MailtraceError  # noqa: E402
from mailtrace.render.text import render_text  # noqa: E402
from mailtrace.testing.hostile import mutate  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus" / "phishing-pot-dev"
_SKIP = {"MANIFEST.tsv", "README.md", "inventory.py"}
#: What must never reach a terminal raw: C0 except tab and newline, DEL, C1, bidi, other Cf.
_RAW_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]"
)


def _task_seed(base: int, path: str, index: int) -> int:
    return random.Random(f"{base}:{path}:{index}").getrandbits(48)


def run_one(path: str, seed: int) -> dict[str, Any]:
    """Analyse one mutated input; never raises (an exception is the result)."""
    raw = Path(path).read_bytes()
    data, steps = mutate(raw, random.Random(seed))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start, cpu_start = time.perf_counter(), time.process_time()
    result: dict[str, Any] = {"path": path, "seed": seed, "steps": steps, "size": len(data)}
    try:
        report = mailtrace.analyze(data, name=Path(path).name)
        text = render_text(report)
        doc = report.to_json()
        internal = [d.message for d in report.defects if d.code == "mailtrace.internal_error"]
        if internal:
            result["internal_error"] = internal
        raw_controls = sorted({f"U+{ord(c):04X}" for c in _RAW_CONTROL.findall(text + doc)})
        if raw_controls:
            result["raw_controls"] = raw_controls
    except BaseException as exc:  # the campaign records every escape, MemoryError included
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/mailtrace/" in f.filename]
        where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
        if isinstance(exc, MailtraceError) and frames and "/mailtrace/load/" in frames[-1].filename:
            # The loader's documented refusal of an input analyze() cannot take as one message (a
            # mutation that made an mbox of two, an Outlook file no longer readable): not an escape.
            result["refused"] = f"{type(exc).__name__}: {exc}"[:200]
        else:
            result["exception"] = f"{type(exc).__name__} at {where}"
    result["wall_seconds"] = time.perf_counter() - start
    result["seconds"] = time.process_time() - cpu_start
    result["rss_growth_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    return result


def _worker(conn: mpc.Connection, memory_mb: int) -> None:
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    while True:
        task = conn.recv()
        if task is None:
            break
        result = run_one(*task)
        result["worker_peak_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        conn.send(result)


@dataclass
class _Slot:
    process: Any
    conn: mpc.Connection
    task: tuple[str, int] | None = None
    started: float = 0.0


def _spawn(memory_mb: int) -> _Slot:
    parent, child = mp.Pipe()
    process = mp.Process(target=_worker, args=(child, memory_mb), daemon=True)
    process.start()
    child.close()
    return _Slot(process, parent)


def campaign(tasks: list[tuple[str, int]], workers: int, timeout: float, memory_mb: int) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    pending = list(reversed(tasks))
    slots = [_spawn(memory_mb) for _ in range(workers)]
    last_print = time.monotonic()
    while pending or any(s.task for s in slots):
        for slot in slots:
            if slot.task is None and pending:
                slot.task = pending.pop()
                slot.started = time.monotonic()
                slot.conn.send(slot.task)
        busy = [s.conn for s in slots if s.task is not None]
        for ready in mpc.wait(busy, timeout=1.0):
            slot = next(s for s in slots if s.conn is ready)
            conn = slot.conn
            try:
                results.append(conn.recv())
            except EOFError:  # the worker died (e.g. killed by the memory limit outside Python)
                assert slot.task is not None
                results.append({"path": slot.task[0], "seed": slot.task[1], "exception": "worker died"})
                slots[slots.index(slot)] = _spawn(memory_mb)
                continue
            slot.task = None
        now = time.monotonic()
        for i, slot in enumerate(slots):
            if slot.task is not None and now - slot.started > 6 * timeout:
                slot.process.kill()
                slot.process.join()
                results.append(
                    {"path": slot.task[0], "seed": slot.task[1], "seconds": now - slot.started, "killed": True}
                )
                slots[i] = _spawn(memory_mb)
        if now - last_print > 60:
            last_print = now
            print(f"  {len(results)}/{len(tasks)} done", file=sys.stderr, flush=True)
    for slot in slots:
        slot.conn.send(None)
        slot.process.join(5)
    return results


def summarise(results: list[dict[str, Any]], timeout: float, wall: float) -> dict[str, Any]:
    exceptions = [r for r in results if "exception" in r]
    refused = [r for r in results if "refused" in r]
    internal = [r for r in results if "internal_error" in r]
    controls = [r for r in results if "raw_controls" in r]
    timeouts = [r for r in results if r.get("seconds", 0.0) > timeout]
    slowest = sorted(results, key=lambda r: -r.get("seconds", 0.0))[:10]
    small = [r for r in results if r.get("size", 0) <= 1_000_000]
    slowest_small = sorted(small, key=lambda r: -r.get("seconds", 0.0))[:5]
    growth = sorted(results, key=lambda r: -r.get("rss_growth_kb", 0))[:5]
    kinds: dict[str, int] = {}
    for r in exceptions:
        kinds[r["exception"]] = kinds.get(r["exception"], 0) + 1
    for r in internal:
        for message in r["internal_error"]:
            key = f"internal_error: {message}"
            kinds[key] = kinds.get(key, 0) + 1

    def brief(r: dict[str, Any]) -> dict[str, Any]:
        keep = (
            "path",
            "seed",
            "steps",
            "size",
            "seconds",
            "wall_seconds",
            "rss_growth_kb",
            "exception",
            "refused",
            "internal_error",
        )
        return {k: r[k] for k in keep if k in r}

    return {
        "analyses": len(results),
        "wall_seconds": round(wall, 1),
        "exceptions": len(exceptions),
        "refused_inputs": len(refused),
        "refused_examples": [brief(r) for r in refused][:20],
        "internal_errors": len(internal),
        "raw_control_outputs": len(controls),
        "timeouts": len(timeouts),
        "timeout_seconds": timeout,
        "kinds": kinds,
        "peak_worker_rss_mb": round(max((r.get("worker_peak_kb", 0) for r in results), default=0) / 1024, 1),
        "slowest": [brief(r) for r in slowest],
        "slowest_up_to_1mb": [brief(r) for r in slowest_small],
        "largest_rss_growth": [brief(r) for r in growth],
        "failures": [brief(r) for r in exceptions + internal + controls + timeouts][:200],
    }


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--corpus", type=Path, default=CORPUS)
    p.add_argument("--mutations", type=int, default=21, help="mutations per message (default 21)")
    p.add_argument("--limit", type=int, default=0, help="only the first N messages (0: all)")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--timeout", type=float, default=10.0)
    p.add_argument("--memory-mb", type=int, default=1536)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", type=Path, help="write the full summary as JSON here")
    p.add_argument("--replay", help="FILE:SEED: run one input in this process and print the result")
    args = p.parse_args()
    if args.replay:
        path, _, seed = args.replay.rpartition(":")
        print(json.dumps(run_one(path, int(seed)), indent=2))
        return 0
    files = sorted(str(f) for f in args.corpus.rglob("*") if f.is_file() and f.name not in _SKIP)
    if args.limit:
        files = files[: args.limit]
    tasks = [(f, _task_seed(args.seed, Path(f).name, i)) for f in files for i in range(args.mutations)]
    print(f"{len(tasks)} analyses: {len(files)} messages x {args.mutations} mutations", file=sys.stderr)
    start = time.monotonic()
    results = campaign(tasks, args.workers, args.timeout, args.memory_mb)
    summary = summarise(results, args.timeout, time.monotonic() - start)
    if args.out:
        args.out.write_text(json.dumps(summary, indent=2))
    for key in (
        "analyses",
        "wall_seconds",
        "exceptions",
        "refused_inputs",
        "internal_errors",
        "raw_control_outputs",
        "timeouts",
    ):
        print(f"{key:22} {summary[key]}")
    print(f"{'peak worker RSS':22} {summary['peak_worker_rss_mb']} MB")
    for kind, count in sorted(summary["kinds"].items(), key=lambda kv: -kv[1]):
        print(f"  {count:6}  {kind}")
    print("slowest:")
    for r in summary["slowest"][:5]:
        where = f"{Path(r['path']).name}:{r['seed']}"
        print(f"  {r.get('seconds', 0):7.3f} s  {r.get('size', '?'):>9} B  {where}  {r.get('steps')}")
    print("slowest input of at most 1 MB:")
    for r in summary["slowest_up_to_1mb"][:3]:
        where = f"{Path(r['path']).name}:{r['seed']}"
        print(f"  {r.get('seconds', 0):7.3f} s  {r.get('size', '?'):>9} B  {where}  {r.get('steps')}")
    failed = summary["exceptions"] + summary["internal_errors"] + summary["raw_control_outputs"] + summary["timeouts"]
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
