"""Momentum (Message Systems ecelerity, now Bird/SparkPost): ``by host (envelope-from <addr>) (ecelerity 4.7.0.20111
r(msys-ecelerity:tags/4.7.0-ga^0)) with ESMTPSA (cipher=...) id 99/02-00533-9DC80076``.

The MTA behind SparkPost (``*.sd.prd.sparkpost``), Salesforce (``*.mta.salesforce.com``) and several
ISPs (``mail.mymts.net``). Its ``from`` part looks like Exim's (``from [192.0.2.7] ([192.0.2.7:46972]
helo=name)``), so it is recognised by the version comment it writes after its own name, and its
message id has its own form: two hex bytes, a slash, two hex bytes, a dash, a five-digit thread
number, a dash and eight hex digits (``D4/52-37715-B44A9596``; ``Message-ID`` reuses it with dots).
``with REST`` records an injection through the HTTP REST API (SparkPost's transmissions endpoint),
not an SMTP hand-over: an HTTP submission.
"""

from __future__ import annotations

import re

from mailtrace.parse.received.dialects.base import Dialect
from mailtrace.parse.received.draft import Draft, Line

#: The message id (spool id) Momentum writes: ``D4/52-37715-B44A9596``.
ID = re.compile(r"[0-9A-F]{2}/[0-9A-F]{2}-[0-9]{5}-[0-9A-F]{8}")


def _matches(line: Line) -> bool:
    # the by clause's comments, joined with spaces: "(envelope-from <a@b>) (ecelerity 4.7...)"
    notes = line.by_comment
    return notes.startswith("ecelerity ") or " ecelerity " in notes


def _apply(line: Line, draft: Draft) -> None:
    if (draft.with_ or "").upper() == "REST":
        draft.kind = "http"


DIALECT = Dialect(
    name="ecelerity",
    title="Momentum (ecelerity)",
    matches=_matches,
    apply=_apply,
    example=(
        "from [192.0.2.119] ([192.0.2.119:37400] helo=[10.88.176.129]) by mta2.example.com"
        " (envelope-from <survey-noreply@example.com>) (ecelerity 5.1.0.74856 r(msys-ecelerity:tags/5.1.0.29))"
        " with ESMTPSA (cipher=AES-256-GCM) id D4/52-37715-B44A9596; Sat, 03 Jan 2026 23:20:43 +0000"
    ),
)
