"""Measure path reconstruction and verdicts on the real-mail corpus (issue 5).

Run:  python benchmarks/path_measure.py [CORPUS_DIR] [--json]

Figures printed:

1. **Border IP against the receiver's own stamp.** A message is *stamped* when it
   carries a receiver stamp with a public client IP (``Received-SPF: ... client-ip=``
   or an ``Authentication-Results`` naming the sender IP): the topmost such stamp,
   with a ``Received:`` line below it and none above it recording a handover from
   a public address of another organisation. It is *eligible* ("where the final
   receiving system stamped the client IP it saw", issue 5) when the stamp's
   writer (the authserv-id or ``receiver=``) is a host of the trace: the same
   name as, or the organisational domain of, the ``by`` host of a ``Received:``
   line above the stamp or just below it (``mailtrace.trace.stamps.stamp_writer``).
   Two figures: the share of eligible messages whose ``path.border.ip`` equals
   the stamped IP (target >= 98%), and the raw share over every stamped message,
   with the excluded ones listed by reason (writer unnamed, writer not a host of
   the trace) so that nothing is hidden.
2. **Mailing-list mail is not forgery.** Under ``lfdr-list-archives/``: the
   number classified ``forged`` (target 0) and the share showing the mediation,
   i.e. two or more crossings or the verdict ``forwarded`` (target >= 90%).
3. **SpamAssassin spam against ham**: verdicts and the share of messages with
   each finding code, per side.
4. **Raises**: messages for which analysis raised (target 0).
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mailtrace import analyze_many  # noqa: E402
from mailtrace.errors import UnsupportedFormatError  # noqa: E402
from mailtrace.report import Report  # noqa: E402
from mailtrace.trace.hosts import is_public_ip, org_domain, same_ip  # noqa: E402
from mailtrace.trace.model import Stamp  # noqa: E402
from mailtrace.trace.stamps import find_stamps, stamp_writer  # noqa: E402

_SKIP_SUFFIXES = {
    ".tsv",
    ".md",
    ".py",
    ".yml",
    ".yaml",
    ".json",
    ".pem",
    ".key",
    ".pub",
    ".private",
    ".dns",
    ".dat",
    ".bind9",
    ".tinydns",
    ".changes",
    ".license",
    ".fuzzy1",
}


def message_files(corpus: Path) -> list[Path]:
    out = []
    for p in sorted(corpus.rglob("*")):
        if not p.is_file() or p.suffix.lower() in _SKIP_SUFFIXES or p.name.startswith(("MANIFEST", "README")):
            continue
        if "spf-test-suite" in p.parts or "arc_test_suite" in p.parts:
            continue
        out.append(p)
    return out


def exclusion(report: Report, stamp: Stamp) -> str | None:
    """Why ``stamp`` is not the final receiving system's evidence, or ``None`` when it is (eligible)."""
    if not stamp.authserv_id:
        return "writer unnamed (no authserv-id or receiver=)"
    if stamp_writer(stamp, report.path.hops) is None:
        return "writer not a host of the trace"
    return None


def final_stamp(report: Report) -> Stamp | None:
    """The topmost public-IP stamp of a receiving system that no foreign handover above overrides, or ``None``."""
    stamps = [s for s in find_stamps(report.message) if is_public_ip(s.ip)]
    if not stamps:
        return None
    top = stamps[0]
    for r in report.received:
        if r.header_index > top.header_index:
            break
        if is_public_ip(r.from_.ip) and not same_ip(r.from_.ip, top.ip):
            by_org = org_domain(r.by.host)
            from_org = org_domain(r.from_.rdns) or org_domain(r.from_.helo)
            if not (by_org and by_org == from_org):
                return None
    if not any(r.header_index > top.header_index for r in report.received):
        return None  # no Received line below the stamp: nothing to compare with
    return top


