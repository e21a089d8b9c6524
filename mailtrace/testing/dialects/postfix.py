"""Postfix ``Received:`` lines (``smtpd_received_header``) and the Dovecot LMTP delivery line.

Shape (RFC 5321 section 4.4 ``Stamp``; TLS and SASL comments as Postfix 3.x writes them)::

    from HELO (RDNS [IP])
            (using TLSv1.3 with cipher ... (256/256 bits) ...)
            (Authenticated sender: USER)
            by HOST (Postfix) with ESMTPSA id QUEUEID
            for <RCPT>; Tue,  4 Mar 2025 10:15:32 +0100 (CET)
"""

from __future__ import annotations

import random

from mailtrace.testing.dialects._common import CET, HopKind, HopSpec, ip_literal, rfc5322_date, token

NAME = "postfix"
ZONE = CET
_QID = "0123456789BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz"
_TLS = (
    "(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)\r\n"
    "\t key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256)"
)


def queue_id(rng: random.Random) -> str:
    """A long queue id (``enable_long_queue_ids = yes``)."""
    return "4" + token(rng, 11, _QID) + "z" + token(rng, 3, _QID)


def received(hop: HopSpec, rng: random.Random) -> str:
    date = rfc5322_date(hop.when, ZONE, pad_day=" ")
    if hop.kind is HopKind.DELIVERY:
        return (
            f"from {hop.helo}\r\n\tby {hop.by_host} with LMTP\r\n\tid {token(rng, 22)}\r\n"
            f"\t(envelope-from <{hop.envelope_from or ''}>)\r\n\tfor <{hop.recipient}>; {date}"
        )
    if hop.kind is HopKind.ORIGINATE:
        # pickup(8) names the submitting user; bounce(8) mail (a DSN, null sender) has no user
        who = " (Postfix, from userid 1000)" if hop.auth_user else " (Postfix)"
        return f"by {hop.by_host}{who}\r\n\tid {queue_id(rng)}; {date}"
    parts = [f"from {hop.helo} ({hop.rdns or 'unknown'} [{ip_literal(hop.ip or '')}])"]
    if hop.tls:
        parts.append(_TLS)
        parts.append("(No client certificate requested)")
    if hop.auth_user:
        parts.append(f"(Authenticated sender: {hop.auth_user})")
    parts.append(f"by {hop.by_host} (Postfix) with {hop.protocol} id {queue_id(rng)}")
    parts.append(f"for <{hop.recipient}>; {date}")
    return "\r\n\t".join(parts)
