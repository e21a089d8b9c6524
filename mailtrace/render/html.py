"""The HTML report: one self-contained page for one message or a batch (``--format html``).

No external asset and no script: the CSS is inlined (its SHA-256 hash is the only style the
page's Content-Security-Policy allows) and the path is inline SVG. Jinja2 renders the
templates in ``mailtrace/render/templates/`` with autoescaping on; every value passes the
environment's ``finalize``, which shows control and bidi characters visibly
(:func:`mailtrace.render.safe.visible`) and cuts values longer than :data:`MAX_VALUE_CHARS`,
so a 1 MB header line costs the page a few kilobytes. Jinja2 is the optional extra
``mailtrace[html]``; without it :func:`render_html` raises :class:`HtmlUnavailableError`.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from mailtrace._version import __version__
from mailtrace.errors import ConfigurationError
from mailtrace.render.html_view import message_view
from mailtrace.render.safe import visible
from mailtrace.report import Report

if TYPE_CHECKING:
    import jinja2

_NOT_TOKEN = re.compile(r"[^a-z0-9_]")
_HOST_DOT = re.compile(r"(?<=\.)(?=[^\W\d])")
#: Longest value shown anywhere on the page (the raw panel cuts lines itself).
MAX_VALUE_CHARS = 4000


class HtmlUnavailableError(ConfigurationError):
    """Jinja2 is not installed: the HTML report needs the ``mailtrace[html]`` extra."""


@cache
def css() -> str:
    """The page's stylesheet (inlined in every page)."""
    return resources.files("mailtrace.render").joinpath("templates/report.css").read_text("utf-8")


@cache
def style_hash() -> str:
    """``'sha256-...'`` of the inlined stylesheet, for a Content-Security-Policy ``style-src``."""
    digest = hashlib.sha256(css().encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    if not isinstance(value, str) or hasattr(value, "__html__"):
        return value
    if len(value) > MAX_VALUE_CHARS:
        value = f"{value[:MAX_VALUE_CHARS]}… [{len(value) - MAX_VALUE_CHARS} more characters]"
    return visible(value)


@cache
def environment() -> jinja2.Environment:
    """The Jinja2 environment of the report templates (autoescape on for every template)."""
    try:
        import jinja2
    except ImportError:
        raise HtmlUnavailableError(
            "the HTML report needs Jinja2: pip install 'mailtrace[html]' (or 'mailtrace[web]' for mailtrace serve)"
        ) from None
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("mailtrace.render", "templates"),
        autoescape=True,
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(version=__version__)
    env.filters["raw_panel"] = raw_panel
    env.filters["token"] = css_token
    env.filters["wbr"] = break_at_dots
    return env


def break_at_dots(value: Any) -> Any:
    """A host name that may wrap after each dot before a letter (``<wbr>``; IP addresses stay whole),
    shown as every value is."""
    from markupsafe import Markup, escape

    return Markup("<wbr>".join(escape(part) for part in _HOST_DOT.split(str(_finalize(value)))))


def css_token(value: Any) -> str:
    """``value`` as one class-name fragment (``r-{{ result|token }}``): a result word a message wrote
    (an ``Authentication-Results`` result) can never add a second class such as ``skip``."""
    return _NOT_TOKEN.sub("_", str(value).lower())[:40]


def raw_panel(fields: list[dict[str, Any]], prefix: str) -> Any:
    """The raw-header panel's lines as markup: written here, not in the template, as it is the
    longest part of a page (one escape per line instead of three template outputs).

    The same treatment as every template value: :func:`visible`, then HTML escaping; ids and
    numbers are the renderer's own (``prefix`` is ``m0``, ``m1``...; field ids ``h12``).
    """
    from markupsafe import Markup, escape

    out: list[str] = []
    for f in fields:
        out.append(f'<span class="hf" id="{escape(prefix)}-{escape(f["id"])}" data-field="{int(f["index"])}">')
        for line in f["lines"]:
            out.append(
                f'<span class="line"><span class="ln">{int(line["number"])}</span>{escape(visible(line["text"]))}'
            )
            if line["more"]:
                out.append(f'<span class="cut"> … [{int(line["more"])} more characters]</span>')
            out.append("</span>")
        out.append("</span>")
    return Markup("".join(out))


def render_page(
    views: Iterable[dict[str, Any]],
    *,
    title: str | None = None,
    errors: Iterable[str] = (),
    template: str = "report.html.j2",
    index_only: bool = False,
    index_href: str | None = None,
    **extra: Any,
) -> str:
    """The page for message views (:func:`html_doc`), numbered in order; ``errors`` are inputs that failed.

    ``index_only``: the views are index rows (:func:`mailtrace.render.html_batch.index_row`) and the
    page is the index alone, each row linking to its ``href``; ``index_href`` puts a link back to
    such an index on a message's own page.
    """
    from markupsafe import Markup  # installed with Jinja2

    env = environment()
    messages = []
    for number, view in enumerate(views):
        count = view["finding_count"] if "finding_count" in view else len(view["findings"])
        messages.append({**view, "id": f"m{number}", "number": number, "finding_count": count})
    if title is None:
        title = f"mailtrace report: {messages[0]['name']}" if len(messages) == 1 else "mailtrace report"
    return env.get_template(template).render(
        title=title,
        messages=messages,
        batch=index_only or len(messages) != 1,
        index_only=index_only,
        index_href=index_href,
        errors=list(errors),
        css=Markup(css()),  # our own file, not message content
        style_hash=style_hash(),
        **extra,
    )


def html_doc(report: Report) -> dict[str, Any]:
    """What the page shows of one report: plain data (a batch worker sends it back pickled)."""
    return message_view(report)


def render_html(reports: Report | Iterable[Report], *, title: str | None = None) -> str:
    """One self-contained HTML page for ``reports`` (a report or several; several get an index)."""
    environment()  # fails first, naming the extra, when Jinja2 is missing
    if isinstance(reports, Report):
        reports = [reports]
    return render_page((message_view(r) for r in reports), title=title, standalone=True)
