"""The real recipient: whose mailbox the message was delivered to, read from the delivery evidence.

In order of strength (``docs/concepts.md``, "The recipient"):

1. ``Delivered-To``, ``X-Original-To``, ``Envelope-To`` (the topmost: the final mailbox), written by the
   recipient's own delivery agent;
2. the ``for <...>`` clause of the recipient's border line or of a line above it (lines below the border
   are the sender's and may say anything);
3. a receiver's own stamp naming the recipient (Yahoo's ``X-Apparently-To``);
4. in a resent message, the topmost block's ``Resent-To:`` (``To:`` names the original's recipients);
5. ``To:``, only when it names one domain and no address of the sender's own: Bcc phishing puts the
   sender's own address or ``undisclosed-recipients:;`` there (scenario 28), a ``To:`` naming several
   domains does not say which one received this copy, and a ``To:`` naming only the sender's own
   organisation while ``Cc:`` names others (GitHub's notifications) was delivered to a ``Cc:``.

Nothing else is guessed: with none of these the recipient is unknown (``domain`` is ``None``), and no
finding rests on it.
"""

from __future__ import annotations

from collections.abc import Sequence

from mailtrace.model.fields import Message
from mailtrace.model.headers import AddressField, Headers
from mailtrace.model.received import Received
from mailtrace.trace.hosts import address_domain, clean_host, org_domain
from mailtrace.trace.model import Border, Evidence, Recipient

#: Receiver stamps that name the recipient's address as their first word (Yahoo: ``user@yahoo.com via ip``).
STAMP_FIELDS = ("X-Apparently-To",)


def _field(f: AddressField, source: str, what: str) -> Recipient | None:
    a = f.first
    if a is None or not a.domain:
        return None
    ev = Evidence(text=f"{what}: {a.address}", header=f.name, header_index=f.index)
    return Recipient(domain=clean_host(a.domain), address=a.address, source=source, evidence=(ev,))


def find_recipient(
    headers: Headers, message: Message, received: Sequence[Received], borders: Sequence[Border]
) -> Recipient:
    """The recipient of this copy of the message (``borders``: the path's crossings, the last the recipient's;
    empty when not yet known, and then every ``for`` clause counts, topmost first)."""
    for fields, source, what in (
        (headers.delivered_to, "delivered_to", "delivered to"),
        (headers.x_original_to, "x_original_to", "originally addressed to"),
        (headers.envelope_to, "envelope_to", "envelope recipient"),
    ):
        for f in fields:
            found = _field(f, source, what)
            if found is not None:
                return found
    found = _for_clause(received, borders)
    if found is not None:
        return found
    for name in STAMP_FIELDS:
        for stamp in message.get_all(name):
            word = stamp.value.strip().split(None, 1)[0] if stamp.value.strip() else ""
            dom = address_domain(word.strip("<>"))
            if dom:
                ev = Evidence(
                    text=f"the receiver's stamp names {word.strip('<>')}", header=stamp.name, header_index=stamp.index
                )
                return Recipient(domain=dom, address=word.strip("<>"), source="stamp", evidence=(ev,))
    return _to(headers)


def _for_clause(received: Sequence[Received], borders: Sequence[Border]) -> Recipient | None:
    border = borders[-1] if borders else None
    if border is not None and 0 <= border.index < len(received):
        order = [border.index, *range(0, border.index)]
    elif border is not None:
        order = []
    else:
        order = list(range(len(received)))
    for i in order:
        r = received[i]
        dom = address_domain(r.for_)
        if dom:
            where = (
                "the recipient's border line" if border is not None and i == border.index else "a recipient-side line"
            )
            if border is None:
                where = "a Received line"
            ev = Evidence(text=f"for <{r.for_}> in {where}", header="Received", header_index=r.header_index, hop=i)
            return Recipient(domain=dom, address=r.for_, source="for", evidence=(ev,))
    return None


def _to(headers: Headers) -> Recipient:
    if headers.resent:
        # a resent message (RFC 5322 section 3.6.6): this copy went to the topmost block's Resent-To; To: names
        # the original's recipients
        field = next((f for block in headers.resent if (f := block.get("Resent-To")) is not None), None)
        addrs = [a for a in field.addresses if a.domain] if isinstance(field, AddressField) else []
        domains = {clean_host(a.domain) for a in addrs}
        if field is None or len(domains) != 1:
            return Recipient(note="a resent message whose Resent-To: names no single domain: the recipient is unknown")
        ev = Evidence(text=f"Resent-To: {addrs[0].address}", header=field.name, header_index=field.index)
        return Recipient(domain=domains.pop(), address=addrs[0].address, source="resent_to", evidence=(ev,))
    to = headers.to
    if to is None:
        return Recipient()
    addrs = [a for a in to.addresses if a.domain]
    if not addrs:
        return Recipient(note=f"To: names no recipient ({to.value[:80]!r}): the recipient is unknown")
    own = _sender_addresses(headers)
    mine = next((a for a in addrs if a.address.lower() in own), None)
    if mine is not None:
        return Recipient(note=f"To: holds the sender's own address {mine.address} (Bcc): the recipient is unknown")
    domains = {clean_host(a.domain) for a in addrs}
    orgs = {org_domain(d) for d in _sender_domains(headers)} - {None}
    cc = [c for c in (headers.cc.addresses if headers.cc is not None else ()) if c.domain]
    if orgs and all(org_domain(d) in orgs for d in domains) and any(org_domain(c.domain) not in orgs for c in cc):
        return Recipient(
            note="To: names only the sender's own organisation and Cc: names others (a notification or Bcc "
            "pattern): the recipient is unknown"
        )
    if len(domains) != 1:
        return Recipient(note="To: names several domains: which one received this copy is unknown")
    a = addrs[0]
    ev = Evidence(
        text=f"To: {a.address} (no delivery field names the recipient)", header=to.name, header_index=to.index
    )
    return Recipient(domain=clean_host(a.domain), address=a.address, source="to", evidence=(ev,))


def _sender_domains(headers: Headers) -> set[str]:
    out: set[str] = set()
    for f in (headers.from_, headers.sender, *headers.return_path):
        if f is not None:
            out.update(a.domain for a in f.addresses if a.domain)
    return out


def _sender_addresses(headers: Headers) -> set[str]:
    out: set[str] = set()
    for f in (headers.from_, headers.sender, *headers.return_path):
        if f is not None:
            out.update(a.address.lower() for a in f.addresses if a.address)
    return out


__all__ = ["Recipient", "find_recipient"]
