"""Digest every corpus message's full report, to prove a speed change leaves the output alone.

Writes, then later compares, one sha256 per message of the JSON report keys ``message``,
``received``, ``headers``, ``authentication``, ``path``, ``findings``, ``verdict`` and
``defects`` (no resolver). Run ``write`` on the tree before the change and ``compare`` after it;
``compare`` lists the messages whose report changed and exits 1 if any did.

Usage::

    python benchmarks/report_digests.py write /tmp/before.json
    python benchmarks/report_digests.py compare /tmp/before.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import mailtrace  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus"
_NOT_MESSAGES = {".tsv", ".yml", ".yaml", ".md", ".py", ".pem", ".key", ".pub", ".private", ".dat", ".dns", ".json"}
_KEYS = ("message", "received", "headers", "authentication", "path", "findings", "verdict", "defects")


def digests(corpus: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for path in sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix.lower() not in _NOT_MESSAGES):
        try:
            reports = list(mailtrace.analyze_many(path))
        except mailtrace.UnsupportedFormatError:
            continue
        for report in reports:
            data = report.to_dict()
            part = {key: data[key] for key in _KEYS}
            key = f"{path.relative_to(corpus)}#{report.source.position}"
            out[key] = hashlib.sha256(json.dumps(part, sort_keys=True).encode()).hexdigest()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("write", "compare"))
    parser.add_argument("file", type=Path)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args(argv)
    now = digests(args.corpus)
    if args.mode == "write":
        args.file.write_text(json.dumps(now))
        print(f"wrote {len(now)} message digests")
        return 0
    before = json.loads(args.file.read_text())
    changed = [key for key in before if before[key] != now.get(key)]
    print(f"{len(before)} messages, {len(changed)} changed")
    for key in changed[:40]:
        print("  ", key)
    return 1 if changed else 0


if __name__ == "__main__":
    raise SystemExit(main())
