"""Measure the verdict against labels mailtrace did not make (issue 14).

Run:  python benchmarks/verdict_quality.py [CORPUS_DIR] [--json OUT] [--list N]

Labels:

* **phishing-pot-dev**: the final receiver's own ``Authentication-Results`` (the
  topmost one; Microsoft 365 writes no authserv-id), read here *as written* with
  this file's own regular expressions, never with mailtrace's parser, so that the
  benchmark can disagree with the code. A message is *stamped aligned* when the
  receiver stamped ``dmarc=pass``, ``compauth=pass reason=100``, or (with no
  DMARC failure) an SPF pass for ``smtp.mailfrom`` or a DKIM pass for
  ``header.d`` in the organisational domain of ``header.from`` (relaxed
  alignment, Public Suffix List through the ``publicsuffixlist`` package). It is
  *stamped failed* when the receiver stamped ``dmarc=fail`` or ``compauth=fail``.
* **list archives** (``lfdr-list-archives/``): legitimate, mediated mail.
* **builder scenarios**: the fixture collection's builder intent
  (``mailtrace.testing.open_collection()``, manifest ``intent.verdict``).

Figures (targets from issue 14):

1. every ``authentic`` verdict on phishing-pot-dev rests on stamped aligned
   authentication (exceptions: target 0, listed);
2. no stamped failure is ``authentic`` (target 0);
3. of the stamped failures, the share ``suspicious`` or ``forged`` (target
   >= 90%), counting separately those whose ``verdict.mediation.explains`` is not
   empty (mediation explains the failure by evidence from before the forward);
4. list archives: ``forged`` (0), ``suspicious`` (<= 3%), mediation shown
   (``verdict.mediation.kind`` other than ``none``, or two crossings, or the
   verdict ``forwarded``; >= 98%);
5. the distribution of ``verdict.result`` and ``verdict.from_authentication.status``
   on phishing-pot-dev and SpamAssassin ham and spam;
6. builder scenarios: verdict equals the builder's intent.

Every analysis runs with no resolver (no DNS), as ``mailtrace analyze`` does by default.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from publicsuffixlist import PublicSuffixList  # noqa: E402

from mailtrace import analyze_many  # noqa: E402

_PSL = PublicSuffixList()
_FIELD = re.compile(rb"^authentication-results[ \t]*:", re.IGNORECASE)
_WRITER = re.compile(r"\s*([A-Za-z0-9.-]{1,253})\s*(?:\d{1,3}\s*)?;")
_COMMENT = re.compile(r"\([^()]{0,2000}\)")
_WORD = re.compile(r"^\s*([A-Za-z0-9_.-]{1,40})\s*=\s*([A-Za-z0-9_-]{1,40})")
_PROP = re.compile(
    r"\b(smtp\.mailfrom|smtp\.helo|header\.d|header\.i|header\.from|action|reason)\s*=\s*([^\s;]{0,300})"
)
_FROM_ADDR = re.compile(r"<[^<>@\s]{0,200}@([A-Za-z0-9.-]{1,253})>|[^\s<>@,]{1,200}@([A-Za-z0-9.-]{1,253})")


def org(domain: str | None) -> str | None:
    if not domain:
        return None
    d = domain.strip().strip(".<>\"'").lower().rsplit("@", 1)[-1]
    if not d or "." not in d:
        return d or None
    return _PSL.privatesuffix(d) or d


def header_block(raw: bytes) -> list[bytes]:
    """The unfolded header fields, top to bottom (bounded: 1 MiB of header)."""
    end = len(raw)
    for sep in (b"\r\n\r\n", b"\n\n"):
        i = raw.find(sep, 0, 1 << 20)
        if i != -1:
            end = min(end, i)
    fields: list[bytes] = []
    for line in raw[:end].splitlines():
        if line[:1] in (b" ", b"\t") and fields:
            fields[-1] += b" " + line.strip()
        else:
            fields.append(line)
    return fields


def stamp_label(raw: bytes) -> dict[str, Any] | None:
    """The topmost Authentication-Results as written: its method results and the derived labels."""
    fields = header_block(raw)
    ars = [f.split(b":", 1)[1].decode("utf-8", "replace") for f in fields if _FIELD.match(f)]
    if not ars:
        return None
    # the topmost field, and the others its writer (a named authserv-id) wrote: Proton writes one per method
    writer = _WRITER.match(ars[0])
    same = [a for a in ars if writer and (w := _WRITER.match(a)) and w.group(1).lower() == writer.group(1).lower()]
    text = _COMMENT.sub(" ", _COMMENT.sub(" ", ";".join(same or ars[:1])))
    results: list[dict[str, str]] = []
    for part in text.split(";")[:40]:
        m = _WORD.match(part)
        if not m:
            continue
        entry = {"method": m.group(1).lower(), "result": m.group(2).lower()}
        for p in _PROP.finditer(part):
            entry[p.group(1).lower()] = p.group(2).strip().lower()
        results.append(entry)
    by: dict[str, list[dict[str, str]]] = collections.defaultdict(list)
    for r in results:
        by[r["method"]].append(r)
    dmarc = by["dmarc"][0] if by["dmarc"] else None
    comp = by["compauth"][0] if by["compauth"] else None
    from_dom = (dmarc or {}).get("header.from") or None
    if not from_dom:
        fr = next((f for f in fields if f[:5].lower() == b"from:"), b"").decode("utf-8", "replace")
        ms = list(_FROM_ADDR.finditer(fr[:2000]))
        from_dom = (ms[-1].group(1) or ms[-1].group(2)) if ms else None
    forg = org(from_dom)
    spf_ok = any(
        r["result"] == "pass" and forg and org(r.get("smtp.mailfrom") or r.get("smtp.helo")) == forg for r in by["spf"]
    )
    dkim_ok = any(
        r["result"] == "pass" and forg and org(r.get("header.d") or r.get("header.i")) == forg for r in by["dkim"]
    )
    dmarc_word = dmarc["result"] if dmarc else None
    comp_word = comp["result"] if comp else None
    comp_reason = comp.get("reason") if comp else None
    failed = dmarc_word == "fail" or comp_word == "fail"
    aligned = (
        dmarc_word == "pass" or (comp_word == "pass" and comp_reason == "100") or (not failed and (spf_ok or dkim_ok))
    )
    return {
        "from": from_dom,
        "dmarc": dmarc_word,
        "compauth": comp_word,
        "reason": comp_reason,
        "aligned": bool(aligned),
        "failed": failed,
    }


def mediation_shown(v: dict[str, Any], path: dict[str, Any] | None) -> bool:
    med = v.get("mediation") or {}
    if med.get("kind") not in (None, "none"):
        return True
    return v.get("result") == "forwarded" or len((path or {}).get("borders") or []) >= 2


def from_auth(v: dict[str, Any]) -> str:
    fa = v.get("from_authentication")
    if not isinstance(fa, dict):
        return "absent"
    return str(fa.get("status"))


def files_under(d: Path) -> list[Path]:
    return sorted(p for p in d.rglob("*") if p.is_file() and not p.name.startswith(("MANIFEST", "README")))


def analyse(p: Path) -> list[dict[str, Any]]:
    try:
        return [r.to_dict() for r in analyze_many(p)]
    except Exception as exc:  # a measurement: count, never stop
        return [{"raised": f"{type(exc).__name__}: {exc}"}]


def measure(corpus: Path, listing: int) -> dict[str, Any]:
    out: dict[str, Any] = {"raised": []}
    # 1-3, 5: phishing-pot-dev against the receiver's stamp
    pot = corpus / "phishing-pot-dev"
    res: collections.Counter[str] = collections.Counter()
    fa: collections.Counter[str] = collections.Counter()
    auth_exc: list[str] = []
    stamped_fail: list[tuple[str, str, bool]] = []
    labelled = aligned_n = 0
    for p in files_under(pot) if pot.is_dir() else []:
        if p.suffix != ".eml":
            continue
        reports = analyse(p)
        rep = reports[0]
        if "raised" in rep:
            out["raised"].append(f"{p.name}: {rep['raised']}")
            continue
        v = rep.get("verdict") or {}
        result = v.get("result", "none")
        res[result] += 1
        fa[from_auth(v)] += 1
        label = stamp_label(p.read_bytes())
        if label is None:
            continue
        labelled += 1
        aligned_n += label["aligned"]
        if result == "authentic" and not label["aligned"]:
            auth_exc.append(
                f"{p.name}: dmarc={label['dmarc']} compauth={label['compauth']} reason={label['reason']} "
                f"header.from={label['from']} from_authentication={from_auth(v)}"
            )
        if label["failed"]:
            explained = bool((v.get("mediation") or {}).get("explains"))
            stamped_fail.append((p.name, result, explained))
    fails = len(stamped_fail)
    bad = [n for n, r, e in stamped_fail if r in ("suspicious", "forged")]
    mediated = [(n, r) for n, r, e in stamped_fail if e and r not in ("suspicious", "forged")]
    missed = [(n, r) for n, r, e in stamped_fail if not e and r not in ("suspicious", "forged")]
    rest = fails - len(mediated)
    out["phishing_pot"] = {
        "messages": sum(res.values()),
        "with_stamp": labelled,
        "stamped_aligned": aligned_n,
        "results": dict(res.most_common()),
        "from_authentication": dict(fa.most_common()),
        "authentic": res["authentic"],
        "authentic_without_stamped_alignment": len(auth_exc),
        "authentic_exceptions": auth_exc[:listing],
        "stamped_failures": fails,
        "stamped_failures_authentic": sum(1 for _, r, _ in stamped_fail if r == "authentic"),
        "stamped_failures_suspicious_or_forged": len(bad),
        "stamped_failures_explained_by_mediation": len(mediated),
        "share_suspicious_or_forged_excluding_mediated": round(100.0 * len(bad) / rest, 1) if rest else None,
        "mediated_list": [f"{n}: {r}" for n, r in mediated[:listing]],
        "stamped_failures_by_result": dict(collections.Counter(r for _, r, _ in stamped_fail).most_common()),
        "stamped_failures_missed": [f"{n}: {r}" for n, r in missed[:listing]],
    }
    # 4: list archives
    lists = corpus / "lfdr-list-archives"
    lres: collections.Counter[str] = collections.Counter()
    lfa: collections.Counter[str] = collections.Counter()
    shown = 0
    susp: list[str] = []
    for p in files_under(lists) if lists.is_dir() else []:
        for rep in analyse(p):
            if "raised" in rep:
                out["raised"].append(f"{p}: {rep['raised']}")
                continue
            v = rep.get("verdict") or {}
            lres[v.get("result", "none")] += 1
            lfa[from_auth(v)] += 1
            shown += mediation_shown(v, rep.get("path"))
            if v.get("result") in ("suspicious", "forged"):
                susp.append(f"{p.relative_to(lists)}: {v.get('result')} {','.join(v.get('decided_by') or [])}")
    n = sum(lres.values())
    out["lists"] = {
        "messages": n,
        "results": dict(lres.most_common()),
        "from_authentication": dict(lfa.most_common()),
        "forged": lres["forged"],
        "suspicious_share": round(100.0 * lres["suspicious"] / n, 2) if n else None,
        "mediation_shown_share": round(100.0 * shown / n, 2) if n else None,
        "suspicious_or_forged": susp[:listing],
    }
    # 5: SpamAssassin ham and spam
    sa = corpus / "spamassassin-public-corpus"
    sides: dict[str, dict[str, collections.Counter[str]]] = {}
    for sub in sorted(sa.iterdir()) if sa.is_dir() else []:
        if not sub.is_dir():
            continue
        side = "spam" if sub.name.startswith("spam") else "ham"
        fresh: dict[str, collections.Counter[str]] = {
            "results": collections.Counter(),
            "from_authentication": collections.Counter(),
        }
        counters = sides.setdefault(side, fresh)
        for p in files_under(sub):
            for rep in analyse(p):
                if "raised" in rep:
                    out["raised"].append(f"{p}: {rep['raised']}")
                    continue
                v = rep.get("verdict") or {}
                counters["results"][v.get("result", "none")] += 1
                counters["from_authentication"][from_auth(v)] += 1
    out["spamassassin"] = {
        side: {k: dict(c.most_common()) for k, c in counters.items()} for side, counters in sides.items()
    }
    # 6: builder scenarios
    out["builder"] = builder_scenarios(listing)
    return out


def builder_scenarios(listing: int) -> dict[str, Any]:
    try:
        from mailtrace.testing import open_collection

        coll = open_collection()
    except Exception as exc:
        return {"skipped": str(exc)}
    total = agree = 0
    wrong: list[str] = []
    intents = _intents(coll)
    for fx in coll:
        intent = intents.get(fx.name)
        if fx.kind != "builder" or intent is None:
            continue
        total += 1
        got = fx.analyze().verdict
        result = got.result.value if got is not None else None
        if result == intent:
            agree += 1
        else:
            wrong.append(f"{fx.name}: intent {intent}, got {result}")
    return {"fixtures": total, "verdict_as_intended": agree, "differ": wrong[:listing]}


def _intents(coll: Any) -> dict[str, str]:
    """The builder's intended verdict per fixture name, from the collection's ``manifest.json``."""
    path = Path(coll.root) / "manifest.json"
    if not path.exists():
        return {}
    manifest = json.loads(path.read_text())
    return {
        str(e["name"]): str(e["intent"]["verdict"])
        for e in manifest.get("fixtures", [])
        if isinstance(e.get("intent"), dict) and e["intent"].get("verdict")
    }


def print_text(m: dict[str, Any]) -> None:
    pp = m["phishing_pot"]
    print(f"phishing-pot-dev: {pp['messages']} messages, {pp['with_stamp']} with the receiver's stamp")
    print(f"  results: {pp['results']}")
    print(f"  from_authentication: {pp['from_authentication']}")
    print(
        f"  1. authentic without stamped aligned authentication: {pp['authentic_without_stamped_alignment']} "
        f"of {pp['authentic']} authentic (target 0)"
    )
    for line in pp["authentic_exceptions"]:
        print(f"       {line}")
    print(
        f"  2. stamped dmarc=fail or compauth=fail that read authentic: {pp['stamped_failures_authentic']} (target 0)"
    )
    print(
        f"  3. stamped failures {pp['stamped_failures']}: suspicious or forged "
        f"{pp['stamped_failures_suspicious_or_forged']}"
        f", explained by mediation {pp['stamped_failures_explained_by_mediation']}; share of the rest "
        f"{pp['share_suspicious_or_forged_excluding_mediated']}% (target >= 90%)"
    )
    print(f"     by result: {pp['stamped_failures_by_result']}")
    for line in pp["mediated_list"]:
        print(f"       mediated: {line}")
    for line in pp["stamped_failures_missed"]:
        print(f"       missed: {line}")
    li = m["lists"]
    print(f"lists: {li['messages']} messages, results {li['results']}")
    print(f"  from_authentication: {li['from_authentication']}")
    print(
        f"  4. forged {li['forged']} (target 0), suspicious {li['suspicious_share']}% (target <= 3%), "
        f"mediation shown {li['mediation_shown_share']}% (target >= 98%)"
    )
    for line in li["suspicious_or_forged"]:
        print(f"       {line}")
    for side, c in m["spamassassin"].items():
        print(f"spamassassin {side}: results {c['results']}")
        print(f"  from_authentication: {c['from_authentication']}")
    b = m["builder"]
    if "skipped" in b:
        print(f"builder scenarios: skipped ({b['skipped']})")
    else:
        print(f"builder scenarios: {b['verdict_as_intended']}/{b['fixtures']} verdicts as intended")
        for line in b["differ"]:
            print(f"       {line}")
    print(f"raised: {len(m['raised'])}")
    for line in m["raised"][:10]:
        print(f"       {line}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared" / "corpus"))
    ap.add_argument("--json", metavar="OUT", help="also write the figures as JSON to OUT")
    ap.add_argument("--list", type=int, default=15, metavar="N", help="list up to N messages per figure")
    args = ap.parse_args(argv)
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        print(f"corpus not found: {corpus}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    m = measure(corpus, args.list)
    m["seconds"] = round(time.perf_counter() - t0, 1)
    print_text(m)
    print(f"({m['seconds']} s)")
    if args.json:
        out = Path(args.json)
        if out.resolve().is_relative_to(corpus.resolve()):
            print("refusing to write inside the corpus", file=sys.stderr)
            return 2
        out.write_text(json.dumps(m, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
