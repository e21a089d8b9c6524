"""Which sending platform a message went through, from the fields platforms stamp: one data table.

Each row names a header field, the provider (a ``name`` of
:data:`mailtrace.trace.providers.PROVIDERS`, whose ``abuse`` is the address to
report to; a platform not in that table has no known address) and what the
field identifies: the ``account``, ``tenant``, ``message`` or ``campaign`` to
quote in an abuse report. Fields and spellings were taken from the
phishing-pot dev corpus (``X-`` fields by frequency) and the platforms' docs.

A stamp written by the recipient's own side is listed with ``side: recipient``
and never used to address a report. It is recognised three ways: it stands
above the recipient's border crossing; or its row's ``recipient_if`` context
says so (Exchange Online appends its stamps at the *bottom* of the header, and
its ``X-MS-Exchange-CrossTenant-Id`` names the tenant that received the
message when the block's ``X-MS-Exchange-CrossTenant-AuthAs`` is ``Anonymous``:
all 1,466 such stamps in the phishing-pot dev corpus); or, for a
``Message-ID``, its domain is the border receiver's own provider (Exchange
Online assigns one to a message that arrives without it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from mailtrace.model.fields import HeaderField, Message
from mailtrace.trace.providers import PROVIDERS, Provider, provider_of

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
_ADDRESS = re.compile(r"[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9.\-]{1,253}\.[A-Za-z]{2,63}")
_URL = re.compile(r"https?://[^\s<>\"']{1,500}", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class StampRule:
    header: str  #: field name, lower case
    provider: str  #: a provider name (``mailtrace.trace.providers``) or a platform name not listed there
    identifies: str  #: ``account``, ``tenant``, ``message``, ``stack``, ``sending_ip``, ``contact``
    pattern: re.Pattern[str] | None = None  #: the identifier is the first match (else the whole value)
    #: ``(field, value prefix)``: a field of the same block (within :data:`BLOCK` fields) whose value
    #: starts so marks the stamp as the recipient side's.
    recipient_if: tuple[str, str] | None = None


# fmt: off
STAMPS: tuple[StampRule, ...] = (
    StampRule("x-sg-eid", "sendgrid", "message"),
    StampRule("x-sg-id", "sendgrid", "message"),
    StampRule("x-mailgun-sid", "mailgun", "message"),
    StampRule("x-mailgun-sending-ip", "mailgun", "sending_ip"),
    StampRule("x-ses-outgoing", "amazon-ses", "message"),
    StampRule("x-msfbl", "sparkpost", "message"),
    StampRule("x-mc-user", "mailchimp", "account"),
    StampRule("x-mandrill-user", "mailchimp", "account"),
    StampRule("x-ms-exchange-crosstenant-id", "microsoft", "tenant", _UUID,
              recipient_if=("x-ms-exchange-crosstenant-authas", "anonymous")),
    StampRule("x-google-smtp-source", "google", "message"),
    StampRule("x-gm-message-state", "google", "message"),
    StampRule("x-google-group-id", "google", "account"),
    StampRule("x-pm-message-id", "postmark", "message"),
    StampRule("x-zendesk-from-account-id", "zendesk", "account"),
    StampRule("x-sfmc-stack", "salesforce", "stack"),  # the Marketing Cloud stack (server group), not an account
    StampRule("x-get-message-sender-via", "cpanel", "account", _ADDRESS),
    StampRule("x-report-abuse", "declared", "contact", _ADDRESS),
    StampRule("x-report-abuse-to", "declared", "contact", _ADDRESS),
    StampRule("x-complaints-to", "declared", "contact", _ADDRESS),
)
#: ``Feedback-ID: a:b:c:SenderId`` (Google's feedback loop): the last field names the platform.
FEEDBACK_SENDERS: dict[str, str] = {
    "amazonses": "amazon-ses", "mc": "mailchimp", "md": "mailchimp", "activecampaign": "activecampaign",
    "sendinblue": "brevo", "brevo": "brevo", "iterable": "iterable", "apsis": "apsis",
    "oraclersys": "oracle-responsys", "sendgrid": "sendgrid", "mailgun": "mailgun", "postmark": "postmark",
}
# fmt: on
#: Platforms the stamps name that ``mailtrace.trace.providers`` does not list (no abuse address known);
#: ``declared`` is the sender's own ``X-Report-Abuse`` address, ``cpanel`` a shared-hosting account.
UNLISTED = frozenset({"declared", "cpanel", "iterable", "apsis", "oracle-responsys"})
_BY_HEADER = {rule.header: rule for rule in STAMPS}
_BY_NAME: dict[str, Provider] = {p.name: p for p in PROVIDERS}
#: Providers whose outgoing stamp, beside a DKIM signature by a domain not the provider's own, names a
#: customer tenant by that domain: a Google Workspace domain sends through Gmail's servers
#: (``X-Google-Smtp-Source``) and signs with its own ``d=``.
SIGNING_TENANTS: dict[str, tuple[str, ...]] = {"google": ("x-google-smtp-source", "x-gm-message-state")}
_DKIM_D = re.compile(r"(?:^|;)\s*d\s*=\s*([A-Za-z0-9.\-]{1,253})")
#: Stamps kept per message.
MAX_STAMPS = 50
#: Fields either side of a stamp searched for its ``recipient_if`` context.
BLOCK = 8


@dataclass(frozen=True, slots=True, kw_only=True)
class PlatformStamp:
    provider: str
    identifies: str
    identifier: str
    header: str
    header_index: int
    side: str  #: ``sender`` (below the border), ``recipient`` (above it) or ``unknown`` (no border)
    abuse: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "provider": self.provider,
            "identifies": self.identifies,
            "identifier": self.identifier,
            "abuse": self.abuse,
            "side": self.side,
            "method": "header",
            "evidence": {"header": self.header, "header_index": self.header_index},
        }


def identify_platforms(
    message: Message, border_header_index: int | None, receiver: str | None = None
) -> tuple[PlatformStamp, ...]:
    """Every platform stamp in the header, top to bottom; ``receiver`` is the border's receiving host."""
    found: dict[tuple[str, str, str], PlatformStamp] = {}
    receiving = provider_of(receiver) if receiver else None
    for f in message.fields:
        if len(found) >= MAX_STAMPS:
            break
        for provider, identifies, identifier in _read(f):
            key = (provider, f.name.lower(), identifier)
            if key in found:
                continue
            side = _side(f.index, border_header_index)
            if _received_here(message, f, provider, receiving):
                side = "recipient"
            known = _BY_NAME.get(provider)
            abuse = identifier if identifies == "contact" else (known.abuse if known else None)
            found[key] = PlatformStamp(
                provider=provider,
                identifies=identifies,
                identifier=identifier,
                header=f.name,
                header_index=f.index,
                side=side,
                abuse=abuse,
            )
    stamps = tuple(found.values())
    return stamps + _signing_tenants(message, stamps)


