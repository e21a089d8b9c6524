"""The border: where the message crossed into the recipient's network, and every earlier crossing.

Decided from the strongest evidence available, and the method recorded
(``docs/concepts.md``, "Where the trust boundary lies"):

1. configuration (:mod:`mailtrace.trace.configured`): ``trusted_networks`` (walk
   down from the top while the client IP is trusted, as SpamAssassin's
   ``trusted_networks``), ``internal_domains``, ``trusted_authserv_ids``, or
   ``trust_nothing``; a setting that matches nothing in the message is the
   defect ``policy.unmatched`` and decides nothing;
2. the receiver's own stamps: a ``Received-SPF`` or ``Authentication-Results``
   written above the topmost crossing whose client IP names a hop; or, when no
   ``Received:`` line shows the stamped public IP at all, a stamp written by a
   host of the trace (its authserv-id or ``receiver=`` is, or shares the
   organisational domain of, a ``by`` host at or above the crossing): the
   receiver saw that client first-hand, and the crossing line itself is missing
   (the border's ``index`` is then the lowest line the stamping host wrote).
   A stamp by a name the trace never shows decides nothing, and neither does
   a stamp naming the client of a lower hop that is no crossing (an
   authenticated submission, the author's router) when the stamping host's
   own line records another public outside client: that is a disagreement
   (a finding), and the border stays at the writer's line;
3. heuristics: with a resolver, the recipient domain's MX hosts (the first
   hop an MX host accepted from a client that is not one); otherwise clients
   on private or loopback addresses, authenticated submissions and clients in
   the organisational domain of the receiving host are inside, and the first
   client (reading top-down) that is none of these is the crossing.
   Organisations compare through the provider table
   (:mod:`mailtrace.trace.providers`): a hop inside the recipient's provider is
   no crossing, but one tenant's outbound host handing the message to another
   tenant's front door is. A hop into a ``Policy.submission_networks`` server is
   the author's submission, never a crossing.

Earlier crossings (forwarders, mailing lists) are the sender-side hops that a
receiver stamped, or where the chain continues into the next network (the
next crossing's client is in the organisation that received this one) and
forwarding evidence names that organisation. When the client at the
recipient's border is not the host that wrote the line below, the lines
below are unverified claims and no earlier crossing is read from them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from mailtrace.defects import Defect
from mailtrace.model.received import Received
from mailtrace.policy import Policy
from mailtrace.trace.configured import configured_border
from mailtrace.trace.facts import client_text, facts_of
from mailtrace.trace.hosts import (
    clean_host,
    ip_text,
    is_internal_ip,
    is_public_ip,
    same_ip,
    same_org,
)
from mailtrace.trace.model import NON_NETWORK, Border, BorderMethod, Evidence, HopKind, HopView, LinkStatus, Stamp
from mailtrace.trace.providers import is_entry, provider_of, tenant_crossing
from mailtrace.trace.stamps import stamp_writer


def _network(h: HopView) -> bool:
    return not h.synthetic and h.kind not in NON_NETWORK and h.received_index is not None


def client_inside(
    h: HopView, below: HopView | None, received: Sequence[Received], submissions: frozenset[int] = frozenset()
) -> str | None:
    """Why the client of ``h`` is inside the receiving organisation, or ``None`` when it is outside.

    A HELO claim alone is accepted only when the hop below was written by a
    host of the same organisation (a forger can HELO as anyone). ``submissions``:
    ``received[]`` indices of hops into a configured submission server
    (``Policy.submission_networks``). A hop from a provider's outbound host into
    its tenant front door (:func:`~mailtrace.trace.providers.tenant_crossing`:
    ``*.outbound.protection.outlook.com`` into ``*.mail.protection.outlook.com``)
    crosses from one tenant into another: its client is not inside by name.
    """
    if not h.from_ip and not h.from_host:
        return "the hop names no client"
    if h.authenticated:
        return "authenticated submission: the client is a user of the receiving host"
    fx = facts_of(h, received)
    client = fx.client
    if client is not None and client.internal:
        return f"client {h.from_ip} is a private or loopback address"
    if client is not None and client.text == fx.by_address:
        return "client and receiving host are the same address"
    if h.received_index in submissions:
        return f"{h.by_host or h.by_ip or 'the receiving host'} is in submission_networks: the client is its user"
    if fx.front_door:
        return None
    org = h.organisation
    if org is None:
        return None
    rdns_org = fx.rdns_org() if h.received_index is not None and h.received_index < len(received) else None
    if same_org(rdns_org, org):
        return f"client's reverse DNS is in {rdns_org}, the receiving host's organisation"
    if same_org(h.from_organisation, org) and below is not None and same_org(below.organisation, org):
        return f"client {h.from_host} and the hop below it are in {org}, the receiving host's organisation"
    return None


def _border(h: HopView, method: BorderMethod, evidence: Sequence[Evidence], *, recipient: bool = False) -> Border:
    return Border.at(h, method, tuple(evidence), recipient=recipient)


def _ev(text: str, h: HopView) -> Evidence:
    return Evidence(text=text, header="Received", header_index=h.header_index, hop=h.received_index)


def _judge(
    net: list[HopView], hops: Sequence[HopView], received: Sequence[Received], submissions: frozenset[int]
) -> Callable[[HopView, int], str | None]:
    """``inside(hop, i)``: :func:`client_inside` for ``net[i]``, with the hop below it and the submissions.

    The hop below is the next network hop; for the lowest one, the line just below it whatever its kind (a
    provider's own MAPI or local line written by a host of the same organisation). Each hop's answer is kept:
    the topmost crossing, the border's note, a stamp's writer and the earlier crossings ask the same hops.
    """
    by_index = {h.received_index: h for h in hops if h.received_index is not None and not h.synthetic}
    known: dict[int, str | None] = {}  # net index -> the answer for net[index]

    def inside(h: HopView, i: int) -> str | None:
        mine = 0 <= i < len(net) and net[i] is h
        if mine and i in known:
            return known[i]
        below = net[i + 1] if i + 1 < len(net) else by_index.get((h.received_index or 0) + 1)
        found = client_inside(h, below, received, submissions)
        if mine:
            known[i] = found
        return found

    return inside


def _submissions(net: list[HopView], policy: Policy) -> frozenset[int]:
    """``received[]`` indices of hops into a server in ``Policy.submission_networks``: its address is the hop's
    ``by`` IP, or the client IP of the hop above it (the server handing the message on)."""
    if not policy.msa_networks:
        return frozenset()
    out: set[int] = set()
    for i, h in enumerate(net):
        above = net[i - 1] if i > 0 else None
        if policy.is_submission_ip(h.by_ip) or (above is not None and policy.is_submission_ip(above.from_ip)):
            out.add(h.received_index or 0)
    return frozenset(out)


def _topmost_crossing(net: list[HopView], inside: Callable[[HopView, int], str | None]) -> int | None:
    for i, h in enumerate(net):
        if inside(h, i) is None:
            return i
    return None


def stamp_hops(net: list[HopView], stamps: Sequence[Stamp], hops: Sequence[HopView] | None = None) -> dict[int, int]:
    """For each stamp (by position in ``stamps``), the ``net`` index of the hop whose client it names.

    Receivers write their stamp just above their own ``Received:`` line
    (Postfix, Exim milters) or just below it (Gmail), so the nearest hop with
    the stamped IP wins; ties go to the hop below. Private and loopback IPs
    are ignored (a stamp about an internal hand-off says nothing of the border),
    and so is a stamp whose named writer is no host of the trace (``hops``,
    default ``net``; see :func:`~mailtrace.trace.stamps.stamp_writer`): an
    unnamed writer (Microsoft 365 omits the authserv-id) is tied by its IP alone.
    """
    out: dict[int, int] = {}
    clients: list[str | None] | None = None  # each hop's canonical client address, once some stamp asks
    for k, s in enumerate(stamps):
        if is_internal_ip(s.ip):
            continue
        if s.authserv_id and stamp_writer(s, net if hops is None else hops) is None:
            continue
        if clients is None:
            clients = [client_text(h) for h in net]
        stamped = ip_text(s.ip)  # ``same_ip(h.from_ip, s.ip)``: the canonical texts are equal
        best: tuple[int, int, int] | None = None
        for i, h in enumerate(net):
            if stamped is None or clients[i] != stamped:
                continue
            dist = (h.header_index or 0) - s.header_index
            key = (abs(dist), 0 if dist > 0 else 1, i)
            if best is None or key < best:
                best = key
        if best is not None:
            out[k] = best[2]
    return out


def _stamp_for(
    net: list[HopView],
    stamps: Sequence[Stamp],
    top: int | None,
    hops: Sequence[HopView],
    inside: Callable[[HopView, int], str | None],
    owners: dict[int, int],
) -> tuple[int, Stamp] | None:
    """The topmost stamp written by the final receiver: its hop is at or above the topmost crossing ``top``.

    ``owners``: :func:`stamp_hops` of ``net``. A stamp that contradicts its writer's own crossing line
    (:func:`_contradicts_writer`) is passed over.
    """
    for k, s in enumerate(stamps):
        i = owners.get(k)
        if i is None or _contradicts_writer(net, i, s, hops, inside):
            continue
        if top is None or i <= top or s.header_index < (net[top].header_index or 0):
            return i, s
    return None


def _contradicts_writer(
    net: list[HopView], i: int, s: Stamp, hops: Sequence[HopView], inside: Callable[[HopView, int], str | None]
) -> bool:
    """Does stamp ``s`` name the client of a lower hop ``net[i]`` that is no crossing, while the line its writer
    wrote records another public client from outside the writer's organisation?

    The stamping host saw one connection. When the lowest ``Received:`` line written by that very host
    (RFC 5321 section 4.4) records a public outside client, and the hop whose client the stamp names is no
    crossing itself (an authenticated submission, RFC 4954 / RFC 3848, or a client inside its receiver's
    organisation: the author's router, a sender-side relay), the stamp cannot move the border below the
    writer's line: the crossing line and the stamp disagree, and the disagreement is a finding
    (``trace.border_stamp_disagreement``), not a border. A stamp naming a crossing below a filtering service
    (the writer's client is the filter) still places the border there.
    """
    w = stamp_writer(s, hops)
    if w is None or w.received_index is None or clean_host(w.by_host) != clean_host(s.authserv_id):
        return False
    h = net[i]
    if h.received_index is None or h.received_index <= w.received_index:
        return False
    if not is_public_ip(w.from_ip) or same_ip(w.from_ip, s.ip) or w.authenticated:
        return False
    if same_org(w.from_organisation, w.organisation):
        return False
    return inside(h, i) is not None


def _unshown_stamp(
    net: list[HopView],
    hops: Sequence[HopView],
    stamps: Sequence[Stamp],
    received: Sequence[Received],
    top: int | None,
) -> Border | None:
    """A crossing whose line is missing: the topmost stamp, by a host of the trace, of a public client IP that
    no ``Received:`` line shows.

    The stamping host's lowest line must be at or above where the crossing must be: above the topmost crossing
    the trace shows (when the trace shows one at or above that line, the trace decides and the disagreement is
    a finding). The border's ``index`` is that lowest line; its ``ip`` is the stamped client. One exception:
    when the trace's topmost crossing is that very line and it records no client IP (only a name), the stamp
    supplies the IP the line omits, and the line stays the crossing.
    """
    for s in stamps:
        if not is_public_ip(s.ip) or any(same_ip(r.from_.ip, s.ip) for r in received):
            continue
        w = stamp_writer(s, hops)
        if w is None or w.received_index is None:
            continue
        method = BorderMethod.RECEIVED_SPF if s.header == "Received-SPF" else BorderMethod.AUTHENTICATION_RESULTS
        if top is not None and (net[top].received_index or 0) <= w.received_index:
            h = net[top]
            if h.received_index != w.received_index or h.from_ip is not None:
                continue  # the trace shows the crossing: it decides, and a differing stamp is a finding
            if not _adjacent(s, h, hops):
                continue  # below the next line down: sender-side text, not the receiver's stamp
            # the stamping host wrote the crossing line but recorded no client IP: its stamp supplies it
            ev = Evidence(
                text=f"{s.header} by {s.authserv_id}, which wrote this crossing line without a client IP, "
                f"names client IP {s.ip}",
                header=s.header,
                header_index=s.header_index,
                hop=h.received_index,
            )
            return replace(_border(h, method, [ev, _ev("the crossing line", h)], recipient=True), ip=s.ip)
        ev = Evidence(
            text=(
                f"{s.header} by {s.authserv_id}, a host of this trace, names client IP {s.ip}, which no Received "
                f"line shows: the line recording that crossing is missing; received[{w.received_index}] is the "
                f"lowest line {w.by_host or s.authserv_id} wrote"
            ),
            header=s.header,
            header_index=s.header_index,
            hop=w.received_index,
        )
        return Border(
            index=w.received_index,
            ip=s.ip,
            receiver=s.authserv_id,
            client=None,
            method=method,
            evidence=(ev, _ev("the lowest line written by the stamping host", w)),
            header_index=w.header_index,
            timestamp=w.timestamp,
            recipient=True,
        )
    return None


def _adjacent(s: Stamp, h: HopView, hops: Sequence[HopView]) -> bool:
    """Is stamp ``s`` above line ``h``, or between ``h`` and the next ``Received:`` line below it?"""
    at = h.header_index if h.header_index is not None else -1
    if s.header_index < at:
        return True
    nxt = min((x.header_index for x in hops if x.header_index is not None and x.header_index > at), default=None)
    return nxt is None or s.header_index < nxt


def crossing_line_missing(border: Border, hops: Sequence[HopView]) -> bool:
    """Was ``border`` read from a receiver's stamp whose client no ``Received:`` line shows?"""
    if border.method not in (BorderMethod.RECEIVED_SPF, BorderMethod.AUTHENTICATION_RESULTS):
        return False
    at = next((h for h in hops if h.received_index == border.index), None)
    if at is not None and at.kind not in NON_NETWORK and at.from_ip is None and (at.from_host or at.helo):
        return False  # the crossing line is there; it only lacks the client IP, which the stamp supplies
    stamped = ip_text(border.ip)  # ``same_ip(h.from_ip, border.ip)``: the canonical texts are equal
    return stamped is None or not any(client_text(h) == stamped for h in hops if not h.synthetic)


def mx_hosts(policy: Policy, domain: str | None) -> tuple[frozenset[str], str | None]:
    """The MX host names of the recipient ``domain`` (RFC 5321 section 5.1) through ``policy.resolver``.

    One lookup; a DNS failure (or a replay or strict zone that lacks the
    question) is a note, never an exception.
    """
    resolver = policy.resolver
    if resolver is None or not domain:
        return frozenset(), None
    resolve = getattr(resolver, "resolve", None)
    if not callable(resolve):
        return frozenset(), None
    try:
        answer = resolve(domain, "MX")
    except Exception as exc:  # DNS trouble is data here, not an error of the analysis
        return frozenset(), f"MX lookup for {domain} failed: {type(exc).__name__}"
    hosts = set()
    for record in getattr(answer, "records", ()) or ():
        parts = str(record).split()
        host = clean_host(parts[-1]) if parts else None
        if host:
            hosts.add(host)
    if not hosts:
        return frozenset(), f"no MX hosts for {domain} ({getattr(getattr(answer, 'status', None), 'value', '?')})"
    return frozenset(hosts), None


def _by_mx(net: list[HopView], mx: frozenset[str], top: int | None) -> Border | None:
    """The first hop (top-down, at or below the topmost crossing) that an MX host accepted from a non-MX client.

    An authenticated hop (RFC 3848 ``ESMTPSA``, ``Authenticated sender``) is skipped: the organisation's
    MSA is often its MX too, and a user submitting from home shows an account there, not a crossing.
    """
    for i, h in enumerate(net):
        if top is not None and i < top:
            continue
        if h.authenticated:
            continue  # an authenticated client is an account of the MX's organisation, not a crossing
        if h.by_host in mx and (h.from_host not in mx) and not is_internal_ip(h.from_ip):
            text = f"{h.by_host} is an MX host of the recipient domain; its client {h.from_host or h.from_ip} is not"
            return _border(h, BorderMethod.MX_HOSTS, [_ev(text, h)], recipient=True)
    return None


def _stamp_border(h: HopView, s: Stamp, *, recipient: bool) -> Border:
    method = BorderMethod.RECEIVED_SPF if s.header == "Received-SPF" else BorderMethod.AUTHENTICATION_RESULTS
    who = f" by {s.authserv_id}" if s.authserv_id else ""
    ev = Evidence(
        text=f"{s.header}{who} names client IP {s.ip}, the client of this hop",
        header=s.header,
        header_index=s.header_index,
        hop=h.received_index,
    )
    return _border(h, method, [ev, _ev("the crossing line", h)], recipient=recipient)


def find_borders(
    hops: Sequence[HopView],
    received: Sequence[Received],
    stamps: Sequence[Stamp],
    authserv: Sequence[tuple[int, str | None]],
    policy: Policy,
    forwarders: frozenset[str] = frozenset(),
    recipient_domain: str | None = None,
) -> tuple[tuple[Border, ...], tuple[str, ...], tuple[Defect, ...]]:
    """Every crossing in time order (the last is the recipient's), notes on how they were found, and the
    defects of the configuration (``policy.unmatched``: a setting that matches nothing in the message).

    ``forwarders`` are organisational domains that forwarding evidence names
    (list, SRS, ARC, several deliveries); an earlier crossing found by chain
    continuity alone must be into one of them.
    """
    net = sorted((h for h in hops if _network(h)), key=lambda h: h.received_index or 0)  # top-down
    notes: list[str] = []
    submissions = _submissions(net, policy)
    inside = _judge(net, hops, received, submissions)
    config = configured_border(net, stamps, authserv, policy, inside)
    if not net:
        return (), ("no network hop: no border can be placed",), config.defects
    border = config.border
    if border is None and config.applied:
        notes.append("every client is inside the configured trusted networks or internal domains")
        return (), tuple(notes), config.defects
    top = _topmost_crossing(net, inside)
    owners = stamp_hops(net, stamps, hops)  # computed once: the border and the earlier crossings ask
    if border is None:
        found = _stamp_for(net, stamps, top, hops, inside, owners)
        unshown = _unshown_stamp(net, hops, stamps, received, top) if found is None else None
        mx, mx_note = mx_hosts(policy, recipient_domain) if found is None and unshown is None else (frozenset(), None)
        if mx_note:
            notes.append(mx_note)
        by_mx = _by_mx(net, mx, top) if mx else None
        if found is not None:
            border = _stamp_border(net[found[0]], found[1], recipient=True)
        elif unshown is not None:
            border = unshown
            notes.append(
                f"the receiver {unshown.receiver} stamped client {unshown.ip}, which no Received line shows: "
                "the crossing line is missing from the trace"
            )
        elif by_mx is not None:
            border = by_mx
        elif top is not None:
            h = net[top]
            skipped = [f"received[{x.received_index}]: {inside(x, j)}" for j, x in enumerate(net[:top])]
            text = f"first client outside the receiving organisation {h.organisation or h.by_host or '?'}"
            if skipped:
                text += " (inside: " + "; ".join(skipped) + ")"
            border = _border(h, BorderMethod.ORGANISATION, [_ev(text, h)], recipient=True)
    if border is None:
        notes.append("no crossing: every client is inside the receiving organisation")
        return (), tuple(notes), config.defects
    real = [h for h in hops if not h.synthetic]
    submission_last = bool(real) and real[0] is net[-1]
    at = next((h for h in net if h.received_index == border.index), None)
    if at is not None and at.link is LinkStatus.BROKEN:
        if crossing_line_missing(border, hops):
            notes.append(
                f"the client at the border line ({at.from_host or at.from_ip or '?'}) is the receiver's own host: "
                "the missing crossing line explains the break with the line below, which stays the sender's"
            )
        else:
            notes.append(
                f"the client at the border ({at.from_host or at.from_ip or '?'}) is not the host that wrote the line "
                "below it: the lines below the border are unverified claims"
            )
        return (border,), tuple(notes), config.defects
    earlier = _earlier_crossings(net, border, inside, stamps, owners, submission_last, forwarders, submissions)
    return (*earlier, border), tuple(notes), config.defects


def _earlier_crossings(
    net: list[HopView],
    border: Border,
    inside: Callable[[HopView, int], str | None],
    stamps: Sequence[Stamp],
    owners: dict[int, int],
    submission_last: bool,
    forwarders: frozenset[str],
    submissions: frozenset[int] = frozenset(),
) -> list[Border]:
    """Crossings below ``border``, oldest first: stamped by their receiver, or continued by the chain.

    The earliest hop of all, when it is a network hop, is the author's
    submission: a crossing there needs a receiver's stamp, or forwarding
    evidence naming its receiver. An authenticated or HTTP hop is never a
    crossing, and neither is a hop into a configured submission server, nor,
    without forwarding evidence beyond the provider's own, the entry into the
    tenant that then hands the message to another tenant of the same provider
    (:func:`_into_sending_tenant`).
    """
    up = next((i for i, h in enumerate(net) if h.received_index == border.index), None)
    if up is None:
        return []
    out: list[Border] = []
    stamped_hop = {i: stamps[k] for k, i in sorted(owners.items(), reverse=True)}
    for i in range(up + 1, len(net)):
        h, upper = net[i], net[up]
        if h.authenticated or h.kind is HopKind.HTTP or h.received_index in submissions:
            continue
        if _into_sending_tenant(h, upper, forwarders):
            continue
        stamp = stamped_hop.get(i)
        if stamp is not None:
            out.append(_stamp_border(h, stamp, recipient=False))
            up = i
            continue
        org = h.organisation
        if org is None or inside(h, i) is not None:
            continue
        named = next((d for d in forwarders if same_org(d, org)), None)
        # the earliest hop is the author's submission unless forwarding evidence names its receiver (a list
        # server is nobody's MSA)
        if i == len(net) - 1 and submission_last and named is None:
            continue
        if (
            named is not None
            and same_org(upper.from_organisation, org)
            and all(x.organisation is None or same_org(x.organisation, org) for x in net[up + 1 : i])
        ):
            text = (
                f"{h.by_host} ({org}) received from outside, the next crossing's client "
                f"{upper.from_host} is in {org}, and forwarding evidence names {named}"
            )
            out.append(_border(h, BorderMethod.CONTINUITY, [_ev(text, h)]))
            up = i
    out.reverse()
    return out


def _into_sending_tenant(h: HopView, upper: HopView, forwarders: frozenset[str]) -> bool:
    """``h`` entered a provider's tenant through its front door, and the next crossing ``upper`` leaves that
    tenant for another tenant of the same provider: when no forwarding evidence names anyone but the provider
    itself (its own ARC seals), the first tenant is the author's own platform (scenario 23: a VPS injecting
    into an abused ``*.onmicrosoft.com`` tenant), and ``h`` is the author's submission into it, not a crossing.
    A tenant forwarding a message on (an SRS envelope at the tenant's domain, a list) keeps the crossing."""
    provider = h.facts.provider if h.facts is not None else provider_of(h.by_host)
    if provider is None or not is_entry(provider, h.by_host):
        return False
    up = upper.facts
    if (up.provider if up is not None else provider_of(upper.by_host)) is not provider:
        return False
    if any(provider_of(d) is not provider for d in forwarders):
        return False
    return up.front_door if up is not None else tenant_crossing(upper.by_host, upper.from_host, upper.helo)


__all__ = ["client_inside", "crossing_line_missing", "find_borders"]
