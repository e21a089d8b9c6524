"""The HTML report's cost: render time for a 20-hop message and for a 1,000-message batch, page size.

Each figure is set against the analysis of the same messages in the same run (render time /
analysis time), so the ratio holds on another machine. The 20-hop message is built here
(five organisations, twenty ``Received:`` lines). The batch is the first 1,000 messages of
``../shared/corpus/phishing-pot-dev`` (or of the fixtures, cycled, when the corpus is absent),
analysed without DNS; its page is rendered whole (index table plus every message).

Usage::

    python benchmarks/html_render.py [--repeat 5] [--batch 1000]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from mailtrace.analyze import analyze, analyze_many  # noqa: E402
from mailtrace.policy import Policy  # noqa: E402
from mailtrace.render.html import html_doc, render_html, render_page  # noqa: E402
from mailtrace.report import Report  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus" / "phishing-pot-dev"
ORGS = ("author.example", "relay-one.example", "filter.example", "forward.example", "recipient.example")


def twenty_hops() -> bytes:
    """A message with 20 ``Received:`` lines through five organisations, one second apart."""
    lines = []
    hosts = [f"mx{i % 4}.{ORGS[min(i // 4, 4)]}" for i in range(21)]
    for i in range(20, 0, -1):
        client, server = hosts[i - 1], hosts[i]
        lines.append(
            f"Received: from {client} ({client} [198.51.100.{i}])\r\n\tby {server} with ESMTPS id Q{i:04d}"
            f"\r\n\tfor <bob@recipient.example>; Tue, 4 Mar 2025 10:{i:02d}:00 +0000"
        )
    lines += [
        "From: Alice <alice@author.example>",
        "To: Bob <bob@recipient.example>",
        "Subject: twenty hops",
        "Date: Tue, 4 Mar 2025 10:00:00 +0000",
        "Message-ID: <20hops@author.example>",
    ]
    return ("\r\n".join(lines) + "\r\n\r\nbody\r\n").encode()


def best(repeat: int, work: Callable[[], Any]) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def batch_inputs(count: int) -> tuple[list[bytes], str]:
    if CORPUS.is_dir():
        files = [p.read_bytes() for p in sorted(CORPUS.rglob("*.eml"))[:count]]
        if files:
            return files, f"phishing-pot-dev, first {len(files)}"
    fixtures = sorted((REPO / "fixtures").rglob("*.eml"))
    raws = [p.read_bytes() for p in fixtures]
    return [raws[i % len(raws)] for i in range(count)], f"fixtures ({len(raws)}) cycled"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--batch", type=int, default=1000)
    args = ap.parse_args()
    policy = Policy()

    raw = twenty_hops()
    report = analyze(raw, policy=policy, name="twenty-hops.eml")
    hops = len(report.path.hops) if report.path else 0
    page = render_html(report)
    t_analyze = best(args.repeat, lambda: analyze(raw, policy=policy))
    t_render = best(args.repeat, lambda: render_html(report))
    print(f"20-hop message ({hops} hops, {len(report.path.actors) if report.path else 0} actors)")
    print(f"  analyse          {t_analyze * 1e3:8.2f} ms")
    print(f"  render HTML      {t_render * 1e3:8.2f} ms   ({t_render / t_analyze:.2f}x the analysis)")
    print(f"  page size        {len(page.encode()):8,d} bytes ({len(raw):,d} bytes of message)")

    raws, label = batch_inputs(args.batch)
    start = time.perf_counter()
    reports: list[Report] = []
    for one in raws:
        reports.extend(analyze_many(one, policy=policy))
    t_batch_analyze = time.perf_counter() - start
    views = [html_doc(r) for r in reports]
    t_views = best(max(1, args.repeat // 2), lambda: [html_doc(r) for r in reports])
    t_page = best(max(1, args.repeat // 2), lambda: render_page(views, standalone=True))
    page = render_page(views, standalone=True)
    sizes = [len(render_html(r).encode()) for r in reports[:200]]
    n = len(reports)
    print(f"\nbatch of {n} messages ({label})")
    print(f"  analyse          {t_batch_analyze:8.2f} s   ({t_batch_analyze / n * 1e3:.2f} ms/message)")
    print(f"  views            {t_views:8.2f} s   ({t_views / n * 1e3:.2f} ms/message)")
    print(f"  render the page  {t_page:8.2f} s   ({t_page / n * 1e3:.2f} ms/message)")
    print(f"  views + page     {(t_views + t_page) / t_batch_analyze:8.2f}x the analysis")
    print(f"  page size        {len(page.encode()) / 1e6:8.2f} MB  ({len(page.encode()) / n / 1e3:.1f} kB/message)")
    print(
        f"  one-message page median {statistics.median(sizes) / 1e3:.1f} kB, max {max(sizes) / 1e3:.1f} kB "
        f"(first {len(sizes)} messages; stylesheet {len(page.split('<style>')[1].split('</style>')[0]) / 1e3:.1f} kB)"
    )


if __name__ == "__main__":
    main()
