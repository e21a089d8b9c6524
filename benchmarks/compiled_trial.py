"""The optional compiled build against pure Python: the same benchmark on both, back to back.

Copies the committed tree (``git archive HEAD``) into a temporary directory beside a link to
``../shared``, builds the compiled wheel there exactly as a user would
(``MAILTRACE_MYPYC=1 pip wheel --no-deps .``: the in-tree backend asks for setuptools and mypy in
pip's isolated build environment, so the package index must be reachable; ``--no-build-isolation``
uses this environment's instead, which then needs ``setuptools>=77`` and ``mypy``), unpacks the
wheel's ``mailtrace/`` over the copy (the C extensions beside the ``.py`` files, mypyc's shared
runtime beside the package), and runs the
benchmark on the compiled copy, then on this tree (pure Python). Nothing in this repository is
changed or built. The modules compiled are ``[tool.mailtrace.mypyc]`` of ``pyproject.toml``.

Usage::

    python benchmarks/compiled_trial.py [--no-build-isolation] [--keep DIR] [-- STAGE_PROFILE_ARGS ...]
    python benchmarks/compiled_trial.py [--no-build-isolation] [--keep DIR] --suite [-- PYTEST_ARGS ...]

The benchmark is ``benchmarks/stage_profile.py`` with ``STAGE_PROFILE_ARGS`` (default
``--repeat 2 --peers``; ``--callgrind --sample 50 --jobs 1`` counts instructions instead).
``--keep DIR`` leaves the compiled copy in ``DIR`` (and reuses it if it is already built there).
``--suite`` runs the whole test suite on the compiled copy instead (``pytest -q`` and ``PYTEST_ARGS``;
``tests/test_compiled_build.py``, which builds a copy of its own, is left out), and nothing on this tree.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_ARGS = ("--repeat", "2", "--peers")


def _run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> None:
    print("$", " ".join(cmd), f"  (in {cwd})", flush=True)
    subprocess.run(cmd, cwd=cwd, check=True, env=env)


def build(copy: Path, *, isolation: bool) -> None:
    """The compiled build of the committed tree, in ``copy`` (a ``mailtrace/`` with C extensions)."""
    copy.mkdir(parents=True)
    archive = copy / "tree.tar"
    _run(["git", "archive", "-o", str(archive), "HEAD"], REPO)
    with tarfile.open(archive) as tar:
        tar.extractall(copy, filter="data")
    archive.unlink()
    wheels = copy / "wheels"
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(wheels), "."]
    if not isolation:
        cmd.insert(4, "--no-build-isolation")
    started = time.monotonic()
    _run(cmd, copy, env={**os.environ, "MAILTRACE_MYPYC": "1"})
    print(f"compiled build: {time.monotonic() - started:.0f} s", flush=True)
    (wheel,) = wheels.glob("mailtrace-*.whl")
    shutil.rmtree(copy / "mailtrace")
    with zipfile.ZipFile(wheel) as z:
        # the package and mypyc's shared runtime beside it (``<hash>__mypyc.*.so`` at the wheel's top level)
        z.extractall(copy, [n for n in z.namelist() if n.startswith("mailtrace/") or "__mypyc." in n])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-build-isolation", action="store_true")
    parser.add_argument("--keep", type=Path, default=None)
    parser.add_argument("--suite", action="store_true", help="run the test suite on the compiled copy")
    parser.add_argument("stage_args", nargs="*")
    args = parser.parse_args()
    bench = ["benchmarks/stage_profile.py", *(args.stage_args or DEFAULT_ARGS)]
    suite = ["-m", "pytest", "-q", "--deselect", "tests/test_compiled_build.py", *args.stage_args]
    check = "import mailtrace as m; print('mailtrace', m.__version__, 'compiled' if m.__compiled__ else 'pure Python')"
    with tempfile.TemporaryDirectory(prefix="mailtrace-mypyc-") as tmp:
        base = args.keep.resolve() if args.keep else Path(tmp)
        copy = base / "main"
        if not (copy / "mailtrace").is_dir():
            build(copy, isolation=not args.no_build_isolation)
        if not (base / "shared").exists():
            os.symlink(REPO.parent / "shared", base / "shared")
        trees = (
            [("compiled build", copy)] if args.suite else [("compiled build", copy), ("this tree (pure Python)", REPO)]
        )
        for label, tree in trees:
            print(f"\n== {label} ==", flush=True)
            _run([sys.executable, "-c", check], tree)
            _run([sys.executable, *(suite if args.suite else bench)], tree)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
