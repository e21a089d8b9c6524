"""Port25 PowerMTA: ``from HELO (ip) by host (PowerMTA(TM) v1.5); date (envelope-from <addr>)``.

PowerMTA writes the client's HELO name (often an unqualified host name of the
injecting agent; ``from 172.30.44.41 (172.30.44.57)`` shows it is not a reverse
name) and the bare address; no ``with`` clause.
"""

from __future__ import annotations

from mailtrace.parse.received.dialects.base import Dialect
from mailtrace.parse.received.draft import Line


def _matches(line: Line) -> bool:
    return line.by_comment.startswith("powermta")


DIALECT = Dialect(
    name="powermta",
    title="PowerMTA",
    matches=_matches,
    example=(
        "from agent1 (192.0.2.80) by mta1.example.com (PowerMTA(TM) v1.5); Thu, 18 Jul 2002 03:01:03 -0700"
        " (envelope-from <bounce@example.com>)"
    ),
)
