"""What one ``Received:`` line says about its two hosts, derived once per analysis.

Ordering, linking, the border, the roles and the ARC ties all ask the same questions of
each hop: its cleaned host names, the canonical client address and its class, the
organisational domains, the provider of the receiving host, whether the hop crosses from
one tenant of a provider into another. :class:`HopFacts` answers each once, when
:func:`~mailtrace.trace.order.order_hops` builds the hop, and the view carries it
(:attr:`HopView.facts <mailtrace.trace.model.HopView.facts>`) to every later step of the
same analysis. :func:`facts_of` gives the same answers for a view built by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from mailtrace.model.received import Received
from mailtrace.trace.hosts import IPFacts, clean_host, ip_facts, ip_text, is_ip, org_domain
from mailtrace.trace.model import HopKind
from mailtrace.trace.providers import Provider, provider_of, tenant_crossing

if TYPE_CHECKING:
    from mailtrace.trace.model import HopView

_KINDS = {k.value: k for k in HopKind}
_FETCH = frozenset({"IMAP", "IMAPS", "POP", "POP3", "POP3S", "FETCHMAIL", "GETMAIL"})
_HTTP = frozenset({"HTTP", "HTTPS", "HTTPA", "HTTPSA", "WEBMAIL"})
_UNSET = object()  # ``rdns_org`` not asked yet


def hop_kind(r: Received) -> HopKind:
    """The parser's ``kind`` when it gave one, else inferred from ``with`` and the ``from`` clause."""
    given = _KINDS.get((r.kind or "").lower())
    if given is not None and given is not HopKind.UNKNOWN:
        return given
    words = (r.with_ or "").upper().split()
    w = words[0] if words else ""
    if w.startswith("LMTP"):
        return HopKind.LMTP
    if w in _HTTP:
        return HopKind.HTTP
    if w in _FETCH:
        return HopKind.FETCH
    if w == "LOCAL":
        return HopKind.LOCAL
    if w == "MAPI":
        return HopKind.INTERNAL
    f = r.from_
    if not (f.ip or f.rdns or f.helo):
        return HopKind.INTERNAL if r.by.host else HopKind.UNKNOWN
    return HopKind.SMTP


def client_name(rdns: str | None, helo: str | None) -> str | None:
    """The client's name from the cleaned rDNS and HELO: the rDNS the server looked up, else the HELO claim
    (never an IP literal)."""
    for host in (rdns, helo):
        if host and not is_ip(host) and host not in ("unknown", "localhost"):
            return host
    return None


class HopFacts:
    """The facts of one ``Received:`` line that do not depend on the other hops, each derived once.

    ``by_host``, ``from_host``, ``from_ip``, ``by_ip``, ``organisation`` and ``from_organisation`` are the
    values of the hop's :class:`~mailtrace.trace.model.HopView`; ``names`` the client names the link reads;
    ``client`` the classes of the client address; ``by_address`` the canonical text of ``by_ip``;
    ``provider`` the provider of the receiving host; ``front_door`` whether the hop runs from a provider's
    outbound host into the same provider's tenant front door
    (:func:`~mailtrace.trace.providers.tenant_crossing`, by rDNS-or-HELO name or by HELO).
    """

    __slots__ = (
        "_rdns_org",
        "by_address",
        "by_host",
        "by_ip",
        "client",
        "from_host",
        "from_ip",
        "from_organisation",
        "front_door",
        "helo",
        "kind",
        "names",
        "organisation",
        "provider",
        "rdns",
    )

    def __init__(
        self,
        *,
        kind: HopKind,
        by_host: str | None,
        by_ip: str | None,
        from_host: str | None,
        client: IPFacts | None,
        helo: str | None,
        rdns: str | None,
        organisation: str | None,
        from_organisation: str | None,
        provider: Provider | None,
        names: tuple[str | None, ...] = (),
    ) -> None:
        self.kind = kind
        self.by_host = by_host
        self.by_ip = by_ip
        self.from_host = from_host
        self.client = client
        self.from_ip = None if client is None else client.text
        by_facts = ip_facts(by_ip) if by_ip else None
        self.by_address = None if by_facts is None else by_facts.text
        self.helo = helo
        self.rdns = rdns
        self.organisation = organisation
        self.from_organisation = from_organisation
        self.names = names
        self.provider = provider
        self.front_door = self.provider is not None and tenant_crossing(by_host, from_host, helo)
        self._rdns_org: object = _UNSET

    def rdns_org(self) -> str | None:
        """The organisation of the client's reverse DNS name (what the receiving host looked up, not the HELO)."""
        found = self._rdns_org
        if found is _UNSET:
            found = self._rdns_org = org_domain(self.rdns)
        return found  # type: ignore[return-value]


def read_line(r: Received) -> HopFacts:
    """The facts of the ``Received:`` line ``r``: the values its :class:`~mailtrace.trace.model.HopView` shows."""
    f = r.from_
    rdns, helo = clean_host(f.rdns), clean_host(f.helo)
    by_host = clean_host(r.by.host)
    fname = client_name(rdns, helo)
    return HopFacts(
        kind=hop_kind(r),
        by_host=by_host,
        by_ip=r.by.ip or (by_host if is_ip(by_host) else None),
        from_host=fname,
        client=(ip_facts.cached(f.ip) if len(f.ip) <= ip_facts.max_len else ip_facts(f.ip)) if f.ip else None,
        helo=f.helo,
        rdns=f.rdns,
        # clean_host keeps a name to 253 characters: under the caches' bound, so the caches are asked directly
        organisation=org_domain.cached(by_host) if by_host else None,
        from_organisation=org_domain.cached(fname) if fname else None,
        provider=provider_of.cached(by_host) if by_host else None,
        names=_names(f.rdns, rdns, f.helo, helo),
    )


def _names(raw_rdns: str | None, rdns: str | None, raw_helo: str | None, helo: str | None) -> tuple[str | None, ...]:
    """The cleaned names of the ``from`` clause the line gives, rDNS first, then HELO, each once (a tuple
    keeps the report independent of hash order)."""
    if raw_rdns:
        return (rdns, helo) if raw_helo and helo != rdns else (rdns,)
    return (helo,) if raw_helo else ()


def facts_of(h: HopView, received: Sequence[Received]) -> HopFacts:
    """The facts of ``h``: the ones its analysis attached (:func:`read_line`), else read from the view's own
    fields (a view built by hand), with the rDNS of its ``received[]`` line."""
    found = h.facts
    if found is not None:
        return found
    i = h.received_index
    r = received[i] if i is not None and i < len(received) else None
    return HopFacts(
        kind=h.kind,
        by_host=h.by_host,
        by_ip=h.by_ip,
        from_host=h.from_host,
        client=ip_facts(h.from_ip) if h.from_ip else None,
        helo=h.helo,
        rdns=r.from_.rdns if r is not None else None,
        organisation=h.organisation,
        from_organisation=h.from_organisation,
        provider=provider_of(h.by_host) if h.by_host else None,
    )


def client_text(h: HopView) -> str | None:
    """``ip_text(h.from_ip)``: the canonical text of the client address, which a view built by
    :func:`~mailtrace.trace.order.order_hops` already shows (two addresses are the same when their texts are)."""
    return h.facts.from_ip if h.facts is not None else ip_text(h.from_ip)


__all__ = ["HopFacts", "client_name", "client_text", "facts_of", "hop_kind", "read_line"]
