"""The reconstructed path: hops in time order, border crossings, actors and their roles.

The vocabulary is the actor model of the seed documents (``docs/concepts.md``):
relays are grouped into *actors* that play *roles* (Author, MSA, Transmitter,
Receiver, Forwarder, MDA, Recipient); a *border* is the crossing between two
networks that have no relationship. Every role assignment and every border
carries the evidence it was decided on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from mailtrace.defects import Defect, defects_to_list
from mailtrace.model.frozen import fast_init, fast_maker

if TYPE_CHECKING:
    from mailtrace.trace.facts import HopFacts


class Role(StrEnum):
    """The roles of the actor model (RFC 5598 section 2 names most of them)."""

    AUTHOR = "Author"
    MSA = "MSA"
    TRANSMITTER = "Transmitter"
    OPEN_RELAY = "OpenRelay"  #: a third organisation that relayed without authentication (scenario 20)
    RECEIVER = "Receiver"
    FORWARDER = "Forwarder"
    MDA = "MDA"
    RECIPIENT = "Recipient"


class HopKind(StrEnum):
    """What kind of handover a hop records (the ``kind`` of the Received parser, plus ``synthetic``)."""

    SMTP = "smtp"  #: a network relay: the only kind that can cross a border
    LOCAL = "local"  #: a pipe or local submission on one machine
    LMTP = "lmtp"  #: delivery into the mailstore
    HTTP = "http"  #: webmail or API submission
    INTERNAL = "internal"  #: a provider's internal hand-off (Gmail ``by 2002:...``, Exchange ``mapi``)
    FETCH = "fetch"  #: retrieval by the recipient (fetchmail, getmail, POP3/IMAP)
    SYNTHETIC = "synthetic"  #: not a Received line: a client address from ``X-Originating-IP`` and kin
    UNKNOWN = "unknown"


#: Kinds that carry no network handover: never a broken link, never a crossing.
NON_NETWORK = frozenset({HopKind.LOCAL, HopKind.LMTP, HopKind.HTTP, HopKind.INTERNAL, HopKind.FETCH})


class LinkStatus(StrEnum):
    """Does a hop's ``from`` continue the ``by`` of the hop before it (RFC 5321 section 4.4)?"""

    FIRST = "first"  #: the earliest hop: nothing to link to
    LINKED = "linked"  #: ``from`` IP, rDNS or HELO names the previous ``by`` host
    SAME_ORGANISATION = "same_organisation"  #: not the same host, but the same organisational domain
    LOOPBACK = "loopback"  #: handed over through a loopback or local address (content filters)
    NOT_NETWORK = "not_network"  #: one of the two hops carries no network handover
    UNKNOWN = "unknown"  #: too little on one side to tell
    BROKEN = "broken"  #: both sides known and they name different hosts


class DelayStatus(StrEnum):
    """How the time between a hop and the one before it reads (see ``SKEW_TOLERANCE``)."""

    OK = "ok"
    SKEW_TOLERATED = "skew_tolerated"  #: negative, within the tolerance: clocks a little apart
    BACKWARDS = "backwards"  #: negative beyond the tolerance: reported, never hidden
    UNKNOWN = "unknown"  #: a timestamp is missing


class BorderMethod(StrEnum):
    """How a border crossing was decided, strongest first."""

    TRUSTED_NETWORKS = "trusted_networks"
    INTERNAL_DOMAINS = "internal_domains"
    TRUSTED_AUTHSERV_ID = "trusted_authserv_id"
    RECEIVED_SPF = "received_spf"  #: the receiver's own Received-SPF names the client IP
    AUTHENTICATION_RESULTS = "authentication_results"  #: the receiver's own A-R names the client IP
    MX_HOSTS = "mx_hosts"  #: the ``by`` host is an MX of the recipient domain
    ORGANISATION = "organisation"  #: first client outside the receiving organisation (private/loopback skipped)
    CONTINUITY = "continuity"  #: an earlier crossing: the chain continues into the next network


@dataclass(frozen=True, slots=True, kw_only=True)
class Evidence:
    """Where a conclusion came from: a sentence, the header field and the hop it cites."""

    text: str
    header: str | None = None  #: field name, e.g. ``Received`` or ``Authentication-Results``
    header_index: int | None = None  #: position among all header fields
    hop: int | None = None  #: ``received[]`` index of the hop

    def describe(self) -> str:
        """One line for a text report: ``received[2], Received (field 7): text``."""
        where = []
        if self.hop is not None:
            where.append(f"received[{self.hop}]")
        if self.header:
            where.append(self.header + (f" (field {self.header_index})" if self.header_index is not None else ""))
        return (", ".join(where) + ": " if where else "") + self.text

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "header": self.header, "header_index": self.header_index, "hop": self.hop}


