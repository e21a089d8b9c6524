"""Exchange Online (Microsoft 365) ``Received:`` lines.

Shapes (folded at about 78 columns with one leading space, as Exchange does)::

    from HELO (IP) by HOST.prod.outlook.com (IP) with Microsoft SMTP Server
     (version=TLS1_3, cipher=TLS_AES_256_GCM_SHA384) id 15.20.8489.16 via Frontend Transport; DATE
    from HOST ([fe80::...]) by HOST ([fe80::...%5]) with mapi id 15.20.8489.025; DATE

Client addresses stand in plain parentheses (no square brackets, no reverse DNS name).
Submission from Outlook uses ``with mapi``: the authentication is implied by the MAPI session.
"""

from __future__ import annotations

import random

from mailtrace.testing.dialects._common import UTC, HopKind, HopSpec, fold_words, rfc5322_date

NAME = "exchange"
ZONE = UTC
_TLS = "with Microsoft SMTP Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384)"


def build_id(rng: random.Random) -> str:
    return f"15.20.{rng.randrange(8400, 8600)}.{rng.randrange(10, 40)}"


def received(hop: HopSpec, rng: random.Random) -> str:
    date = rfc5322_date(hop.when, ZONE, comment=False)
    by = f"{hop.by_host} ({hop.by_ip})" if hop.by_ip else hop.by_host
    if hop.kind is HopKind.SUBMISSION and hop.auth_user:
        text = f"from {hop.by_host} ({hop.by_ip}) by {by} with mapi id {build_id(rng)}0; {date}"
    elif hop.kind is HopKind.ORIGINATE:
        text = f"by {by} {_TLS} id {build_id(rng)}; {date}"
    else:
        client = f"from {hop.helo} ({hop.ip})" if hop.ip else f"from {hop.helo}"
        tls = _TLS if hop.tls else "with Microsoft SMTP Server"
        via = " via Frontend Transport" if hop.kind is HopKind.RELAY else ""
        text = f"{client} by {by} {tls} id {build_id(rng)}{via}; {date}"
    return fold_words(text)
