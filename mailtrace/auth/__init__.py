"""Re-verification of SPF, DKIM, ARC and DMARC through one resolver.

Every DNS question goes to ``policy.resolver`` (wrapped per message in a
:class:`~mailtrace.dns.budget.BudgetedResolver`); with no resolver every
result is ``not_checked``. Modules: :mod:`.spf` (pyspf), :mod:`.dkim` and
:mod:`.arc` (dkimpy on the raw bytes), :mod:`.dmarc` (RFC 7489),
:mod:`.stamped` (the receiver's Authentication-Results against the re-check),
:mod:`.results` (the typed results). See ``docs/verification.md``.
"""

from __future__ import annotations

from datetime import datetime

from mailtrace.auth.results import (
    Agreement,
    ArcCheck,
    ArcInstance,
    ArcResult,
    Comparison,
    DkimCheck,
    DkimResult,
    DmarcCheck,
    DmarcResult,
    SpfCheck,
    SpfResult,
    Stamped,
    StampedResult,
    Verification,
)
from mailtrace.auth.verify import run_verification
from mailtrace.model.fields import Message
from mailtrace.model.headers import Headers
from mailtrace.parse.auth import Authentication
from mailtrace.policy import Policy

__all__ = [
    "Agreement",
    "ArcCheck",
    "ArcInstance",
    "ArcResult",
    "Comparison",
    "DkimCheck",
    "DkimResult",
    "DmarcCheck",
    "DmarcResult",
    "SpfCheck",
    "SpfResult",
    "Stamped",
    "StampedResult",
    "Verification",
    "verify",
]


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
) -> Verification:
    """Re-verify SPF (for ``client_ip``/``helo`` and the ``Return-Path``), every DKIM signature, ARC and DMARC.

    ``clock`` is the analysis time for DKIM ``x=`` (the delivery time);
    ``border_note`` says how ``client_ip`` was chosen and is kept in the SPF
    result. Never raises for bad mail.
    """
    return run_verification(
        message,
        headers,
        authentication,
        client_ip=client_ip,
        helo=helo,
        clock=clock,
        border_note=border_note,
        policy=policy,
    )
