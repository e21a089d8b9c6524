"""How often each display-name deception finding fires, on phishing and on legitimate mail (issue 14).

Run:  python benchmarks/display_name.py [CORPUS_DIR] [--examples N]

Reads the headers only (no trace, no DNS) of phishing-pot-dev, the SpamAssassin public corpus
(ham and spam apart) and the list archives, reads ``From:`` as receivers do
(:func:`mailtrace.verdict.from_identity.from_identity`) and counts the messages that get
``header.display_name_invisible``, ``header.display_name_homoglyph`` and
``header.display_name_brand`` (:func:`mailtrace.verdict.display_name.display_name_findings`).
A list rewrite (``Name via List`` with a ``List-Id``) is passed as such, as the verdict does
with its list evidence. The false-positive rate is the share of ham and list mail that gets one.
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mailtrace.parse.headers import extract_headers  # noqa: E402
from mailtrace.parse.message import parse_message  # noqa: E402
from mailtrace.verdict.display_name import display_name_findings  # noqa: E402
from mailtrace.verdict.from_identity import from_identity  # noqa: E402

SETS = {
    "phishing-pot-dev": ("phishing-pot-dev",),
    "spamassassin ham": ("spamassassin-public-corpus/easy-ham-1", "spamassassin-public-corpus/easy-ham-2",
                         "spamassassin-public-corpus/hard-ham-1"),
    "spamassassin spam": ("spamassassin-public-corpus/spam-1", "spamassassin-public-corpus/spam-2"),
    "list archives": ("lfdr-list-archives",),
}  # fmt: skip
CODES = ("header.display_name_invisible", "header.display_name_homoglyph", "header.display_name_brand")


def files(corpus: Path, subs: tuple[str, ...]) -> list[Path]:
    out = []
    for sub in subs:
        for p in sorted((corpus / sub).rglob("*")):
            if p.is_file() and not p.name.startswith(("MANIFEST", "README")) and p.suffix not in (".tsv", ".md"):
                out.append(p)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared" / "corpus"))
    ap.add_argument("--examples", type=int, default=3, help="messages shown per set and code")
    args = ap.parse_args()
    corpus = Path(args.corpus)
    for label, subs in SETS.items():
        paths = files(corpus, subs)
        counts: collections.Counter[str] = collections.Counter()
        examples: dict[str, list[str]] = collections.defaultdict(list)
        for path in paths:
            headers = extract_headers(parse_message(path.read_bytes()))
            ident = from_identity(headers)
            rewrite = " via " in (ident.display_name or "").lower() and headers.list_field("List-Id") is not None
            codes = {f.code: f for f in display_name_findings(ident, rewrite)}
            counts["any"] += bool(codes)
            for code, f in codes.items():
                counts[code] += 1
                counts[f"{code}:{f.severity.value}"] += 1
                if len(examples[code]) < args.examples:
                    examples[code].append(f"      {path.name}: {f.message[:150]!r}")
        n = len(paths) or 1
        print(f"{label}: {len(paths)} messages, any finding {counts['any']} ({100 * counts['any'] / n:.1f}%)")
        for code in CODES:
            low = counts[f"{code}:low"]
            print(f"  {code}: {counts[code]} ({100 * counts[code] / n:.1f}%)" + (f", {low} of them low" if low else ""))
            print("\n".join(examples[code]))


if __name__ == "__main__":
    main()
