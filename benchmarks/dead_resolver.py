"""A resolver that never answers: how long does a batch with live DNS take?

Opens a UDP socket on 127.0.0.1 that reads every query and answers none, writes
``--messages`` (1,000) small messages whose re-check asks four questions each
(MX, SPF, DKIM key, DMARC: each about the message's own domain, so no cache
helps), and runs ``mailtrace analyze --dns live --nameserver 127.0.0.1:PORT``
over them with the default DNS timeouts. Prints the wall time, the queries the
dead server received, the warnings and the DNS statistics line. Before the
resolver health check each message waited out its 20-second DNS budget
(1,000 messages: about 5.5 hours).

Usage::

    python benchmarks/dead_resolver.py [--messages 1000] [--jobs 1] [--dns-timeout SECONDS]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from mailtrace.testing.silent_dns import dns_asking_message, silent_dns_server  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--dns-timeout", type=float, default=None, help="default: mailtrace's own (8 s)")
    args = parser.parse_args()
    with silent_dns_server() as (port, received), tempfile.TemporaryDirectory(prefix="mailtrace-dead-") as tmp:
        folder = Path(tmp)
        for i in range(args.messages):
            (folder / f"m{i:05d}.eml").write_bytes(dns_asking_message(i))
        argv = [sys.executable, "-m", "mailtrace", "analyze", "--format", "csv", "--no-progress", "--dns", "live"]
        argv += ["--nameserver", f"127.0.0.1:{port}", "--jobs", str(args.jobs), str(folder)]
        if args.dns_timeout is not None:
            argv += ["--dns-timeout", str(args.dns_timeout)]
        start = time.perf_counter()
        proc = subprocess.run(argv, capture_output=True, check=False, cwd=REPO)
        wall = time.perf_counter() - start
    err = proc.stderr.decode("utf-8", "replace").splitlines()
    rows = proc.stdout.count(b"\r\n") - 1
    warnings = [line for line in err if "warning" in line]
    print(f"{args.messages} messages, --jobs {args.jobs}: {wall:.1f} s wall, exit {proc.returncode}, {rows} rows")
    print(f"queries received by the dead server: {len(received)}; warnings: {len(warnings)}")
    for line in [*warnings, *(line for line in err if line.startswith("mailtrace: DNS:"))]:
        print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
