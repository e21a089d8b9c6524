"""What compiling part of mailtrace with mypyc would give: a measurement, not a build option.

Copies the package (from git, the committed tree) into a temporary directory beside a link to
``../shared``, compiles the listed modules there with mypyc (``mypy`` from the ``test`` extra,
and gcc with the Python headers), and runs ``benchmarks/header_speed.py`` on the compiled copy
and on this tree in turn. Nothing in this repository is changed or built.

Only ``mailtrace/parse/received/`` and ``mailtrace/parse/dates.py`` compile as they stand: mypyc
stops on the nested functions of ``model/headers.py``, and ``model/frozen.py`` writes
``__init__`` methods with ``exec``. See ``docs/performance.md`` ("Round 4").

Usage::

    python benchmarks/compiled_trial.py [--repeat 3] [MODULE_OR_PACKAGE ...]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_TARGETS = ("mailtrace/parse/received", "mailtrace/parse/dates.py")


def _run(cmd: list[str], cwd: Path) -> None:
    print("$", " ".join(cmd), flush=True)
    subprocess.run(cmd, cwd=cwd, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", default=list(DEFAULT_TARGETS))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    speed = ["benchmarks/header_speed.py", "--repeat", str(args.repeat), "--peer-repeat", "1", "--breakdown"]
    with tempfile.TemporaryDirectory(prefix="mailtrace-mypyc-") as tmp:
        copy = Path(tmp) / "main"
        copy.mkdir()
        archive = Path(tmp) / "tree.tar"
        _run(["git", "archive", "-o", str(archive), "HEAD"], REPO)
        with tarfile.open(archive) as tar:
            tar.extractall(copy, filter="data")
        os.symlink(REPO.parent / "shared", Path(tmp) / "shared")
        # mypyc builds with setuptools, which would read the project's own packaging table
        (copy / "pyproject.toml").rename(copy / "pyproject.toml.orig")
        _run([sys.executable, "-m", "mypyc", *args.targets], copy)
        print("\n== compiled copy ==", flush=True)
        _run([sys.executable, *speed], copy)
    print("\n== this tree (pure Python) ==", flush=True)
    _run([sys.executable, *speed], REPO)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
