"""Actors and their roles, with the evidence for each assignment.

The hops are cut into networks at the border crossings (network 0 is the
sender's, the last is the recipient's). Each network's relays are grouped by
organisational domain into actors (``docs/concepts.md``):

* network 0: the Author (``From:``, client headers, the first client address),
  the MSA (authenticated submission, ``with HTTP``, a client on a private or
  loopback address, or simply the first relay) and the Transmitter (the relay
  that handed the message across the first border). One organisation playing
  both is ``MSA/Transmitter``;
* intermediate networks: ``Receiver/Forwarder`` (SRS, lists, ARC, ``Resent-*``);
* the last network: ``Receiver/MDA`` (LMTP, local delivery, ``Delivered-To``),
  then the Recipient (``Delivered-To``, ``X-Original-To``, ``for``, ``To:``).

With no crossing at all (internal mail) one actor plays every agent role.
"""

from __future__ import annotations

from collections.abc import Sequence

from mailtrace.model.headers import Headers
from mailtrace.model.received import Received
from mailtrace.trace.border import crossing_line_missing
from mailtrace.trace.facts import facts_of
from mailtrace.trace.forwarding import ForwardingSignals
from mailtrace.trace.hosts import is_internal_ip, same_org
from mailtrace.trace.model import Actor, Border, Evidence, HopKind, HopView, Role, RoleAssignment


def _ev(text: str, h: HopView) -> Evidence:
    return Evidence(text=text, header=h.source, header_index=h.header_index, hop=h.received_index)


def _msa_evidence(hops: Sequence[HopView], received: Sequence[Received]) -> list[Evidence]:
    out: list[Evidence] = []
    for h in hops:
        if h.synthetic:
            out.append(_ev(f"webmail client address {h.from_ip} from {h.source}", h))
        elif h.authenticated:
            out.append(_ev(f"authenticated submission (with {h.with_ or '?'})", h))
        elif h.kind is HopKind.HTTP:
            out.append(_ev(f"webmail or API submission (with {h.with_ or 'HTTP'})", h))
        elif h.kind is HopKind.LOCAL:
            out.append(_ev("local submission on the MSA host", h))
        elif h.received_index is not None and h.received_index < len(received):
            r = received[h.received_index]
            if r.from_.port in (587, 465):
                out.append(_ev(f"submission port {r.from_.port}", h))
    if not out:
        first = next((h for h in hops if not h.synthetic), None)
        if first is not None:
            if is_internal_ip(first.from_ip):
                out.append(_ev(f"the author's client {first.from_ip} sits on the MSA's local network", first))
            elif not first.from_host and not first.from_ip:
                out.append(_ev(f"the message enters the trace at {first.by_host or '?'} (no client named)", first))
            elif first.organisation and same_org(_rdns_org(first, received), first.organisation):
                out.append(
                    _ev(f"the author's client {first.from_ip} is in the MSA's organisation (reverse DNS)", first)
                )
            else:
                out.append(_ev(WEAK_MSA, first))
    return out


def _rdns_org(h: HopView, received: Sequence[Received]) -> str | None:
    """The organisation of the client's reverse DNS name (what the receiving host looked up, not the HELO)."""
    if h.received_index is None or h.received_index >= len(received) or not h.from_ip:
        return None
    return facts_of(h, received).rdns_org()


#: The only "MSA" evidence when the first relay accepted the author's client with no sign of a relationship
#: (no authentication, not the local network, not port 587/465): that relay is a Transmitter, not an MSA.
WEAK_MSA = "first relay after the author's client (no authentication shown)"


def _strong(evidence: Sequence[Evidence]) -> bool:
    """Does the MSA evidence show a relationship with the author (RFC 6409: an MSA authenticates its users)?"""
    return any(e.text != WEAK_MSA for e in evidence)


def local_pickup(h: HopView | None, received: Sequence[Received]) -> bool:
    """A local pickup: a ``Received:`` line with no client at all written by the MSA host for one of its
    own users (Postfix ``(Postfix, from userid 1000)``, qmail ``invoked by uid``, sendmail ``id ...``
    with no ``from``)."""
    if h is None or h.synthetic or h.kind is not HopKind.LOCAL or h.from_host or h.from_ip:
        return False
    r = received[h.received_index] if h.received_index is not None and h.received_index < len(received) else None
    raw = (r.raw[:2048] if r is not None else "").lower()
    return "from network" not in raw


