"""One module per MTA dialect; :func:`detect` picks the family and the hand-over readers.

``FAMILIES`` are MTA families (they set ``software``); the first one whose
``matches`` accepts the line wins, so more specific families come first
(Proofpoint runs Sendmail, iCloud runs Postfix), and among the rest the most
common come first (detection runs on every line). ``HANDOVERS`` describe what
kind of hand-over a line records (fetch, webmail/HTTP, local/LMTP/QMQP) and
apply on top of whatever family wrote the line.

Detection asks only the matchers that can accept the line: each dialect lists its
``triggers``, texts one of which the lower-cased line must contain for its matcher to accept
it. One pattern finds which triggers occur (every occurrence: a search restarts one character
after each hit, and no trigger is a prefix of another, so no occurrence hides another), and the
dialects to ask, in their order, are read from a table keyed by that set (usually one to three
matchers instead of twenty-five). ``tests/parse/received/test_received_detect.py`` checks the
answer against asking every matcher.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from mailtrace.memo import bounded_cache
from mailtrace.parse.received.dialects import (
    barracuda,
    communigate,
    courier,
    domino,
    ecelerity,
    exchange,
    exim,
    fetch,
    google,
    icloud,
    local,
    mailchimp,
    mimecast,
    postfix,
    powermta,
    proofpoint,
    qmail,
    sendgrid,
    sendmail,
    ses,
    smap,
    webmail,
    yahoo,
    zimbra,
    zmailer,
)
from mailtrace.parse.received.dialects.base import Dialect
from mailtrace.parse.received.draft import Line

FAMILIES: tuple[Dialect, ...] = (
    # Recognised by the receiving host's domain: cheap suffix tests, and they run
    # Postfix or Sendmail underneath, so they come before those.
    google.DIALECT,
    ses.DIALECT,
    sendgrid.DIALECT,
    mailchimp.DIALECT,
    yahoo.DIALECT,
    icloud.DIALECT,
    proofpoint.DIALECT,
    mimecast.DIALECT,
    barracuda.DIALECT,
    # Recognised by what the MTA itself writes, most common first; Momentum before Exim, whose
    # "[ip]:port helo=" client part it resembles.
    exchange.DIALECT,
    ecelerity.DIALECT,
    postfix.DIALECT,
    sendmail.DIALECT,
    exim.DIALECT,
    zmailer.DIALECT,
    domino.DIALECT,
    communigate.DIALECT,
    zimbra.DIALECT,
    qmail.DIALECT,
    courier.DIALECT,
    smap.DIALECT,
    powermta.DIALECT,
)
HANDOVERS: tuple[Dialect, ...] = (fetch.DIALECT, webmail.DIALECT, local.DIALECT)
ALL: tuple[Dialect, ...] = FAMILIES + HANDOVERS
_FAMILY_MATCHERS = tuple((d, d.matches) for d in FAMILIES)
_HANDOVER_MATCHERS = tuple((d, d.matches) for d in HANDOVERS)
#: Most trigger occurrences looked for in one line; past it every matcher is asked.
_MAX_HITS = 32

Matchers = tuple[tuple[Dialect, Callable[[Line], bool]], ...]


def _trigger_index(dialects: tuple[Dialect, ...]) -> dict[str, frozenset[str]]:
    """Each trigger text with the names of the dialects it admits (checked: lower-case, none a prefix of another)."""
    index: dict[str, set[str]] = {}
    for dialect in dialects:
        for text in dialect.triggers or ():
            if not text or text != text.lower():
                raise ValueError(f"{dialect.name}: trigger {text!r} must be non-empty and lower-case")
            index.setdefault(text, set()).add(dialect.name)
    for text in index:
        for other in index:
            if other != text and other.startswith(text):
                raise ValueError(f"trigger {text!r} is a prefix of {other!r}: an occurrence could hide the other")
    return {text: frozenset(names) for text, names in index.items()}


_ADMITS = _trigger_index(ALL)
#: Every trigger; alternatives of literal text only, so the search is linear.
_TRIGGER = re.compile("|".join(re.escape(text) for text in sorted(_ADMITS, key=len, reverse=True)))


def _asked(matchers: Matchers, hits: frozenset[str]) -> Matchers:
    names: set[str] = set()
    for text in hits:
        names |= _ADMITS[text]
    return tuple((d, m) for d, m in matchers if d.triggers is None or d.name in names)


@bounded_cache(maxsize=1024, max_len=_MAX_HITS)
def _candidates(hits: frozenset[str]) -> tuple[Matchers, Matchers]:
    """The family and hand-over matchers to ask, in detection order, for a line containing exactly ``hits``."""
    return _asked(_FAMILY_MATCHERS, hits), _asked(_HANDOVER_MATCHERS, hits)


def _triggers_in(low: str) -> frozenset[str] | None:
    """The trigger texts occurring in ``low`` (``None``: more than :data:`_MAX_HITS` occurrences)."""
    hits: list[str] = []
    search = _TRIGGER.search
    m = search(low)
    while m is not None:
        if len(hits) == _MAX_HITS:
            return None
        hits.append(m.group())
        m = search(low, m.start() + 1)
    return frozenset(hits)


def detect(line: Line) -> tuple[Dialect | None, Dialect | None]:
    """The MTA family that wrote ``line`` and the hand-over reader that applies, each or ``None``."""
    hits = _triggers_in(line.low)
    families, handovers = (_FAMILY_MATCHERS, _HANDOVER_MATCHERS) if hits is None else _candidates(hits)
    return _first(families, line), _first(handovers, line)


def detect_all(line: Line) -> tuple[Dialect | None, Dialect | None]:
    """:func:`detect` asking every matcher in order (the reference the trigger table is tested against)."""
    return _first(_FAMILY_MATCHERS, line), _first(_HANDOVER_MATCHERS, line)


def _first(matchers: Matchers, line: Line) -> Dialect | None:
    # A plain loop over the (dialect, matcher) pairs: cheaper than next() over a generator.
    for dialect, matches in matchers:
        if matches(line):
            return dialect
    return None


__all__ = ["ALL", "FAMILIES", "HANDOVERS", "Dialect", "detect", "detect_all"]
