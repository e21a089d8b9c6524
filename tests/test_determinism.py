"""The JSON report is the same in every process: no hash-order or clock leaks (replay must be exact)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, corpus_dir

_SCRIPT = """
import sys, mailtrace
for path in sys.argv[1:]:
    for report in mailtrace.analyze_many(path):
        sys.stdout.write(report.to_json(indent=None) + "\\n")
"""


def _sample() -> list[str]:
    paths = sorted(str(p) for p in (REPO / "fixtures").rglob("*.eml"))
    corpus = corpus_dir()
    if corpus is not None:
        lists = sorted((corpus / "lfdr-list-archives").rglob("*.eml"))[::10]
        spam = sorted((corpus / "spamassassin-public-corpus").rglob("*.txt"))
        paths += [str(p) for p in (*lists, *spam)]
    return paths


def _run(seed: str, paths: list[str]) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    proc = subprocess.run(
        [sys.executable, "-c", _SCRIPT, *paths], env=env, capture_output=True, text=True, check=True, cwd=REPO
    )
    return proc.stdout


def test_reports_do_not_depend_on_hash_seed() -> None:
    paths = _sample()
    assert len(paths) >= 30
    first, second = _run("1", paths), _run("2", paths)
    assert first.count("\n") >= len(paths)
    if first != second:
        for a, b, path in zip(first.splitlines(), second.splitlines(), paths, strict=False):
            assert a == b, f"report of {Path(path).name} depends on PYTHONHASHSEED"
    assert first == second