@dataclass(frozen=True, slots=True, kw_only=True)
class RoleAssignment:
    role: Role
    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"role": self.role.value, "evidence": [e.to_dict() for e in self.evidence]}


@dataclass(frozen=True, slots=True, kw_only=True)
class HopView:
    """One hop as the path sees it, in chronological order (``position`` 0 = earliest).

    ``received_index`` points back into ``Report.received`` (``None`` for a
    synthetic hop). ``delay_seconds`` is signed: the time since the previous
    hop, negative when this hop's clock reads earlier.
    """

    position: int
    received_index: int | None
    header_index: int | None
    kind: HopKind
    synthetic: bool
    source: str  #: ``Received`` or the field a synthetic hop came from
    from_host: str | None  #: rDNS when the receiver looked it up, else the HELO claim
    from_ip: str | None
    helo: str | None
    by_host: str | None
    by_ip: str | None
    with_: str | None
    authenticated: bool
    timestamp: datetime | None
    organisation: str | None  #: organisational domain of the ``by`` host (public suffix list)
    from_organisation: str | None
    link: LinkStatus
    link_note: str
    delay_seconds: float | None
    delay_status: DelayStatus
    network: int = 0  #: which network the hop was written in (0 = the sender's; crossings increment it)
    trusted: bool = False  #: written by the recipient's own infrastructure (at or above the border)
    border: bool = False  #: this hop records a border crossing
    claim: bool = False  #: below a border whose client did not write it: an unverified claim
    roles: tuple[Role, ...] = ()
    #: what the analysis derived once from the hop's line (:mod:`mailtrace.trace.facts`), for its own later
    #: steps; ``None`` once the path is complete, and in a view built by hand. Never compared nor reported.
    facts: HopFacts | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "received_index": self.received_index,
            "header_index": self.header_index,
            "kind": self.kind.value,
            "synthetic": self.synthetic,
            "source": self.source,
            "from_host": self.from_host,
            "from_ip": self.from_ip,
            "helo": self.helo,
            "by_host": self.by_host,
            "by_ip": self.by_ip,
            "with": self.with_,
            "authenticated": self.authenticated,
            "timestamp": None if self.timestamp is None else self.timestamp.isoformat(),
            "organisation": self.organisation,
            "from_organisation": self.from_organisation,
            "link": self.link.value,
            "link_note": self.link_note,
            "delay_seconds": self.delay_seconds,
            "delay_status": self.delay_status.value,
            "network": self.network,
            "trusted": self.trusted,
            "border": self.border,
            "claim": self.claim,
            "roles": [r.value for r in self.roles],
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Tenant:
    """One customer of a provider: the provider's name, the tenant's id and domain, and the evidence."""

    provider: str
    id: str | None = None  #: Microsoft 365 directory (tenant) id
    domain: str | None = None  #: ``NAME.onmicrosoft.com``, or the Workspace / accepted mail domain
    consumer: bool = False  #: the provider's consumer service (Outlook.com, Gmail), not an organisation
    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "provider": self.provider,
            "id": self.id,
            "domain": self.domain,
            "consumer": self.consumer,
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Border:
    """A border crossing: the ``received[index]`` line a receiver wrote about an outside client."""

    index: int  #: ``received[]`` index of the crossing line
    ip: str | None  #: the client IP the receiver saw: the one address the sender could not choose
    receiver: str | None  #: the ``by`` host that accepted the message
    client: str | None  #: rDNS, else HELO, of the client
    method: BorderMethod
    evidence: tuple[Evidence, ...] = ()
    header_index: int | None = None
    timestamp: datetime | None = None
    recipient: bool = False  #: the last crossing: into the recipient's network
    tenant: Tenant | None = None  #: the receiving tenant on a shared provider (``trace.tenants``)

    @classmethod
    def at(cls, h: HopView, method: BorderMethod, evidence: tuple[Evidence, ...], *, recipient: bool = False) -> Border:
        """The crossing recorded by hop ``h``: its client, its receiving host, its line."""
        return cls(
            index=h.received_index if h.received_index is not None else -1,
            ip=h.from_ip,
            receiver=h.by_host,
            client=h.from_host,
            method=method,
            evidence=evidence,
            header_index=h.header_index,
            timestamp=h.timestamp,
            recipient=recipient,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "ip": self.ip,
            "receiver": self.receiver,
            "client": self.client,
            "method": self.method.value,
            "evidence": [e.to_dict() for e in self.evidence],
            "header_index": self.header_index,
            "timestamp": None if self.timestamp is None else self.timestamp.isoformat(),
            "recipient": self.recipient,
            "tenant": None if self.tenant is None else self.tenant.to_dict(),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Actor:
    """A user or agent: one organisation (or one person) playing one or more roles."""

    name: str  #: organisational domain, an address, or a role label when nothing better is known
    roles: tuple[RoleAssignment, ...]
    network: int  #: 0 = the sender's network; the recipient's is the last
    hops: tuple[int, ...] = ()  #: ``received[]`` indices of the hops this actor wrote
    #: evidence of a direct relationship with the previous actor (``==>``), e.g. an authenticated relay hand-off
    relationship: Evidence | None = None

    @property
    def role_names(self) -> tuple[Role, ...]:
        return tuple([r.role for r in self.roles])

    def label(self) -> str:
        """The actor in the notation: its roles joined with ``/``."""
        return "/".join([r.role for r in self.roles])  # a StrEnum member is the text of its value

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "roles": [r.to_dict() for r in self.roles],
            "label": self.label(),
            "network": self.network,
            "hops": list(self.hops),
            "relationship": None if self.relationship is None else self.relationship.to_dict(),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class ArcTie:
    """An ARC instance tied to the hop whose host sealed it (RFC 8617 section 4.1)."""

    instance: int | None
    domain: str | None  #: ``d=`` of the ARC-Seal
    hop: int | None  #: ``received[]`` index of the sealing hop, or ``None`` when nothing matches
    header_index: int | None
    note: str
    origin: bool = False  #: sealed in the author's own network before the message left it: no intermediary

    def to_dict(self) -> dict[str, Any]:
        return {
            "instance": self.instance,
            "domain": self.domain,
            "hop": self.hop,
            "header_index": self.header_index,
            "note": self.note,
            "origin": self.origin,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Stamp:
    """A client IP stamped by a receiving system (``Received-SPF`` or ``Authentication-Results``)."""

    header: str
    header_index: int
    ip: str
    authserv_id: str | None  #: A-R authserv-id, or Received-SPF ``receiver=``

    def to_dict(self) -> dict[str, Any]:
        return {
            "header": self.header,
            "header_index": self.header_index,
            "ip": self.ip,
            "authserv_id": self.authserv_id,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Recipient:
    """The recipient's domain and address, and the evidence they were read from."""

    domain: str | None = None
    address: str | None = None
    #: ``delivered_to``, ``x_original_to``, ``envelope_to``, ``for``, ``stamp``, ``resent_to``, ``to``
    source: str | None = None
    evidence: tuple[Evidence, ...] = ()
    note: str | None = None  #: why ``To:`` was set aside, when it was

    def to_dict(self) -> dict[str, Any]:
        return {
            "domain": self.domain,
            "address": self.address,
            "source": self.source,
            "evidence": [e.to_dict() for e in self.evidence],
            "note": self.note,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Path:
    """The reconstructed path of one message.

    ``hops`` run earliest first. ``borders`` lists every crossing in time
    order; the last one (``border``) is into the recipient's network.
    ``notation`` renders ``actors`` in the seeds' shorthand.
    """

    hops: tuple[HopView, ...]
    border: Border | None
    borders: tuple[Border, ...]
    actors: tuple[Actor, ...]
    notation: str
    arc: tuple[ArcTie, ...] = ()
    stamps: tuple[Stamp, ...] = ()
    recipient_domain: str | None = None  #: ``recipient.domain``
    recipient: Recipient = Recipient()
    internal: bool = False  #: no crossing at all: every hop inside one organisation
    notes: tuple[str, ...] = ()
    defects: tuple[Defect, ...] = ()

    def hop(self, received_index: int) -> HopView | None:
        for h in self.hops:
            if h.received_index == received_index:
                return h
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "notation": self.notation,
            "border": None if self.border is None else self.border.to_dict(),
            "borders": [b.to_dict() for b in self.borders],
            "internal": self.internal,
            "recipient_domain": self.recipient_domain,
            "recipient": self.recipient.to_dict(),
            "actors": [a.to_dict() for a in self.actors],
            "hops": [h.to_dict() for h in self.hops],
            "arc": [t.to_dict() for t in self.arc],
            "stamps": [s.to_dict() for s in self.stamps],
            "notes": list(self.notes),
            "defects": defects_to_list(self.defects),
        }


# Dozens of these are built per message (a view per hop, evidence for every border and role): each class's
# __init__ stores its fields through the slot descriptors instead of object.__setattr__ by name
# (mailtrace.model.frozen.fast_init: the same objects, equal field for field).
for _cls in (Evidence, RoleAssignment, HopView, Tenant, Border, Actor, ArcTie, Stamp, Recipient, Path):
    fast_init(_cls)
del _cls

#: ``Evidence(text=, header=, header_index=, hop=)``, every field given in order (the verdict's many evidence
#: lines; ``tests/verdict/test_verdict_round8_speedpaths.py`` compares the constructor).
make_evidence: Callable[[str, str | None, int | None, int | None], Evidence] = fast_maker(Evidence)
