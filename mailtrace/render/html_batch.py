"""A batch's HTML report: one page (:class:`HtmlPage`) or a folder of pages (:class:`HtmlFolder`).

Both take message views (:func:`mailtrace.render.html.html_doc`) one at a time with ``add``,
inputs that failed with ``error``, and write with ``finish``.

One page for a whole batch holds every message (about 40 kB each), in memory until the batch is
done and then in one file a browser must open whole: fine for tens of messages, not for an
archive. :class:`HtmlFolder` writes each message's page as soon as its analysis arrives
(``messages/000001.html``, numbered in input order) and keeps only a small row per message for
the index, written last with the inputs that failed. Each page is as self-contained as the
single page (its own stylesheet, the same Content-Security-Policy) and links back to the index.

The folder must be new or empty, so nothing in it can be overwritten; the command line also
refuses one that is, or lies inside, an input (:func:`mailtrace.outputs.check_writable_target`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, TextIO

from mailtrace.errors import ConfigurationError
from mailtrace.render.html import environment, render_page

PAGES = "messages"  #: the sub-folder of the message pages
INDEX = "index.html"
_ROW_KEYS = ("name", "result", "from", "subject", "severity_counts")


def is_folder_target(target: str) -> bool:
    """True when ``-o TARGET`` asks for a folder: an existing folder, or a name ending in a separator."""
    return target.endswith(("/", os.sep)) or Path(target).is_dir()


def index_row(view: dict[str, Any], href: str) -> dict[str, Any]:
    """What the index keeps of a message's view: its row, a few hundred bytes."""
    return {**{k: view[k] for k in _ROW_KEYS}, "finding_count": len(view["findings"]), "href": href}


class HtmlPage:
    """One page for the whole batch, written by :meth:`finish` (its index comes first, so the views are kept)."""

    def __init__(self, out: TextIO) -> None:
        environment()  # without Jinja2: a ConfigurationError naming the extra, before any analysis
        self.out = out
        self.views: list[dict[str, Any]] = []
        self.errors: list[str] = []

    def add(self, view: dict[str, Any]) -> None:
        self.views.append(view)

    def error(self, text: str) -> None:
        self.errors.append(text)

    def finish(self) -> None:
        self.out.write(render_page(self.views, errors=self.errors, standalone=True))
        self.out.flush()


class HtmlFolder:
    """Writes message views as pages as they come; :meth:`finish` writes the index."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        environment()  # without Jinja2: a ConfigurationError naming the extra, before anything is created
        self.folder = Path(folder)
        if self.folder.exists() and (not self.folder.is_dir() or any(self.folder.iterdir())):
            raise ConfigurationError(
                f"--output {folder}: the HTML folder must be new or empty; mailtrace never writes over files"
            )
        (self.folder / PAGES).mkdir(parents=True, exist_ok=True)
        self.rows: list[dict[str, Any]] = []
        self.errors: list[str] = []

    def add(self, view: dict[str, Any]) -> Path:
        """Write ``view``'s page now; returns its path."""
        name = f"{len(self.rows) + 1:06d}.html"
        page = render_page([view], standalone=True, index_href=f"../{INDEX}")
        path = self.folder / PAGES / name
        with open(path, "x", encoding="utf-8", newline="") as out:  # "x": never over an existing file
            out.write(page)
        self.rows.append(index_row(view, f"{PAGES}/{name}"))
        return path

    def error(self, text: str) -> None:
        self.errors.append(text)

    def finish(self, title: str = "mailtrace report") -> Path:
        """Write ``index.html`` (every message's row, the inputs that failed); returns its path."""
        page = render_page(self.rows, title=title, errors=self.errors, standalone=True, index_only=True)
        path = self.folder / INDEX
        with open(path, "x", encoding="utf-8", newline="") as out:
            out.write(page)
        return path
