"""Legs of a resent message: a user who received a message and re-sent it starts a new path.

A ``Resent-*`` block (RFC 5322 section 3.6.6) is added by the user who resends
the message, above the trace fields of its first delivery. The ``Received:``
lines below the block are the first leg (the original author to the resending
user); those above it are the second leg, on which the resending user is a new
Author (``docs/scenarios.md``, scenario 14). In the notation the resending user
is one actor: the Recipient of the first leg and the Author of the second,
``... Receiver/MDA ==> Recipient/Author ==> MSA/Transmitter --> / --> ...``.
A mailing list that re-sends with ``Resent-*`` fields (SmartList) is a
Forwarder, not a user: the caller ignores the blocks when list fields are present.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from mailtrace.model.headers import AddressField, Headers
from mailtrace.trace.model import NON_NETWORK, Actor, Evidence, HopView, Role, RoleAssignment


@dataclass(frozen=True, slots=True, kw_only=True)
class Resend:
    """One resend: the header positions its block spans and the resending user."""

    top: int  #: header index of the block's first field
    bottom: int  #: header index of the block's last field
    user: str | None  #: ``Resent-From`` (or ``Resent-Sender``) address
    evidence: tuple[Evidence, ...]


def resends(headers: Headers) -> tuple[Resend, ...]:
    """The ``Resent-*`` blocks, most recent (topmost) first."""
    out: list[Resend] = []
    for block in headers.resent:
        if not block.fields:
            continue
        indexes = [f.index for f in block.fields]
        user: str | None = None
        for name in ("Resent-From", "Resent-Sender"):
            f = block.get(name)
            if isinstance(f, AddressField) and f.first is not None and f.first.address:
                user = f.first.address
                break
        ev = tuple(
            Evidence(text=f"{f.name}: {f.value.strip()[:120]}", header=f.name, header_index=f.index)
            for f in block.fields
            if f.name.lower() in ("resent-from", "resent-sender", "resent-date")
        )
        out.append(Resend(top=min(indexes), bottom=max(indexes), user=user, evidence=ev))
    out.sort(key=lambda r: r.top)
    return tuple(out)


def split_legs(hops: Sequence[HopView], resend: Resend) -> tuple[list[HopView], list[HopView]] | None:
    """``(first leg, second leg)`` around one resend, or ``None`` when either side has no network hop.

    Synthetic hops (``X-Originating-IP``) belong to the original author's submission: first leg.
    """
    below = [h for h in hops if h.synthetic or (h.header_index is not None and h.header_index > resend.bottom)]
    above = [h for h in hops if not h.synthetic and h.header_index is not None and h.header_index < resend.top]
    if not any(h.kind not in NON_NETWORK for h in below if not h.synthetic) or not above:
        return None
    return below, above


def leg_headers(headers: Headers, low: int | None, high: int | None) -> Headers:
    """``headers`` with the delivery fields (``Delivered-To``, ``X-Original-To``) limited to one leg:
    header positions strictly between ``low`` and ``high`` (either bound may be open)."""

    def keep(index: int) -> bool:
        return (low is None or index > low) and (high is None or index < high)

    return replace(
        headers,
        delivered_to=tuple(f for f in headers.delivered_to if keep(f.index)),
        x_original_to=tuple(f for f in headers.x_original_to if keep(f.index)),
    )


def resender_as_author(author: Actor, resend: Resend) -> Actor:
    """The Author of a later leg: the resending user, with the ``Resent-*`` fields as evidence."""
    roles = tuple(
        RoleAssignment(role=r.role, evidence=(*resend.evidence, *r.evidence)) if r.role is Role.AUTHOR else r
        for r in author.roles
    )
    return replace(author, name=resend.user or author.name, roles=roles)


def join(first: Sequence[Actor], second: Sequence[Actor], resend: Resend) -> tuple[Actor, ...]:
    """One actor path: the first leg's Recipient and the second leg's Author are the resending user.

    The second leg's networks are numbered on from the first leg's last network.
    """
    if not first or not second:
        return (*first, *second)
    recipient, author = first[-1], second[0]
    offset = recipient.network
    user = Actor(
        name=resend.user or recipient.name,
        roles=(*recipient.roles, *resender_as_author(author, resend).roles),
        network=offset,
        hops=author.hops,
    )
    rest = tuple(replace(a, network=a.network + offset) for a in second[1:])
    return (*first[:-1], user, *rest)


__all__ = ["Resend", "join", "leg_headers", "resender_as_author", "resends", "split_legs"]
