"""The rows a serial run gives, the reference of the Dask tests."""

from __future__ import annotations

from pathlib import Path

from mailtrace import analyze_many
from mailtrace.errors import InputError
from mailtrace.render.row import error_row, row_from_dict


def serial_rows(paths: list[str]) -> list[dict[str, str]]:
    """Input by input, as ``analyze_many`` reads each (an input's error as its record's row)."""
    items = [item for path in paths for item in analyze_many(Path(path), errors="report")]
    return [error_row(i.to_dict()) if isinstance(i, InputError) else row_from_dict(i.to_dict()) for i in items]
