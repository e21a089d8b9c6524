"""Mimecast: ``by relay.mimecast.com with ESMTP (version=TLSv1.2 cipher=...) id mimecast-id``."""

from __future__ import annotations

from mailtrace.parse.received.dialects.base import Dialect
from mailtrace.parse.received.draft import Line


def _matches(line: Line) -> bool:
    return "mimecast" in line.by_host or "mimecast" in line.by_comment


DIALECT = Dialect(
    name="mimecast",
    title="Mimecast",
    matches=_matches,
    example=(
        "from mail.example.net (mail.example.net [192.0.2.30]) by relay.mimecast.com with ESMTP with STARTTLS"
        " (version=TLSv1.2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id us-mta-12-AbCdEf;"
        " Mon, 03 Jun 2024 06:00:00 -0400"
    ),
)
