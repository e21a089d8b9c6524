"""The path drawn: a sequence diagram of the report's ``path`` for the HTML report.

Actors of the notation are columns, each headed by a box labelled with its roles and
hosts; every hop is a horizontal arrow, oldest at the top, from the actor that held the
message to the actor that wrote the ``Received:`` line, labelled with its delay and protocol (a hop
inside one actor loops back to its own column); each border crossing is a vertical line
between two columns, the recipient's drawn heavier and labelled.

This module only computes geometry (numbers) and the text of labels; the template
``templates/path.svg.j2`` writes the SVG with Jinja2's autoescaping, so no message text
ever reaches an attribute or markup unescaped. Labels are cut to fit their box (the full
text goes into an SVG ``<title>``, a text node).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mailtrace.render.safe import visible

COLUMN = 200  #: width of one actor's column
BOX_W = 176
BOX_H = 64
TOP = 12
ROW = 34  #: vertical distance between two hop arrows
LABEL_CHARS = 24  #: characters that fit in a box line


@dataclass(slots=True)
class Box:
    x: int
    y: int
    label: str
    name: str
    hosts: str
    title: str
    recipient_side: bool


@dataclass(slots=True)
class Arrow:
    position: int
    x1: int
    x2: int
    y: int
    loop: bool
    text: str
    title: str
    status: str  #: ``ok``, ``skew_tolerated``, ``backwards``, ``unknown``
    claim: bool
    border: bool


@dataclass(slots=True)
class BorderLine:
    x: int
    recipient: bool
    text: str


@dataclass(slots=True)
class Diagram:
    width: int
    height: int
    boxes: list[Box] = field(default_factory=list)
    lifelines: list[int] = field(default_factory=list)
    arrows: list[Arrow] = field(default_factory=list)
    borders: list[BorderLine] = field(default_factory=list)
    relations: list[tuple[int, int, int, str]] = field(default_factory=list)
    bottom: int = 0
    summary: str = ""


def cut(text: str, limit: int = LABEL_CHARS) -> str:
    """``text`` as shown (:func:`visible`: a hidden character takes six) cut to ``limit`` characters
    with an ellipsis, since SVG text does not wrap."""
    text = visible(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _owner(actors: list[dict[str, Any]], received_index: int | None) -> int | None:
    if received_index is None:
        return None
    for i, actor in enumerate(actors):
        if received_index in (actor.get("hops") or ()):
            return i
    return None


def _hosts(actor: dict[str, Any], hops: list[dict[str, Any]]) -> list[str]:
    mine = set(actor.get("hops") or ())
    seen: list[str] = []
    for hop in hops:
        host = hop.get("by_host")
        if hop.get("received_index") in mine and host and host not in seen:
            seen.append(host)
    return seen


def layout(path: dict[str, Any], delay_text: Callable[[float], str]) -> Diagram | None:
    """The diagram of ``path`` (a report's ``path`` dict), or ``None`` when it has no actors."""
    actors: list[dict[str, Any]] = list(path.get("actors") or [])
    hops: list[dict[str, Any]] = list(path.get("hops") or [])
    if not actors:
        return None
    n = len(actors)
    top_of_rows = TOP + BOX_H + 30
    height = top_of_rows + ROW * (len(hops) + 1) + 34
    diagram = Diagram(width=COLUMN * n, height=height, bottom=height - 12)
    recipient_network = max((a.get("network") or 0) for a in actors)
    for i, actor in enumerate(actors):
        hosts = _hosts(actor, hops)
        label = str(actor.get("label") or "")
        name = str(actor.get("name") or "")
        shown = ", ".join(hosts[:2]) + (f" +{len(hosts) - 2}" if len(hosts) > 2 else "")
        title = f"{label}: {name}" + (f" (hosts: {', '.join(hosts)})" if hosts else "")
        diagram.boxes.append(
            Box(
                x=i * COLUMN + (COLUMN - BOX_W) // 2,
                y=TOP,
                label=cut(label),
                name=cut(name),
                hosts=cut(shown),
                title=title,
                recipient_side=(actor.get("network") or 0) == recipient_network and n > 1,
            )
        )
        diagram.lifelines.append(i * COLUMN + COLUMN // 2)
    author = next((i for i, a in enumerate(actors) if a.get("label", "").split("/")[0] == "Author"), None)
    previous = author
    for row, hop in enumerate(hops):
        target = _owner(actors, hop.get("received_index"))
        if target is None:  # a synthetic hop: the actor after the previous one
            target = min((previous or 0) + (0 if previous is None else 1), n - 1)
        source = previous if previous is not None else target
        y = top_of_rows + ROW * row + ROW // 2
        x1, x2 = diagram.lifelines[source], diagram.lifelines[target]
        seconds = hop.get("delay_seconds")
        text = "" if row == 0 or seconds is None else delay_text(seconds)
        if hop.get("delay_status") == "backwards":
            text += " backwards"
        where = f"received[{hop['received_index']}]" if hop.get("received_index") is not None else "synthetic hop"
        client = hop.get("from_host") or hop.get("from_ip") or "?"
        title = f"hop {row + 1}, {where}: {client} -> {hop.get('by_host') or '?'}"
        if text:
            title += f" ({text.strip()})"
        diagram.arrows.append(
            Arrow(
                position=int(hop.get("position", row)),
                x1=x1,
                x2=x2,
                y=y,
                loop=source == target,
                text=cut(" ".join(x for x in (text.strip(), str(hop.get("with") or "")) if x), 28),
                title=title,
                status=str(hop.get("delay_status") or "unknown"),
                claim=bool(hop.get("claim")),
                border=bool(hop.get("border")),
            )
        )
        previous = target
    for border in path.get("borders") or []:
        owner = _owner(actors, border.get("index"))
        if owner is None or owner == 0:
            continue
        text = "recipient's border" if border.get("recipient") else "border"
        diagram.borders.append(BorderLine(x=owner * COLUMN, recipient=bool(border.get("recipient")), text=text))
    last = n - 1
    if actors[last].get("label", "").endswith("Recipient") and previous is not None and previous != last:
        y = top_of_rows + ROW * len(hops) + ROW // 2
        diagram.relations.append((diagram.lifelines[previous], diagram.lifelines[last], y, "delivery"))
    diagram.summary = (
        f"{n} actors, {len(hops)} hops, {len(diagram.borders)} border crossing(s): {path.get('notation') or ''}"
    )
    return diagram
