"""Courier MTA: ``from helo (rdns [::ffff:192.0.2.7]) (AUTH: LOGIN user) by host with ESMTPA``.

Courier writes IPv4 clients in the ``::ffff:`` mapped form and its ``id`` as
``000A1B2C.3D4E5F6A.00001234``.
"""

from __future__ import annotations

from mailtrace.parse.received.dialects.base import Dialect
from mailtrace.parse.received.draft import Line


def _matches(line: Line) -> bool:
    low = line.low
    return "courier" in low or "(auth: " in low


DIALECT = Dialect(
    name="courier",
    title="Courier",
    matches=_matches,
    example=(
        "from laptop (host.example.net [::ffff:192.0.2.7]) (AUTH: LOGIN alice) by mail.example.org with ESMTPA;"
        " Mon, 03 Jun 2024 10:00:00 +0000 id 000A1B2C.665D8000.00001234"
    ),
)
