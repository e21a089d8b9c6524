"""Parallel batch speed: ``mailtrace analyze --jobs N`` against ``--jobs 1`` on the dev corpus.

Runs the command line (as a user does) over every message file of the corpus
(``../shared/corpus``, or ``$MAILTRACE_CORPUS``: every file but the READMEs,
manifests and scripts, through a folder of symlinks with ``--follow-symlinks``),
once per ``--jobs`` value, and prints wall time, CPU time, the speedup over
``--jobs 1`` and whether the output bytes are identical. The machine's load
average is printed beside each run: on a shared machine other work takes cores
away, so read the speedup together with it.

With ``--junk`` it first runs the keep-going check instead: the same folder with a
PNG, a PDF, an empty file and a dangling symlink in the middle, and prints the
reports, the error records (by code) and the exit status.

Usage::

    python benchmarks/batch_speed.py [--jobs 1 2] [--format jsonl] [--repeat 1] [--junk] [CORPUS]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
_SKIP_NAMES = ("MANIFEST.tsv", "README.md", "inventory.py")


def corpus_root(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    env = os.environ.get("MAILTRACE_CORPUS")
    return Path(env) if env else REPO.parent / "shared" / "corpus"


def link_folder(corpus: Path, into: Path) -> int:
    """A flat folder of symlinks to every message file of ``corpus``, in sorted order."""
    files = sorted(p for p in corpus.rglob("*") if p.is_file() and p.name not in _SKIP_NAMES)
    for number, path in enumerate(files):
        (into / f"{number:05d}_{path.name}").symlink_to(path.resolve())
    return len(files)


def add_junk(folder: Path, files: int) -> None:
    """A PNG, a PDF, an empty file and a dangling symlink, sorted into the middle of ``folder``."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    middle = f"{files // 2:05d}"
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)) + chunk(b"IEND", b"")
    (folder / f"{middle}a_image.png").write_bytes(png)
    (folder / f"{middle}b_doc.pdf").write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    (folder / f"{middle}c_empty.eml").write_bytes(b"")
    (folder / f"{middle}d_dangling.eml").symlink_to(folder / "no-such-file.eml")


def junk_run(folder: Path, jobs: int) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mailtrace",
            "analyze",
            "--format",
            "jsonl",
            "--jobs",
            str(jobs),
            "--no-progress",
            "--follow-symlinks",
            str(folder),
        ],
        capture_output=True,
        check=False,
        cwd=REPO,
    )
    docs = [json.loads(line) for line in proc.stdout.splitlines()]
    errors = Counter(d["error"]["code"] for d in docs if "error" in d)
    reports = sum("error" not in d for d in docs)
    print(
        f"junk folder, --jobs {jobs}: {reports} reports, {sum(errors.values())} error records {dict(errors)}, "
        f"exit {proc.returncode}, {len(proc.stderr.splitlines())} lines on stderr"
    )


def one_run(folder: Path, jobs: int, fmt: str, out: Path) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (this run's processes), sha256 of the output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with out.open("wb") as sink:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "mailtrace",
                "analyze",
                "--format",
                fmt,
                "--jobs",
                str(jobs),
                "--no-progress",
                "--follow-symlinks",
                str(folder),
            ],
            stdout=sink,
            stderr=subprocess.DEVNULL,
            check=False,
            cwd=REPO,
        )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, hashlib.sha256(out.read_bytes()).hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--format", default="jsonl")
    parser.add_argument("--repeat", type=int, default=1, help="runs per --jobs value (the best is kept)")
    parser.add_argument("--junk", action="store_true", help="the keep-going check instead of the speed runs")
    args = parser.parse_args()
    corpus = corpus_root(args.corpus)
    if not corpus.is_dir():
        print(f"corpus not found at {corpus}")
        return 1
    with tempfile.TemporaryDirectory(prefix="mailtrace-batch-") as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        files = link_folder(corpus, folder)
        print(f"{files} files from {corpus}, --format {args.format}, {os.cpu_count()} cores")
        if args.junk:
            add_junk(folder, files)
            junk_run(folder, args.jobs[-1])
            return 0
        results: dict[int, tuple[float, float, str]] = {}
        for _ in range(args.repeat):
            for jobs in args.jobs:
                load = os.getloadavg()[0]
                wall, cpu, digest = one_run(folder, jobs, args.format, Path(tmp) / f"out{jobs}")
                print(f"  --jobs {jobs}: {wall:7.2f} s wall, {cpu:7.2f} s CPU, load {load:.2f}, sha256 {digest[:16]}")
                if jobs not in results or wall < results[jobs][0]:
                    results[jobs] = (wall, cpu, digest)
        base = results.get(1)
        for jobs, (wall, _cpu, digest) in sorted(results.items()):
            if base is None or jobs == 1:
                continue
            same = "identical" if digest == base[2] else "DIFFERENT"
            print(f"--jobs {jobs}: speedup {base[0] / wall:.2f}x over --jobs 1, output bytes {same}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
