"""One parsed ``Received:`` trace field (RFC 5321 section 4.4).

``Received.index`` counts ``Received:`` fields from the top (0 = the last one
added); ``header_index`` is the field's position among all header fields.
Unknown values are ``None``: the parser never invents them.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from mailtrace.defects import Defect, defects_to_list


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


# Fast construction for the parser, which builds one Received (and its Endpoint and
# ReceivingHost) per line: a frozen dataclass's __init__ sets each field through
# object.__setattr__ with keyword arguments, about 5 µs for Received's 17 fields. These
# functions fill the same slots directly (the slot descriptors' __set__, which frozen
# does not intercept) and give objects equal to the dataclass constructor's, field for
# field (tests/parse/received/test_received_fastpaths.py checks it). No field has a
# __post_init__ or validation to skip.
# each class's own __new__ (object.__new__ for these; a compiled class refuses object.__new__)
_new_received, _new_endpoint, _new_receiving_host = Received.__new__, Endpoint.__new__, ReceivingHost.__new__
_new_tls = TLSInfo.__new__
(
    _r_index,
    _r_header_index,
    _r_raw,
    _r_from,
    _r_by,
    _r_via,
    _r_with,
    _r_id,
    _r_for,
    _r_envelope_from,
    _r_tls,
    _r_authenticated,
    _r_auth,
    _r_timestamp,
    _r_software,
    _r_kind,
    _r_defects,
) = (getattr(Received, f.name).__set__ for f in fields(Received))
_e_helo, _e_rdns, _e_ip, _e_port, _e_ident = (getattr(Endpoint, f.name).__set__ for f in fields(Endpoint))
_h_host, _h_ip = (getattr(ReceivingHost, f.name).__set__ for f in fields(ReceivingHost))
_t_version, _t_cipher, _t_bits, _t_details = (getattr(TLSInfo, f.name).__set__ for f in fields(TLSInfo))


def make_endpoint(helo: str | None, rdns: str | None, ip: str | None, port: int | None, ident: str | None) -> Endpoint:
    """``Endpoint(helo=..., rdns=..., ip=..., port=..., ident=...)``, built without the dataclass __init__."""
    obj: Endpoint = _new_endpoint(Endpoint)
    _e_helo(obj, helo)
    _e_rdns(obj, rdns)
    _e_ip(obj, ip)
    _e_port(obj, port)
    _e_ident(obj, ident)
    return obj


def make_receiving_host(host: str | None, ip: str | None) -> ReceivingHost:
    """``ReceivingHost(host=..., ip=...)``, built without the dataclass __init__."""
    obj: ReceivingHost = _new_receiving_host(ReceivingHost)
    _h_host(obj, host)
    _h_ip(obj, ip)
    return obj


def make_tls(
    version: str | None, cipher: str | None, bits: int | None, details: tuple[tuple[str, str], ...]
) -> TLSInfo:
    """``TLSInfo(version=..., cipher=..., bits=..., details=...)``, built without the dataclass __init__."""
    obj: TLSInfo = _new_tls(TLSInfo)
    _t_version(obj, version)
    _t_cipher(obj, cipher)
    _t_bits(obj, bits)
    _t_details(obj, details)
    return obj


def make_received(
    index: int,
    header_index: int,
    raw: str,
    from_: Endpoint,
    by: ReceivingHost,
    via: str | None,
    with_: str | None,
    id: str | None,
    for_: str | None,
    envelope_from: str | None,
    tls: TLSInfo | None,
    authenticated: bool,
    auth: str | None,
    timestamp: datetime | None,
    software: str | None,
    kind: str | None,
    defects: tuple[Defect, ...],
) -> Received:
    """``Received(...)`` with every field given in field order, built without the dataclass __init__."""
    obj: Received = _new_received(Received)
    _r_index(obj, index)
    _r_header_index(obj, header_index)
    _r_raw(obj, raw)
    _r_from(obj, from_)
    _r_by(obj, by)
    _r_via(obj, via)
    _r_with(obj, with_)
    _r_id(obj, id)
    _r_for(obj, for_)
    _r_envelope_from(obj, envelope_from)
    _r_tls(obj, tls)
    _r_authenticated(obj, authenticated)
    _r_auth(obj, auth)
    _r_timestamp(obj, timestamp)
    _r_software(obj, software)
    _r_kind(obj, kind)
    _r_defects(obj, defects)
    return obj
