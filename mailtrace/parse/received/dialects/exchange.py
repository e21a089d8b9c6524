"""Microsoft Exchange and Exchange Online / Microsoft 365.

``from HELO (ip) by host (ip) with Microsoft SMTP Server (version=TLS1_2,
cipher=...) id 15.20.x.y via Frontend Transport``; ``with mapi id 15.20...``
(an Outlook client's submission into its own mailbox: ``kind="internal"``); ``with HTTPS`` (Outlook
on the web, REST); internal hops between Microsoft servers by IPv6; the older
``with Microsoft SMTPSVC(6.0.x)``. Exchange writes the HELO argument and the
address, never a reverse name.
"""

from __future__ import annotations

from mailtrace.parse.received.dialects.base import Dialect
from mailtrace.parse.received.draft import Draft, Line


def _matches(line: Line) -> bool:
    low = line.low
    return "microsoft smtp" in low or line.with_word == "mapi" or " frontend transport" in low


def _apply(line: Line, draft: Draft) -> None:
    for comment in line.comments:
        if comment.strip().upper() == "TLS":
            draft.tls = True
            if draft.with_ == "ESMTP":
                draft.with_ = "ESMTPS"
    if draft.with_ == "MAPI":
        draft.kind = "internal"


DIALECT = Dialect(
    name="exchange",
    title="Microsoft Exchange / Exchange Online (Microsoft 365)",
    matches=_matches,
    apply=_apply,
    example=(
        "from AM6PR04MB1234.eurprd04.prod.outlook.com (2603:10a6:20b:f0::18) by DB9PR04MB5678.eurprd04.prod.outlook.com"
        " (2603:10a6:10:2c5::9) with Microsoft SMTP Server"
        " (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.7544.41;"
        " Tue, 7 May 2024 01:39:47 +0000"
    ),
)
