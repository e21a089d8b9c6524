"""Peak memory of the CLI reading a large mbox, from a file and from standard input (issue 12, item 5).

Builds, in a temporary folder, an mbox of ``--size`` bytes (default 1 GiB) of ~100 KB messages, and
the same with one message whose body is a single line of ``--line`` bytes (default 600 MB). Each
case runs ``mailtrace analyze --format jsonl`` under ``nice`` with its output sent to /dev/null, in
a fresh helper process that reports the peak RSS of its children
(``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss``). Standard input is a pipe fed by ``cat``.
The temporary files are removed at the end.

Usage::

    python benchmarks/memory_readers.py [--size BYTES] [--line BYTES]

The target (docs/inputs.md, "Bounds"): under 200 MB in every case.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "mailtrace", "analyze", "--format", "jsonl"]

_HEAD = (
    "From sender{i}@example.com Mon May 13 10:00:00 2024\n"
    "Received: from mail.example.com (mail.example.com [192.0.2.{octet}])\n"
    "\tby mx.example.org (Postfix) with ESMTPS id 4Vx{i};\n\tMon, 13 May 2024 10:00:00 +0000 (UTC)\n"
    "From: Sender {i} <sender{i}@example.com>\nTo: someone@example.org\nSubject: message {i}\n"
    "Date: Mon, 13 May 2024 10:00:00 +0000\nMessage-ID: <{i}@example.com>\n\n"
)
_BODY_LINE = b"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\n"


def build(path: Path, size: int, line: int) -> int:
    """Write the mbox; returns its message count. ``line`` > 0 puts one message with a line that long in the middle."""
    body = _BODY_LINE * 1300  # ~100 KB
    written = count = 0
    with path.open("wb") as out:
        while written < size:
            head = _HEAD.format(i=count, octet=count % 250 + 1).encode()
            if line and count == 10:
                out.write(head)
                chunk = b"x" * (1 << 20)
                for _ in range(line // len(chunk)):
                    out.write(chunk)
                out.write(b"\n\n")
                written += len(head) + line + 2
            else:
                out.write(head + body + b"\n")
                written += len(head) + len(body) + 1
            count += 1
    return count


def run_case(path: Path, stdin: bool) -> dict[str, float]:
    """In this (fresh) process: run the CLI once; its peak RSS and time."""
    start = time.perf_counter()
    cmd = ["nice", "-n", "10", *CLI]
    with open("/dev/null", "w") as null:
        if stdin:
            with subprocess.Popen(["cat", str(path)], stdout=subprocess.PIPE) as cat:
                code = subprocess.run([*cmd, "-"], stdin=cat.stdout, stdout=null, cwd=REPO, check=False).returncode
        else:
            code = subprocess.run([*cmd, str(path)], stdout=null, cwd=REPO, check=False).returncode
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"exit": code, "peak_rss_mb": round(peak_kib / 1024, 1), "seconds": round(time.perf_counter() - start, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1 << 30, help="mbox size in bytes (1 GiB)")
    parser.add_argument("--line", type=int, default=600 * 1000 * 1000, help="length of the one long line (600 MB)")
    parser.add_argument("--only", choices=("plain", "line"), help="run one of the two mboxes")
    parser.add_argument("--case", nargs=2, metavar=("MBOX", "file|stdin"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(Path(args.case[0]), args.case[1] == "stdin")))
        return 0
    results = []
    with tempfile.TemporaryDirectory(prefix="mailtrace-memory-") as tmp:
        cases = [("plain", 0), ("one long line", args.line)]
        for label, line in cases if args.only is None else cases[args.only == "line" :][:1]:
            path = Path(tmp) / "big.mbox"
            messages = build(path, args.size, line)
            for how in ("file", "stdin"):
                helper = [sys.executable, __file__, "--case", str(path), how]
                result = json.loads(subprocess.run(helper, capture_output=True, text=True, check=True).stdout)
                result.update(mbox=label, input=how, bytes=path.stat().st_size, messages=messages)
                results.append(result)
                print(
                    f"{label:14} {how:5} {result['bytes'] / 2**20:7.0f} MiB {messages:6} messages: "
                    f"peak RSS {result['peak_rss_mb']:6.1f} MB, {result['seconds']:6.1f} s, exit {result['exit']}",
                    flush=True,
                )
            path.unlink()
    worst = max(r["peak_rss_mb"] for r in results)
    print(f"worst peak RSS: {worst:.1f} MB (target: under 200 MB)")
    return 0 if worst < 200 else 1


if __name__ == "__main__":
    sys.exit(main())