def measure(corpus: Path) -> dict[str, Any]:
    raised: list[str] = []
    refused: list[str] = []
    n = 0
    stamp_traced = stamp_traced_ok = 0
    stamp_total = stamp_ok = 0
    raw_total = raw_ok = 0
    stamp_misses: list[str] = []
    excluded: dict[str, list[str]] = collections.defaultdict(list)
    lists: collections.Counter[str] = collections.Counter()
    list_forged: list[str] = []
    list_unmediated: list[str] = []
    sa: dict[str, collections.Counter[str]] = {"spam": collections.Counter(), "ham": collections.Counter()}
    sa_codes: dict[str, collections.Counter[str]] = {"spam": collections.Counter(), "ham": collections.Counter()}
    sa_n: collections.Counter[str] = collections.Counter()
    verdicts: collections.Counter[str] = collections.Counter()
    methods: collections.Counter[str] = collections.Counter()
    t0 = time.perf_counter()
    for path in message_files(corpus):
        rel = path.relative_to(corpus).as_posix()
        try:
            reports = list(analyze_many(path))
        except UnsupportedFormatError as exc:  # not an RFC 5322 message (an Outlook .msg): refused by design
            refused.append(f"{rel}: {exc.format_name}")
            continue
        except Exception as exc:  # the measurement counts raises
            raised.append(f"{rel}: {type(exc).__name__}: {exc}")
            continue
        for report in reports:
            n += 1
            p = report.path
            v = report.verdict
            word = getattr(getattr(v, "result", None), "value", "none")
            verdicts[word] += 1
            border = getattr(p, "border", None)
            if border is not None:
                methods[border.method.value] += 1
            stamp = final_stamp(report)
            why = exclusion(report, stamp) if stamp is not None else None
            ip = stamp.ip if stamp is not None else None
            if stamp is not None:
                raw_total += 1
                match = border is not None and same_ip(border.ip, stamp.ip)
                raw_ok += match
                if why is not None:
                    excluded[why].append(
                        f"{rel}: {stamp.header} by {stamp.authserv_id or '?'} names {stamp.ip}; border "
                        f"{getattr(border, 'ip', None)} ({'match' if match else 'differs'})"
                    )
            if stamp is not None and why is None and ip is not None:
                stamp_total += 1
                traced = any(same_ip(r.from_.ip, ip) for r in report.received)
                stamp_traced += traced
                if border is not None and same_ip(border.ip, ip):
                    stamp_ok += 1
                    stamp_traced_ok += traced
                else:
                    stamp_misses.append(
                        f"{rel}: stamp {ip}, border {getattr(border, 'ip', None)} ({getattr(border, 'method', None)})"
                    )
            if rel.startswith("lfdr-list-archives/"):
                lists["total"] += 1
                if word == "forged":
                    list_forged.append(rel)
                if len(getattr(p, "borders", ())) >= 2 or word == "forwarded":
                    lists["mediated"] += 1
                else:
                    list_unmediated.append(rel)
            if rel.startswith("spamassassin-public-corpus/"):
                side = "spam" if rel.split("/")[1].startswith("spam") else "ham"
                sa_n[side] += 1
                sa[side][word] += 1
                for code in {str(getattr(f, "code", "?")) for f in report.findings}:
                    sa_codes[side][code] += 1
    elapsed = time.perf_counter() - t0
    return {
        "messages": n,
        "seconds": round(elapsed, 1),
        "raised": raised,
        "refused": refused,
        "verdicts": dict(verdicts),
        "border_methods": dict(methods),
        "stamp": {
            "eligible": stamp_total,
            "match": stamp_ok,
            "in_trace": stamp_traced,
            "in_trace_match": stamp_traced_ok,
            "misses": stamp_misses,
            "raw_stamped": raw_total,
            "raw_match": raw_ok,
            "excluded": dict(excluded),
        },
        "lists": {
            "total": lists["total"],
            "mediated": lists["mediated"],
            "forged": list_forged,
            "unmediated": list_unmediated,
        },
        "spamassassin": {
            side: {"messages": sa_n[side], "verdicts": dict(sa[side]), "findings": dict(sa_codes[side])} for side in sa
        },
    }


def _pct(a: int, b: int) -> str:
    return f"{100.0 * a / b:.1f}%" if b else "n/a"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared" / "corpus"))
    ap.add_argument("--json", action="store_true", help="print the raw figures as JSON")
    ap.add_argument("--misses", type=int, default=10, help="how many stamp misses / unmediated list messages to list")
    args = ap.parse_args(argv)
    res = measure(Path(args.corpus))
    if args.json:
        print(json.dumps(res, indent=2))
        return 0
    print(
        f"messages analysed: {res['messages']} in {res['seconds']} s; raised: {len(res['raised'])}; "
        f"refused as not a message: {len(res['refused'])} {res['refused']}"
    )
    for line in res["raised"][:10]:
        print("  RAISED", line)
    print(f"verdicts: {res['verdicts']}")
    print(f"border methods: {res['border_methods']}")
    st = res["stamp"]
    print(
        f"border IP == final receiver's stamped IP (stamp written by a host of the trace): {st['match']}/"
        f"{st['eligible']} = {_pct(st['match'], st['eligible'])} (target >= 98%)"
    )
    print(
        f"  raw, over every stamped message whatever its writer: {st['raw_match']}/{st['raw_stamped']} = "
        f"{_pct(st['raw_match'], st['raw_stamped'])}; excluded from the target figure:"
    )
    for why, lines in sorted(st["excluded"].items()):
        same = sum(1 for line in lines if line.endswith("(match)"))
        print(f"  excluded, {why}: {len(lines)} ({same} of them match the border anyway)")
        for line in lines[: args.misses]:
            print("    ", line)
    print(
        f"  of which the stamped IP appears as a client IP in the trace: {st['in_trace_match']}/{st['in_trace']} = "
        f"{_pct(st['in_trace_match'], st['in_trace'])}; the rest stamp an address no Received line shows"
    )
    for line in st["misses"][: args.misses]:
        print("  miss", line)
    li = res["lists"]
    print(
        f"lfdr-list-archives: forged {len(li['forged'])} (target 0); mediation shown {li['mediated']}/{li['total']} "
        f"= {_pct(li['mediated'], li['total'])} (target >= 90%)"
    )
    for line in li["forged"][: args.misses]:
        print("  forged", line)
    for line in li["unmediated"][: args.misses]:
        print("  unmediated", line)
    for side, data in res["spamassassin"].items():
        total = data["messages"]
        print(f"spamassassin {side}: {total} messages")
        print("  verdicts: " + ", ".join(f"{k} {v} ({_pct(v, total)})" for k, v in sorted(data["verdicts"].items())))
        top = sorted(data["findings"].items(), key=lambda kv: (-kv[1], kv[0]))  # ties by code: the same order every run
        print("  findings: " + ", ".join(f"{k} {_pct(v, total)}" for k, v in top))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
