"""Agreement of mailtrace's Received parser with SpamAssassin's, on every corpus message with a Received line.

SpamAssassin (``../shared/oracle/sa_relays.pl``, SA 4.0.1) is run once over the
messages and its JSONL is cached (default ``/tmp/mailtrace_sa_relays.jsonl``);
mailtrace parses the same files (one file = one message, as SA reads them).
For each relay SA reports, the hop from the same ``Received:`` header is
compared field by field after the oracle README's normalisation: the characters
``[\\s\\0#[]()<>|]`` become ``!``, ``unknown`` rDNS is empty, trailing dots are
dropped, IPs are compared in canonical form and names case-insensitively. The
README's documented Exchange/M365 quirk (SA's rdns is the HELO there) is scored
around for rdns, as the README suggests; the literal figure is printed too.

Usage::

    python benchmarks/oracle_agreement.py                      # run SA if no cache, then compare
    python benchmarks/oracle_agreement.py --refresh            # re-run SA
    python benchmarks/oracle_agreement.py --show helo --limit 20   # print disagreements of one field
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from mailtrace.model.received import Received  # noqa: E402
from mailtrace.parse.message import parse_message  # noqa: E402
from mailtrace.parse.received import parse_received  # noqa: E402
from mailtrace.parse.received.ipaddr import normalise_ip  # noqa: E402

DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
DEFAULT_ORACLE = REPO.parent / "shared" / "oracle" / "sa_relays.pl"
DEFAULT_CACHE = Path("/tmp/mailtrace_sa_relays.jsonl")
FIELDS = ("ip", "by", "helo", "rdns")
TARGETS = {"ip": 99.5, "by": 98.5, "helo": 97.0, "rdns": 95.0}
_SA_BANG = re.compile(r"[\s\0#\[\]()<>|]")
_WS = re.compile(r"\s+")
_HAS_TIME = re.compile(r"\d{1,2}:\d\d")
_GO_TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? [+-]\d{4}")


def corpus_files(corpus: Path) -> list[Path]:
    """Every corpus file whose header block has a Received field (README/MANIFEST/inventory excluded)."""
    out = []
    for path in sorted(corpus.rglob("*")):
        if not path.is_file() or path.name in ("MANIFEST.tsv", "README.md", "inventory.py"):
            continue
        message = parse_message(path.read_bytes())
        if message.get("Received") is not None:
            out.append(path)
    return out


def run_oracle(oracle: Path, files: list[Path], cache: Path) -> None:
    listing = cache.with_suffix(".files")
    listing.write_text("".join(f"{p}\n" for p in files))
    with cache.open("w") as out:
        subprocess.run([str(oracle), "--quiet", "--files-from", str(listing)], stdout=out, check=True)


def sa_norm(value: str | None, *, host: bool = False, rdns: bool = False) -> str:
    """The oracle's normalisation applied to one of our values."""
    if not value:
        return ""
    text = _SA_BANG.sub("!", value)
    if host:
        text = text.rstrip(".").lower()
        if rdns and text == "unknown":
            return ""
    return text


def ip_norm(value: str | None) -> str:
    if not value:
        return ""
    return normalise_ip(value) or value.lower()


_MS_FROM = re.compile(r"^from \S+ \(\[?[0-9A-Fa-f:.]+\]?\) by ", re.I)


def _exchange_quirk(hop: Received, relay: dict[str, object], mine: dict[str, str]) -> bool:
    """The oracle README's quirk: Exchange/M365 lines fall into SA's qmail branch, which sets rdns = helo = X.

    Scored around (as the README suggests) only where every part of it holds: SA's rdns equals
    its helo, mailtrace read the same HELO and no reverse name, the line is Exchange-written
    (``software`` exchange, or an Exchange ``with HTTPS``/``mapi`` submission) and has the
    ``from HELO (ip) by`` shape.
    """
    sa_rdns = str(relay["rdns"]).rstrip(".").lower()
    return (
        bool(sa_rdns)
        and sa_rdns == str(relay["helo"]).rstrip(".").lower()
        and mine["rdns"] == ""
        and mine["helo"] == sa_rdns
        and (
            hop.software == "exchange" or (hop.with_ in ("HTTPS", "HTTP", "MAPI") and "outlook.com" in hop.raw.lower())
        )
        and _MS_FROM.match(_WS.sub(" ", hop.raw)) is not None
    )


