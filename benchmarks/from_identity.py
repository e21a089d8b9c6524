"""Measure ``From:`` as receivers read it against the receiver's own ``header.from=`` (issue 14).

Run:  python benchmarks/from_identity.py [CORPUS_DIR] [--list N]

For every message of ``phishing-pot-dev/`` (delivered to Microsoft 365), the label is the
``header.from=`` of the topmost ``Authentication-Results`` field, read here with a regex of its
own over the raw bytes (not mailtrace's parser), so that the figure can disagree with the code.
Two readings of the ``From:`` domain are compared with it:

* *before*: the first mailbox of the RFC 5322 address list (``headers.from_.first.domain``),
  what the verdict used until issue 14;
* *after*: :func:`mailtrace.verdict.from_identity.from_identity` (the mailbox a receiver
  authenticates).

Messages whose ``From:`` the corpus anonymised (the collector's address replaced by
``phishing@pot``) and whose stamp names the original domain cannot agree with any reading; they
are counted apart. Messages whose topmost stamp carries no ``header.from=`` (or no stamp at all) are counted apart.
An empty ``header.from=`` (the receiver found no domain) matches a reading of ``None``.
``--list N`` prints up to N messages where *after* disagrees with the stamp.
"""

from __future__ import annotations

import argparse
import collections
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mailtrace.parse.headers import extract_headers  # noqa: E402
from mailtrace.parse.message import parse_message  # noqa: E402
from mailtrace.verdict.from_identity import from_identity  # noqa: E402

#: The topmost Authentication-Results field with its folded continuation lines (linear: each
#: repetition starts at a newline followed by white space).
_AR = re.compile(rb"^Authentication-Results:([^\n]*(?:\n[ \t][^\n]*)*)", re.M | re.I)
_HEADER_FROM = re.compile(r"header\.from=([^\s;()]*)", re.I)


def stamped_header_from(raw: bytes) -> str | None:
    """``header.from=`` of the topmost Authentication-Results (``""`` when empty), or ``None``."""
    end = raw.find(b"\n\n")
    crlf = raw.find(b"\r\n\r\n")
    cut = min(x for x in (end, crlf, len(raw)) if x >= 0)
    m = _AR.search(raw[:cut].replace(b"\r\n", b"\n"))
    if m is None:
        return None
    found = _HEADER_FROM.search(m.group(1).decode("latin-1"))
    return None if found is None else found.group(1).rstrip(".").lower()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared" / "corpus"))
    ap.add_argument("--list", type=int, default=0, help="print up to N disagreements of the new reading")
    args = ap.parse_args()
    folder = Path(args.corpus) / "phishing-pot-dev"
    counts: collections.Counter[str] = collections.Counter()
    misses: list[str] = []
    for path in sorted(folder.glob("*.eml")):
        raw = path.read_bytes()
        headers = extract_headers(parse_message(raw))
        first = headers.from_.first if headers.from_ is not None else None
        before = first.domain if first is not None else None
        ident = from_identity(headers)
        after = ident.domain
        counts["messages"] += 1
        counts["before: no domain"] += before is None
        counts["after: no domain"] += after is None
        counts["after: malformed"] += ident.malformed
        counts["after: ambiguous"] += ident.ambiguous
        label = stamped_header_from(raw)
        if label is None:
            counts["no header.from= stamp"] += 1
            continue
        counts["stamped"] += 1
        if "@pot" in (headers.from_.value if headers.from_ is not None else "") and (after or "") != label:
            # The corpus replaced the collector's own address by phishing@pot: nothing can recover it.
            counts["anonymised by the corpus (@pot)"] += 1
            continue
        counts["eligible"] += 1
        counts["before = stamp"] += (before or "") == label
        counts["after = stamp"] += (after or "") == label
        if (after or "") != label and len(misses) < args.list:
            shown = ident.displayed[:90]
            misses.append(f"  {path.name}: stamp {label or '(empty)'!r}, read {after!r}; From: {shown!r}")
    stamped = counts["stamped"] or 1
    print(
        f"phishing-pot-dev: {counts['messages']} messages, {counts['stamped']} with header.from= in the topmost stamp"
    )
    eligible = counts["eligible"] or 1
    for key in ("before = stamp", "after = stamp"):
        print(
            f"  {key}: {counts[key]}/{counts['stamped']} = {100 * counts[key] / stamped:.1f}% of the stamped; "
            f"{counts[key]}/{counts['eligible']} = {100 * counts[key] / eligible:.1f}% without the "
            f"{counts['anonymised by the corpus (@pot)']} whose From: the corpus anonymised (phishing@pot)"
        )
    for key in ("before: no domain", "after: no domain", "after: malformed", "after: ambiguous"):
        print(f"  {key}: {counts[key]}")
    print(f"  no header.from= stamp: {counts['no header.from= stamp']}")
    if misses:
        print("disagreements of the new reading:")
        print("\n".join(misses))


if __name__ == "__main__":
    main()
