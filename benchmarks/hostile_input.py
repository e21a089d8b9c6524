"""Hostile ``Received:`` input: each case must finish well under a second (linear scanners).

Cases (from the issue): a 1 MB value, 10,000 Received fields in one message,
10,000 nested ``(``, NUL bytes, a line of only ``[``, each through
``parse_received``. Because ``parse_received`` cuts a value at
``MAX_RECEIVED_CHARS``, the scanner is also timed alone on uncut input at 100 kB
and 1 MB: the ratio shows it is linear. So is the one-match splitter for the common
shape (``shapes.split_simple``), on inputs built to make its pattern backtrack.

Usage::

    python benchmarks/hostile_input.py
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from mailtrace.parse.message import parse_message  # noqa: E402
from mailtrace.parse.received import parse_received, parse_received_value  # noqa: E402
from mailtrace.parse.received.clauses import group  # noqa: E402
from mailtrace.parse.received.scanner import scan  # noqa: E402
from mailtrace.parse.received.shapes import split_simple  # noqa: E402

DATE = "; Mon, 3 Jun 2024 10:00:00 +0000"
MB = 1_000_000


def _ten_thousand_fields() -> int:
    raw = b"".join(
        b"Received: from h%d (h [192.0.2.1]) by x; Mon, 3 Jun 2024 10:00:00 +0000\n" % i for i in range(10_000)
    )
    message = parse_message(raw + b"\nbody\n")
    return len([parse_received(f, i) for i, f in enumerate(message.get_all("Received"))])


CASES: dict[str, Callable[[], object]] = {
    "1 MB value": lambda: parse_received_value("from " + "a" * MB + " (b [192.0.2.1]) by c" + DATE),
    "10,000 Received fields (split + parse)": _ten_thousand_fields,
    "10,000 nested '(' (closed)": lambda: parse_received_value(
        "from x " + "(" * 10_000 + ")" * 10_000 + " by y" + DATE
    ),
    "10,000 nested '(' (unclosed)": lambda: parse_received_value("from x " + "(" * 10_000 + " by y" + DATE),
    "NUL bytes": lambda: parse_received_value("from a\x00b (c [192.0.2.1]) by d\x00e" * 500 + DATE),
    "1 MB line of only '['": lambda: parse_received_value("[" * MB),
    "1 MB of '(' + quoted pairs": lambda: parse_received_value("(" + "\\(" * (MB // 2)),
}
#: The scanner alone on uncut input (parse_received cuts at MAX_RECEIVED_CHARS): time at 100 kB and
#: 1 MB; a linear scanner takes about 10 times as long for 10 times the input.
LINEARITY: dict[str, Callable[[int], str]] = {
    "words": lambda n: "a b " * (n // 4),
    "nested '(' closed": lambda n: "(" * (n // 2) + ")" * (n // 2),
    "'(' unclosed": lambda n: "(" * n,
    "'(a' unclosed": lambda n: "(a" * (n // 2),
    "'['": lambda n: "[" * n,
    "'[a'": lambda n: "[a" * (n // 2),
    "'\"<'": lambda n: '"<' * (n // 2),
    "'(' then quoted pairs '\\(' unclosed": lambda n: "(" + "\\(" * (n // 2),
    "'\"' then quoted pairs '\\\"' unclosed": lambda n: '"' + '\\"' * (n // 2),
    "mixed 'a\\(b('": lambda n: "a\\(b(" * (n // 5),
}


#: Inputs aimed at the one-match pattern of ``shapes.split_simple``: long runs that match part of
#: the shape and then fail, so that a backtracking pattern would retry them.
SHAPE_LINEARITY: dict[str, Callable[[int], str]] = {
    "one long word": lambda n: "by " + "x" * n + DATE,
    "comments then a stray word": lambda n: "from a " + "(c) " * (n // 4) + "x by b" + DATE,
    "many comments": lambda n: "from a " + "(c)" * (n // 3) + " by b" + DATE,
    "with words past the bound": lambda n: "from a by b with " + "w " * (n // 2) + DATE,
    "white space run": lambda n: "by b " + " " * n + "x" + DATE,
    "unclosed comment": lambda n: "by b (" + "a" * n + DATE,
    "date comments": lambda n: "by b" + DATE + " (z)" * (n // 4),
}


def _ratios(title: str, cases: dict[str, Callable[[int], str]], run: Callable[[str], object]) -> float:
    print(f"{title:42} {'100 kB':>8} {'1 MB':>8} {'ratio':>6}")
    worst_ratio = 0.0
    for name, make in cases.items():
        times = []
        for size in (MB // 10, MB):
            text = make(size)
            start = time.perf_counter()
            run(text)
            times.append(time.perf_counter() - start)
        ratio = times[1] / max(times[0], 1e-9)
        worst_ratio = max(worst_ratio, ratio)
        print(f"{name:42} {times[0]:8.3f} {times[1]:8.3f} {ratio:6.1f}")
    return worst_ratio


def main() -> int:
    worst = 0.0
    print(f"{'parse_received on':42} {'seconds':>8}")
    for name, fn in CASES.items():
        start = time.perf_counter()
        fn()
        secs = time.perf_counter() - start
        worst = max(worst, secs)
        print(f"{name:42} {secs:8.3f}")
    print(f"worst case: {worst:.3f} s (target: well under 1 s)")
    worst_ratio = max(
        _ratios("scanner + clauses, uncut", LINEARITY, lambda text: group(scan(text).tokens)),
        _ratios("one-match splitter (shapes), uncut", SHAPE_LINEARITY, split_simple),
    )
    print(f"largest 1 MB / 100 kB ratio: {worst_ratio:.1f} (linear: about 10; quadratic would be about 100)")
    return 0 if worst < 1.0 and worst_ratio < 30 else 1


if __name__ == "__main__":
    raise SystemExit(main())
