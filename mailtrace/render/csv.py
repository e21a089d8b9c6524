"""``--format csv``: one row per message (stdlib :mod:`csv`), every cell safe to open.

Message content is hostile, and a spreadsheet is a program. Each cell:

* has its control and invisible formatting characters made visible
  (:func:`mailtrace.render.safe.visible`): a cell never carries a raw escape
  sequence, line break or bidi override;
* is neutralised against formula injection (OWASP "CSV injection"): a cell that
  starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
  leading ``'``, so a spreadsheet shows it as text instead of evaluating it.

Quoting is :data:`csv.QUOTE_MINIMAL` with CRLF line ends (RFC 4180).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

from mailtrace.render.row import COLUMNS
from mailtrace.render.safe import visible

#: First characters a spreadsheet may read as the start of a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """One value as a safe CSV cell."""
    raw = "" if value is None else str(value)
    text = visible(raw)
    if raw.startswith(FORMULA_START) or text.startswith(FORMULA_START):
        return "'" + text
    return text


def csv_lines(rows: Iterable[Sequence[object]]) -> str:
    """The CSV text of ``rows`` (sequences of values), every cell through :func:`cell`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return buffer.getvalue()


def header_line(columns: Sequence[str] = COLUMNS) -> str:
    return csv_lines([columns])


def row_line(row: Mapping[str, str], columns: Sequence[str] = COLUMNS) -> str:
    """One row dict (:func:`mailtrace.render.row.row_from_dict`) as one CSV line."""
    return csv_lines([[row.get(c, "") for c in columns]])
