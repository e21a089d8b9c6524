"""The rows as a Dask DataFrame or a Parquet file: a string column per :data:`~mailtrace.render.row.COLUMNS` entry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mailtrace.render.row import COLUMNS


def to_frame(rows: Any) -> Any:
    """A Dask DataFrame from a bag of row dicts (every column a string, so Parquet types are stable)."""
    import pandas as pd

    meta = pd.DataFrame({name: pd.Series([], dtype="string") for name in COLUMNS})
    return rows.map(lambda row: {name: str(row.get(name, "")) for name in COLUMNS}).to_dataframe(meta=meta)


def write_part(path: Path, rows: list[dict[str, str]]) -> None:
    """One Parquet file of ``rows``, as a partition of :func:`to_frame` is written: the same columns, each a
    pyarrow string (``large_string``, pandas ``string[pyarrow]``), no index."""
    import pandas as pd

    frame = pd.DataFrame([{name: str(row.get(name, "")) for name in COLUMNS} for row in rows], columns=list(COLUMNS))
    frame.astype("string[pyarrow]").to_parquet(path, index=False)
