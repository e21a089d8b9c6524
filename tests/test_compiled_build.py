"""The optional compiled build (``MAILTRACE_MYPYC``, setup.py) builds, and its output equals pure Python's.

Builds three modules of the compiled list (``mailtrace/parse/dates.py``, ``mailtrace/trace/model.py``
and ``mailtrace/parse/auth/received_spf.py``: a parser, frozen dataclasses built by keyword, by ``fast_init``
and by a ``fast_maker`` maker, and a parser's class built by a maker) with ``setup.py build_ext
--inplace`` in a temporary copy of the package, exactly as ``MAILTRACE_MYPYC=PATH,PATH pip install
.`` would, then runs the same script on that copy and on this tree and compares: dates, parsed
``Received:`` lines, ``Received-SPF`` fields and the reports' paths, the pickled copies of them, and two whole
reports. About 15-30 s on two cores; skipped without a C compiler, the Python headers, mypy or setuptools. The full
compiled build is checked by ``benchmarks/report_digests.py`` and the whole suite run against it
(``docs/performance.md``). Two source checks, which need no compiler, keep out of every module on the
compiled list the two constructs that mypyc compiles differently from Python; a third, with mypy's types,
keeps out slices of ``bytes`` with both bounds.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PARTIAL = "mailtrace/parse/dates.py,mailtrace/trace/model.py,mailtrace/parse/auth/received_spf.py"

# Run on the compiled copy and on this tree (the working directory comes first on sys.path).
SCRIPT = r"""
import json, pickle, sys
from pathlib import Path
import mailtrace
from mailtrace.parse import dates
from mailtrace.parse.auth import received_spf
from mailtrace.parse.received import parse_received_value
from mailtrace.trace import model

DATES = ["Mon, 7 Dec 2026 01:02:03 +0000", "7 Dec 2026 01:02:03 -0800 (PST)", "Tue, 31 Feb 2026 99:00:00 +0000",
         "2026-12-07T01:02:03Z", "Sun, 06 Dec 2026 23:59:60 GMT", "garbage", ""]
LINES = [
    "from mail.example.org (mail.example.org [192.0.2.10]) by mx.example.net (Postfix) with ESMTPS id 4F1; "
    "Mon, 7 Dec 2026 01:02:03 +0000",
    "by 2002:a05:6a10:1234 with SMTP id x5csp123; Mon, 7 Dec 2026 01:02:03 -0800 (PST)",
    "from [198.51.100.7] (helo=unknown) by relay.example with esmtpa (Exim 4.96) (envelope-from <a@b.example>) "
    "id 1abc-000Z-00; Sun, 06 Dec 2026 23:59:59 +0100",
    "from localhost by localhost; garbage",
]
received = [parse_received_value(line, index=i) for i, line in enumerate(LINES)]
reports = [mailtrace.analyze(Path(name)) for name in sys.argv[1:]]
spf = [s for report in reports for s in report.authentication.received_spf]
out = {
    "compiled": mailtrace.__compiled__,
    "files": [Path(m.__file__).suffix for m in (model, dates, received_spf)],
    "dates": [repr(dates.parse_date(text)) for text in DATES],
    "received": [r.to_dict() for r in received],
    "pickled": [pickle.loads(pickle.dumps(r)) == r for r in (*received, *spf, *(r.path for r in reports))],
    "spf": [s.to_dict() for s in spf],
    "reports": [report.to_json() for report in reports],
}
print(json.dumps(out))
"""


def _why_not() -> str | None:
    include = Path(sysconfig.get_paths()["include"]) / "Python.h"
    if not include.is_file():
        return "no Python headers"
    if not shutil.which(str(sysconfig.get_config_var("CC") or "cc").split()[0]):
        return "no C compiler"
    if importlib.util.find_spec("mypyc") is None:
        return "mypy (mypyc) not installed"
    if importlib.util.find_spec("setuptools") is None:
        return "setuptools not installed"
    return None


def _run(cwd: Path, reports: list[str]) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *reports], cwd=cwd, capture_output=True, text=True, check=True, timeout=120
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def _minimal_pyproject() -> str:
    """Only the compiled build's table: the build needs no project metadata (and old setuptools
    versions in a test environment cannot read this project's)."""
    with open(REPO / "pyproject.toml", "rb") as f:
        table = tomllib.load(f)["tool"]["mailtrace"]["mypyc"]
    lines = ["[tool.mailtrace.mypyc]"]
    lines += [f"{key} = {json.dumps(value)}" for key, value in table.items()]
    return "\n".join(lines) + "\n"


