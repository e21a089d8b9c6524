"""Mail operators whose hosts live under several registrable domains: one table, data only.

A large provider relays a message between its own hosts under different organisational
domains (Microsoft 365 hands mail from ``*.mail.protection.outlook.com`` to
``*.outlook.office365.com`` to ``*.prod.exchangelabs.com`` to ``*.prod.outlook.com``); such a hop
is inside the provider, never a border crossing (``docs/concepts.md``, "Providers and tenants").
Every organisation comparison of the path goes through :func:`same_provider`
(:func:`mailtrace.trace.hosts.same_org`).

Each entry names the provider (``name``, stable: other code and reports key on it), the
registrable domains of its mail hosts and of the mailbox domains it runs (``domains``), its
``kind`` (:data:`MAILBOX`, :data:`ESP`, :data:`GATEWAY`, :data:`FORWARDING`), the abuse mailbox it
publishes (``abuse``; ``None`` where none is published for mail; check it against the network's
RDAP abuse contact before sending a report), and where it was seen (``seen``: the corpus
directory and the host names, ``../shared/corpus/``).

Two more fields serve tenants (:mod:`mailtrace.trace.tenants`): ``tenant_suffixes`` are domains
under which each customer gets its own name (``contoso.onmicrosoft.com``): a name there is the
customer's, not the provider's, so it is never matched as the provider's host; ``entry`` are the
host suffixes where mail enters a customer's tenant from outside, the Internet or another tenant
on the same infrastructure (Exchange Online Protection's front doors
``*.mail.protection.outlook.com``), and ``outbound`` the suffixes of the hosts that send a tenant's
mail out (``*.outbound.protection.outlook.com``): a hop from an outbound host into a front door is
a crossing between two tenants (:func:`tenant_crossing`), although both hosts are the provider's.
A front door also relays a tenant's own outgoing mail from its mailbox servers
(``*.prod.outlook.com`` into ``*.mail.protection.outlook.com``): that hop stays inside.

Domains that host the provider's *customers'* machines (``googleusercontent.com`` for Google Cloud
VMs, ``linodeusercontent.com``) are deliberately absent: a VM there is its tenant's, not the mail
provider's.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from mailtrace.memo import bounded_cache

MAILBOX = "mailbox"  #: hosts people's mailboxes (and usually their submission and inbound MX)
ESP = "esp"  #: an email service provider sending on behalf of its customers
GATEWAY = "gateway"  #: a filtering service in front of a customer's mailbox provider
FORWARDING = "forwarding"  #: forwards a customer's domain to another mailbox


@dataclass(frozen=True, slots=True, kw_only=True)
class Provider:
    """One operator: its stable name, its registrable domains, its kind and abuse contact."""

    name: str
    domains: tuple[str, ...]
    kind: str
    abuse: str | None
    seen: str = ""
    tenant_suffixes: tuple[str, ...] = ()
    entry: tuple[str, ...] = ()
    outbound: tuple[str, ...] = ()


# fmt: off
PROVIDERS: tuple[Provider, ...] = (
    Provider(
        name="microsoft", kind=MAILBOX, abuse="abuse@microsoft.com",
        domains=("outlook.com", "office365.com", "exchangelabs.com", "office365.us", "outlook.de",
                 "microsoft.com", "hotmail.com", "live.com", "msn.com"),
        # phishing-pot-dev (1,472 messages): EOP front doors *.mail.protection.outlook.com, outbound
        # *.outbound.protection.outlook.com, *.outlook.office365.com, *.prod.exchangelabs.com,
        # *.prod.outlook.com mailbox servers over 2603:10xx:: IPv6; ARC d=microsoft.com; consumer
        # *.hotmail.com / *.olc.protection.outlook.com. office365.us, outlook.de: the US government and
        # German sovereign clouds (same software, same host names).
        seen="phishing-pot-dev: *.mail.protection.outlook.com, *.outlook.office365.com, *.prod.exchangelabs.com, "
             "*.prod.outlook.com, *.hotmail.com; ARC d=microsoft.com",
        tenant_suffixes=("onmicrosoft.com", "onmicrosoft.us", "onmicrosoft.de"),
        entry=("mail.protection.outlook.com", "mail.protection.office365.us", "mail.protection.outlook.de"),
        outbound=("outbound.protection.outlook.com", "outbound.protection.office365.us",
                  "outbound.protection.outlook.de"),
    ),
    Provider(
        name="google", kind=MAILBOX, abuse="network-abuse@google.com",
        domains=("google.com", "gmail.com", "googlemail.com", "googlegroups.com", "1e100.net"),
        seen="phishing-pot-dev and SpamAssassin/list archives: mail-*.google.com, *.1e100.net, by 2002:... "
             "internal lines, googlegroups.com lists; ARC d=google.com",
    ),
    Provider(
        name="yahoo", kind=MAILBOX, abuse=None,
        domains=("yahoo.com", "yahoo.net", "yahoodns.net", "yahoogroups.com", "aol.com", "aolmd.com", "aim.com",
                 "netscape.net"),
        seen="phishing-pot-dev, SpamAssassin corpus: *.consmr.mail.*.yahoo.com, *.grp.scd.yahoo.com (groups), "
             "rly-*.mx.aol.com, imo-*.mx.aol.com, *.aolmd.com; 'from USER@netscape.net by imo-*.mx.aol.com' "
             "(AOL runs Netscape's mail)",
    ),
    Provider(
        name="apple", kind=MAILBOX, abuse="abuse@icloud.com",
        domains=("icloud.com", "me.com", "mac.com", "apple.com"),
        seen="phishing-pot-dev: *.me.com (qs*p*im-*.me.com), icloud.com senders",
    ),
    Provider(
        name="fastmail", kind=MAILBOX, abuse="abuse@fastmail.com",
        domains=("fastmail.com", "fastmail.fm", "messagingengine.com"),
        seen="list archives, rspamd tests: mx*.messagingengine.com, mail.messagingengine.com",
    ),
    Provider(
        name="zoho", kind=MAILBOX, abuse="abuse@zohocorp.com",
        domains=("zoho.com", "zohomail.com", "zoho.eu", "zohomail.eu", "zoho.in", "zohomail.in"),
        seen="corpus: mx.zohomail.com",
    ),
    Provider(
        name="proton", kind=MAILBOX, abuse="abuse@proton.me",
        domains=("protonmail.ch", "protonmail.com", "proton.me", "pm.me"),
        seen="phishing-pot-dev: mailin*.protonmail.ch, mailinosl*.protonmail.ch",
    ),
    Provider(
        name="ionos", kind=MAILBOX, abuse="abuse@ionos.com",
        domains=("kundenserver.de", "gmx.net", "gmx.de", "gmx.com", "web.de", "ionos.com", "ionos.de"),
        seen="phishing-pot-dev: mrelayeu.kundenserver.de, mout.kundenserver.de; web.de, gmx.net senders",
    ),
    Provider(
        name="amazon-ses", kind=ESP, abuse="abuse@amazonaws.com",
        # amazonaws.com: SES inbound (inbound-smtp.*.amazonaws.com) and WorkMail relay under it
        domains=("amazonses.com", "amazonaws.com", "amazon.com"),
        seen="phishing-pot-dev: a*-*.smtp-out.amazonses.com, *.amazonaws.com",
    ),
    Provider(
        name="sendgrid", kind=ESP, abuse="abuse@sendgrid.com",
        domains=("sendgrid.net", "sendgrid.com"),
        seen="phishing-pot-dev: o*.ptr*.sendgrid.net, *.sendgrid.net (32 messages)",
    ),
    Provider(
        name="mailgun", kind=ESP, abuse="abuse@mailgun.com",
        domains=("mailgun.net", "mailgun.org", "mailgun.com"),
        seen="phishing-pot-dev: m*.mailgun.net (14 messages)",
    ),
    Provider(
        name="sparkpost", kind=ESP, abuse="abuse@sparkpost.com",
        domains=("sparkpostmail.com", "sparkpost.com"),
        seen="phishing-pot-dev: mta-*.sparkpostmail.com; Momentum (ecelerity) lines by *.sparkpost hosts",
    ),
    Provider(
        name="mailchimp", kind=ESP, abuse="abuse@mailchimp.com",
        domains=("mcsv.net", "rsgsv.net", "mcdlv.net", "mandrillapp.com", "mailchimpapp.net", "mailchimp.com"),
        seen="phishing-pot-dev: mail*.rsgsv.net, *.mcdlv.net, mail*.mandrillapp.com",
    ),
    Provider(
        name="postmark", kind=ESP, abuse="abuse@postmarkapp.com",
        domains=("mtasv.net", "postmarkapp.com"),
        seen="phishing-pot-dev: mta*-ab*.mtasv.net, mta*a-ord.mtasv.net",
    ),
    Provider(
        name="brevo", kind=ESP, abuse="abuse@brevo.com",
        domains=("brevo.com", "sendinblue.com", "sendibm1.com", "sendibt2.com", "sendibt3.com", "mailin.fr"),
        seen="phishing-pot-dev: *.brevo.com senders",
    ),
    Provider(
        name="mailjet", kind=ESP, abuse="abuse@mailjet.com",
        domains=("mailjet.com",),
        seen="phishing-pot-dev: by mailjet",
    ),
    Provider(
        name="zendesk", kind=ESP, abuse="abuse@zendesk.com",
        domains=("zdsys.com", "zendesk.com"),
        seen="phishing-pot-dev: outbyoip*.pod*.*.zdsys.com (10 messages)",
    ),
    Provider(
        name="mailchannels", kind=ESP, abuse="abuse@mailchannels.com",
        domains=("mailchannels.net", "mailchannels.com"),
        seen="phishing-pot-dev: relay.mailchannels.net",
    ),
    Provider(
        name="oracle-email-delivery", kind=ESP, abuse=None,
        domains=("oracleemaildelivery.com",),
        seen="phishing-pot-dev: *.oracleemaildelivery.com (5 messages)",
    ),
    Provider(
        name="activecampaign", kind=ESP, abuse="abuse@activecampaign.com",
        domains=("acems1.com", "acems2.com", "acems3.com", "acems4.com", "acemsa1.com", "acemsa2.com",
                 "acemsa3.com", "acemsa4.com", "acemsa5.com", "acemsd1.com", "acemsd2.com", "acemsd3.com"),
        seen="phishing-pot-dev: acems1.com, d*.asa.acemsa4.com, acemsa5.com",
    ),
    Provider(
        name="salesforce", kind=ESP, abuse=None,
        domains=("salesforce.com", "exacttarget.com", "sfdc.net"),
        seen="phishing-pot-dev: mx*.core*.sfdc-*.mta.salesforce.com (Momentum)",
    ),
    Provider(
        name="mimecast", kind=GATEWAY, abuse="abuse@mimecast.com",
        domains=("mimecast.com", "mimecast.co.za", "mimecast-offshore.com"),
        seen="list archives: relay.mimecast.com, us-smtp-*.mimecast.com",
    ),
    Provider(
        name="proofpoint", kind=GATEWAY, abuse="abuse@proofpoint.com",
        domains=("pphosted.com", "ppe-hosted.com", "proofpoint.com"),
        seen="list archives, phishing-pot-dev: mx0a-*.pphosted.com, mx*-*.pphosted.com",
    ),
    Provider(
        name="cisco-secure-email", kind=GATEWAY, abuse=None,
        domains=("iphmx.com",),
        seen="phishing-pot-dev: esa*.*.iphmx.com, ob*.*.iphmx.com (IronPort hosted)",
    ),
    Provider(
        name="barracuda", kind=GATEWAY, abuse="abuse@barracuda.com",
        domains=("barracuda.com", "barracudanetworks.com", "cudamail.com"),
        seen="phishing-pot-dev: *.ess.barracuda.com (1 message)",
    ),
    Provider(
        name="improvmx", kind=FORWARDING, abuse="abuse@improvmx.com",
        domains=("improvmx.com",),
        seen="phishing-pot-dev: mx*.improvmx.com forwarding into protonmail.ch",
    ),
)
# fmt: on

_BY_DOMAIN: dict[str, Provider] = {d: p for p in PROVIDERS for d in p.domains}
_TENANT_SUFFIX: dict[str, Provider] = {d: p for p in PROVIDERS for d in p.tenant_suffixes}
_IPV4_CHARS = frozenset("0123456789.")
_MAX_LABELS = 127  # a 253-character name has at most 127 labels: the suffix walk is bounded


def _clean(name: str | None) -> str | None:
    """Lower-case, without brackets or a trailing dot; ``None`` for an empty name, an IP or over 253 characters."""
    if not name:
        return None
    host = name.strip().strip("[]()<>").rstrip(".").lower()
    if not host or len(host) > 253 or ":" in host:
        return None
    if not _IPV4_CHARS.issuperset(host):  # no dotted quad: spares ``ipaddress`` raising a ValueError
        return host
    try:
        ipaddress.IPv4Address(host)
    except ValueError:
        return host
    return None


#: Every label suffix of a provider's domain or tenant suffix (``com``, ``outlook.com``, ...).
_TAILS = frozenset(
    ".".join(labels[i:])
    for name in (*_BY_DOMAIN, *_TENANT_SUFFIX)
    for labels in [name.split(".")]
    for i in range(len(labels))
)


def _suffixes(host: str) -> list[str]:
    """The suffixes of ``host`` that may name a provider's domain or tenant suffix, longest first.

    Walks up from the top-level domain while the suffix is a tail of some domain of the table: a longer suffix
    of a name whose shorter one is no such tail names no domain of the table. The result is the list of every
    suffix, longest first, less those that can match nothing (``tests/trace/test_trace_providers.py``).
    """
    labels = host.split(".")[-_MAX_LABELS:]
    out: list[str] = []
    suffix = labels[-1]
    while suffix in _TAILS:
        out.append(suffix)
        if len(out) == len(labels):
            break
        suffix = labels[-len(out) - 1] + "." + suffix
    out.reverse()
    return out


@bounded_cache(maxsize=4096, max_len=300)  # a host name is at most 253 characters
def provider_of(name: str | None) -> Provider | None:
    """The provider whose domain ``name`` (a host name or a domain) equals or is below, or ``None``.

    A name under a tenant suffix (``contoso.onmicrosoft.com``) is the customer's, not the
    provider's: ``None`` (see :func:`tenant_suffix_of`). IP literals are ``None``.
    """
    host = _clean(name)
    if host is None:
        return None
    for suffix in _suffixes(host):
        if suffix in _TENANT_SUFFIX:
            return None
        found = _BY_DOMAIN.get(suffix)
        if found is not None:
            return found
    return None


def tenant_suffix_of(name: str | None) -> tuple[Provider, str] | None:
    """``(provider, tenant name)`` when ``name`` is a customer's name under a provider's tenant suffix
    (``mail.contoso.onmicrosoft.com`` gives Microsoft and ``contoso.onmicrosoft.com``), else ``None``."""
    host = _clean(name)
    if host is None:
        return None
    for suffix in _suffixes(host):
        p = _TENANT_SUFFIX.get(suffix)
        if p is not None:
            if suffix == host:
                return None  # the bare suffix names no tenant
            return p, host[: -len(suffix) - 1].rsplit(".", 1)[-1] + "." + suffix
    return None


def same_provider(a: str | None, b: str | None) -> bool:
    """``a`` and ``b`` (host names or domains) belong to one provider of the table."""
    # the cache itself for names under its bound (the usual organisational domains): no wrapper call
    cached, bound = provider_of.cached, provider_of.max_len
    pa = cached(a) if a is None or len(a) <= bound else provider_of(a)
    return pa is not None and pa is (cached(b) if b is None or len(b) <= bound else provider_of(b))


def is_entry(provider: Provider, host: str | None) -> bool:
    """``host`` is one of ``provider``'s tenant front doors (mail enters a customer's tenant there)."""
    return _under(host, provider.entry)


def tenant_crossing(by_host: str | None, *clients: str | None) -> bool:
    """A hop from a provider's outbound host (one of ``clients``, the names the client gave) into the same
    provider's tenant front door (``by_host``): one tenant handing the message to another on the same
    infrastructure."""
    provider = provider_of(by_host)
    if provider is None or not is_entry(provider, by_host):
        return False
    outbound = provider.outbound
    return any(_under(client, outbound) for client in clients)


def _under(host: str | None, suffixes: tuple[str, ...]) -> bool:
    if not suffixes:  # most providers have no tenant front doors
        return False
    h = _clean(host)
    return h is not None and any(h == e or h.endswith("." + e) for e in suffixes)


__all__ = [
    "ESP",
    "FORWARDING",
    "GATEWAY",
    "MAILBOX",
    "PROVIDERS",
    "Provider",
    "is_entry",
    "provider_of",
    "same_provider",
    "tenant_crossing",
    "tenant_suffix_of",
]
