"""Gmail / Google Workspace ``Received:`` lines.

Shapes (eight-space continuation, reverse DNS name with its trailing dot)::

    from HELO (RDNS. [IP])
            by mx.google.com with ESMTPS id ID
            for <RCPT>
            (version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256);
            Tue, 04 Mar 2025 01:15:32 -0800 (PST)
    by 2002:a05:6a20:1234:b0:1f3:4567:89ab with SMTP id ab12csp1234567pzb;
            Tue, 4 Mar 2025 01:15:33 -0800 (PST)

The provider's outbound stage and its internal hand-overs are ``by``-only lines.
"""

from __future__ import annotations

import random
import string

from mailtrace.testing.dialects._common import PST, HopKind, HopSpec, ip_literal, rfc5322_date, token

NAME = "gmail"
ZONE = PST
_IND = "\r\n        "
_HEX = "0123456789abcdef"


def smtp_id(rng: random.Random) -> str:
    return f"{token(rng, 5, _HEX)}c{token(rng, 2, string.digits)}a{token(rng, 2, _HEX)}-{token(rng, 20, _HEX)}"


def received(hop: HopSpec, rng: random.Random) -> str:
    date = rfc5322_date(hop.when, ZONE, pad_day="0")
    if hop.kind in (HopKind.ORIGINATE, HopKind.INTERNAL, HopKind.DELIVERY):
        return f"by {hop.by_host} with SMTP id {smtp_id(rng)}{_IND}for <{hop.recipient}>;{_IND}{date}"
    ip = ip_literal(hop.ip or "")
    inner = f"{hop.rdns}. [{ip}]" if hop.rdns else f"[{ip}]"
    parts = [f"from {hop.helo} ({inner})", f"by {hop.by_host} with {hop.protocol} id {smtp_id(rng)}"]
    parts.append(f"for <{hop.recipient}>")
    if hop.tls:
        parts.append("(version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256);")
    else:
        parts[-1] += ";"
    parts.append(date)
    return _IND.join(parts)
