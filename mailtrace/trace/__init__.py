"""Path reconstruction: order and link hops, find the border, assign roles, render the notation.

``reconstruct_path`` turns the parsed ``Received:`` hops and the headers around
them into a :class:`~mailtrace.trace.model.Path` (``docs/concepts.md``).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import replace

from mailtrace.defects import Defect
from mailtrace.model.fields import Message
from mailtrace.model.headers import Headers
from mailtrace.model.received import Received
from mailtrace.parse.auth import Authentication
from mailtrace.policy import Policy
from mailtrace.trace.arc_tie import tie_arc
from mailtrace.trace.border import crossing_line_missing, find_borders
from mailtrace.trace.forwarding import ForwardingSignals, forwarding_signals, origin_seals
from mailtrace.trace.hosts import address_domain, org_domain, same_org
from mailtrace.trace.legs import Resend, join, leg_headers, resender_as_author, resends, split_legs
from mailtrace.trace.model import (
    NON_NETWORK,
    Actor,
    ArcTie,
    Border,
    BorderMethod,
    DelayStatus,
    Evidence,
    HopKind,
    HopView,
    LinkStatus,
    Path,
    Role,
    RoleAssignment,
    Stamp,
)
from mailtrace.trace.notation import render
from mailtrace.trace.order import SKEW_TOLERANCE, order_hops
from mailtrace.trace.recipient import find_recipient
from mailtrace.trace.roles import assign_actors
from mailtrace.trace.stamps import authserv_ids, find_stamps
from mailtrace.trace.tenants import recipient_tenant

__all__ = [
    "NON_NETWORK",
    "SKEW_TOLERANCE",
    "Actor",
    "ArcTie",
    "Border",
    "BorderMethod",
    "DelayStatus",
    "Evidence",
    "ForwardingSignals",
    "HopKind",
    "HopView",
    "LinkStatus",
    "Path",
    "Role",
    "RoleAssignment",
    "Stamp",
    "forwarding_signals",
    "reconstruct_path",
]


def reconstruct_path(
    received: tuple[Received, ...],
    headers: Headers,
    authentication: Authentication,
    message: Message,
    policy: Policy,
) -> Path:
    """Reconstruct the path of one message. Never raises on bad mail."""
    hops = order_hops(received, headers)
    stamps = find_stamps(message)
    ids = authserv_ids(message)
    signals = forwarding_signals(headers, message)
    ties = tie_arc(message, hops, signals.list_domains)
    if origin := origin_seals(ties):
        signals = forwarding_signals(headers, message, origin)
    related = _related_orgs(headers, authentication) | signals.domains
    report = _status_report(headers, message)
    early = find_recipient(headers, message, received, ())
    early_domain = early.domain
    # a list that re-sends with Resent-* fields (SmartList) is a Forwarder, not a resending user
    blocks = resends(headers) if not signals.lists else ()
    legs = _legs(hops, blocks)
    all_borders: list[Border] = []
    all_notes: list[str] = []
    defects: list[Defect] = []
    actors: tuple[Actor, ...] = ()
    for k, (leg, low, high, starts) in enumerate(legs):
        last = k == len(legs) - 1
        inside = _between(low, high)
        borders, notes, leg_defects = find_borders(
            leg,
            received,
            tuple(s for s in stamps if inside(s.header_index)),
            tuple(i for i in ids if inside(i[0])),
            policy if last else Policy(limits=policy.limits, submission_networks=policy.submission_networks),
            signals.domains,
            early_domain if last else None,
        )
        if not last:
            borders = tuple(replace(b, recipient=False) for b in borders)
        leg_actors = assign_actors(
            _mark(tuple(leg), borders),
            borders,
            leg_headers(headers, low, high) if len(legs) > 1 else headers,
            received,
            signals,
            related,
            report=report if k == 0 else None,
        )
        actors = leg_actors if starts is None else join(actors, leg_actors, starts)
        all_borders.extend(borders)
        all_notes.extend(notes)
        defects.extend(leg_defects)
    borders = tuple(all_borders)
    if len(legs) > 1:  # one leg holds every hop, already marked with every border
        _mark(hops, borders)
    if len(legs) == 1 and actors:
        lowest = max(blocks, key=lambda b: b.bottom, default=None)
        if lowest is not None and _resent_here(hops, lowest):
            # resent with no trace of the first delivery: the resending user is the Author of this path
            actors = (resender_as_author(actors[0], lowest), *actors[1:])
    _with_roles(hops, actors)
    internal = not borders and any(h.kind not in NON_NETWORK and not h.synthetic for h in hops)
    # the borders only choose among the lines' ``for`` clauses: when the early answer is no ``for`` clause (a
    # delivery field decides first; else no line has one) or no border was found, it is the final one
    recipient = early if early.source != "for" or not borders else find_recipient(headers, message, received, borders)
    if borders:
        tenant = recipient_tenant(borders[-1], hops, message, recipient.domain)
        if tenant is not None:
            borders = (*borders[:-1], replace(borders[-1], tenant=tenant))
    return Path(
        hops=hops,
        border=borders[-1] if borders else None,
        borders=borders,
        actors=actors,
        notation=render(actors),
        arc=ties,
        stamps=stamps,
        recipient_domain=recipient.domain,
        recipient=recipient,
        internal=internal,
        notes=tuple(dict.fromkeys(all_notes)),
        defects=tuple(dict.fromkeys(defects)),
    )


def _legs(
    hops: tuple[HopView, ...], blocks: tuple[Resend, ...]
) -> list[tuple[list[HopView], int | None, int | None, Resend | None]]:
    """The legs of the path, oldest first: ``(hops, low, high, resend that started the leg)``.

    A leg's fields lie strictly between header positions ``low`` and ``high``; without a ``Resent-*``
    block splitting the trace there is one leg holding every hop.
    """
    out: list[tuple[list[HopView], int | None, int | None, Resend | None]] = []
    rest: list[HopView] = list(hops)
    starts: Resend | None = None
    for block in sorted(blocks, key=lambda b: -b.bottom):  # the lowest (oldest) resend first
        split = split_legs(rest, block)
        if split is None:
            continue
        below, above = split
        out.append((below, block.bottom, starts.top if starts is not None else None, starts))
        rest, starts = above, block
    out.append((rest, None, starts.top if starts is not None else None, starts))
    return out


def _resent_here(hops: tuple[HopView, ...], resend: Resend) -> bool:
    """The whole trace is the resend: every ``Received:`` line is above the block and the first sender-side
    relay is in the resending user's organisation (a list that re-sends a message keeps the author's MSA)."""
    if any(not h.synthetic and (h.header_index or 0) > resend.top for h in hops):
        return False
    org = org_domain(address_domain(resend.user))
    first = next((h for h in hops if not h.synthetic and h.network == 0 and h.organisation), None)
    return first is not None and same_org(first.organisation, org)


def _between(low: int | None, high: int | None) -> Callable[[int], bool]:
    def inside(index: int) -> bool:
        return (low is None or index > low) and (high is None or index < high)

    return inside


def _mark(hops: tuple[HopView, ...], borders: tuple[Border, ...]) -> tuple[HopView, ...]:
    """Network numbers, the trusted flag (at or above the recipient's border) and claims, set on ``hops``.

    When the client at the recipient's border is not the host that wrote the
    line below it (a broken link), everything below is an unverified claim,
    unless the crossing line itself is missing (the border was read from the
    receiver's stamp): the gap explains the break.

    The views are this analysis's own, not yet returned to anyone: their fields are completed in place
    (:func:`_complete`) instead of copying 25 fields per hop for four.
    """
    crossing = {b.index for b in borders}
    positions = sorted(h.position for h in hops if h.received_index in crossing)
    last = positions[-1] if positions else None
    at = next((h for h in hops if last is not None and h.position == last), None)
    # a crossing line missing from the trace (read from the receiver's stamp) explains the broken link at the
    # border: the line below is the Transmitter's, not an unverified claim
    gap = len(borders) == 1 and crossing_line_missing(borders[0], hops)
    claims = at is not None and at.link is LinkStatus.BROKEN and len(borders) == 1 and not gap
    complete = _complete
    for h in hops:
        position, synthetic = h.position, h.synthetic
        complete(h, "network", bisect_right(positions, position) if not synthetic else 0)  # crossings at or below
        complete(h, "trusted", (last is not None and position >= last) or (last is None and not synthetic))
        complete(h, "border", h.received_index in crossing)
        complete(h, "claim", claims and last is not None and position < last and not synthetic)
    return hops


#: Set one field of a view this analysis built and has not handed out yet (frozen to everyone else).
_complete = object.__setattr__


def _related_orgs(headers: Headers, authentication: Authentication) -> frozenset[str]:
    """Organisations the message itself names as its sender: From, Sender, Return-Path, DKIM ``d=``."""
    names: list[str | None] = []
    for f in (headers.from_, headers.sender):
        if f is not None and f.first is not None:
            names.append(f.first.domain)
    for rp in headers.return_path[:1]:
        if rp.first is not None:
            names.append(rp.first.domain)
    for sig in getattr(authentication, "dkim_signatures", ()) or ():
        d = getattr(sig, "domain", None)
        names.append(d if isinstance(d, str) else None)
    return frozenset(o for o in (org_domain(n) for n in names) if o)


def _status_report(headers: Headers, message: Message) -> str | None:
    """Evidence that the message is a delivery status notification or other report (RFC 3464, RFC 6522):
    the null envelope sender ``<>`` (RFC 5321 section 4.5.5) and a ``multipart/report`` body."""
    rp = headers.return_path[0].first if headers.return_path else None
    if rp is None or not getattr(rp, "null", False):
        return None
    ctype = message.get("Content-Type")
    value = ctype.value[:200].lower() if ctype is not None else ""
    if "multipart/report" not in value:
        return None
    return "null envelope sender <> and a multipart/report body: a report written by the reporting MTA"


def _with_roles(hops: tuple[HopView, ...], actors: tuple[Actor, ...]) -> None:
    """Each hop's roles, from the actors that wrote it, set on ``hops`` (:func:`_complete`)."""
    by_hop: dict[int, tuple[Role, ...]] = {}
    for a in actors:
        names = a.role_names
        for i in a.hops:
            by_hop[i] = tuple(dict.fromkeys((*by_hop.get(i, ()), *names)))
    complete = _complete
    for h in hops:
        complete(h, "roles", by_hop.get(h.received_index, ()) if h.received_index is not None else (Role.AUTHOR,))
        complete(h, "facts", None)  # the path is complete: the facts stay with this analysis
