"""Sendmail ``Received:`` lines (the ``$j``/``HReceived`` default of sendmail 8.17).

Shape::

    from HELO (RDNS [IP])
            (authenticated bits=0)
            by HOST (8.17.1/8.17.1) with ESMTPSA id 524AFWq1012345
            (version=TLSv1.3 cipher=TLS_AES_256_GCM_SHA384 bits=256 verify=NOT)
            for <RCPT>; Tue, 4 Mar 2025 10:15:32 +0100

With no PTR the parenthesis holds ``[IP]`` only; a HELO that differs from the PTR name is kept as
the client said it (sendmail adds ``may be forged`` only when the forward lookup fails).
"""

from __future__ import annotations

import random
import string

from mailtrace.testing.dialects._common import CET, HopKind, HopSpec, ip_literal, rfc5322_date

NAME = "sendmail"
ZONE = CET
_B60 = string.digits + string.ascii_uppercase + string.ascii_lowercase[:24]


def queue_id(hop: HopSpec, rng: random.Random) -> str:
    t = ZONE.local(hop.when)
    stamp = "".join(_B60[v % 60] for v in (t.year - 1900, t.month - 1, t.day, t.hour, t.minute, t.second))
    return f"{stamp}{rng.randrange(100000, 999999)}"


def received(hop: HopSpec, rng: random.Random) -> str:
    date = rfc5322_date(hop.when, ZONE, comment=False)
    qid = queue_id(hop, rng)
    if hop.kind is HopKind.ORIGINATE:
        user = hop.auth_user or "user"
        return f"(from {user}@localhost)\r\n\tby {hop.by_host} (8.17.1/8.17.1/Submit) id {qid}; {date}"
    if hop.kind is HopKind.DELIVERY:
        by = f"by {hop.by_host} (8.17.1/8.17.1) with LMTP id {qid}"
        return f"from {hop.helo}\r\n\t{by}\r\n\tfor <{hop.recipient}>; {date}"
    inner = f"{hop.rdns} [{ip_literal(hop.ip or '')}]" if hop.rdns else f"[{ip_literal(hop.ip or '')}]"
    parts = [f"from {hop.helo} ({inner})"]
    if hop.auth_user:
        parts.append("(authenticated bits=0)")
    parts.append(f"by {hop.by_host} (8.17.1/8.17.1) with {hop.protocol} id {qid}")
    if hop.tls:
        parts.append("(version=TLSv1.3 cipher=TLS_AES_256_GCM_SHA384 bits=256 verify=NOT)")
    parts.append(f"for <{hop.recipient}>; {date}")
    return "\r\n\t".join(parts)
