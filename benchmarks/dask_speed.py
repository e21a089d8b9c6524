"""A Dask LocalCluster of N worker processes against one process, on the dev corpus.

    python benchmarks/dask_speed.py [--workers 2] [--repeat 3] [--corpus ../shared/corpus] [--mbox | --files]
        [--local] [--zone FILE]

Both runs produce the ``--format csv`` rows of every message (no DNS unless ``--zone``); the script checks
that they are identical. The cluster is started and every worker warmed (imports, the
Public Suffix List) before timing, as the one process is; then the two runs alternate
``--repeat`` times, so a change in the VM's speed hits both, and the best time of each is
compared. It prints the speedup, the CPU seconds of the workers and of this process (the
client and the scheduler), the throughput per core, and the hours that 100 million
messages would take on 64 cores at the one-process rate (no allowance for the scheduler,
which a real cluster adds). ``--mbox`` packs the corpus into one mbox in a temporary
folder first, so one large file is split over the workers. ``--files`` gives every file of the corpus's
folders as its own input, as a shell's ``/archive/*.eml`` does.

``--local`` runs ``collect`` with no cluster, on Dask's local processes scheduler with ``--workers``
processes (``mailtrace.dask.local``), as a library user on one machine does; its time includes
starting the process pool, which every such run pays. ``--zone FILE`` gives both runs an offline
DNS zone (``DnsSpec.from_files("offline", zone=FILE)``), so the job that travels to the workers
holds the zone's text; the one process reads the zone in its timed run, as each worker does in its own.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from mailtrace import analyze_many  # noqa: E402
from mailtrace.dask import Job, as_row, collect  # noqa: E402
from mailtrace.dask.worker import DnsSpec  # noqa: E402
from mailtrace.dns.zone import OfflineZone  # noqa: E402
from mailtrace.errors import InputError  # noqa: E402
from mailtrace.policy import DEFAULT_POLICY, Policy  # noqa: E402
from mailtrace.render.row import error_row  # noqa: E402


def serial(paths: list[str], policy: Policy = DEFAULT_POLICY) -> list[dict[str, str]]:
    out = []
    for path in paths:
        for item in analyze_many(Path(path), errors="report", policy=policy):
            out.append(error_row(item.to_dict()) if isinstance(item, InputError) else item.to_row())
    return out


def pack(corpus: Path, folder: Path) -> str:
    """Every ``.eml`` of the list archives and phishing-pot-dev as one mbox (mboxrd-style quoting)."""
    out = folder / "packed.mbox"
    with out.open("wb") as f:
        for path in sorted(corpus.glob("lfdr-list-archives/*/*.eml")) + sorted(corpus.glob("phishing-pot-dev/*.eml")):
            data = path.read_bytes().replace(b"\r\n", b"\n").replace(b"\nFrom ", b"\n>From ")
            f.write(b"From bench@example Mon Jan  1 00:00:00 2024\n" + data.rstrip(b"\n") + b"\n\n")
    return str(out)


def cpu_seconds() -> float:
    """This process's CPU time (run on each worker through ``client.run``)."""
    return time.process_time()


def timed(run: Any) -> tuple[float, float, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    out = run()
    return time.perf_counter() - wall, time.process_time() - cpu, out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3, help="alternating runs of each (3)")
    parser.add_argument("--corpus", default=str(REPO.parent / "shared" / "corpus"))
    parser.add_argument("--blocksize", type=float, default=4.0, help="MiB of mbox per task (4)")
    parser.add_argument("--window", type=int, default=None, help="units in flight (collect's default)")
    parser.add_argument("--mbox", action="store_true", help="pack the corpus into one mbox first")
    parser.add_argument("--files", action="store_true", help="every file as its own input (a shell glob)")
    parser.add_argument("--local", action="store_true", help="no cluster: Dask's local processes scheduler")
    parser.add_argument("--zone", help="an offline DNS zone for both runs")
    args = parser.parse_args()
    import dask
    import distributed

    corpus = Path(args.corpus)
    if not corpus.is_dir():
        print(f"no corpus at {corpus}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        folders = [p for p in sorted(corpus.iterdir()) if p.is_dir()]
        if args.mbox:
            paths = [pack(corpus, Path(tmp))]
        elif args.files:
            paths = [str(f) for folder in folders for f in sorted(folder.rglob("*")) if f.is_file()]
        else:
            paths = [str(p) for p in folders]
        job = Job(blocksize=int(args.blocksize * 2**20))
        zone = args.zone

        def one_process(inputs: list[str]) -> list[dict[str, str]]:
            """A serial run; with ``--zone`` it reads the zone first, as ``mailtrace analyze --zone`` does."""
            policy = replace(DEFAULT_POLICY, resolver=OfflineZone.from_file(zone)) if zone else DEFAULT_POLICY
            return serial(inputs, policy)

        if zone:
            job = replace(job, dns=DnsSpec.from_files("offline", zone=zone))
        print(f"load average before: {os.getloadavg()[0]:.2f}")
        with contextlib.ExitStack() as stack:
            client = None
            if args.local:
                stack.enter_context(dask.config.set(scheduler="processes", num_workers=args.workers))
            else:
                cluster = stack.enter_context(
                    distributed.LocalCluster(
                        n_workers=args.workers,
                        threads_per_worker=1,
                        host="127.0.0.1",
                        dashboard_address="127.0.0.1:0",
                        silence_logs=40,
                    )
                )
                client = stack.enter_context(distributed.Client(cluster))
                warm = [paths[0]] * args.workers * 4  # every worker imports mailtrace and loads the PSL
                list(collect(warm, job, product=as_row))
            one_process([paths[0]])
            ones, manys, expected, rows = [], [], None, None
            for _ in range(args.repeat):
                wall, cpu, expected = timed(lambda: one_process(paths))
                ones.append((wall, cpu))
                before = client.run(cpu_seconds) if client else {}
                wall, cpu, rows = timed(lambda: list(collect(paths, job, product=as_row, window=args.window)))
                after = client.run(cpu_seconds) if client else {}
                manys.append((wall, cpu, sum(after.values()) - sum(before.values())))
        print(f"load average after: {os.getloadavg()[0]:.2f}")
    assert expected is not None and rows is not None
    n = len(expected)
    same = rows == expected
    one = min(w for w, _ in ones)
    many, client_cpu, worker_cpu = min(manys)
    per_core = n / one
    hours = 100e6 / (per_core * 64) / 3600
    print(f"messages: {n}; rows identical: {same}")
    print("one process, each run: " + ", ".join(f"{w:.1f} s" for w, _ in ones))
    print(f"{args.workers} workers, each run: " + ", ".join(f"{w:.1f} s" for w, _, _ in manys))
    print(f"one process (best): {one:.1f} s ({per_core:.0f} msg/s, {1e6 / per_core:.0f} us/msg)")
    speedup = one / many
    what = "local processes scheduler" if args.local else "LocalCluster"
    print(f"{what}, {args.workers} workers (best): {many:.1f} s ({n / many:.0f} msg/s); speedup {speedup:.2f}x")
    if args.local:
        print(f"  CPU in that run: this process {client_cpu:.1f} s")
    else:
        print(f"  CPU in that run: workers {worker_cpu:.1f} s, client + scheduler {client_cpu:.1f} s")
    print(f"per core in the cluster: {n / many / args.workers:.0f} msg/s")
    print(f"100 million messages on 64 cores at the one-process rate: {hours:.1f} h")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
