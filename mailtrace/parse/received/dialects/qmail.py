"""qmail: ``(qmail 1234 invoked from network)``, ``invoked by uid``, ``from rdns (HELO name) (user@ip)``, QMQP.

qmail writes the reverse name (``unknown`` without one) and the HELO argument
only when it differs from it; qmail-scanner adds ``by host by uid 89 with
qmail-scanner-1.x`` content-filter lines.
"""

from __future__ import annotations

import re

from mailtrace.parse.received.dialects.base import Dialect
from mailtrace.parse.received.draft import Draft, Line
from mailtrace.parse.received.ipaddr import canonical_ip

_NETWORK = re.compile(r"network\[([0-9A-Fa-f:.]{2,45})(?:/([^\]\s]{0,255}))?\]")


def _matches(line: Line) -> bool:
    low = line.low
    if "qmail" in low and ("(qmail " in low or "qmail-scanner" in low or line.by_comment.startswith("qmail")):
        return True
    if "invoked " in low and ("invoked from" in low or "invoked by " in low):
        return True
    clause = line.by_keyword.get("from")
    if clause is None or not clause.comments:
        return False
    for c in clause.comments:
        if c[:5].upper() in ("HELO ", "EHLO "):
            return True
    # qmail-smtpd's own shape: "from name (ip) by host with SMTP; 7 Mar 2011 19:23:23 -0000"
    # (a bare address in the comment, no id, and always "-0000").
    dates = line.clauses.date_tokens
    return (
        line.by_keyword.get("id") is None
        and bool(dates)
        and dates[-1][1] == "-0000"
        and line.with_word in ("smtp", "qmqp")
        and _bare_address(clause.comments[0])
    )


def _bare_address(comment: str) -> bool:
    text = comment.strip()
    at = text.rfind("@")
    return canonical_ip(text[at + 1 :]) is not None


def _apply(line: Line, draft: Draft) -> None:
    low = line.low
    if "invoked from" in low:
        draft.kind = draft.kind or "smtp"
        m = _NETWORK.search(line.text)
        if m is not None and draft.ip is None:
            # "(qmail 20521 messnum 1113064 invoked from network[213.190.156.48/host.example])"
            draft.ip = canonical_ip(m.group(1))
            name = m.group(2)
            draft.rdns = None if not name or name == "unknown" else name
    elif "invoked by " in low or "invoked for " in low:
        draft.kind = "local"
    if line.with_word.startswith("qmail-scanner"):
        draft.with_ = None
        draft.kind = "internal"
        draft.helo = None
    elif line.with_word == "qmqp":
        draft.kind = "internal"


DIALECT = Dialect(
    name="qmail",
    title="qmail (netqmail, qmail-scanner)",
    matches=_matches,
    apply=_apply,
    example="from unknown (HELO mail.example.net) (192.0.2.7) by mx.example.org with SMTP; 7 Jan 2003 12:01:04 -0000",
)
