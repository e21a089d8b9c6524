"""Regenerate the fixtures collection: ``python -m mailtrace.testing.regenerate [--root fixtures] [--check]``.

Rebuilds every builder-made fixture from :mod:`mailtrace.testing.recipes`, re-analyses every fixture
(builder-made and handwritten) into its golden report, and rewrites ``manifest.json``. ``--check``
writes nothing and exits 1 when anything would change. Afterwards, record the new collection digest
in ``CHANGELOG.md`` (the command prints the line): the drift test looks for it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mailtrace.testing.collection import MANIFEST, MANIFEST_FORMAT, collection_digest, find_root, sha256
from mailtrace.testing.recipes import RECIPES


def golden(raw: bytes, zone: dict[str, Any] | None, name: str) -> bytes:
    """The golden report of a message: ``Report.to_dict()`` against its zone (``None``: no resolver,
    no re-verification), as stable JSON."""
    from mailtrace.analyze import analyze
    from mailtrace.dns import OfflineZone
    from mailtrace.policy import Policy

    resolver = OfflineZone.from_dict(zone) if zone is not None else None
    report = analyze(raw, policy=Policy(resolver=resolver), name=name)
    return (json.dumps(report.to_dict(), indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def zone_json(zone: dict[str, Any]) -> bytes:
    return (json.dumps(zone, indent=2, sort_keys=True) + "\n").encode("utf-8")


def render(root: Path) -> dict[Path, bytes]:
    """Every file the collection should hold, by path."""
    files: dict[Path, bytes] = {}
    entries: list[dict[str, Any]] = []
    for recipe in RECIPES:
        built = recipe.build()
        zone = zone_json(built.zone)
        files[root / f"{recipe.name}.eml"] = built.raw
        files[root / f"{recipe.name}.zone.json"] = zone
        expected = golden(built.raw, built.zone if recipe.dns else None, recipe.name)
        files[root / f"{recipe.name}.expected.json"] = expected
        entries.append(
            {
                "name": recipe.name,
                "kind": "builder",
                "provenance": recipe.provenance,
                "recipe": recipe.describe(),
                "intent": built.to_dict()["expected"],
                **({} if recipe.dns else {"dns": False}),
                "sha256": {"eml": sha256(built.raw), "zone": sha256(zone), "expected": sha256(expected)},
            }
        )
    for entry in _handwritten(root):
        name = entry["name"]
        raw = (root / f"{name}.eml").read_bytes()
        zpath = root / f"{name}.zone.json"
        zone_data = json.loads(zpath.read_text(encoding="utf-8")) if zpath.exists() else {}
        expected = golden(raw, zone_data if entry.get("dns", True) else None, name)
        files[root / f"{name}.expected.json"] = expected
        digests = {"eml": sha256(raw), "expected": sha256(expected)}
        if zpath.exists():
            digests["zone"] = sha256(zpath.read_bytes())
        entries.append({**entry, "sha256": digests})
    manifest = {"format": MANIFEST_FORMAT, "fixtures": entries}
    files[root / MANIFEST] = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    return files


def _handwritten(root: Path) -> list[dict[str, Any]]:
    path = root / MANIFEST
    if not path.exists():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    return [
        {k: v for k, v in e.items() if k != "sha256"}
        for e in data.get("fixtures", ())
        if e.get("kind") == "handwritten"
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mailtrace.testing.regenerate", description=__doc__)
    parser.add_argument("--root", type=Path, default=None, help="the fixtures folder (default: the checkout's)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if anything would change")
    args = parser.parse_args(argv)
    root = args.root or find_root()
    if root is None:
        print("no fixtures folder found; pass --root", file=sys.stderr)
        return 2
    files = render(root)
    changed = [p for p, data in files.items() if not p.exists() or p.read_bytes() != data]
    for path in changed:
        print(f"{'would change' if args.check else 'wrote'}: {path.relative_to(root)}")
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(files[path])
    names = [json.loads(files[root / MANIFEST])["fixtures"][i]["name"] for i in range(len(RECIPES))]
    names += [e["name"] for e in _handwritten(root)]
    if args.check:
        return 1 if changed else 0
    digest = collection_digest(root, names)
    print(f"{len(changed)} file(s) changed; collection digest {digest}")
    if changed:
        print(f"record it in CHANGELOG.md, e.g.: - Fixtures collection regenerated (fixtures {digest}).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
