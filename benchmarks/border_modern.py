"""The border on modern mail (issue 13): phishing-pot-dev against Microsoft's own stamp, and trust settings
that match nothing.

Run:  python benchmarks/border_modern.py [CORPUS_DIR] [--misses N] [--json]

Figures printed:

1. **Border IP = Microsoft's stamped client IP.** The stamp is read here with this script's own regex
   (not through mailtrace's parser): the topmost ``Authentication-Results`` field of the raw header,
   unfolded, and ``sender IP is X`` in it. A message is *stamped* when that field names an IP. The share of
   stamped messages whose ``path.border.ip`` equals X (target >= 98%), and the misses classified.
   Also printed: the verdicts, the number of crossings per message, and the messages with a
   recipient-claim finding (``trace.helo_recipient_domain``, ``trace.claims_recipient_relay``).
2. **Trust settings that match nothing.** The same messages analysed with ``internal_domains=("example.org",)``
   and with ``trusted_networks=("192.0.2.0/24",)`` (neither appears in the mail): the share keeping the same
   border (index and IP) as without the setting (target >= 99%), and the share carrying the
   ``policy.unmatched`` defect.
"""

from __future__ import annotations

import argparse
import collections
import ipaddress
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mailtrace import analyze  # noqa: E402
from mailtrace.policy import Policy  # noqa: E402

#: ``sender IP is 192.0.2.1`` / ``sender IP is 2001:db8::1`` in Microsoft's Authentication-Results.
_SENDER_IP = re.compile(r"sender IP is ([0-9A-Fa-f.:]{2,45})")
_FIELD_NAME = re.compile(rb"^([!-9;-~]+)[ \t]*:")

_CLAIMS = frozenset({"trace.helo_recipient_domain", "trace.claims_recipient_relay"})

SETTINGS: dict[str, Policy] = {
    "internal_domains=example.org": Policy(internal_domains=("example.org",)),
    "trusted_networks=192.0.2.0/24": Policy(trusted_networks=("192.0.2.0/24",)),
}


def topmost_stamp(raw: bytes) -> str | None:
    """``X`` of ``sender IP is X`` in the topmost ``Authentication-Results`` field of ``raw``, or ``None``."""
    head = raw.split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0]
    fields: list[tuple[bytes, bytes]] = []
    for line in head.splitlines():
        if line[:1] in (b" ", b"\t") and fields:
            name, value = fields[-1]
            fields[-1] = (name, value + b" " + line.strip())
            continue
        m = _FIELD_NAME.match(line)
        if m:
            fields.append((m.group(1).lower(), line[m.end() :].strip()))
    for name, value in fields:
        if name == b"authentication-results":
            m = _SENDER_IP.search(value.decode("latin-1"))
            if not m:
                return None
            try:
                return str(ipaddress.ip_address(m.group(1).rstrip(".:")))
            except ValueError:
                return None
    return None


def _same(a: str | None, b: str | None) -> bool:
    try:
        return a is not None and b is not None and ipaddress.ip_address(a) == ipaddress.ip_address(b)
    except ValueError:
        return False


def _key(report: Any) -> tuple[int, str | None] | None:
    b = report.path.border
    return None if b is None else (b.index, b.ip)


def _miss_class(report: Any, stamp: str) -> str:
    """A coarse class for a miss, from the report (refined by reading the messages)."""
    p = report.path
    b = p.border
    if b is None:
        return "no border"
    if not any(_same(h.from_ip, stamp) for h in p.hops):
        return f"stamped IP in no hop ({b.method.value})"
    if len(p.borders) >= 2:
        return f"several crossings, recipient's border elsewhere ({b.method.value})"
    return f"border on another hop ({b.method.value})"


def measure(corpus: Path) -> dict[str, Any]:
    files = sorted(p for p in (corpus / "phishing-pot-dev").glob("*.eml"))
    stamped = match = 0
    misses: list[str] = []
    classes: collections.Counter[str] = collections.Counter()
    same: collections.Counter[str] = collections.Counter()
    unmatched: collections.Counter[str] = collections.Counter()
    changed: dict[str, list[str]] = collections.defaultdict(list)
    verdicts: collections.Counter[str] = collections.Counter()
    crossings: collections.Counter[int] = collections.Counter()
    claims = 0
    t0 = time.perf_counter()
    for path in files:
        raw = path.read_bytes()
        report = analyze(raw, name=path.name)
        stamp = topmost_stamp(raw)
        verdicts[report.verdict.result.value] += 1
        crossings[len(report.path.borders)] += 1
        claims += any(f.code in _CLAIMS for f in report.findings)
        if stamp is not None:
            stamped += 1
            border = report.path.border
            if border is not None and _same(border.ip, stamp):
                match += 1
            else:
                cls = _miss_class(report, stamp)
                classes[cls] += 1
                misses.append(f"{path.name}: stamp {stamp}, border {getattr(border, 'ip', None)} [{cls}]")
        base = _key(report)
        for label, policy in SETTINGS.items():
            other = analyze(raw, name=path.name, policy=policy)
            if _key(other) == base:
                same[label] += 1
            else:
                changed[label].append(f"{path.name}: {base} -> {_key(other)}")
            if any(d.code == "policy.unmatched" for d in other.path.defects):
                unmatched[label] += 1
    return {
        "messages": len(files),
        "seconds": round(time.perf_counter() - t0, 1),
        "stamped": stamped,
        "match": match,
        "verdicts": dict(verdicts),
        "crossings": {str(k): v for k, v in sorted(crossings.items())},
        "recipient_claims": claims,
        "miss_classes": dict(classes),
        "misses": misses,
        "settings": {
            label: {"same_border": same[label], "policy_unmatched": unmatched[label], "changed": changed[label]}
            for label in SETTINGS
        },
    }


def _pct(a: int, b: int) -> str:
    return f"{100.0 * a / b:.1f}%" if b else "n/a"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared" / "corpus"))
    ap.add_argument("--json", action="store_true", help="print the raw figures as JSON")
    ap.add_argument("--misses", type=int, default=20, help="how many misses to list")
    args = ap.parse_args(argv)
    res = measure(Path(args.corpus))
    if args.json:
        print(json.dumps(res, indent=2))
        return 0
    n = res["messages"]
    print(f"phishing-pot-dev: {n} messages in {res['seconds']} s")
    print(
        f"border IP == Microsoft's stamped 'sender IP is': {res['match']}/{res['stamped']} = "
        f"{_pct(res['match'], res['stamped'])} (target >= 98%)"
    )
    print(f"verdicts: {res['verdicts']}; crossings per message: {res['crossings']}")
    print(f"messages with a recipient-claim finding ({', '.join(sorted(_CLAIMS))}): {res['recipient_claims']}")
    for cls, k in sorted(res["miss_classes"].items(), key=lambda kv: -kv[1]):
        print(f"  miss class: {cls}: {k}")
    for line in res["misses"][: args.misses]:
        print("  miss", line)
    for label, data in res["settings"].items():
        print(
            f"{label}: same border as without it {data['same_border']}/{n} = {_pct(data['same_border'], n)} "
            f"(target >= 99%); policy.unmatched {data['policy_unmatched']}/{n} = {_pct(data['policy_unmatched'], n)}"
        )
        for line in data["changed"][: args.misses]:
            print("  changed", line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
