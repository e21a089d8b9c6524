"""One parsed ``Received:`` trace field (RFC 5321 section 4.4).

``Received.index`` counts ``Received:`` fields from the top (0 = the last one
added); ``header_index`` is the field's position among all header fields.
Unknown values are ``None``: the parser never invents them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mailtrace.defects import Defect, defects_to_list
from mailtrace.model.frozen import fast_maker


@dataclass(frozen=True, slots=True, kw_only=True)
class Endpoint:
    """The sending side of a hop: what the client said and what the server saw."""

    helo: str | None = None  #: the HELO/EHLO argument: a claim by the client
    rdns: str | None = None  #: the reverse DNS name the receiving server looked up
    ip: str | None = None  #: the connecting IP address the server saw
    port: int | None = None
    ident: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"helo": self.helo, "rdns": self.rdns, "ip": self.ip, "port": self.port, "ident": self.ident}


@dataclass(frozen=True, slots=True, kw_only=True)
class ReceivingHost:
    """The receiving side of a hop: the ``by`` clause."""

    host: str | None = None
    ip: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"host": self.host, "ip": self.ip}


@dataclass(frozen=True, slots=True, kw_only=True)
class TLSInfo:
    version: str | None = None
    cipher: str | None = None
    bits: int | None = None
    details: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"version": self.version, "cipher": self.cipher, "bits": self.bits}
        out.update(dict(self.details))
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class Received:
    index: int
    header_index: int
    raw: str
    from_: Endpoint = Endpoint()
    by: ReceivingHost = ReceivingHost()
    via: str | None = None
    with_: str | None = None  #: protocol keyword, normalised (RFC 3848 / RFC 8314), upper-case
    id: str | None = None
    for_: str | None = None
    envelope_from: str | None = None
    tls: TLSInfo | None = None
    authenticated: bool = False
    auth: str | None = None  #: mechanism and/or user where the line shows them
    timestamp: datetime | None = None
    software: str | None = None  #: MTA family when recognisable (``postfix``, ``exim``, ...)
    #: what kind of handover the line records: ``smtp`` (network relay), ``local``,
    #: ``lmtp``, ``http``, ``internal``, ``fetch``, or ``None`` when unknown
    kind: str | None = None
    defects: tuple[Defect, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "header_index": self.header_index,
            "raw": self.raw,
            "from": self.from_.to_dict(),
            "by": self.by.to_dict(),
            "via": self.via,
            "with": self.with_,
            "id": self.id,
            "for": self.for_,
            "envelope_from": self.envelope_from,
            "tls": None if self.tls is None else self.tls.to_dict(),
            "authenticated": self.authenticated,
            "auth": self.auth,
            "timestamp": None if self.timestamp is None else self.timestamp.isoformat(),
            "software": self.software,
            "kind": self.kind,
            "defects": defects_to_list(self.defects),
        }


# Fast construction for the parser, which builds one Received (and its Endpoint, ReceivingHost and
# TLSInfo) per line: a frozen dataclass's __init__ sets each field through object.__setattr__ with
# keyword arguments, about 5 µs for Received's 17 fields. These makers (mailtrace.model.frozen.fast_maker)
# take every field positionally, in field order, fill the same slots with plain stores (a compiled class:
# its slot descriptors) and give objects equal to the dataclass constructor's, field for field
# (tests/parse/received/test_received_fastpaths.py checks it). No field has a __post_init__ or
# validation to skip.
#: ``Endpoint(...)``: helo, rdns, ip, port, ident.
make_endpoint: Callable[[str | None, str | None, str | None, int | None, str | None], Endpoint] = fast_maker(Endpoint)
#: ``ReceivingHost(...)``: host, ip.
make_receiving_host: Callable[[str | None, str | None], ReceivingHost] = fast_maker(ReceivingHost)
#: ``TLSInfo(...)``: version, cipher, bits, details.
make_tls: Callable[[str | None, str | None, int | None, tuple[tuple[str, str], ...]], TLSInfo] = fast_maker(TLSInfo)
#: ``Received(...)``: index, header_index, raw, from_, by, via, with_, id, for_, envelope_from, tls,
#: authenticated, auth, timestamp, software, kind, defects.
make_received: Callable[..., Received] = fast_maker(Received)
