"""Where ``mailtrace.analyze()`` spends its time: the stage table of issue 18, no DNS.

Runs the stages of ``mailtrace.analyze._analyze_stages`` one after the other on every message of
the dev corpus (every message ``analyze_many`` finds, attached ones included), and prints
microseconds per message for each stage:

* splitting the header block: ``parse_message`` (loading with ``iter_messages`` on its own row);
* header parsing: ``Received:`` (``parse_received`` on every field), addresses and the other typed
  headers (``extract_headers``), authentication headers (``parse_authentication``);
* path reconstruction: ``reconstruct_path``;
* findings, verdict and the report: the border identity, ``verify`` (stamps only), ``judge``,
  the enrichment/indicator extras and the ``Report`` itself;
* whole ``analyze()``: ``analyze_bytes`` timed in its own pass, as a check on the sum.

Every cache of the package is cleared before each pass; the best pass of each stage is kept.

``--peers`` adds, in the same run and on the same messages, interleaved (by whole passes, or with
``--chunk N`` by runs of N messages, see :func:`peers`): mail-parser's
``parse_from_bytes`` (the ``bench`` extra), the header analysis alone as ``header_speed.py`` times
it, and the stdlib header-parse floor, and prints the three ratios of issue 18.

``--callgrind`` counts instructions per stage instead (valgrind, deterministic on a loaded
machine): it runs the pipeline up to each stage in turn under ``valgrind --tool=callgrind`` on a
sample of the corpus (``--sample K`` keeps every K-th file, 50 by default) and prints the differences.
``--profile`` prints cProfile's own time per function and per module. ``--caches`` counts the misses of
every bounded cache (``mailtrace.memo``) over one whole pass, with its bound and with the bound lifted: the
second count is the number of distinct arguments, so the difference is what the bounds of
``docs/hardening.md`` cost in recomputations.

Usage::

    python benchmarks/stage_profile.py [--repeat 3] [--peers [--chunk 250]] [--profile] [--caches]
    python benchmarks/stage_profile.py --callgrind [--sample 50] [--jobs 3]
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gc
import logging
import os
import pstats
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from analyze_speed import clear_caches, corpus_files, package_caches  # noqa: E402
from header_speed import floor_one, mailtrace_one  # noqa: E402

from mailtrace.analyze import _parse_trace, analyze_bytes, border_identity  # noqa: E402
from mailtrace.auth import verify  # noqa: E402
from mailtrace.enrich.extras import analysis_extras  # noqa: E402
from mailtrace.load.sources import Source, iter_messages  # noqa: E402
from mailtrace.memo import BoundedCache  # noqa: E402
from mailtrace.parse.addresses import address_budget  # noqa: E402
from mailtrace.parse.auth import parse_authentication  # noqa: E402
from mailtrace.parse.headers import extract_headers  # noqa: E402
from mailtrace.parse.message import parse_message  # noqa: E402
from mailtrace.policy import DEFAULT_POLICY  # noqa: E402
from mailtrace.report import Report  # noqa: E402
from mailtrace.trace import reconstruct_path  # noqa: E402
from mailtrace.verdict import judge  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus"
WARM_UP = 20  # messages run through every stage before a callgrind count (imports, regex compiles)
# (key, label, group); the groups are the rows of issue 18's table
STAGES = (
    ("split", "splitting the header block (parse_message)", "split"),
    ("addresses", "  addresses, dates, other headers (extract_headers)", "headers"),
    ("received", "  Received: (parse_received, every field)", "headers"),
    ("auth", "  authentication headers (parse_authentication)", "headers"),
    ("path", "path reconstruction (reconstruct_path)", "path"),
    ("verify", "  verify (stamps only) + border identity", "judge"),
    ("judge", "  findings and verdict (judge)", "judge"),
    ("report", "  extras (enrichment, indicators) + Report", "judge"),
)
GROUPS = (
    ("split", "splitting the header block"),
    ("headers", "all header parsing (Received, addresses, dates, authentication)"),
    ("path", "path reconstruction (reconstruct_path)"),
    ("judge", "findings, verdict and the report"),
)


def corpus_messages(corpus: Path, sample: int = 1) -> list[tuple[bytes, Source]]:
    """Every message ``analyze_many`` would analyse in every ``sample``-th corpus file, as (bytes, Source)."""
    out: list[tuple[bytes, Source]] = []
    for raw in corpus_files(corpus)[::sample]:
        try:
            out.extend(item for item in iter_messages(raw) if not isinstance(item, Exception))
        except Exception:  # refused input (analyze_many raises too): not a message
            continue
    return out


def staged_pass(messages: list[tuple[bytes, Source]], upto: int = len(STAGES)) -> dict[str, float]:
    """Seconds per stage over one pass; stops after stage number ``upto`` (for callgrind)."""
    policy = DEFAULT_POLICY
    clock = time.perf_counter
    acc = dict.fromkeys((key for key, _, _ in STAGES), 0.0)
    clear_caches()
    gc.collect()
    if upto < 1:  # the baseline run: the cache clearing and collection above, counted in no stage
        return acc
    for raw, source in messages:
        t0 = clock()
        message = parse_message(raw, policy.limits)
        t1 = clock()
        acc["split"] += t1 - t0
        if upto < 2:
            continue
        with address_budget(policy.limits.address_time_budget):
            headers = extract_headers(message)
        t2 = clock()
        acc["addresses"] += t2 - t1
        if upto < 3:
            continue
        received, hop_defects = _parse_trace(message.get_all("Received"), policy)
        t3 = clock()
        acc["received"] += t3 - t2
        if upto < 4:
            continue
        authentication = parse_authentication(message)
        t4 = clock()
        acc["auth"] += t4 - t3
        if upto < 5:
            continue
        path = reconstruct_path(received, headers, authentication, message, policy)
        t5 = clock()
        acc["path"] += t5 - t4
        if upto < 6:
            continue
        client_ip, helo, when, note = border_identity(path, received)
        verification = verify(
            message,
            headers,
            authentication,
            client_ip=client_ip,
            helo=helo,
            clock=policy.now or when,
            border_note=note,
            policy=policy,
        )
        t6 = clock()
        acc["verify"] += t6 - t5
        if upto < 7:
            continue
        findings, verdict = judge(
            message=message,
            headers=headers,
            received=received,
            authentication=authentication,
            path=path,
            verification=verification,
            policy=policy,
        )
        t7 = clock()
        acc["judge"] += t7 - t6
        if upto < 8:
            continue
        enrichment, indicators = analysis_extras(message, path, client_ip, verification, policy)
        Report(
            source=source,
            message=message,
            headers=headers,
            received=received,
            authentication=authentication,
            path=path,
            verification=verification,
            findings=findings,
            verdict=verdict,
            defects=(*source.defects, *message.defects, *hop_defects, *path.defects),
            enrichment=enrichment,
            indicators=indicators,
        )
        acc["report"] += clock() - t7
    return acc


def whole_pass(messages: list[tuple[bytes, Source]]) -> float:
    clear_caches()
    gc.collect()
    start = time.perf_counter()
    for raw, source in messages:
        analyze_bytes(raw, source, DEFAULT_POLICY)
    return time.perf_counter() - start


def print_table(per_stage: dict[str, float], whole: float | None, unit: str, scale: float) -> None:
    """The stage table; ``whole`` (the own-pass ``analyze()``) is left out when ``None``."""
    digits = 0 if unit.startswith("instr") else 1
    print(f"{'stage':58} {unit:>12}")
    for group, label in GROUPS:
        total = sum(per_stage[key] for key, _, g in STAGES if g == group)
        print(f"{label:58} {total * scale:12,.{digits}f}")
        for key, sub, g in STAGES:
            if g == group and sub.startswith("  "):
                print(f"{sub:58} {per_stage[key] * scale:12,.{digits}f}")
    print(f"{'sum of the stages':58} {sum(per_stage.values()) * scale:12,.{digits}f}")
    if whole is not None:
        print(f"{'whole analyze() (analyze_bytes, own pass)':58} {whole * scale:12,.{digits}f}")
    judged = sum(per_stage[key] for key, _, g in STAGES if g in ("path", "judge"))
    parsed = sum(per_stage[key] for key, _, g in STAGES if g == "headers")
    print(f"path + judgement / header parsing: {judged / parsed:.2f} (issue 18: <= 1)")


def timed(messages: list[tuple[bytes, Source]], repeat: int) -> None:
    best = dict.fromkeys((key for key, _, _ in STAGES), float("inf"))
    whole = float("inf")
    staged_pass(messages[:WARM_UP])  # imports and regex compiles out of the first pass
    for _ in range(repeat):
        for key, secs in staged_pass(messages).items():
            best[key] = min(best[key], secs)
        whole = min(whole, whole_pass(messages))
    n = len(messages)
    print(f"{n} messages (best of {repeat} passes; Python {sys.version.split()[0]})")
    print_table(best, whole, "us/msg", 1e6 / n)


def peers(messages: list[tuple[bytes, Source]], repeat: int, chunk: int = 0) -> None:
    """The three ratios of issue 18, interleaved in one run on the same messages.

    ``chunk`` 0: each runner takes whole passes over the messages in turn, every cache cleared before each
    pass, and its best pass counts. ``chunk`` N: the runners take turns on each run of N messages (the
    first runner rotating), every cache cleared before each turn, and each runner's best time for each
    run counts; the sum of those is its time. A machine whose speed drifts over a minute then slows every
    runner alike, instead of the one whose pass it was.
    """
    logging.disable(logging.CRITICAL)
    import mailparser  # the bench extra

    def analyze_one(item: tuple[bytes, Source]) -> object:
        return analyze_bytes(item[0], item[1], DEFAULT_POLICY)

    def mail_parser_one(item: tuple[bytes, Source]) -> object:
        return mailparser.parse_from_bytes(item[0]).received

    runners: dict[str, Callable[[tuple[bytes, Source]], object]] = {
        "analyze()": analyze_one,
        "header analysis": lambda item: mailtrace_one(item[0]),
        "stdlib floor": lambda item: floor_one(item[0]),
        "mail-parser": mail_parser_one,
    }
    size = chunk or len(messages)
    runs = [messages[i : i + size] for i in range(0, len(messages), size)]
    names = list(runners)
    per_run = {name: [float("inf")] * len(runs) for name in names}
    for _ in range(repeat):
        for k, run in enumerate(runs):
            for name in names[k % len(names) :] + names[: k % len(names)]:
                fn = runners[name]
                clear_caches()
                gc.collect()
                start = time.perf_counter()
                for item in run:
                    with contextlib.suppress(Exception):  # a peer refusing a message costs it its time
                        fn(item)
                per_run[name][k] = min(per_run[name][k], time.perf_counter() - start)
    best = {name: sum(times) for name, times in per_run.items()}
    n = len(messages)
    for name, secs in best.items():
        print(f"  {name:16} {n / secs:9,.0f} msg/s {secs / n * 1e6:9,.1f} us/msg")
    mp = best["mail-parser"]
    print(f"whole analyze() throughput / mail-parser: {mp / best['analyze()']:.2f}x (target >= 3x)")
    print(f"header analysis throughput / mail-parser: {mp / best['header analysis']:.2f}x (target >= 5x)")
    print(f"header analysis time / stdlib floor: {best['header analysis'] / best['stdlib floor']:.2f}x (target <= 2x)")


def profile(messages: list[tuple[bytes, Source]]) -> None:
    prof = cProfile.Profile()
    clear_caches()
    prof.runcall(whole_pass, messages)
    stats = pstats.Stats(prof)
    stats.sort_stats("tottime").print_stats(30)
    by_module: dict[str, float] = {}
    for (filename, _, _), (_, _, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        match = re.search(r"(mailtrace/.*)\.py$", filename)
        key = match.group(1).replace("/", ".") if match else "(stdlib / builtins)"
        by_module[key] = by_module.get(key, 0.0) + tottime
    total = sum(by_module.values())
    print("own time by module (cProfile, whole analyze()):")
    for key, secs in sorted(by_module.items(), key=lambda kv: -kv[1])[:30]:
        print(f"  {key:48} {secs / len(messages) * 1e6:9.1f} us/msg  {secs / total:6.1%}")


def bounded_caches() -> list[tuple[str, BoundedCache[Any, Any]]]:
    """Every :func:`mailtrace.memo.bounded_cache` of the loaded ``mailtrace`` modules, by qualified name."""
    return sorted((name, cache) for name, cache in package_caches().items() if isinstance(cache, BoundedCache))


def cache_misses(messages: list[tuple[bytes, Source]]) -> None:
    """Misses per cache over one whole pass, bounded and unbounded (``--caches``)."""
    caches = bounded_caches()
    misses: dict[str, list[int]] = {name: [] for name, _ in caches}
    for lifted in (False, True):
        with contextlib.ExitStack() as stack:
            for _, cache in caches if lifted else ():
                stack.enter_context(cache.without_bound())
            whole_pass(messages)  # clears every cache first
            for name, cache in caches:
                misses[name].append(cache.cache_info().misses)
    print(f"{len(messages)} messages, one whole pass per column")
    print(f"{'cache':58} {'bound':>7} {'misses':>8} {'unbounded':>10} {'re-misses':>10}")
    for name, (bounded, unbounded) in sorted(misses.items(), key=lambda kv: -kv[1][0]):
        if bounded:
            bound = dict(caches)[name].maxsize
            print(f"{name:58} {bound:7,} {bounded:8,} {unbounded:10,} {bounded - unbounded:10,}")


def callgrind(sample: int, jobs: int) -> None:
    """Instructions per stage: callgrind runs of the pipeline up to stage 0..N, differenced."""

    def count(upto: int, tmp: str) -> int:
        out = Path(tmp) / f"cg.{upto}"
        cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, __file__]
        cmd += ["--upto", str(upto), "--sample", str(sample)]
        env = {**os.environ, "PYTHONHASHSEED": "0"}  # the same set and dict layouts in every run
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        text = out.read_text(errors="replace")
        match = re.search(r"^summary:\s+(\d+)", text, re.M) or re.search(r"^totals:\s+(\d+)", text, re.M)
        if match is None:
            raise SystemExit(f"no instruction total in {out}")
        print(f"  up to stage {upto}: {int(match.group(1)):,} instructions", flush=True)
        return int(match.group(1))

    with tempfile.TemporaryDirectory(prefix="stage-callgrind-") as tmp, ThreadPoolExecutor(jobs) as pool:
        counts = list(pool.map(lambda upto: count(upto, tmp), range(len(STAGES) + 1)))
    n = len(corpus_messages(CORPUS, sample))
    per_stage = {key: counts[i + 1] - counts[i] for i, (key, _, _) in enumerate(STAGES)}
    print(f"{n} messages (every {sample}th), instructions per message (callgrind):")
    print_table({key: float(value) for key, value in per_stage.items()}, None, "instr/msg", 1 / n)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sample", type=int, default=1, help="keep every K-th message")
    parser.add_argument("--peers", action="store_true", help="the three ratios against mail-parser and the floor")
    parser.add_argument(
        "--chunk", type=int, default=0, help="with --peers: runners take turns on runs of N messages (0: whole passes)"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile of the whole analyze() pass")
    parser.add_argument("--callgrind", action="store_true", help="instruction counts per stage (valgrind)")
    parser.add_argument("--caches", action="store_true", help="misses of every bounded cache, bounded and not")
    parser.add_argument("--jobs", type=int, default=3, help="callgrind runs at once")
    parser.add_argument("--upto", type=int, default=None, help=argparse.SUPPRESS)  # one callgrind run
    args = parser.parse_args(argv)
    if not CORPUS.is_dir():
        print(f"corpus not found at {CORPUS}")
        return 1
    if args.callgrind:
        callgrind(args.sample if args.sample > 1 else 50, args.jobs)
        return 0
    messages = corpus_messages(CORPUS, args.sample)
    if args.caches:
        cache_misses(messages)
        return 0
    if args.upto is not None:  # one callgrind run: warm up every stage, then the measured part
        # the warm-up covers the whole sample, so every module the pass imports (dateutil's parser,
        # codecs, zoneinfo) is loaded before the measured pass, which clears the caches again
        staged_pass(messages)
        staged_pass(messages, args.upto)
        return 0
    timed(messages, args.repeat)
    if args.peers:
        peers(messages, args.repeat, args.chunk)
    if args.profile:
        profile(messages)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