def _author(headers: Headers, hops: Sequence[HopView]) -> Actor:
    ev: list[Evidence] = []
    name = "Author"
    if headers.from_ is not None and headers.from_.first is not None:
        name = headers.from_.first.address or name
        ev.append(Evidence(text=f"From: {headers.from_.value[:120]}", header="From", header_index=headers.from_.index))
    for f in (headers.x_mailer, headers.user_agent):
        if f is not None:
            ev.append(Evidence(text=f"mail client {f.value[:80]}", header=f.name, header_index=f.index))
    for h in hops:
        if h.synthetic:
            ev.append(_ev(f"client address {h.from_ip} from {h.source}", h))
    if headers.message_id is not None:
        ev.append(
            Evidence(
                text="Message-ID written by the author's client or MSA",
                header="Message-ID",
                header_index=headers.message_id.index,
            )
        )
    return Actor(name=name, roles=(RoleAssignment(role=Role.AUTHOR, evidence=tuple(ev)),), network=0)


def _recipient(headers: Headers, received: Sequence[Received], network: int, limit: int | None = None) -> Actor:
    """The Recipient, from the delivery fields written by the recipient's side (above header position ``limit``)."""
    ev: list[Evidence] = []
    name: str | None = None
    for f in (*headers.delivered_to, *headers.x_original_to):
        if limit is not None and f.index > limit:
            continue  # written by an earlier receiver (a list or a forwarder), not the recipient's
        ev.append(Evidence(text=f"{f.name}: {f.value.strip()[:120]}", header=f.name, header_index=f.index))
        if name is None and f.first is not None:
            name = f.first.address
    for r in received:
        if r.for_ and (limit is None or r.header_index <= limit):
            ev.append(Evidence(text=f"for <{r.for_}>", header="Received", header_index=r.header_index, hop=r.index))
            name = name or r.for_
            break
    if headers.to is not None:
        ev.append(Evidence(text=f"To: {headers.to.value[:120]}", header="To", header_index=headers.to.index))
        if name is None and headers.to.first is not None:
            name = headers.to.first.address
    return Actor(
        name=name or "Recipient", roles=(RoleAssignment(role=Role.RECIPIENT, evidence=tuple(ev)),), network=network
    )


def _mda_evidence(hops: Sequence[HopView], headers: Headers) -> list[Evidence]:
    out: list[Evidence] = []
    for h in hops:
        if h.kind is HopKind.LMTP:
            out.append(_ev("delivery into the mailstore over LMTP", h))
        elif h.kind is HopKind.LOCAL:
            out.append(_ev("local delivery", h))
        elif h.kind is HopKind.FETCH:
            out.append(_ev(f"retrieved by the recipient (with {h.with_ or 'POP/IMAP'}): not a new crossing", h))
    for f in headers.delivered_to:
        out.append(
            Evidence(
                text=f"Delivered-To written at delivery: {f.value.strip()[:120]}", header=f.name, header_index=f.index
            )
        )
        break
    if not out and hops:
        top = hops[-1]
        out.append(_ev("topmost hop: the last relay before the mailbox", top))
    return out


def assign_actors(
    hops: Sequence[HopView],
    borders: Sequence[Border],
    headers: Headers,
    received: Sequence[Received],
    signals: ForwardingSignals,
    related: frozenset[str] = frozenset(),
    *,
    report: str | None = None,
) -> tuple[Actor, ...]:
    """The actors in path order: Author, sender agents, forwarders, the recipient's agents, Recipient.

    ``related`` are the organisations the message names as its sender (From,
    Return-Path, DKIM ``d=``): a third organisation that relayed without
    authentication and is not among them is an open relay. ``report`` is the
    evidence that the message is a delivery status notification (null envelope
    sender, ``multipart/report``, RFC 3464): its Author is the reporting MTA.
    """
    actors = _assign(hops, borders, headers, received, signals, related)
    if report is None or not actors:
        return actors
    first = actors[0]
    net0 = [h for h in hops if not h.synthetic and not h.claim and h.network == 0]
    mta = net0[0].by_host if net0 and net0[0].by_host else (borders[0].client if borders else None)
    roles = tuple(
        RoleAssignment(role=r.role, evidence=(Evidence(text=report), *r.evidence)) if r.role is Role.AUTHOR else r
        for r in first.roles
    )
    renamed = Actor(
        name=mta or first.name, roles=roles, network=first.network, hops=first.hops, relationship=first.relationship
    )
    return (renamed, *actors[1:])


