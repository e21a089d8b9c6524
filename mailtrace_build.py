"""The build backend: setuptools', plus mypy as a build requirement when the compiled build is asked for.

``pyproject.toml`` names this module as its in-tree backend (``backend-path = ["."]``). Every hook
is setuptools' own; ``get_requires_for_build_wheel`` (and ``_editable``) add the requirements of
``[tool.mailtrace.mypyc]`` only when ``MAILTRACE_MYPYC`` is set, so ``pip install .`` needs
setuptools alone, as before. ``setup.py``, ``tests/test_compiled_build.py`` and
``benchmarks/compiled_trial.py`` read the list of compiled modules through :func:`compiled_paths`.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from setuptools import build_meta as _setuptools
from setuptools.build_meta import *  # noqa: F403  (every hook not redefined below)

ROOT = Path(__file__).resolve().parent


def mypyc_requested(value: str | None = None) -> bool:
    """Whether ``MAILTRACE_MYPYC`` (or ``value``) asks for the compiled build: set, and not ``0``."""
    value = os.environ.get("MAILTRACE_MYPYC", "") if value is None else value
    return value.strip() not in ("", "0")


def _table(root: Path = ROOT) -> dict[str, Any]:
    with open(root / "pyproject.toml", "rb") as f:
        table: dict[str, Any] = tomllib.load(f)["tool"]["mailtrace"]["mypyc"]
    return table


def compiled_paths(request: str = "1", root: Path = ROOT) -> list[str]:
    """The ``.py`` files to compile, relative to ``root``: ``[tool.mailtrace.mypyc]``'s ``compile``
    entries (files, or directories taken whole) less its ``exclude`` entries, sorted.

    ``request`` is ``MAILTRACE_MYPYC``'s value: ``1`` for the whole list, or comma-separated paths
    from it (a directory takes its listed files) for a partial build.
    """
    table = _table(root)

    def expand(entries: list[str]) -> set[str]:
        out: set[str] = set()
        for entry in entries:
            path = root / entry
            files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
            out.update(f.relative_to(root).as_posix() for f in files)
        return out

    listed = expand(table["compile"]) - expand(table.get("exclude", []))
    if request.strip() == "1":
        return sorted(listed)
    wanted = expand([p.strip() for p in request.split(",") if p.strip()])
    if not wanted or not wanted <= listed:
        unknown = ", ".join(sorted(wanted - listed)) or request
        raise SystemExit(f"MAILTRACE_MYPYC: not in [tool.mailtrace.mypyc]: {unknown}")
    return sorted(wanted)


def _extra_requires() -> list[str]:
    return list(_table()["requires"]) if mypyc_requested() else []


def get_requires_for_build_wheel(config_settings: dict[str, Any] | None = None) -> list[str]:
    return [*_setuptools.get_requires_for_build_wheel(config_settings), *_extra_requires()]


def get_requires_for_build_editable(config_settings: dict[str, Any] | None = None) -> list[str]:
    return [*_setuptools.get_requires_for_build_editable(config_settings), *_extra_requires()]
