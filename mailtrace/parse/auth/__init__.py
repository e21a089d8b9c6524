"""Parsed authentication headers: DKIM-Signature, ARC-*, Authentication-Results, Received-SPF.

(Placeholder until the authentication-header parsers land.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mailtrace.model.fields import Message


@dataclass(frozen=True, slots=True, kw_only=True)
class Authentication:
    def to_dict(self) -> dict[str, Any]:
        return {"dkim_signatures": [], "arc_sets": [], "authentication_results": [], "received_spf": []}


def parse_authentication(message: Message) -> Authentication:
    return Authentication()
