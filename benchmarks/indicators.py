"""Indicator extraction over the dev corpus: no exception, time per message and per MB, URLs beside eml_parser.

* mailtrace: ``parse_message`` + ``extract_indicators`` (bounded MIME walk, text and HTML parts).
* eml_parser (GOVCERT-LU, the ``bench`` extra): ``EmlParser(include_href=True, include_www=True,
  include_raw_body=True).decode_email_bytes(raw)``; its URLs are the union of ``body[*].uri`` and
  ``body[*].uri_noscheme`` (without ``include_raw_body`` it reports only their hashes).

For each message both URL sets are compared after the same light normalisation (a ``www.`` URL
gets ``http://``, a trailing ``/`` on a bare host is dropped); the differences are counted by
kind, with examples, so ``docs/indicators.md`` can explain them. Timing is the best of
``--repeat`` passes (mailtrace and eml_parser interleaved).

Usage::

    nice -n 10 python benchmarks/indicators.py [--corpus DIR] [--limit N] [--repeat 3] [--examples 3]
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from mailtrace.indicators import extract_indicators  # noqa: E402
from mailtrace.parse.message import parse_message  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus" / "phishing-pot-dev"


def norm(url: str) -> str:
    """Lower case (eml_parser lowers its URLs), ``www.`` and ``//`` given ``http:``, a bare host's ``/`` dropped."""
    u = url.strip().lower()
    if u.startswith("www."):
        u = "http://" + u
    elif u.startswith("//"):
        u = "http:" + u
    scheme, sep, rest = u.partition("://")
    if sep and rest.count("/") == 1 and rest.endswith("/"):
        rest = rest[:-1]
    return f"{scheme.lower()}{sep}{rest}"


def ours(raw: bytes) -> set[str]:
    return {norm(u.url) for u in extract_indicators(parse_message(raw)).urls}


def theirs(parser: Any, raw: bytes) -> set[str]:
    doc = parser.decode_email_bytes(raw)
    found = {norm(u) for body in doc.get("body", []) for u in body.get("uri", []) or []}
    found |= {norm(u) for body in doc.get("body", []) for u in body.get("uri_noscheme", []) or []}
    return {u for u in found if not u.startswith("mailto:")}  # mailtrace lists these under emails


def kind_of(url: str, other: set[str]) -> str:
    """Why a URL is in one set and not the other (a heuristic label for the report)."""
    low = url.lower()
    if any(o.startswith(url) or url.startswith(o) for o in other):
        return "same link, cut at another character"
    if "&amp;" in low:
        return "HTML entity or escaping"
    if low.startswith("http://www.") and not any(o.startswith("http://www.") for o in other):
        return "www. without scheme"
    if "://" not in low:
        return "no scheme"
    return "other"


def main() -> None:
    logging.disable(logging.CRITICAL)
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--examples", type=int, default=3)
    args = ap.parse_args()
    files = sorted(p for p in args.corpus.rglob("*.eml") if p.is_file())[: args.limit]
    raws = [p.read_bytes() for p in files]
    megabytes = sum(map(len, raws)) / 1e6
    print(f"{len(raws)} messages, {megabytes:.1f} MB from {args.corpus}")

    errors = 0
    defects: Counter[str] = Counter()
    for raw in raws:
        try:
            ind = extract_indicators(parse_message(raw))
            defects.update(d.code for d in ind.defects)
        except Exception as exc:  # the measurement: there must be none
            errors += 1
            print(f"EXCEPTION {type(exc).__name__}: {exc}")
    print(f"mailtrace exceptions: {errors}; defects: {dict(defects.most_common(8))}")

    try:
        import eml_parser

        peer: Any = eml_parser.EmlParser(include_href=True, include_www=True, include_raw_body=True)
    except ImportError:
        peer = None
        print("eml_parser not installed (pip install -e '.[bench]'): no comparison")

    best = {"mailtrace": float("inf"), "eml_parser": float("inf")}
    for _ in range(args.repeat):
        t = time.perf_counter()
        for raw in raws:
            extract_indicators(parse_message(raw))
        best["mailtrace"] = min(best["mailtrace"], time.perf_counter() - t)
        if peer is not None:
            t = time.perf_counter()
            for raw in raws:
                with contextlib.suppress(Exception):
                    peer.decode_email_bytes(raw)
            best["eml_parser"] = min(best["eml_parser"], time.perf_counter() - t)
    for name, secs in best.items():
        if secs != float("inf"):
            print(f"{name:10s} {secs / len(raws) * 1e3:7.2f} ms/message  {secs / megabytes * 1e3:7.1f} ms/MB")

    if peer is None:
        return
    mine_total = their_total = same = more = fewer = peer_errors = 0
    only: dict[str, Counter[str]] = {"mailtrace": Counter(), "eml_parser": Counter()}
    examples: dict[tuple[str, str], list[str]] = {}
    for path, raw in zip(files, raws, strict=True):
        a = ours(raw)
        try:
            b = theirs(peer, raw)
        except Exception:
            peer_errors += 1
            continue
        mine_total += len(a)
        their_total += len(b)
        same += a == b
        more += len(a) > len(b)
        fewer += len(a) < len(b)
        for who, diff, other in (("mailtrace", a - b, b), ("eml_parser", b - a, a)):
            for url in diff:
                k = kind_of(url, other)
                only[who][k] += 1
                ex = examples.setdefault((who, k), [])
                if len(ex) < args.examples:
                    ex.append(f"{path.name}: {url[:140]}")
    n = len(raws) - peer_errors
    print(f"URLs per message: mailtrace {mine_total / n:.2f}, eml_parser {their_total / n:.2f} ({n} messages)")
    print(f"same set {same}, mailtrace more {more}, fewer {fewer}; eml_parser exceptions {peer_errors}")
    for who, kinds in only.items():
        print(f"only in {who}: {sum(kinds.values())}")
        for k, count in kinds.most_common():
            print(f"  {count:6d}  {k}")
            for ex in examples.get((who, k), []):
                print(f"           {ex}")


if __name__ == "__main__":
    main()