#: Disagreement classes: (field, pattern on the whitespace-collapsed line, name, which side is right).
CLASSES: tuple[tuple[str, re.Pattern[str], str, str], ...] = tuple(
    (field, re.compile(pattern), name, verdict)
    for field, pattern, name, verdict in (
        ("ip", r"\(/[0-9.]+\)", "Oracle Beehive 'from [helo-literal] (/ip)'", "mailtrace: SA takes the HELO literal"),
        (
            "ip",
            r"proxying for",
            "SquirrelMail '(proxying for ip)'",
            "both: mailtrace keeps the TCP peer, SA the proxied",
        ),
        ("helo", r"\(/[0-9.]+\)", "Oracle Beehive 'from [helo-literal] (/ip)'", "mailtrace: the literal is the HELO"),
        ("helo", r"\(HELO \[", "IronPort '(HELO [ip]) ([ip])'", "mailtrace: SA reads the name as HELO"),
        ("helo", r"^from \S+?\(|_\[", "name glued to '(ip)' or '[ip]'", "mailtrace: SA keeps the address in the name"),
        ("helo", r"smap|claiming to be", "smap", "mailtrace: smap names are reverse names"),
        ("helo", r"^from \S+ \( \[", "Symantec gateway 'from NAME ( [ip])'", "undecidable"),
        ("helo", r"^from \(", "no 'from' value, only '(name)'", "mailtrace: the name without its parentheses"),
        ("helo", r"^from unknown \(", "qmail 'from unknown (ip)'", "mailtrace: no HELO is recorded"),
        ("by", r" by \(", "'by (comment)' without a host", "mailtrace: there is no by-host"),
        ("by", r" by \S+\(|by <", "by-host glued to a comment or in <>", "mailtrace: the host without the comment"),
        ("rdns", r"rhost-flags", "ZMailer (vger) 'name ([ip]:port \"EHLO x\" rhost-flags)'", "mailtrace: name is rDNS"),
        ("rdns", r"\(HELO \[", "IronPort '(HELO [ip]) ([ip])'", "mailtrace: SA takes the word 'HELO'"),
        ("rdns", r"^from (\d+\.\d+\.\d+\.\d+) \(\[?\1\]?\)", "'from ip ([ip])'", "mailtrace: an address is no name"),
        (
            "rdns",
            r"^from \S+ \((\d+\.\d+\.\d+\.\d+) \[\1\]\)",
            "'(ip [ip])' (no rDNS)",
            "mailtrace: an address is no name",
        ),
        ("rdns", r"may be forged", "Sendmail '(may be forged)'", "mailtrace: the name was looked up and logged"),
        ("rdns", r"\(PowerMTA", "PowerMTA 'from HELO (ip)'", "mailtrace: 'from 172.30.44.41 (172.30.44.57)' is a HELO"),
        ("rdns", r"IBM ESMTP SMTP Gateway|collabserv", "IBM SMTP gateway 'from NAME (ip)'", "undecidable"),
        ("rdns", r"LSMTP for Windows", "L-Soft LSMTP 'from NAME (ip)'", "mailtrace: unqualified names are HELOs"),
        (
            "rdns",
            r"^from \S+ \([0-9.]+\) by",
            "unknown MTA 'from NAME (ip)'",
            "undecidable: HELO (Exchange style) or rDNS",
        ),
        (
            "rdns",
            r"^from \S+ \(\[[0-9.]+\]\) by",
            "unknown MTA 'from NAME ([ip])'",
            "undecidable: HELO (Sendmail style) or rDNS",
        ),
        (
            "rdns",
            r"^from \S+ \(\[[0-9.]+\]:\d+\)",
            "Exim 'from rdns ([ip]:port)' (no helo=)",
            "mailtrace: Exim's name is rDNS",
        ),
        ("rdns", r"helo=", "Exim 'from rdns ([ip]:port helo=x)' on a cut line", "mailtrace: Exim's name is rDNS"),
        ("rdns", r"@\[", "'(ident@[ip])'", "undecidable: T-Online/qmail-ldap ident forms"),
        ("rdns", r"^(?!.* by )", "line without 'by' (cut)", "mailtrace: the dialect still says which name is rDNS"),
    )
)


def classify(field: str, raw: str) -> tuple[str, str]:
    text = _WS.sub(" ", raw)
    for f, pattern, name, verdict in CLASSES:
        if f == field and pattern.search(text):
            return name, verdict
    return "other", "see --show"


def has_date(text: str) -> bool:
    """The line carries a date: text with a time after its last ';', or SendGrid's trailing Go time."""
    _, sep, tail = text.rpartition(";")
    if sep and _HAS_TIME.search(tail):
        return True
    return _GO_TIME.search(text) is not None


