"""setuptools' entry point: the pure-Python package, or with ``MAILTRACE_MYPYC`` set, parts compiled by mypyc.

``pip install .`` builds the pure-Python package, as it always did: no compiler, no mypy.
``MAILTRACE_MYPYC=1 pip install .`` compiles the modules listed in ``pyproject.toml``
(``[tool.mailtrace.mypyc]``) with mypyc into C extensions that sit beside the ``.py`` files and
are imported instead of them; the build backend (``mailtrace_build.py``) then asks for mypy as a
build requirement. ``MAILTRACE_MYPYC=PATH[,PATH...]`` compiles only those listed paths (the
test of the build compiles a few small modules this way). ``mailtrace.__compiled__`` says which
build is running.
"""

from __future__ import annotations

import os
import sys

from setuptools import setup
from setuptools.command.sdist import sdist

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mailtrace_build import compiled_paths, mypyc_requested

# Commands that build no extension: the build requirements (egg_info, run before mypy is
# installed), the metadata (dist_info) and the sdist (sources only) skip mypyc.
_METADATA_ONLY = frozenset({"egg_info", "dist_info", "sdist"})


def _ext_modules() -> list[object]:
    request = os.environ.get("MAILTRACE_MYPYC", "")
    commands = [arg for arg in sys.argv[1:] if not arg.startswith("-")]
    if not mypyc_requested(request) or (commands and commands[0] in _METADATA_ONLY):
        return []
    from mypyc.build import mypycify  # mypy, a build requirement only for this build

    paths = compiled_paths(request)
    print(f"mailtrace: compiling {len(paths)} modules with mypyc", flush=True)
    return mypycify(
        # Types come from this package and the standard library only: the build does not depend
        # on which third-party packages (or stubs) happen to be installed; their values are Any.
        ["--config-file=", "--no-site-packages", "--ignore-missing-imports", *paths],
        opt_level=os.environ.get("MYPYC_OPT_LEVEL", "3"),
        multi_file=os.environ.get("MAILTRACE_MYPYC_MULTI_FILE", "") == "1",
    )


class _Sdist(sdist):
    """The sdist also carries the build backend, which ``pyproject.toml`` loads from the tree."""

    def make_release_tree(self, base_dir: str, files: list[str]) -> None:
        super().make_release_tree(base_dir, [*files, "mailtrace_build.py"])


setup(ext_modules=_ext_modules(), cmdclass={"sdist": _Sdist})
