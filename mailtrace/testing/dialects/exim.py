"""Exim ``Received:`` lines (the default ``received_header_text`` of Exim 4.96).

Shape::

    from RDNS ([IP] helo=HELO)
            by HOST with esmtpsa  (TLS1.3) tls TLS_AES_256_GCM_SHA384
            (Exim 4.96)
            (envelope-from <SENDER>)
            id 1tpQ2x-0003Ab-Cd
            for RCPT; Tue, 04 Mar 2025 10:15:32 +0100

``helo=`` is omitted when it equals the reverse DNS name; with no PTR the host part is ``[IP]``.
Protocol words are lower case, as Exim writes them (RFC 3848 keywords are case-insensitive).
"""

from __future__ import annotations

import random
import string

from mailtrace.testing.dialects._common import CET, HopKind, HopSpec, rfc5322_date, token

NAME = "exim"
ZONE = CET
_B62 = string.digits + string.ascii_uppercase + string.ascii_lowercase


def message_id(rng: random.Random) -> str:
    return f"1t{token(rng, 4, _B62)}-{token(rng, 6, _B62)}-{token(rng, 2, _B62)}"


def _from(hop: HopSpec) -> str:
    ip = f"[{hop.ip}]"
    if hop.rdns and hop.helo and hop.helo.lower() == hop.rdns.lower():
        return f"from {hop.rdns} ({ip})"
    if hop.rdns:
        return f"from {hop.rdns} ({ip} helo={hop.helo})"
    return f"from {ip} (helo={hop.helo})"


def received(hop: HopSpec, rng: random.Random) -> str:
    date = rfc5322_date(hop.when, ZONE, pad_day="0", comment=False)
    if hop.kind is HopKind.ORIGINATE:
        user = hop.auth_user or "user"
        return f"from {user} by {hop.by_host} with local (Exim 4.96)\r\n\tid {message_id(rng)}; {date}"
    if hop.kind is HopKind.DELIVERY:
        head = f"from {hop.helo} ([{hop.ip}])" if hop.ip else f"from {hop.helo}"
        return (
            f"{head}\r\n\tby {hop.by_host} with LMTP (Exim 4.96)\r\n\t(envelope-from <{hop.envelope_from or ''}>)"
            f"\r\n\tid {message_id(rng)}\r\n\tfor {hop.recipient}; {date}"
        )
    proto = hop.protocol.lower()
    with_line = f"by {hop.by_host} with {proto}"
    if hop.tls:
        with_line += "  (TLS1.3) tls TLS_AES_256_GCM_SHA384"
    parts = [_from(hop), with_line, "(Exim 4.96)"]
    parts.append(f"(envelope-from <{hop.envelope_from or ''}>)")
    parts.append(f"id {message_id(rng)}")
    parts.append(f"for {hop.recipient}; {date}")
    return "\r\n\t".join(parts)
