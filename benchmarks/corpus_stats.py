"""Counts over the real-mail corpus: messages, hops, defects by code, and no exception.

    python benchmarks/corpus_stats.py [CORPUS_DIR]

CORPUS_DIR defaults to $MAILTRACE_CORPUS or ../shared/corpus beside the repository.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

import mailtrace
from mailtrace.errors import UnsupportedFormatError

SKIP = {".tsv", ".yml", ".yaml", ".md", ".py", ".pem", ".key", ".pub", ".private", ".dat", ".dns", ".json"}


def main() -> int:
    default = os.environ.get("MAILTRACE_CORPUS") or str(
        Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
    )
    root = Path(sys.argv[1] if len(sys.argv) > 1 else default)
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() not in SKIP)
    messages = hops = with_received = errors = refused = 0
    hop_codes: Counter[str] = Counter()
    message_codes: Counter[str] = Counter()
    verdicts: Counter[str] = Counter()
    findings: Counter[str] = Counter()
    start = time.perf_counter()
    for path in files:
        try:
            for report in mailtrace.analyze_many(path):
                messages += 1
                hops += len(report.received)
                with_received += bool(report.received)
                for hop in report.received:
                    hop_codes.update(d.code for d in hop.defects)
                message_codes.update(d.code for d in report.defects)
                message_codes.update(d.code for d in report.headers.defects)
                verdicts[report.verdict.result.value if report.verdict else "none"] += 1
                findings.update(f.code for f in report.findings)
        except UnsupportedFormatError as exc:
            refused += 1
            print(f"refused: {exc}")
        except Exception:  # a bug: report it, keep counting
            errors += 1
            print(f"EXCEPTION in {path}:\n{traceback.format_exc()}")
    elapsed = time.perf_counter() - start
    print(f"files {len(files)}, messages {messages}, with Received {with_received}, hops {hops}")
    print(f"refused formats {refused}, exceptions {errors}, {elapsed:.1f} s")
    print("hop defects by code:", dict(hop_codes.most_common()))
    print("message/header defects by code:", dict(message_codes.most_common()))
    print("verdicts:", dict(verdicts.most_common()))
    print("findings by code:", dict(findings.most_common()))
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
