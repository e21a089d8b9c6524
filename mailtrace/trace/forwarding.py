"""Forwarding evidence: what shows that a message was re-sent by a forwarder or a list.

* SRS envelope senders (``SRS0=``/``SRS1=`` in ``Return-Path``, the Sender Rewriting Scheme);
* mailing-list fields (RFC 2369 ``List-*``, RFC 2919 ``List-Id``, ``X-BeenThere``, ``Mailing-List``);
* ``Resent-*`` blocks (RFC 5322 section 3.6.6);
* ARC sets (RFC 8617), each sealed by an intermediary: not those the author's own network
  sealed on the way out nor those the recipient's sealed on receipt (see :func:`own_seals`);
* several distinct ``Delivered-To`` / ``X-Original-To`` addresses (one per delivery).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mailtrace.model.fields import Message
from mailtrace.model.frozen import fast_init
from mailtrace.model.headers import Headers
from mailtrace.trace.hosts import address_domain, clean_host, org_domain
from mailtrace.trace.model import ArcTie, Evidence, Path

_LIST_NAMES = ("list-id", "list-post", "x-beenthere", "mailing-list", "x-mailing-list", "list-unsubscribe")
_LIST_ID = re.compile(r"<([^<>\s]{1,253})>")
_ARC_DOMAIN = re.compile(r"(?:^|;)\s*d\s*=\s*([A-Za-z0-9._-]{1,253})")
_ARC_INSTANCE = re.compile(r"(?:^|;)\s*i\s*=\s*(\d{1,3})")


@dataclass(frozen=True, slots=True, kw_only=True)
class ForwardingSignals:
    srs: tuple[Evidence, ...] = ()
    lists: tuple[Evidence, ...] = ()
    resent: tuple[Evidence, ...] = ()
    arc: tuple[Evidence, ...] = ()
    deliveries: tuple[Evidence, ...] = ()
    domains: frozenset[str] = frozenset()  #: organisational domains of forwarders named by the evidence
    list_domains: frozenset[str] = frozenset()  #: organisational domains of ``List-Id`` / ``List-Post``
    return_path_domain: str | None = None  #: organisational domain of the topmost ``Return-Path``

    @property
    def any(self) -> bool:
        return bool(self.srs or self.lists or self.resent or self.arc or self.deliveries)

    def all(self) -> tuple[Evidence, ...]:
        return (*self.srs, *self.lists, *self.resent, *self.arc, *self.deliveries)


fast_init(ForwardingSignals)


def arc_seals(message: Message) -> tuple[tuple[int, int | None, str | None], ...]:
    """``(header_index, instance, d=)`` of every ``ARC-Seal`` field, top to bottom."""
    out: list[tuple[int, int | None, str | None]] = []
    for f in message.get_all("ARC-Seal"):
        text = f.value[:4096]
        im, dm = _ARC_INSTANCE.search(text), _ARC_DOMAIN.search(text)
        out.append((f.index, int(im.group(1)) if im else None, clean_host(dm.group(1)) if dm else None))
    return tuple(out)


#: The last ``(headers, message, own, signals)`` read: the path and the verdict ask for the same message's
#: signals, most often with the same ``own``; matched by identity, it holds one message.
_last: list[tuple[Headers, Message, frozenset[int], ForwardingSignals]] = []


def forwarding_signals(headers: Headers, message: Message, own: frozenset[int] = frozenset()) -> ForwardingSignals:
    """The forwarding evidence of one message; ``own``: header indexes of ``ARC-Seal`` fields to leave out."""
    last = _last[:1]  # one read: another thread may replace the entry meanwhile
    if last and last[0][0] is headers and last[0][1] is message and last[0][2] == own:
        return last[0][3]
    signals = _read_signals(headers, message, own)
    _last[:] = [(headers, message, own, signals)]
    return signals


def _read_signals(headers: Headers, message: Message, own: frozenset[int]) -> ForwardingSignals:
    domains: set[str] = set()
    srs: list[Evidence] = []
    for rp in headers.return_path:
        addr = rp.first
        local = (addr.local_part or "") if addr is not None else ""
        if local[:5].upper() in ("SRS0=", "SRS1=", "SRS0+", "SRS1+", "SRS0-", "SRS1-"):
            srs.append(
                Evidence(
                    text=f"SRS-rewritten envelope sender {addr.address if addr else ''}",
                    header=rp.name,
                    header_index=rp.index,
                )
            )
            dom = org_domain(addr.domain if addr else None)
            if dom:
                domains.add(dom)
    lists: list[Evidence] = []
    list_domains: set[str] = set()
    for f in headers.list_fields:
        if f.name.lower() in _LIST_NAMES:
            lists.append(
                Evidence(text=f"mailing-list field {f.name}: {f.value[:120]}", header=f.name, header_index=f.index)
            )
            if f.name.lower() == "list-id":
                m = _LIST_ID.search(f.value)
                dom = org_domain(m.group(1)) if m else None
                if dom:
                    domains.add(dom)
                    list_domains.add(dom)
            if f.name.lower() == "list-post":
                m = re.search(r"mailto:[^@\s>]{1,200}@([A-Za-z0-9.-]{1,253})", f.value[:1024])
                dom = org_domain(m.group(1)) if m else None
                if dom:
                    domains.add(dom)
                    list_domains.add(dom)
    resent: list[Evidence] = []
    for block in headers.resent:
        first = block.fields[0] if block.fields else None
        if first is not None:
            resent.append(
                Evidence(
                    text=f"Resent block: {first.name}: {first.value[:120]}", header=first.name, header_index=first.index
                )
            )
    arc: list[Evidence] = []
    for index, inst, dom in arc_seals(message):
        if index in own:
            continue
        arc.append(Evidence(text=f"ARC set i={inst} sealed by {dom}", header="ARC-Seal", header_index=index))
        od = org_domain(dom)
        if od:
            domains.add(od)
    deliveries: list[Evidence] = []
    top_rp = headers.return_path[0].first if headers.return_path else None
    rp_org = org_domain(top_rp.domain) if top_rp is not None else None
    distinct_delivered = {(f.first.address.lower() if f.first else f.value.lower()) for f in headers.delivered_to}
    if len(distinct_delivered) >= 2:
        for dt in headers.delivered_to:
            deliveries.append(
                Evidence(text=f"delivered to {dt.value.strip()[:120]}", header=dt.name, header_index=dt.index)
            )
            dom = org_domain(address_domain(dt.first.address if dt.first else None))
            if dom:
                domains.add(dom)
    return ForwardingSignals(
        srs=tuple(srs),
        lists=tuple(lists),
        resent=tuple(resent),
        arc=tuple(arc),
        deliveries=tuple(deliveries),
        domains=frozenset(domains),
        list_domains=frozenset(list_domains),
        return_path_domain=rp_org,
    )


def origin_seals(ties: tuple[ArcTie, ...]) -> frozenset[int]:
    """Header indexes of the ``ARC-Seal`` fields sealed in the author's network before the message left it.

    :func:`~mailtrace.trace.arc_tie.tie_arc` marks them (Microsoft 365 seals its tenants'
    outgoing mail): no intermediary handled the message there.
    """
    return frozenset(t.header_index for t in ties if t.origin and t.header_index is not None)


def own_seals(path: Path) -> frozenset[int]:
    """Header indexes of the ``ARC-Seal`` fields that record no intermediary.

    The origin's sets (:func:`origin_seals`), and the sets tied to the recipient's border
    hop or a hop above it: a provider that seals on receipt (Gmail, Fastmail) records its
    own checks there, not a hand-over by a forwarder.
    """
    border = path.border
    if border is None or not border.recipient:
        return origin_seals(path.arc)
    recipients = {
        t.header_index for t in path.arc if t.hop is not None and t.hop <= border.index and t.header_index is not None
    }
    return origin_seals(path.arc) | recipients
