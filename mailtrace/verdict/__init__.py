"""Findings and the verdict. (Placeholder until the findings catalogue lands.)"""

from __future__ import annotations

from typing import Any

from mailtrace.model.fields import Message
from mailtrace.model.headers import Headers
from mailtrace.model.received import Received
from mailtrace.parse.auth import Authentication
from mailtrace.policy import Policy


def judge(
    *,
    message: Message,
    headers: Headers,
    received: tuple[Received, ...],
    authentication: Authentication,
    path: Any,
    verification: Any,
    policy: Policy,
) -> tuple[tuple[Any, ...], Any]:
    """Return ``(findings, verdict)``."""
    return (), None
