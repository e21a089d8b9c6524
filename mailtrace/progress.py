"""A progress bar on standard error for batch runs (messages, rate, ETA), when tqdm is installed.

tqdm is optional (``pip install 'mailtrace[cli]'``): without it, or when the
stream is not a terminal, or with ``--no-progress``, nothing is drawn. The
total is the number of files found under the inputs (an mbox counts once, so
the total grows as its messages come). Warnings printed during a run go
through :meth:`Progress.write`, so they do not break the bar.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any, TextIO

_MAX_COUNT = 1_000_000  # stop counting files beyond this: the bar then shows no ETA


def count_files(paths: Iterable[str]) -> int | None:
    """Regular files under ``paths`` (folders walked, symlinks not followed), or ``None`` past the cap."""
    total = 0
    for path in paths:
        if path == "-" or not os.path.isdir(path):
            total += 1
            continue
        for _root, _dirs, files in os.walk(path):
            total += len(files)
            if total > _MAX_COUNT:
                return None
    return total


class Progress:
    """A tqdm bar when enabled and available; otherwise every method does nothing but :meth:`write`."""

    def __init__(self, stream: TextIO, *, enabled: bool, total: int | None = None) -> None:
        self.stream = stream
        self._bar: Any = None
        if not enabled:
            return
        try:
            from tqdm import tqdm
        except ImportError:  # the optional 'cli' extra is not installed: no bar
            return
        tqdm.monitor_interval = 0  # no monitor thread: worker processes may be forked later
        self._bar = tqdm(total=total, unit="msg", file=stream, dynamic_ncols=True, mininterval=0.5, smoothing=0.05)

    @property
    def active(self) -> bool:
        return self._bar is not None

    def update(self, count: int = 1) -> None:
        bar = self._bar
        if bar is None:
            return
        if bar.total is not None and bar.n + count > bar.total:
            bar.total = bar.n + count
        bar.update(count)

    def write(self, line: str) -> None:
        """Print ``line`` on the stream above the bar."""
        if self._bar is not None:
            self._bar.write(line, file=self.stream)
        else:
            self.stream.write(line + "\n")
            self.stream.flush()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
