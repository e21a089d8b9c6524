"""Tenants: the customer organisations that share one provider's infrastructure.

Many organisations receive and send through the same Microsoft 365 or Google Workspace hosts. A hop
between two hosts of one provider is inside that provider (:mod:`mailtrace.trace.providers`), but mail
injected into one tenant and relayed to another crosses between two organisations on the same
infrastructure (scenario 23). How a tenant is identified (``docs/concepts.md``, "Providers and tenants"):

* **Microsoft 365.** The receiving tenant stamps its directory id in
  ``X-MS-Exchange-CrossTenant-Id`` on receipt; a sending tenant's ``X-MS-Exchange-CrossTenant-*`` fields
  are stripped when the message leaves it (``X-MS-Exchange-Transport-CrossTenantHeadersStripped``), so
  the topmost one is the recipient's tenant. Mail enters a tenant, from the Internet or from another
  tenant's outbound hosts (``*.outbound.protection.outlook.com``), only through Exchange Online
  Protection's front doors (``*.mail.protection.outlook.com``): a hop into one is a crossing
  (:func:`mailtrace.trace.providers.is_entry`). A tenant's own name is ``NAME.onmicrosoft.com``; it shows
  on the sender's side in a DKIM ``d=`` (Microsoft signs a tenant's mail with it when the tenant has no
  key of its own), a ``Return-Path``/``From:`` address or a HELO.
* **Google Workspace.** A Workspace tenant is its mail domain: the recipient's domain names the receiving
  tenant (``gmail.com``/``googlemail.com`` are the consumer service). Google writes no tenant id.
* Other providers: the recipient's domain, when the receiving host is the provider's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from mailtrace.model.fields import Message
from mailtrace.trace.model import Border, Evidence, HopView, Tenant
from mailtrace.trace.providers import MAILBOX, provider_of, tenant_suffix_of

_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
#: the consumer services of the mailbox providers: their users are no tenant of their own
_CONSUMER = frozenset(
    {"gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "yahoo.com", "aol.com"}
)


def recipient_tenant(border: Border, hops: Sequence[HopView], message: Message, domain: str | None) -> Tenant | None:
    """The tenant that received the message at ``border`` (the recipient's), or ``None`` when its receiving
    host is no provider's of the table. ``domain`` is the recipient's domain (delivery evidence only)."""
    provider = provider_of(border.receiver)
    if provider is None:
        above = [h for h in hops if h.received_index is not None and h.received_index <= border.index]
        provider = next((p for h in above if (p := provider_of(h.by_host)) is not None), None)
    if provider is None or provider.kind != MAILBOX:
        return None
    evidence = [Evidence(text=f"received by {border.receiver}, a host of {provider.name}", hop=border.index)]
    tenant_id = None
    if provider.name == "microsoft":
        for f in message.get_all("X-MS-Exchange-CrossTenant-Id"):
            m = _GUID.search(f.value)
            if m:
                tenant_id = m.group(0).lower()
                evidence.append(
                    Evidence(text=f"the receiving tenant's id {tenant_id}", header=f.name, header_index=f.index)
                )
                break
    consumer = domain in _CONSUMER
    if domain:
        what = "the provider's consumer service" if consumer else "the recipient's domain, an accepted domain"
        evidence.append(Evidence(text=f"{domain}: {what}"))
    if tenant_id is None and not domain:
        return None
    return Tenant(provider=provider.name, id=tenant_id, domain=domain, consumer=consumer, evidence=tuple(evidence))


def sender_tenant(
    message: Message, hops: Sequence[HopView], border: Border | None, dkim_domains: Sequence[str] = ()
) -> Tenant | None:
    """The sender-side tenant named by a provider's tenant suffix (``NAME.onmicrosoft.com``): in a DKIM
    ``d=``, ``Return-Path``, ``From:``, or the HELO or ``by`` host of a hop below ``border``; else ``None``."""
    names: list[tuple[str, Evidence]] = [
        (d, Evidence(text=f"DKIM d={d}", header="DKIM-Signature")) for d in dkim_domains
    ]
    for name in ("Return-Path", "From", "Sender"):
        for f in message.get_all(name):
            v = f.value.strip().rstrip(">").rsplit("@", 1)
            if len(v) == 2:
                names.append(
                    (v[1], Evidence(text=f"{name}: {f.value.strip()[:120]}", header=f.name, header_index=f.index))
                )
    limit = border.index if border is not None else -1
    for h in hops:
        if h.received_index is None or h.received_index <= limit:
            continue
        for host in (h.helo, h.by_host):
            if host:
                names.append((host, Evidence(text=f"host {host}", header="Received", hop=h.received_index)))
    for name, ev in names:
        found = tenant_suffix_of(name)
        if found is not None:
            return Tenant(provider=found[0].name, domain=found[1], evidence=(ev,))
    return None


__all__ = ["Tenant", "recipient_tenant", "sender_tenant"]
