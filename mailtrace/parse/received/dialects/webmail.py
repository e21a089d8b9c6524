"""Webmail and HTTP submissions: ``with HTTP``/``HTTPS``/``HTTPREST``, ``via HTTP``, SquirrelMail, Roundcube, Horde.

``from 192.0.2.8 (SquirrelMail authenticated user alice) by webmail.example.org
with HTTP``: the ``from`` address is the browser's, seen by the web server.

A marker found only in a host name, on a line whose client has a public address, is no web
submission: ``from webmail.example.com.br (203.0.113.4) by X.mail.protection.outlook.com with
Microsoft SMTP Server`` is an SMTP hand-over from a relay that happens to be called webmail.
"""

from __future__ import annotations

import ipaddress
import re

from mailtrace.parse.received.dialects.base import Dialect
from mailtrace.parse.received.draft import Draft, Line
from mailtrace.parse.received.ipaddr import canonical_ip

_MARKERS = ("squirrelmail", "roundcube", "horde", "webmail", "via http", "rainloop", "sogo")


def _matches(line: Line) -> bool:
    if line.with_word.startswith("http"):
        return True
    # Spelled out rather than any(...) over _MARKERS: detection runs on every line.
    low = line.low
    return (
        "squirrelmail" in low
        or "roundcube" in low
        or "horde" in low
        or "webmail" in low
        or "via http" in low
        or "rainloop" in low
        or "sogo" in low
    )


def _named_only(line: Line, draft: Draft) -> bool:
    """The line's only web marker is a host name (``webmail.example.org``) and its client is on a public
    address: a relay that happens to be called webmail handing over by SMTP, not a web application."""
    if line.with_word.startswith("http") or "via http" in line.low:
        return False
    if _APP.search(" ".join(line.comments)):
        return False
    try:
        addr = ipaddress.ip_address(draft.ip or "")
    except ValueError:
        return False
    return not (addr.is_loopback or addr.is_link_local or addr.is_unspecified or any(addr in n for n in _LOCAL))


#: an application's name standing alone in a comment ("(Horde Framework)"), not part of a host name
#: ("(webmail.example.com.br [192.0.2.4])"); no nested quantifier: linear
_APP = re.compile(r"(?<![\w.-])(?:squirrelmail|roundcube|horde|webmail|rainloop|sogo)(?![\w.-])", re.IGNORECASE)

#: private, shared (CGN) and unique-local networks: a client there may be the web application's own server
_LOCAL = tuple(
    ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7")
)


def _apply(line: Line, draft: Draft) -> None:
    if _named_only(line, draft):
        return
    draft.kind = "http"
    if draft.helo is not None and draft.helo[:1].isdigit():
        # "from 192.0.2.8 (...) by webmail": the browser's address, not a HELO.
        ip = canonical_ip(draft.helo)
        if ip is not None and draft.ip in (None, ip):
            draft.ip, draft.helo = ip, None
    for comment in line.comments:
        low = comment.lower()
        at = low.find("authenticated user ")
        if at >= 0:
            draft.authenticated = True
            user = comment[at + len("authenticated user ") :].split()
            draft.auth = draft.auth or (user[0][:256] if user else None)


DIALECT = Dialect(
    name="webmail",
    title="Webmail / HTTP submission",
    matches=_matches,
    apply=_apply,
    example=(
        "from 192.0.2.8 (SquirrelMail authenticated user alice) by webmail.example.org with HTTP;"
        " Mon, 3 Jun 2024 10:00:00 -0000 (GMT)"
    ),
)