def compare(records: list[dict[str, object]], show: str | None, limit: int) -> dict[str, object]:
    agree = collections.Counter[str]()
    adjusted = collections.Counter[str]()
    quirk = 0
    total = 0
    misses: dict[str, list[tuple[str, str, str, str]]] = collections.defaultdict(list)
    sa_unparseable: list[str] = []
    mt_unparseable: list[str] = []
    lines = dated = stamped = 0
    undated: list[str] = []
    for rec in records:
        path = Path(str(rec["file"]))
        message = parse_message(path.read_bytes())
        ours = [parse_received(f, i) for i, f in enumerate(message.get_all("Received"))]
        by_text = {_WS.sub(" ", hop.raw).strip(): hop for hop in ours}
        sa_received = rec.get("received") or []
        assert isinstance(sa_received, list)
        for hop in ours:
            lines += 1
            if any(d.code == "received.unparseable" for d in hop.defects):
                mt_unparseable.append(hop.raw)
            if has_date(hop.raw):
                dated += 1
                if hop.timestamp is not None:
                    stamped += 1
                else:
                    undated.append(hop.raw)
        for entry in sa_received:
            if entry.get("status") == "unparseable":
                sa_unparseable.append(entry.get("text", ""))
        relays = rec.get("relays") or []
        assert isinstance(relays, list)
        for relay in relays:
            index = relay["hdr_index"]
            text = ""
            if 0 <= index < len(sa_received):
                text = _WS.sub(" ", sa_received[index].get("text", "")).strip()
            hop = by_text.get(text) or (ours[index] if index < len(ours) else None)
            if hop is None:
                continue
            total += 1
            mine = {
                "ip": ip_norm(hop.from_.ip),
                "by": sa_norm(hop.by.host, host=True),
                "helo": sa_norm(hop.from_.helo, host=True),
                "rdns": sa_norm(hop.from_.rdns, host=True, rdns=True),
            }
            theirs = {
                "ip": ip_norm(relay["ip"]),
                "by": str(relay["by"]).rstrip(".").lower(),
                "helo": str(relay["helo"]).rstrip(".").lower(),
                "rdns": str(relay["rdns"]).rstrip(".").lower(),
            }
            for name in FIELDS:
                if mine[name] == theirs[name]:
                    agree[name] += 1
                    adjusted[name] += 1
                elif name == "rdns" and _exchange_quirk(hop, relay, mine):
                    adjusted[name] += 1
                    quirk += 1
                else:
                    misses[name].append((str(hop.software), mine[name], theirs[name], hop.raw))
    result: dict[str, object] = {"relays": total}
    print(f"SpamAssassin relays compared: {total}")
    for name in FIELDS:
        raw_share = 100.0 * agree[name] / total if total else 0.0
        share = 100.0 * adjusted[name] / total if total else 0.0
        ok = "ok" if share >= TARGETS[name] else "BELOW TARGET"
        print(
            f"  {name:5} agreement {adjusted[name]:5}/{total} = {share:6.2f}%  (target >= {TARGETS[name]}%: {ok});"
            f" literal {agree[name]}/{total} = {raw_share:.2f}%"
        )
        result[name] = share
        result[f"{name}_literal"] = raw_share
    print(
        f"  ({quirk} rdns scored around the README's Exchange quirk: SA puts the HELO of"
        " 'from HELO (ip) ... Microsoft SMTP Server ... id' lines into rdns via its qmail branch)"
    )
    print(f"Received lines: {lines}; unparseable: SpamAssassin {len(sa_unparseable)}, mailtrace {len(mt_unparseable)}")
    share = 100.0 * stamped / dated if dated else 0.0
    print(f"Timestamps: {stamped}/{dated} lines carrying a date = {share:.2f}% (target >= 99.5%)")
    for name in FIELDS:
        classes = collections.Counter(classify(name, raw) for _, _, _, raw in misses[name])
        if classes:
            print(f"  {name} disagreements by class ({len(misses[name])}):")
            for (label, verdict), count in classes.most_common():
                print(f"    {count:4}  {label}  -> right: {verdict}")
    if show == "unparseable":
        for text in mt_unparseable[:limit]:
            print("  MT-UNPARSEABLE", text[:300])
        for text in sa_unparseable[:limit]:
            print("  SA-UNPARSEABLE", text[:300])
    elif show == "date":
        for text in undated[:limit]:
            print("  NO-DATE", text[:300])
    elif show:
        seen: set[tuple[str, str]] = set()
        for sw, mine_v, theirs_v, raw in misses.get(show, []):
            key = (mine_v, theirs_v)
            if key in seen:
                continue
            seen.add(key)
            print(f"  [{sw}] mailtrace={mine_v!r} SA={theirs_v!r}\n      {raw[:400]}")
            if len(seen) >= limit:
                break
    result.update({"sa_unparseable": len(sa_unparseable), "mt_unparseable": len(mt_unparseable)})
    result["timestamps"] = share
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--oracle", type=Path, default=DEFAULT_ORACLE)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--refresh", action="store_true", help="re-run SpamAssassin even if the cache exists")
    parser.add_argument("--show", help="print disagreements: ip, by, helo, rdns, unparseable or date")
    parser.add_argument("--limit", type=int, default=30)
    args = parser.parse_args(argv)
    if args.refresh or not args.cache.exists():
        files = corpus_files(args.corpus)
        print(f"running SpamAssassin over {len(files)} messages -> {args.cache}", file=sys.stderr)
        run_oracle(args.oracle, files, args.cache)
    records = [json.loads(line) for line in args.cache.read_text().splitlines() if line.strip()]
    records = [r for r in records if "error" not in r]
    print(f"messages: {len(records)} (oracle cache {args.cache})")
    compare(records, args.show, args.limit)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
