"""TIS firewall toolkit ``smap``/``csmap`` (and Gauntlet): ``from name(ip) by host via smap (V1.3) id x``.

smap writes the client's reverse name (``unknown`` or ``nodnsquery`` without
one) glued to its address, and the HELO only as ``claiming to be "name"`` when it
differs.
"""

from __future__ import annotations

from mailtrace.parse.received.dialects.base import Dialect
from mailtrace.parse.received.draft import Draft, Line
from mailtrace.parse.received.ipaddr import canonical_ip


def _matches(line: Line) -> bool:
    via = line.first_word("via")
    return (via is not None and via.lower() in ("smap", "csmap")) or "claiming to be" in line.low


def _apply(line: Line, draft: Draft) -> None:
    name = line.from_value
    if name.endswith(","):
        name = name[:-1]
    draft.rdns = None if name.lower() in ("unknown", "nodnsquery", "") or canonical_ip(name) else name
    draft.helo = None
    clause = line.by_keyword.get("from")
    if clause is not None:
        words = [text for _, text in clause.values]
        for i, word in enumerate(words[:-1]):
            if word.lower() == "be" and i > 0 and words[i - 1].lower() == "to":
                draft.helo = words[i + 1].strip('"')[:255] or None
                break


DIALECT = Dialect(
    name="smap",
    title="TIS FWTK smap / Gauntlet",
    matches=_matches,
    apply=_apply,
    example=(
        "from relay.example.net(192.0.2.70) by gw.example.org via smap (V1.3) id xma054092;"
        " Sat, 5 Oct 02 07:34:07 -0700"
    ),
)
