"""What planning a Dask run of a large tree costs the client: memory, and the wait before the first task.

    python benchmarks/plan_memory.py [--folders 200] [--files 1000] [--threads 2] [--tree DIR]

Builds a tree of ``--folders`` folders of ``--files`` small messages each in a temporary folder (or in
``--tree``, kept for the next run, which reads it as it is), then, for each way of planning the tree's
folders given as inputs, in a fresh process:

* ``list``: ``plan_units`` (the whole plan in a list, as the bags and the DataFrame need it);
* ``stream``: ``iter_units``, each unit dropped once taken (as ``collect`` takes them), when the tree
  being measured has it;
* ``first``: ``collect`` on the synchronous scheduler until its first row, then closed.

Printed for each: the peak of Python's allocations during the call (``tracemalloc``), per file, the
seconds it took, and the units. For ``first`` only the seconds: a tree that does not have ``iter_units``
(before streaming) plans the whole tree before its first row. Its peak would show the reader's buffer:
a file is read by one ``read`` of the message limit (64 MiB), for which CPython allocates that much
before it shrinks the result (untouched pages, not resident memory).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

MESSAGE = (
    b"Received: from mx.sender.example (mx.sender.example [192.0.2.%d]) by mx.example.org with ESMTPS id %d;"
    b" Mon, 3 Jun 2024 10:00:00 +0000\r\nFrom: a@sender.example\r\nTo: b@example.org\r\n"
    b"Subject: message %d\r\nMessage-ID: <%d@sender.example>\r\n\r\nbody\r\n"
)


def build(root: Path, folders: int, files: int) -> list[str]:
    """``folders`` folders under ``root`` of ``files`` messages each; the folders' paths."""
    paths = []
    for f in range(folders):
        folder = root / f"box-{f:05d}"
        folder.mkdir()
        for i in range(files):
            n = f * files + i
            (folder / f"{i:07d}.eml").write_bytes(MESSAGE % (n % 250 + 1, n, n, n))
        paths.append(str(folder))
    return paths


def measure(way: str, folders: list[str], threads: int) -> dict[str, float]:
    """One way of planning, in this process: peak bytes, seconds, units."""
    import dask

    import mailtrace
    import mailtrace.dask as md

    mailtrace.analyze(MESSAGE % (1, 1, 1, 1))  # loaded before the measure: the modules, the Public Suffix List
    units = 0
    tracemalloc.start()
    start = time.perf_counter()
    if way == "list":
        units = len(md.plan_units(folders, threads=threads))
    elif way == "stream":
        for _ in md.iter_units(folders, threads=threads):
            units += 1
    else:
        with dask.config.set(scheduler="synchronous"):
            rows = md.collect(folders, product=md.as_row)
            next(rows)
            rows.close()
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"peak": peak, "seconds": seconds, "units": units}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--folders", type=int, default=200)
    p.add_argument("--files", type=int, default=1000, help="files a folder")
    p.add_argument("--threads", type=int, default=2, help="worker threads the plan is sized for")
    p.add_argument("--tree", help="a folder to build the tree in and keep, or a tree built before")
    p.add_argument("--measure", help=argparse.SUPPRESS)  # the child process: way, then the folders as JSON
    args = p.parse_args()
    if args.measure:
        way, folders = args.measure.split(":", 1)
        print(json.dumps(measure(way, json.loads(folders), args.threads)))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(args.tree or tmp)
        root.mkdir(parents=True, exist_ok=True)
        if any(root.iterdir()):
            folders = sorted(str(p) for p in root.iterdir() if p.is_dir())
        else:
            folders = build(root, args.folders, args.files)
        total = sum(len(os.listdir(f)) for f in folders)
        print(f"{len(folders)} folders, {total} files; plan sized for {args.threads} threads")
        import mailtrace.dask as md

        ways = ["list", "stream", "first"] if hasattr(md, "iter_units") else ["list", "first"]
        for way in ways:
            out = subprocess.run(
                [sys.executable, __file__, "--threads", str(args.threads), "--measure", f"{way}:{json.dumps(folders)}"],
                capture_output=True,
                text=True,
                check=True,
            )
            got = json.loads(out.stdout)
            if way == "first":
                print(f"{way:7} the first row after {got['seconds']:6.2f} s")
                continue
            print(
                f"{way:7} peak {got['peak'] / 2**20:8.1f} MiB ({got['peak'] / total:6.1f} B a file)"
                f"  {got['seconds']:6.2f} s  units {int(got['units'])}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
