"""Tie each ARC instance to the hop that sealed it (RFC 8617 sections 4.1 and 5.1).

A sealer adds its ``ARC-Seal`` when it passes the message on, so the set sits
above the ``Received:`` line the sealer wrote on receipt. The sealing hop is the
nearest hop below the seal whose ``by`` host is in the organisation of the seal's
``d=`` (:func:`~mailtrace.trace.hosts.same_org`: Microsoft 365 seals as
``microsoft.com`` from ``*.outlook.com`` hosts); when no hop below matches, the
nearest matching hop anywhere.

A set is the *origin's* when it is the first (``i=1``), its sealing hop lies in the
author's own network before the message left it (the run of hops, oldest first,
whose ``by`` hosts are in the organisation of the earliest one, when a later hop is
outside it or crosses into another tenant of the provider: Microsoft 365 tenant to tenant)
and no mailing list of that organisation handled the message (a list hosted beside
its authors, as Google Groups or kernel.org's, seals as a forwarder).
Microsoft 365 seals its tenants' outgoing mail so: such a set records no intermediary.
"""

from __future__ import annotations

from collections.abc import Sequence

from mailtrace.model.fields import Message
from mailtrace.trace.forwarding import arc_seals
from mailtrace.trace.hosts import org_domain, same_org
from mailtrace.trace.model import ArcTie, HopView
from mailtrace.trace.providers import tenant_crossing


def origin_hops(hops: Sequence[HopView]) -> frozenset[int]:
    """``received_index`` of the hops written in the author's organisation before the message left it.

    Empty when the earliest hop's ``by`` host has no organisational domain or the
    whole trace stays in that organisation (nothing shows where it left).
    """
    real = sorted((h for h in hops if h.received_index is not None), key=lambda h: -(h.received_index or 0))
    origin = real[0].organisation if real else None
    if origin is None:
        return frozenset()
    run: list[int] = []
    for h in real:
        if not same_org(h.organisation, origin) or _front_door(h):
            return frozenset(run)
        run.append(h.received_index or 0)
    return frozenset()


def _front_door(h: HopView) -> bool:
    """``h`` crosses from one tenant of a provider into another: the message left the author's tenant there."""
    return h.facts.front_door if h.facts is not None else tenant_crossing(h.by_host, h.from_host, h.helo)


def tie_arc(message: Message, hops: Sequence[HopView], lists: frozenset[str] = frozenset()) -> tuple[ArcTie, ...]:
    """One tie per ``ARC-Seal``, top to bottom; ``lists``: organisational domains of the message's lists."""
    real = sorted((h for h in hops if h.received_index is not None), key=lambda h: h.header_index or 0)
    origin = origin_hops(hops)
    out: list[ArcTie] = []
    for index, instance, domain in arc_seals(message):
        org = org_domain(domain)
        if org is None:
            out.append(
                ArcTie(
                    instance=instance,
                    domain=domain,
                    hop=None,
                    header_index=index,
                    note="seal names no usable d= domain",
                )
            )
            continue
        matching = [h for h in real if same_org(h.organisation, org)]
        below = [h for h in matching if (h.header_index or 0) > index]
        chosen = below[0] if below else (matching[-1] if matching else None)
        if chosen is None:
            note = f"no hop's 'by' host is in {org}"
        else:
            where = org if chosen.organisation == org else f"{chosen.organisation} (same provider as {org})"
            if below:
                note = f"sealed by {chosen.by_host}, the nearest hop below the seal in {where}"
            else:
                note = f"sealed by {chosen.by_host} in {where} (no matching hop below the seal; nearest above)"
        at_origin = (
            instance == 1
            and chosen is not None
            and chosen.received_index in origin
            and not any(same_org(org, d) for d in lists)
        )
        if at_origin:
            note += "; inside the author's network before the message left it"
        out.append(
            ArcTie(
                instance=instance,
                domain=domain,
                hop=chosen.received_index if chosen else None,
                header_index=index,
                note=note,
                origin=at_origin,
            )
        )
    return tuple(out)
