"""Path reconstruction: order and link hops, find the border, assign roles.

(Placeholder until path reconstruction lands.)
"""

from __future__ import annotations

from typing import Any

from mailtrace.model.fields import Message
from mailtrace.model.headers import Headers
from mailtrace.model.received import Received
from mailtrace.parse.auth import Authentication
from mailtrace.policy import Policy


def reconstruct_path(
    received: tuple[Received, ...],
    headers: Headers,
    authentication: Authentication,
    message: Message,
    policy: Policy,
) -> Any:
    return None