@pytest.mark.skipif(_why_not() is not None, reason=_why_not() or "")
def test_partial_compiled_build_gives_the_same_output(tmp_path: Path) -> None:
    copy = tmp_path / "tree"
    copy.mkdir()
    shutil.copytree(REPO / "mailtrace", copy / "mailtrace", ignore=shutil.ignore_patterns("__pycache__", "*.so"))
    for name in ("setup.py", "mailtrace_build.py"):
        shutil.copy2(REPO / name, copy / name)
    (copy / "pyproject.toml").write_text(_minimal_pyproject())
    env = {**os.environ, "MAILTRACE_MYPYC": PARTIAL, "MYPYC_OPT_LEVEL": "0"}
    build = subprocess.run(
        [sys.executable, "setup.py", "build_ext", "--inplace"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    reports = [str(REPO / "fixtures" / "examples" / name) for name in ("plain.eml", "forwarded.eml")]

    compiled, pure = _run(copy, reports), _run(REPO, reports)

    assert compiled.pop("compiled") is True and pure.pop("compiled") is False
    assert ".py" not in compiled.pop("files") and pure.pop("files") == [".py", ".py", ".py"]
    assert compiled["pickled"] == [True] * 9  # four Received: lines, three Received-SPF fields, two paths
    assert compiled == pure


def _compiled_sources() -> list[Path]:
    spec = importlib.util.spec_from_file_location("mailtrace_build", REPO / "mailtrace_build.py")
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    return [REPO / path for path in build.compiled_paths()]


def test_no_compiled_function_binds_one_name_to_two_exception_types() -> None:
    """mypyc types an ``except ... as exc`` name by its first handler, so a later ``except Other as exc``
    raises ``TypeError`` in the compiled build when that exception comes: found when ``auth/arc.py`` was
    tried compiled, on an ARC key too large (``tests/auth/test_auth_bounds.py``). Pure Python is unaffected,
    so the pure suite cannot see it; this reads the sources of every compiled module instead."""
    found = []
    for source in _compiled_sources():
        for fn in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            bound: dict[str, set[str]] = {}
            for node in ast.walk(fn):
                if isinstance(node, ast.ExceptHandler) and node.name:
                    bound.setdefault(node.name, set()).add(ast.unparse(node.type) if node.type else "")
            found += [
                f"{source.relative_to(REPO)}:{fn.name}: {name} {sorted(t)}" for name, t in bound.items() if len(t) > 1
            ]
    assert found == []


def test_no_compiled_package_defines_a_name_of_its_submodules() -> None:
    """In a compiled package ``__init__``, a function named as one of the package's modules is replaced by that
    module once it is imported (``mailtrace.auth.verify`` the function became the module when ``auth/`` was
    tried compiled). The pure package rebinds the name after its imports, so only the sources can show it."""
    found = []
    for source in _compiled_sources():
        if source.name != "__init__.py":
            continue
        modules = {p.stem for p in source.parent.glob("*.py")} | {p.name for p in source.parent.iterdir() if p.is_dir()}
        tree = ast.parse(source.read_text(encoding="utf-8"))
        names = {n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef)}
        found += [f"{source.relative_to(REPO)}: {name}" for name in sorted(names & modules)]
    assert found == []


def test_no_compiled_module_slices_bytes_with_both_bounds() -> None:
    """mypyc 2.4 compiles ``data[i:j]`` on ``bytes`` to a call that raises ``SystemError`` ("Negative size
    passed to PyBytes_FromStringAndSize") when ``i`` passes ``j`` (``b"abc"[2:1]``, ``b"abc"[1:-5]``), where
    Python gives ``b""``; ``str``, ``list``, ``tuple`` and ``bytearray`` slices and one-sided ``bytes`` slices
    are right. Found when ``load/nested.py`` was tried compiled: a hostile MIME boundary raised there. mypy's
    inferred types tell which slices are of ``bytes``; ``ast`` gives their places in the compiled modules."""
    pytest.importorskip("mypy")
    from mypy import build
    from mypy.modulefinder import BuildSource
    from mypy.nodes import IndexExpr, SliceExpr
    from mypy.options import Options
    from mypy.types import Instance, get_proper_type

    sources = _compiled_sources()

    def module(path: Path) -> str:
        parts = list(path.relative_to(REPO).with_suffix("").parts)
        return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)

    options = Options()
    options.export_types = True
    options.incremental = False  # every module read from source, so every expression has its type
    options.python_version = (3, 11)
    options.ignore_missing_imports = True
    options.follow_imports = "silent"
    result = build.build([BuildSource(str(path), module(path)) for path in sources], options)
    # (line, column) of every two-sided slice of ``bytes`` mypy typed, in any module it read
    places = set()
    for expr in result.types:
        if not isinstance(expr, IndexExpr) or not isinstance(expr.index, SliceExpr):
            continue
        two_sided = expr.index.begin_index is not None and expr.index.end_index is not None
        base = get_proper_type(result.types.get(expr.base)) if two_sided else None
        if isinstance(base, Instance) and base.type.fullname == "builtins.bytes":
            places.add((expr.line, expr.column))
    found = []
    for path in sources:
        text = path.read_text(encoding="utf-8")
        found += [
            f"{path.relative_to(REPO)}:{node.lineno}: {ast.get_source_segment(text, node)}"
            for node in ast.walk(ast.parse(text))
            if isinstance(node, ast.Subscript)
            and isinstance(node.slice, ast.Slice)
            and node.slice.lower is not None
            and node.slice.upper is not None
            and (node.lineno, node.col_offset) in places
        ]
    assert found == []
