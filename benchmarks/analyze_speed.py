"""Whole-analysis throughput: ``mailtrace.analyze_many`` on every corpus file, no DNS.

What an abuse desk's batch run costs per message: loading, every header parser, the path
(order, borders, actors, ARC ties), the verdict and its findings; verification reads only
the receivers' stamps (no resolver). Every LRU cache of the package is cleared before each
pass, so repeated messages do not flatter it; the best pass is kept and the stage split of
one profiled pass is printed with ``--profile``.

Usage::

    python benchmarks/analyze_speed.py [--repeat 3] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import mailtrace  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus"
_SKIP = ("MANIFEST.tsv", "README.md", "inventory.py")


def corpus_files(corpus: Path) -> list[bytes]:
    out: list[bytes] = []
    for path in sorted(corpus.rglob("*")):
        if path.is_file() and path.name not in _SKIP:
            out.append(path.read_bytes())
    return out


def package_caches() -> dict[str, Any]:
    """Every cache (a function with ``cache_clear``) defined in a loaded ``mailtrace`` module, by qualified name."""
    found: dict[str, Any] = {}
    for name, module in list(sys.modules.items()):
        if name != "mailtrace" and not name.startswith("mailtrace."):
            continue
        for value in vars(module).values():
            if isinstance(value, type):  # a cache class itself (memo.BoundedCache), not a cache
                continue
            if callable(getattr(value, "cache_clear", None)) and getattr(value, "__module__", None) == name:
                found[f"{name}.{getattr(value, '__qualname__', '?')}"] = value
    return found


def clear_caches() -> None:
    """Clear every cache defined in a ``mailtrace`` module (:func:`package_caches`)."""
    for cache in package_caches().values():
        cache.cache_clear()


def one_pass(files: list[bytes]) -> tuple[float, int, int]:
    """Seconds, messages analysed, files refused."""
    clear_caches()
    gc.collect()
    messages = refused = 0
    start = time.perf_counter()
    for raw in files:
        try:
            for _ in mailtrace.analyze_many(raw):
                messages += 1
        except mailtrace.MailtraceError:
            refused += 1
    return time.perf_counter() - start, messages, refused


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"corpus not found at {CORPUS}")
        return 1
    files = corpus_files(CORPUS)
    best = min(one_pass(files) for _ in range(args.repeat))
    secs, messages, refused = best
    print(f"{len(files)} files, {messages} messages, {refused} refused (Python {sys.version.split()[0]})")
    print(f"analyze_many: {messages / secs:,.0f} msg/s, {secs / messages * 1e6:,.1f} us/msg (best of {args.repeat})")
    if args.profile:
        profile = cProfile.Profile()
        clear_caches()
        profile.runcall(one_pass, files)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
