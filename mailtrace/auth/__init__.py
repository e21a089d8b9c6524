"""Re-verification of SPF, DKIM, ARC and DMARC through one resolver.

(Placeholder until the verification layer lands.)
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mailtrace.model.fields import Message
from mailtrace.model.headers import Headers
from mailtrace.parse.auth import Authentication
from mailtrace.policy import Policy


def verify(
    message: Message,
    headers: Headers,
    authentication: Authentication,
    *,
    client_ip: str | None,
    helo: str | None,
    clock: datetime | None,
    border_note: str | None,
    policy: Policy,
) -> Any:
    return None
