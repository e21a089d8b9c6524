"""Writing a batch's results as they come: text, a streamed JSON array, JSON Lines, CSV.

The ``*_doc`` functions turn one :class:`~mailtrace.report.Report` into its
output text; they are module-level so batch workers (other processes) can run
them and send back only text. :class:`StreamWriter` writes the docs and the
error records of a batch in input order, never holding more than one doc:

* ``text``: reports separated by a rule; an error is a line on standard error.
* ``json``: one array, written as it grows (``[``, each report, ``]``). One PATH
  holding one message keeps the single object of earlier versions.
  An error record is an element of the array (and a line on standard error).
* ``jsonl``: one object per line; an error record is its own line.
* ``csv``: a header row, one row per message, an error row (the ``error`` column).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TextIO

from mailtrace.errors import InputError
from mailtrace.render.csv import header_line, row_line
from mailtrace.render.json_indent import indented
from mailtrace.render.row import error_row
from mailtrace.render.safe import json_safe
from mailtrace.render.text import render_text
from mailtrace.report import Report

FORMATS = ("text", "json", "jsonl", "csv")
_RULE = "\n" + "#" * 100 + "\n\n"


def dumps(doc: Any, *, indent: int | None = None) -> str:
    """The one JSON encoding of the command line's output (C1, bidi, invisible characters as ``\\uXXXX``)."""
    return json_safe(json.dumps(doc, ensure_ascii=False) if indent is None else indented(doc, indent))


def text_doc(report: Report) -> str:
    return render_text(report)


def json_doc(report: Report) -> str:
    return dumps(report.to_dict(), indent=2)


def jsonl_doc(report: Report) -> str:
    return dumps(report.to_dict())


def csv_doc(report: Report) -> str:
    return row_line(report.to_row())


DOCS = {"text": text_doc, "json": json_doc, "jsonl": jsonl_doc, "csv": csv_doc}


class StreamWriter:
    """Writes the docs of one format to ``out`` in the order given; errors also go to ``note`` (stderr)."""

    def __init__(self, fmt: str, out: TextIO, note: Callable[[str], None], *, single_object: bool = False) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}")
        self.fmt = fmt
        self.out = out
        self.note = note
        self.single_object = single_object  #: json: one object when exactly one doc comes
        self.count = 0
        self.errors = 0
        self._held: str | None = None  # json: the first doc, until a second one says "array"

    def start(self) -> None:
        if self.fmt == "csv":
            self.out.write(header_line())

    def report(self, doc: str) -> None:
        if self.fmt == "text":
            if self.count:
                self.out.write(_RULE)
            self.out.write(doc)
        elif self.fmt == "json":
            self._element(doc)
        else:
            self.out.write(doc if self.fmt == "csv" else doc + "\n")
        self.count += 1

    def error(self, record: InputError, line: str) -> None:
        """An input that failed: ``line`` (already safe to print) to ``note``; a record in the data formats."""
        self.errors += 1
        self.note(line)
        if self.fmt == "jsonl":
            self.out.write(dumps(record.to_dict()) + "\n")
        elif self.fmt == "json":
            self._element(dumps(record.to_dict(), indent=2))
            self.count += 1
        elif self.fmt == "csv":
            self.out.write(row_line(error_row(record.to_dict())))

    def _element(self, doc: str) -> None:
        if self.single_object and self.count == 0:
            self._held = doc
            return
        if self._held is not None:
            self.out.write("[\n" + _indent(self._held) + ",\n")
            self._held = None
        else:
            self.out.write("[\n" if self.count == 0 else ",\n")
        self.out.write(_indent(doc))

    def finish(self) -> None:
        if self.fmt != "json":
            return
        if self._held is not None:
            self.out.write(self._held + "\n")
        elif self.count == 0:
            self.out.write("[]\n")
        else:
            self.out.write("\n]\n")


def _indent(doc: str) -> str:
    """A document indented one level, as ``json.dump(list, indent=2)`` writes its elements."""
    return "\n".join("  " + line for line in doc.split("\n"))
