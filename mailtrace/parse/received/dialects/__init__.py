"""One module per MTA dialect; :func:`detect` picks the family and the hand-over readers.

``FAMILIES`` are MTA families (they set ``software``); the first one whose
``matches`` accepts the line wins, so more specific families come first
(Proofpoint runs Sendmail, iCloud runs Postfix), and among the rest the most
common come first (detection runs on every line). ``HANDOVERS`` describe what
kind of hand-over a line records (fetch, webmail/HTTP, local/LMTP/QMQP) and
apply on top of whatever family wrote the line.
"""

from __future__ import annotations

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


def detect(line: Line) -> tuple[Dialect | None, Dialect | None]:
    """The MTA family that wrote ``line`` and the hand-over reader that applies, each or ``None``."""
    # Plain loops over the (dialect, matcher) pairs: cheaper than next() over a generator,
    # and detection runs on every line.
    family = handover = None
    for dialect, matches in _FAMILY_MATCHERS:
        if matches(line):
            family = dialect
            break
    for dialect, matches in _HANDOVER_MATCHERS:
        if matches(line):
            handover = dialect
            break
    return family, handover


__all__ = ["ALL", "FAMILIES", "HANDOVERS", "Dialect", "detect"]
