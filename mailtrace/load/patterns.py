"""Glob patterns among the inputs: ``mailtrace analyze '/archive/*.eml'``.

A shell expands ``/archive/*.eml`` itself, and refuses when the list passes its limit on a command's
arguments (``Argument list too long``: about a hundred thousand paths). Quoted, the pattern reaches
mailtrace, which expands it the same way: the matches, sorted. The command line and
:mod:`mailtrace.dask` read their inputs through :func:`expand`, so a run on a cluster reads what a
local run reads.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

_PATTERN = frozenset("*?[")


def expand(paths: Sequence[str]) -> list[str]:
    """The inputs in the order given, each pattern replaced by its matches (sorted).

    A pattern is a path that does not exist and holds ``*``, ``?`` or ``[`` (a file named so is read as
    given); ``**`` matches folders at any depth. A pattern that matches nothing, or that is no valid
    pattern, is kept as given: read, it is a missing file (``input.unreadable``), as it was for a shell.
    """
    out: list[str] = []
    for text in paths:
        if _PATTERN.isdisjoint(text) or os.path.lexists(text):
            out.append(text)
            continue
        try:
            anchor = Path(text).anchor
            base, rest = (Path(anchor), text[len(anchor) :]) if anchor else (Path(), text)
            found = sorted(str(p) for p in base.glob(rest))
        except (ValueError, OSError, NotImplementedError):
            found = []
        out.extend(found or [text])
    return out
