"""The rows as a Dask DataFrame: one string column per :data:`~mailtrace.render.row.COLUMNS` entry."""

from __future__ import annotations

from typing import Any

from mailtrace.render.row import COLUMNS


def to_frame(rows: Any) -> Any:
    """A Dask DataFrame from a bag of row dicts (every column a string, so Parquet types are stable)."""
    import pandas as pd

    meta = pd.DataFrame({name: pd.Series([], dtype="string") for name in COLUMNS})
    return rows.map(lambda row: {name: str(row.get(name, "")) for name in COLUMNS}).to_dataframe(meta=meta)