def _assign(
    hops: Sequence[HopView],
    borders: Sequence[Border],
    headers: Headers,
    received: Sequence[Received],
    signals: ForwardingSignals,
    related: frozenset[str],
) -> tuple[Actor, ...]:
    last = len(borders)
    by_net: dict[int, list[HopView]] = {}
    for h in hops:
        if not h.synthetic and not h.claim:
            by_net.setdefault(h.network, []).append(h)
    actors: list[Actor] = [_author(headers, hops)]
    if not borders:
        all_hops = [h for h in hops if not h.synthetic]
        if not all_hops:
            actors.append(_recipient(headers, received, 0))
            return tuple(actors)
        names = sorted({h.organisation for h in all_hops if h.organisation})
        roles = (
            RoleAssignment(role=Role.MSA, evidence=tuple(_msa_evidence(hops, received))),
            RoleAssignment(
                role=Role.TRANSMITTER, evidence=(_ev("no border crossed: the same organisation relays", all_hops[0]),)
            ),
            RoleAssignment(role=Role.RECEIVER, evidence=(_ev("internal hand-off, no crossing", all_hops[-1]),)),
            RoleAssignment(role=Role.MDA, evidence=tuple(_mda_evidence(all_hops, headers))),
        )
        actors.append(Actor(name=names[0] if names else "internal", roles=roles, network=0, hops=_idx(all_hops)))
        actors.append(_recipient(headers, received, 0))
        return tuple(actors)
    # a list or forwarder explains a third organisation on the sender side: no open-relay reading then
    net0 = by_net.get(0, [])
    senders = _sender_agents(net0, borders[0], hops, received, frozenset() if signals.any else related)
    author = actors[0]
    if len(senders) == 1 and senders[0].role_names == (Role.TRANSMITTER,) and not senders[0].hops:
        # no sender-side hop: the author's own machine handed the message across the border
        actors[0] = Actor(name=author.name, roles=(*author.roles, *senders[0].roles), network=0)
    elif net0 and local_pickup(net0[0], received) and Role.OPEN_RELAY not in senders[0].role_names:
        # the author is a local user of the MSA host (no client in the first line): one actor
        first = senders[0]
        actors[0] = Actor(name=author.name, roles=(*author.roles, *first.roles), network=0, hops=first.hops)
        actors.extend(senders[1:])
    else:
        actors.extend(senders)
    for n in range(1, last + 1):
        net_hops = by_net.get(n, [])
        crossing = borders[n - 1]
        org = next((h.organisation for h in net_hops if h.organisation), None)
        name = org or crossing.receiver or f"network {n}"
        recv = RoleAssignment(
            role=Role.RECEIVER,
            evidence=(
                Evidence(
                    text=f"accepted the message from {crossing.client or crossing.ip or '?'} at the border "
                    f"({crossing.method.value})",
                    header="Received",
                    header_index=crossing.header_index,
                    hop=crossing.index,
                ),
            ),
        )
        if n < last:
            nxt = borders[n]
            fwd_ev = [
                Evidence(
                    text=f"passed the message on to {nxt.receiver or '?'} across another border",
                    header="Received",
                    header_index=nxt.header_index,
                    hop=nxt.index,
                )
            ]
            fwd_ev.extend(e for e in signals.all() if _names(e, org))
            actors.append(
                Actor(
                    name=name,
                    roles=(recv, RoleAssignment(role=Role.FORWARDER, evidence=tuple(fwd_ev))),
                    network=n,
                    hops=_idx(net_hops),
                )
            )
        else:
            cut = _mailbox_handover(net_hops)
            if cut is None:
                mda = RoleAssignment(role=Role.MDA, evidence=tuple(_mda_evidence(net_hops, headers)))
                actors.append(Actor(name=name, roles=(recv, mda), network=n, hops=_idx(net_hops)))
            else:
                gateway, mailbox = net_hops[:cut], net_hops[cut:]
                handover = mailbox[0]
                mda = RoleAssignment(role=Role.MDA, evidence=tuple(_mda_evidence(mailbox, headers)))
                relation = _ev(
                    f"{handover.from_host or handover.from_ip or '?'} ({handover.from_organisation or '?'}) relayed "
                    f"to {handover.by_host or '?'} ({handover.organisation}) with authentication "
                    f"(with {handover.with_ or '?'}): a filtering gateway in front of a separate mailbox provider",
                    handover,
                )
                actors.append(Actor(name=name, roles=(recv,), network=n, hops=_idx(gateway)))
                actors.append(
                    Actor(
                        name=handover.organisation or "mailbox",
                        roles=(mda,),
                        network=n,
                        hops=_idx(mailbox),
                        relationship=relation,
                    )
                )
    actors.append(_recipient(headers, received, last, borders[-1].header_index))
    return tuple(actors)


