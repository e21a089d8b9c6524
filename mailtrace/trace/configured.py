"""The border from the recipient's own configuration: ``trusted_networks``, ``internal_domains``,
``trusted_authserv_ids``, or an explicit ``trust_nothing`` (:class:`~mailtrace.policy.Policy`).

A setting counts only where the trace shows it: a trusted network must hold the client or server
address of some hop, an internal domain must hold the ``by`` host of some hop, a trusted authserv-id
must have written an ``Authentication-Results`` or ``Received-SPF`` field of the message. A setting
that matches nothing in a message (the analyst's own network given for mail that never touched it)
is the defect ``policy.unmatched`` of that message, naming the setting and its values, and the border
then comes from the other methods as though the setting were absent: an unmatched setting never
erases the border nor moves it.

Reading top-down from the hops that the trusted networks do show, the walk is SpamAssassin's (the
first client outside them is the crossing, loopback always trusted). The hops *above* the topmost
hop that the networks show were written after the message left them (the recipient's mailbox
provider behind the organisation's own gateway): there a client inside the receiving host's
organisation or provider (:func:`~mailtrace.trace.border.client_inside`) is no crossing, so a
provider-internal hop is never taken for the border.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from mailtrace.defects import Defect
from mailtrace.policy import Policy
from mailtrace.trace.hosts import is_loopback, same_ip, within
from mailtrace.trace.model import Border, BorderMethod, Evidence, HopView, Stamp

#: ``inside(hop, index in net)``: why the hop's client is inside its receiving organisation, or ``None``.
Inside = Callable[[HopView, int], str | None]


@dataclass(frozen=True, slots=True)
class Configured:
    """What the configuration says: a border, whether a border setting applied, the defects."""

    border: Border | None = None
    applied: bool = False  #: trusted_networks / internal_domains / trust_nothing matched the trace
    defects: tuple[Defect, ...] = ()


def _border(h: HopView, method: BorderMethod, text: str) -> Border:
    ev = Evidence(text=text, header="Received", header_index=h.header_index, hop=h.received_index)
    return Border.at(h, method, (ev,), recipient=True)


def unmatched(setting: str, values: Sequence[str]) -> Defect:
    shown = ", ".join(values[:5]) + (f" (and {len(values) - 5} more)" if len(values) > 5 else "")
    return Defect(
        "policy.unmatched",
        f"{setting} ({shown}) matches nothing in this message: the border comes from the other methods",
    )


def configured_border(
    net: list[HopView],
    stamps: Sequence[Stamp],
    authserv: Sequence[tuple[int, str | None]],
    policy: Policy,
    inside: Inside,
) -> Configured:
    """The border that the configuration places in ``net`` (network hops, top-down), if any."""
    if policy.trust_nothing:
        for h in net:
            if is_loopback(h.from_ip) or not (h.from_ip or h.from_host):
                continue
            text = f"trust_nothing: the topmost client ({h.from_ip or h.from_host}) is outside"
            return Configured(_border(h, BorderMethod.TRUSTED_NETWORKS, text), True)
        return Configured(None, True)
    ids = policy.trusted_authserv_ids
    shown = (
        [i for i, h in enumerate(net) if policy.is_trusted_ip(h.from_ip) or policy.is_trusted_ip(h.by_ip)]
        if policy.networks
        else []
    )
    domains_shown = bool(policy.internal_domains) and any(within(h.by_host, policy.internal_domains) for h in net)
    ids_shown = any(s.authserv_id in ids for s in stamps) or any(a in ids for _, a in authserv if a)
    defects = tuple(
        unmatched(setting, values)
        for setting, values, seen in (
            ("trusted_networks", policy.trusted_networks, bool(shown)),
            ("internal_domains", policy.internal_domains, domains_shown),
            ("trusted_authserv_ids", ids, ids_shown),
        )
        if values and not seen
    )
    if policy.networks and shown:
        return Configured(_by_networks(net, policy, shown[0], inside), True, defects)
    if policy.internal_domains and domains_shown:
        return Configured(_by_domains(net, policy.internal_domains), True, defects)
    if ids and ids_shown:
        return Configured(_by_authserv(net, stamps, authserv, policy), False, defects)
    return Configured(None, False, defects)


def _by_networks(net: list[HopView], policy: Policy, first: int, inside: Inside) -> Border | None:
    """Top-down, the first client outside ``trusted_networks`` (loopback trusted); above ``first``, the
    topmost hop the networks show, a client inside its receiving organisation or provider is no crossing."""
    for i, h in enumerate(net):
        if policy.is_trusted_ip(h.from_ip) or is_loopback(h.from_ip):
            continue
        if i < first and inside(h, i) is not None:
            continue
        text = f"first client ({h.from_ip or 'no IP'}) outside trusted_networks, reading from the top"
        return _border(h, BorderMethod.TRUSTED_NETWORKS, text)
    return None


def _by_domains(net: list[HopView], doms: tuple[str, ...]) -> Border | None:
    """The first hop (top-down) whose ``by`` host is in ``internal_domains`` and whose client is not."""
    for h in net:
        if not within(h.by_host, doms) or is_loopback(h.from_ip) or within(h.from_host, doms):
            continue
        text = f"{h.by_host} is in internal_domains; its client {h.from_host or h.from_ip or '?'} is not"
        return _border(h, BorderMethod.INTERNAL_DOMAINS, text)
    return None


def _by_authserv(
    net: list[HopView], stamps: Sequence[Stamp], ids: Sequence[tuple[int, str | None]], policy: Policy
) -> Border | None:
    """The hop whose client IP a trusted authserv-id stamped; else the first line below its field."""
    trusted = policy.trusted_authserv_ids
    for s in stamps:
        if not (s.authserv_id and s.authserv_id in trusted):
            continue
        for h in net:
            if (h.header_index or 0) > s.header_index and same_ip(h.from_ip, s.ip):
                b = _border(h, BorderMethod.TRUSTED_AUTHSERV_ID, "the crossing line")
                ev = Evidence(
                    text=f"{s.header} by trusted authserv-id {s.authserv_id} names client IP {s.ip}",
                    header=s.header,
                    header_index=s.header_index,
                    hop=h.received_index,
                )
                return replace(b, evidence=(ev, *b.evidence))
    for index, authserv in ids:
        if authserv and authserv in trusted:
            for h in net:
                if (h.header_index or 0) > index:
                    b = _border(h, BorderMethod.TRUSTED_AUTHSERV_ID, "")
                    ev = Evidence(
                        text=f"first Received line below the Authentication-Results of trusted {authserv}",
                        header="Authentication-Results",
                        header_index=index,
                        hop=h.received_index,
                    )
                    return replace(b, evidence=(ev,))
    return None


__all__ = ["Configured", "configured_border", "unmatched"]