def _signing_tenants(message: Message, stamps: tuple[PlatformStamp, ...]) -> tuple[PlatformStamp, ...]:
    out: list[PlatformStamp] = []
    for provider, headers in SIGNING_TENANTS.items():
        if not any(p.provider == provider and p.side != "recipient" and p.header.lower() in headers for p in stamps):
            continue
        own = _BY_NAME.get(provider)
        for f in message.get_all("DKIM-Signature"):
            m = _DKIM_D.search(f.value)
            domain = m.group(1).lower().rstrip(".") if m else None
            owner = provider_of(domain) if domain else None
            if domain is None or (owner is not None and owner.name == provider):
                continue
            out.append(
                PlatformStamp(
                    provider=provider,
                    identifies="tenant",
                    identifier=domain,
                    header=f.name,
                    header_index=f.index,
                    side="sender",
                    abuse=own.abuse if own else None,
                )
            )
            break
    return tuple(out)


def _received_here(message: Message, f: HeaderField, provider: str, receiving: Provider | None) -> bool:
    name = f.name.lower()
    if name == "message-id":
        return receiving is not None and receiving.name == provider
    rule = _BY_HEADER.get(name)
    if rule is None or rule.recipient_if is None:
        return False
    field, prefix = rule.recipient_if
    nearby = message.fields[max(0, f.index - BLOCK) : f.index + BLOCK + 1]
    return any(g.name.lower() == field and g.value.strip().lower().startswith(prefix) for g in nearby)


def _side(index: int, border: int | None) -> str:
    if border is None:
        return "unknown"
    return "recipient" if index < border else "sender"


def _read(f: HeaderField) -> list[tuple[str, str, str]]:
    name = f.name.lower()
    value = _clean(f.value)
    if not value:
        return []
    rule = _BY_HEADER.get(name)
    if rule is not None:
        if rule.pattern is None:
            return [(rule.provider, rule.identifies, value)]
        m = rule.pattern.search(value)
        if m is None and rule.identifies == "contact":
            m = _URL.search(value)
        return [] if m is None else [(rule.provider, rule.identifies, m.group(0).lower())]
    if name == "feedback-id":
        sender = value.rsplit(":", 1)[-1].strip().lower()
        platform = FEEDBACK_SENDERS.get(sender)
        return [] if platform is None else [(platform, "account", value)]
    if name == "message-id":
        domain = value.strip("<> ").rpartition("@")[2]
        found = provider_of(domain) if domain else None
        return [] if found is None else [(found.name, "message", value)]
    return []


def _clean(value: str) -> str:
    """At most 300 printable characters: the value reaches reports and terminals."""
    return "".join(c for c in value[:300] if c.isprintable()).strip()
