"""SendGrid (Twilio): ``by geopod-ismtpd-3 (SG) with HTTP id x``, and filter lines with no ``;``.

``by filter0225p1mdw1.sendgrid.net with SMTP id x 2018-04-26 13:39:20.563478155
+0000 UTC m=+1210283.823745690``: Go's ``time.Time`` string stands where the
``; date-time`` should be; the generic date reader converts it.
"""

from __future__ import annotations

from mailtrace.parse.received.dialects.base import Dialect, two_label_domains
from mailtrace.parse.received.draft import Draft, Line

_DOMAINS = two_label_domains("sendgrid.net")


def _matches(line: Line) -> bool:
    return line.by_tail in _DOMAINS or line.by_comment == "sg"


def _apply(line: Line, draft: Draft) -> None:
    if line.by_keyword.get("from") is None and draft.ip is None:
        draft.kind = "http" if (draft.with_ or "").startswith("HTTP") else "internal"


DIALECT = Dialect(
    name="sendgrid",
    title="SendGrid",
    matches=_matches,
    apply=_apply,
    example=(
        "by filter0225p1mdw1.sendgrid.net with SMTP id filter0225p1mdw1-13879-5AE1D5A8-2"
        " 2018-04-26 13:39:20.563478155 +0000 UTC m=+1210283.823745690"
    ),
)
