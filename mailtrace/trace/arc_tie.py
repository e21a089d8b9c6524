"""Tie each ARC instance to the hop that sealed it (RFC 8617 sections 4.1 and 5.1).

A sealer adds its ``ARC-Seal`` when it passes the message on, so the set sits
above the ``Received:`` line the sealer wrote on receipt. The sealing hop is the
nearest hop below the seal whose ``by`` host is in the organisational domain of
the seal's ``d=``; when no hop below matches, the nearest matching hop anywhere.
"""

from __future__ import annotations

from collections.abc import Sequence

from mailtrace.model.fields import Message
from mailtrace.trace.forwarding import arc_seals
from mailtrace.trace.hosts import org_domain
from mailtrace.trace.model import ArcTie, HopView


def tie_arc(message: Message, hops: Sequence[HopView]) -> tuple[ArcTie, ...]:
    real = sorted((h for h in hops if h.received_index is not None), key=lambda h: h.header_index or 0)
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
        matching = [h for h in real if h.organisation == org]
        below = [h for h in matching if (h.header_index or 0) > index]
        chosen = below[0] if below else (matching[-1] if matching else None)
        if chosen is None:
            note = f"no hop's 'by' host is in {org}"
        elif below:
            note = f"sealed by {chosen.by_host}, the nearest hop below the seal in {org}"
        else:
            note = f"sealed by {chosen.by_host} in {org} (no matching hop below the seal; nearest above)"
        out.append(
            ArcTie(
                instance=instance,
                domain=domain,
                hop=chosen.received_index if chosen else None,
                header_index=index,
                note=note,
            )
        )
    return tuple(out)
