"""The seeds' shorthand for an actor path (``docs/concepts.md``, "The shorthand notation").

* ``==>`` a direct relationship (author and MSA, MDA and recipient, an MSA that
  authenticates to a separate Transmitter);
* ``-->`` mail flow with no relationship implied;
* ``~~>`` mail flow through a forwarding relationship;
* ``A/B`` one actor playing roles A and B; a lone ``/`` between arrows is a border.

Example: ``Author ==> MSA/Transmitter --> / --> Receiver/MDA ==> Recipient``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from mailtrace.trace.model import Actor, Role

DIRECT, FLOW, FORWARD, BORDER = "==>", "-->", "~~>", "/"


def render(actors: Sequence[Actor]) -> str:
    """Render actors (in path order, with their ``network`` numbers) as notation."""
    if not actors:
        return ""
    roles = [frozenset(a.role_names) for a in actors]
    parts: list[str] = [actors[0].label()]
    for k in range(1, len(actors)):
        parts.append(_arrow(actors[k - 1], actors[k], roles[k - 1], roles[k]))
        parts.append(actors[k].label())
    return " ".join(parts)


def _arrow(prev: Actor, cur: Actor, p: frozenset[Role], c: frozenset[Role]) -> str:
    """The link from ``prev`` (playing roles ``p``) to ``cur`` (roles ``c``)."""
    if Role.AUTHOR in p and Role.TRANSMITTER not in p and Role.MSA not in p:
        arrow = DIRECT if Role.MSA in c or Role.RECIPIENT in c else FLOW
    elif Role.RECIPIENT in c or cur.relationship is not None:
        arrow = DIRECT
    else:
        arrow = FORWARD if Role.FORWARDER in p else FLOW
    if cur.network != prev.network and Role.RECIPIENT not in c:
        return f"{arrow} {BORDER} {arrow}"
    return arrow


_TOKEN = re.compile(r"==>|-->|~~>|/|[A-Za-z]+")


def parse(notation: str) -> tuple[tuple[tuple[str, ...], ...], tuple[str, ...]]:
    """Split a notation into actors (tuples of role names) and the links between them.

    Links are ``==>``, ``-->``, ``~~>``, or the arrow followed by ``|`` when a
    border lies between the two actors (``--> / -->`` gives ``-->|``). Meant for
    builders that construct a message from a path; raises ``ValueError`` on
    notation that is not well formed (programmer input, not mail).
    """
    tokens = _TOKEN.findall(notation[:4096])
    actors: list[tuple[str, ...]] = []
    links: list[str] = []
    current: list[str] = []
    pending: list[str] = []
    expect_role = True
    for tok in tokens:
        if tok in (DIRECT, FLOW, FORWARD):
            if pending and pending[-1] != BORDER:
                raise ValueError(f"two arrows without a border between them in {notation!r}")
            if current:
                actors.append(tuple(current))
                current = []
            pending.append(tok)
            expect_role = True
        elif tok == BORDER:
            if current and not expect_role:
                expect_role = True
            elif pending:
                pending.append(BORDER)
        else:
            if pending:
                arrow = pending[0]
                links.append(arrow + ("|" if BORDER in pending else ""))
                pending = []
            current.append(tok)
            expect_role = False
    if current:
        actors.append(tuple(current))
    if pending or len(links) != max(len(actors) - 1, 0):
        raise ValueError(f"malformed notation: {notation!r}")
    known = {r.value for r in Role}
    for roles in actors:
        for name in roles:
            if name not in known:
                raise ValueError(f"unknown role {name!r} in notation {notation!r}")
    return tuple(actors), tuple(links)
