"""Memory held by the package's caches after many hostile messages (issue 12: 588 MB after 4,000).

Each message carries large, distinct values in every field a cache is keyed by (addresses,
dates, IP literals and host names in ``Received:``), so an entry-count bound alone would keep
thousands of 64 kB keys. Printed: the resident set size after the run, and each cache's
entry count. With byte-bounded caches (``mailtrace/memo.py``) the large keys are never kept.

Usage::

    python benchmarks/cache_memory.py [--messages 4000]
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import mailtrace  # noqa: E402
from mailtrace.memo import BoundedCache  # noqa: E402


def _message(i: int, size: int) -> bytes:
    pad = (b"%08d" % i) * (size // 8)
    lines = [
        b"Received: from h" + pad + b" ([192.0.2." + pad[:60] + b"]) by mx" + pad + b"; Mon, 3 Jun 2024 10:00:00 +0000",
        b"From: " + pad + b"@example.com",
        b"Reply-To: x <" + pad + b"@example.org>",
        b"Delivered-To: " + pad + b"@example.net",
        b"Date: Mon, 3 Jun 2024 10:00:00 +0000 " + pad,
        b"Subject: x",
    ]
    return b"\r\n".join(lines) + b"\r\n\r\nbody\r\n"


def _caches() -> dict[str, int]:
    out: dict[str, int] = {}
    for name, module in sorted(sys.modules.items()):
        if not name.startswith("mailtrace"):
            continue
        for attr, value in vars(module).items():
            info = getattr(value, "cache_info", None)
            if isinstance(value, type) or getattr(value, "__module__", "") != name:
                continue
            if isinstance(value, BoundedCache) or callable(info):
                out[f"{name}.{attr}"] = value.cache_info().currsize
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--messages", type=int, default=4000)
    p.add_argument("--size", type=int, default=16_000, help="bytes of each hostile value")
    args = p.parse_args()
    mailtrace.analyze(_message(-1, 100))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for i in range(args.messages):
        mailtrace.analyze(_message(i, args.size))
    gc.collect()
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    what = f"{args.messages} messages, {args.size}-byte values"
    print(f"{what}: peak RSS {before / 1024:.0f} -> {after / 1024:.0f} MB")
    for name, size in _caches().items():
        print(f"  {size:6} entries  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
