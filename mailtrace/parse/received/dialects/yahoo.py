"""Yahoo / AOL (Verizon Media): ``by ... (VZM Hermes SMTP Server) with ESMTPA ID x``, ``*.yahoo.com``."""

from __future__ import annotations

from mailtrace.parse.received.dialects.base import Dialect, two_label_domains
from mailtrace.parse.received.draft import Draft, Line
from mailtrace.parse.received.ipaddr import canonical_ip

_DOMAINS = two_label_domains("yahoo.com", "yahoo.net", "yahoodns.net", "aol.com")


def _matches(line: Line) -> bool:
    return "hermes" in line.by_comment or line.by_tail in _DOMAINS


def _apply(line: Line, draft: Draft) -> None:
    if draft.ip is None and draft.helo is not None:
        # Hermes writes the client address bare: "from 198.51.100.20 by ..."
        ip = canonical_ip(draft.helo)
        if ip is not None:
            draft.ip, draft.helo = ip, None
    if line.by_keyword.get("from") is None and draft.ip is None:
        draft.kind = "internal"


DIALECT = Dialect(
    name="yahoo",
    title="Yahoo / AOL",
    matches=_matches,
    apply=_apply,
    example=(
        "from 198.51.100.20 by smtp415.mail.ir2.yahoo.com (VZM Hermes SMTP Server) with ESMTPA ID 0123abcd;"
        " Fri, 12 Jan 2024 09:10:11 +0000 (UTC)"
    ),
)
