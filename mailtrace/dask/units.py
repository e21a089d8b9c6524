"""Work units for a cluster: runs of files (a folder's, or inputs given one by one), and ranges of mbox files.

An mbox larger than the block size is cut into byte ranges at message boundaries, so
one 50 GB archive spreads over every worker. A cut is only ever made at an
unambiguous separator: a line starting ``From `` that follows an empty line (every
mbox variant's separator). Each range holds the messages that *start* inside it and
reads past its end to the next separator, so no message is split and none is read
twice. Positions stay those of a serial run: a first, cheap pass counts the messages
of each range (on the workers), and each range then numbers its messages from the
sum of the counts before it.

An mbox whose messages carry ``Content-Length`` (mboxcl/mboxcl2) may hold unquoted
``From `` lines in its bodies, so such a file is never split.
"""

from __future__ import annotations

import itertools
import os
import stat
from array import array
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from mailtrace.errors import InputError
from mailtrace.load.folders import Member, walk
from mailtrace.load.patterns import expand

#: Bytes read at a time while looking for separators.
_SCAN = 1 << 20
_SEPARATORS = (b"\n\nFrom ", b"\n\r\nFrom ")
#: Files per task, at most, on a small cluster: enough to outweigh a task's overhead (shipping the job,
#: scheduling, taking the result), few enough to spread a folder. On the dev corpus with two workers, 32 left
#: the client and the scheduler 1.2-1.3 s of CPU beside 10.3 s of the workers' and 1.47x-1.70x over one
#: process; 128 took 0.6 s and gave 1.62x-1.92x (docs/scale.md).
FILES_PER_UNIT = 128
#: Files per task, at most, per worker thread, on a cluster of more than 16 threads (:func:`largest_run`). A
#: task costs the client and the scheduler about 5 ms of CPU (4,853 one-file tasks: 24.1 s) and a file about
#: 2 ms of a worker's, so 64 threads on runs of 128 files would ask them for 1.3 s of CPU a second, more
#: than a core; runs of 8 files a thread keep that near 0.3 s whatever the cluster's size.
FILES_PER_THREAD = 8
#: Files per task, at least, when a small folder meets a large cluster (:func:`fitted`).
MIN_FILES_PER_UNIT = 8
#: The smallest mbox range the planner cuts by itself when a cluster has more threads than an archive has
#: blocks (:func:`fitted`); a smaller ``blocksize`` asked for is kept.
MIN_BLOCKSIZE = 4 * 1024 * 1024
#: Tasks per worker thread the planner aims for: a thread that draws a slow task then leaves the others
#: at most a quarter of its share to wait for.
TASKS_PER_THREAD = 4


def largest_run(threads: int) -> int:
    """The most files a task holds on a cluster of ``threads`` worker threads: :data:`FILES_PER_UNIT`, or
    :data:`FILES_PER_THREAD` a thread when that is more."""
    return max(FILES_PER_UNIT, FILES_PER_THREAD * threads)


