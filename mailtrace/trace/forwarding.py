"""Forwarding evidence: what shows that a message was re-sent by a forwarder or a list.

* SRS envelope senders (``SRS0=``/``SRS1=`` in ``Return-Path``, the Sender Rewriting Scheme);
* mailing-list fields (RFC 2369 ``List-*``, RFC 2919 ``List-Id``, ``X-BeenThere``, ``Mailing-List``);
* ``Resent-*`` blocks (RFC 5322 section 3.6.6);
* ARC sets (RFC 8617), each sealed by an intermediary (not those the recipient's own network
  sealed on receipt, see :func:`without_recipient_seals`);
* several distinct ``Delivered-To`` / ``X-Original-To`` addresses (one per delivery).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from mailtrace.model.fields import Message
from mailtrace.model.headers import Headers
from mailtrace.trace.hosts import address_domain, clean_host, org_domain
from mailtrace.trace.model import Evidence, Path

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


def arc_seals(message: Message) -> tuple[tuple[int, int | None, str | None], ...]:
    """``(header_index, instance, d=)`` of every ``ARC-Seal`` field, top to bottom."""
    out: list[tuple[int, int | None, str | None]] = []
    for f in message.get_all("ARC-Seal"):
        text = f.value[:4096]
        im, dm = _ARC_INSTANCE.search(text), _ARC_DOMAIN.search(text)
        out.append((f.index, int(im.group(1)) if im else None, clean_host(dm.group(1)) if dm else None))
    return tuple(out)


def forwarding_signals(headers: Headers, message: Message) -> ForwardingSignals:
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


def without_recipient_seals(signals: ForwardingSignals, path: Path) -> ForwardingSignals:
    """``signals`` without the ARC sets sealed inside the recipient's network.

    A provider that seals on receipt (Gmail, Fastmail) adds an ARC set at or above the
    recipient's border: it records the receiver's own checks, not a hand-over by a
    forwarder, so it is no forwarding evidence. A set counts as the recipient's when
    :func:`~mailtrace.trace.arc_tie.tie_arc` tied it to the border hop or a hop above it.
    """
    border = path.border
    if border is None or not border.recipient or not signals.arc:
        return signals
    own = {t.header_index for t in path.arc if t.hop is not None and t.hop <= border.index}
    if not own:
        return signals
    return replace(signals, arc=tuple(e for e in signals.arc if e.header_index not in own))