def _mailbox_handover(net_hops: Sequence[HopView]) -> int | None:
    """Where the recipient's gateway hands the message to a separate mailbox provider, or ``None``.

    The hand-over is an authenticated relay (RFC 3848 ``ESMTPA``/``ESMTPSA``) from a host of the
    organisation that received the message at the border into another organisation: a contract
    between the two (``Receiver ==> MDA``), not a crossing and not the same actor.
    """
    gateway = next((h.organisation for h in net_hops if h.organisation), None)
    if gateway is None:
        return None
    for k, h in enumerate(net_hops):
        if k == 0 or not h.authenticated or h.organisation is None or same_org(h.organisation, gateway):
            continue
        if h.from_organisation is not None and same_org(h.from_organisation, gateway):
            return k
    return None


def _names(e: Evidence, org: str | None) -> bool:
    """Does forwarding evidence name the organisation ``org`` (or its registrable label)?"""
    if org is None:
        return False
    text = e.text.lower()
    label = org.split(".", 1)[0]
    return org in text or (len(label) >= 4 and label in text)


def _idx(hops: Sequence[HopView]) -> tuple[int, ...]:
    return tuple(h.received_index for h in hops if h.received_index is not None)


def _sender_agents(
    net0: list[HopView],
    first: Border,
    hops: Sequence[HopView],
    received: Sequence[Received],
    related: frozenset[str] = frozenset(),
) -> list[Actor]:
    """MSA and Transmitter: one actor when one organisation plays both, else two (``MSA --> Transmitter``).

    The MSA is the organisation of the earliest sender-side hop; the
    Transmitter the organisation of the client that crossed the first border.
    """
    # with the crossing line missing, the line at ``first.index`` is the receiver's own internal line: its
    # client is a recipient-side host, not the Transmitter
    gap = crossing_line_missing(first, hops)
    client_org = next(
        (h.from_organisation for h in hops if h.received_index == first.index and h.from_organisation and not gap),
        None,
    )
    tx_ev = Evidence(
        text=f"handed the message across the border from {first.ip or '?'} ({first.client or 'no name'})",
        header="Received",
        header_index=first.header_index,
        hop=first.index,
    )
    tx = RoleAssignment(role=Role.TRANSMITTER, evidence=(tx_ev,))
    if not net0:
        name = client_org or first.ip or "Transmitter"
        return [Actor(name=name, roles=(tx,), network=0)]
    msa_ev = _msa_evidence([h for h in hops if h.synthetic] + net0, received)
    msa = RoleAssignment(role=Role.MSA, evidence=tuple(msa_ev))
    first_org = next((h.organisation for h in net0 if h.organisation), None)
    tx_org = client_org or next((h.organisation for h in reversed(net0) if h.organisation), None)
    if first_org is None or tx_org is None or same_org(first_org, tx_org):
        name = first_org or tx_org or first.ip or "sender"
        if not _strong(msa_ev):
            # accepted from the author's client without authentication: mail flow to a Transmitter, no MSA
            tx_only = RoleAssignment(role=Role.TRANSMITTER, evidence=(*msa_ev, tx_ev))
            return [Actor(name=name, roles=(tx_only,), network=0, hops=_idx(net0))]
        return [Actor(name=name, roles=(msa, tx), network=0, hops=_idx(net0))]
    # the MSA keeps the earliest run of its organisation; everything later relays towards the border
    cut = next((k for k, h in enumerate(net0) if h.organisation and not same_org(h.organisation, first_org)), len(net0))
    msa_hops, tx_hops = net0[:cut], net0[cut:]
    handoff = tx_hops[0] if tx_hops else None
    relation = None
    if handoff is not None and handoff.authenticated:
        relation = _ev(f"the MSA authenticated to the Transmitter (with {handoff.with_ or '?'})", handoff)
    elif (
        handoff is not None
        and any(same_org(first_org, o) for o in related)
        and not any(same_org(tx_org, o) for o in related)
    ):
        first_roles = (msa, tx) if _strong(msa_ev) else (RoleAssignment(role=Role.TRANSMITTER, evidence=tuple(msa_ev)),)
        relay = RoleAssignment(
            role=Role.OPEN_RELAY,
            evidence=(
                _ev(
                    f"{tx_org} relayed without authentication and is named nowhere else in the message "
                    "(not From, Return-Path or a DKIM signer)",
                    handoff,
                ),
                tx_ev,
            ),
        )
        return [
            Actor(name=first_org, roles=first_roles, network=0, hops=_idx(msa_hops)),
            Actor(name=tx_org, roles=(relay,), network=0, hops=_idx(tx_hops)),
        ]
    return [
        Actor(name=first_org, roles=(msa,), network=0, hops=_idx(msa_hops)),
        Actor(name=tx_org, roles=(tx,), network=0, hops=_idx(tx_hops), relationship=relation),
    ]