def fitted(total: int, threads: int, smallest: int, largest: int) -> int:
    """The size of a task (files, or bytes of mbox) for ``total`` over ``threads`` worker threads:
    about :data:`TASKS_PER_THREAD` tasks a thread, within ``[smallest, largest]`` (``largest`` wins when
    the two cross)."""
    share = -(-total // (TASKS_PER_THREAD * max(1, threads)))
    return min(largest, max(smallest, share))


@dataclass(frozen=True, slots=True)
class Unit:
    """One task: a whole input, the messages starting in ``[start, end)`` of an mbox, a run of a
    folder's files (``members``: the files, and the error records of entries that cannot be read,
    in the folder's reading order), or a run of inputs given one by one (``paths``, ``path`` being
    the first), each read whole as a serial run reads it."""

    path: str
    start: int | None = None
    end: int | None = None
    position: int = 0  #: the serial position of the unit's first message (ranges only)
    members: tuple[Member | InputError, ...] | None = None
    paths: tuple[str, ...] = ()
    count: int | None = None  #: the messages starting in the range, once counted (ranges only)

    @property
    def is_range(self) -> bool:
        return self.start is not None

    @property
    def messages(self) -> int:
        """The messages the unit holds, as planned: a range's count, else one per file (an mbox read whole
        counts one)."""
        if self.count is not None:
            return self.count
        return len(self.members) if self.members is not None else len(self.paths) or 1


def is_splittable_mbox(path: str, blocksize: int) -> bool:
    """A regular file over ``blocksize`` bytes that starts ``From `` and whose first message has no Content-Length."""
    try:
        if not os.path.isfile(path) or os.path.islink(path) or os.path.getsize(path) <= blocksize:
            return False
        with open(path, "rb") as f:
            head = f.read(64 * 1024)
    except OSError:
        return False
    if not head.startswith(b"From "):
        return False
    end = head.find(b"\n\n")
    block = head if end < 0 else head[:end]
    return b"\ncontent-length:" not in block.lower()


def ranges(path: str, blocksize: int) -> list[tuple[int, int]]:
    """Byte ranges of about ``blocksize`` covering the file, each starting at a message boundary."""
    size = os.path.getsize(path)
    cuts = [0]
    with open(path, "rb") as f:
        target = blocksize
        while target < size:
            found = next_separator(f, target)
            if found is None or found >= size:
                break
            if found > cuts[-1]:
                cuts.append(found)
            target = max(found, cuts[-1]) + blocksize
    cuts.append(size)
    return [(a, b) for a, b in itertools.pairwise(cuts) if b > a]


def next_separator(f: BinaryIO, offset: int) -> int | None:
    """The offset of the first separator's ``From `` at or after ``offset``, or None."""
    back = 3  # room for the blank line before a separator that starts at ``offset``
    pos = max(0, offset - back)
    f.seek(pos)
    carry = b""
    base = pos
    while True:
        block = f.read(_SCAN)
        if not block:
            return None
        data = carry + block
        best = -1
        for sep in _SEPARATORS:
            i = data.find(sep)
            while i >= 0 and base + i + len(sep) - 5 < offset:
                i = data.find(sep, i + 1)
            if i >= 0 and (best < 0 or i < best):
                best = i
                found = base + i + len(sep) - 5
        if best >= 0:
            return found
        keep = len(b"\n\r\nFrom ") - 1
        carry = data[-keep:]
        base += len(data) - len(carry)


def read_range(path: str, start: int, end: int) -> bytes:
    """The bytes of the messages that start in ``[start, end)``: up to the next separator at or after ``end``."""
    with open(path, "rb") as f:
        stop = next_separator(f, end) if end < os.path.getsize(path) else None
        f.seek(start)
        if stop is None:
            return f.read()
        return f.read(stop - start)


#: A file to plan: the place of its input among the inputs, and the folder's file (or error record), or ``None``
#: for an input that is not a folder (:func:`_items`).
_Item = tuple[int, Member | InputError | None]


def plan(paths: list[str], blocksize: int, *, threads: int = 1, follow_symlinks: bool = False) -> list[Unit]:
    """Every unit of :func:`iter_plan`, in a list."""
    return list(iter_plan(paths, blocksize, threads=threads, follow_symlinks=follow_symlinks))


def iter_plan(paths: list[str], blocksize: int, *, threads: int = 1, follow_symlinks: bool = False) -> Iterator[Unit]:
    """Units in input order: each folder as runs of its files (listed here, in the order a serial run
    reads them), each large mbox as byte ranges, and the other inputs, files given one by one (a
    shell's ``/archive/*.eml``), as runs of consecutive inputs.

    The sizes fit the cluster (``threads``: its worker threads): runs of :func:`fitted` files, from
    :data:`MIN_FILES_PER_UNIT` to :func:`largest_run`, over all the files (the folders' and those
    given), and ranges of :func:`fitted` bytes, from :data:`MIN_BLOCKSIZE` to ``blocksize``, over all the
    splittable mbox files' bytes. An archive of many blocks is cut at ``blocksize``; a small one on a
    large cluster into smaller ranges, so it still reaches about :data:`TASKS_PER_THREAD` tasks a thread.
    A run of inputs given one by one also ends before its bytes would pass that range size, so a large
    file that cannot be split (an mbox with ``Content-Length``) is a task of its own.

    The units come as the folders are listed, so a run can start on the first units while the client lists
    the rest, and the client never holds the whole tree: it stats every input first (one ``stat`` an input,
    kept as 8 bytes), which gives the range size, then reads :func:`look_ahead` files ahead for the run
    size. When the inputs end within them, the runs are sized over all the files; otherwise the archive
    has enough files for the largest runs, which is what :func:`fitted` gives it.
    """
    inputs = expand(paths)
    floor = min(blocksize, MIN_BLOCKSIZE)
    sizes = array("q", (_size(path) for path in inputs))  # -1: a folder
    splittable = {i for i, size in enumerate(sizes) if size > floor and is_splittable_mbox(inputs[i], floor)}
    block = fitted(sum({inputs[i]: sizes[i] for i in splittable}.values()), threads, floor, blocksize)  # each mbox once
    items = _items(inputs, sizes, follow_symlinks)
    ahead = deque(itertools.islice(items, look_ahead(threads)))
    if len(ahead) < look_ahead(threads):
        per_unit = fitted(len(ahead), threads, MIN_FILES_PER_UNIT, largest_run(threads))
    else:
        per_unit = largest_run(threads)
    run: list[str] = []  # inputs given one by one
    run_bytes = 0
    folder = -1  # the place among the inputs of the folder whose files ``members`` holds (-1: none)
    members: list[Member | InputError] = []
    for place, member in itertools.chain(_drained(ahead), items):  # the look-ahead let go as it is planned
        if members and (place != folder or len(members) >= per_unit):
            yield Unit(inputs[folder], members=tuple(members))
            members = []
        if member is not None:
            if run:
                yield _whole(run)
                run, run_bytes = [], 0
            folder = place
            members.append(member)
            continue
        path, size = inputs[place], sizes[place]
        if place not in splittable or size <= block:
            if run and (len(run) >= per_unit or run_bytes + size > block):
                yield _whole(run)
                run, run_bytes = [], 0
            run.append(path)
            run_bytes += size
            continue
        if run:
            yield _whole(run)
            run, run_bytes = [], 0
        try:
            spans = ranges(path, block)
        except OSError:  # gone or unreadable since its stat: read whole, its worker gives the error record
            spans = []
        yield from (Unit(path, start, end) for start, end in spans) if spans else (Unit(path),)
    if members:
        yield Unit(inputs[folder], members=tuple(members))
    if run:
        yield _whole(run)


def _drained(items: deque[_Item]) -> Iterator[_Item]:
    """``items``, each taken out as it is given, so none is held after it is planned."""
    while items:
        yield items.popleft()


def look_ahead(threads: int) -> int:
    """The files :func:`iter_plan` reads ahead to size the tasks: with that many, :func:`fitted` gives runs of
    :func:`largest_run` files (1,024 on two threads, 131,072 on 64)."""
    return TASKS_PER_THREAD * max(1, threads) * largest_run(threads)


def _items(inputs: list[str], sizes: array[int], follow_symlinks: bool) -> Iterator[_Item]:
    """The files to read, in order, each with the place of its input among the inputs (a folder given twice
    is two): ``(place, file)`` for each file (or error record) of a folder, ``(place, None)`` for an input
    that is not a folder."""
    for place, path in enumerate(inputs):
        if sizes[place] < 0:
            for member in walk(Path(path), follow_symlinks=follow_symlinks):
                yield place, member
        else:
            yield place, None


def _size(path: str) -> int:
    """The size of a regular file, 0 for a missing or special file (a worker reads it and refuses it, as
    a serial run does), -1 for a folder: one ``stat``."""
    try:
        found = os.stat(path)
    except (OSError, ValueError):
        return 0
    if stat.S_ISDIR(found.st_mode):
        return -1
    return found.st_size if stat.S_ISREG(found.st_mode) else 0


def _whole(run: list[str]) -> Unit:
    """One input read whole, or a run of them."""
    return Unit(run[0]) if len(run) == 1 else Unit(run[0], paths=tuple(run))
