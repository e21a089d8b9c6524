"""A small fixed-width table that wraps long cells instead of cutting them."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

#: Longest value shown whole in the text report (as in the HTML report); the rest is counted, not shown.
MAX_CELL_CHARS = 4000


def wrap_cell(text: str, width: int) -> list[str]:
    if len(text) <= width:
        return [text]
    if len(text) > MAX_CELL_CHARS:  # wrapping 64 kB values (60 of them) would take seconds
        text = f"{text[:MAX_CELL_CHARS]}… [{len(text) - MAX_CELL_CHARS} more characters]"
    return textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False) or [""]


def render_table(headers: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int]) -> list[str]:
    """Rows of cells wrapped to ``widths``; a wrapped cell continues on the next lines."""
    out = [" ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    out.append(" ".join("-" * w for w in widths))
    for row in rows:
        cells = [wrap_cell(c, w) for c, w in zip(row, widths, strict=True)]
        height = max(len(c) for c in cells)
        for i in range(height):
            out.append(
                " ".join((c[i] if i < len(c) else "").ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()
            )
    return out
