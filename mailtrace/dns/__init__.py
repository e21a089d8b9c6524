"""DNS seam: every SPF, DKIM, ARC and DMARC lookup goes through one :class:`Resolver`.

(Placeholder protocol; the DNS evidence layer fills this package in.)
"""

from __future__ import annotations

from typing import Protocol


class Resolver(Protocol):
    """Answers DNS questions for verification."""


__all__ = ["Resolver"]
