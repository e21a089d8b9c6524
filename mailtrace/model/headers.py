"""Typed views of the originator, envelope, resent and list fields."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from mailtrace.defects import Defect, defects_to_list
from mailtrace.model.addresses import Address
from mailtrace.model.frozen import fast_init, fast_maker


@dataclass(frozen=True, slots=True, kw_only=True)
class AddressField:
    """An address-list field (``From``, ``To``, ``Return-Path``...) and what it holds."""

    index: int
    name: str
    value: str
    addresses: tuple[Address, ...]
    defects: tuple[Defect, ...] = ()

    @property
    def first(self) -> Address | None:
        return self.addresses[0] if self.addresses else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "value": self.value,
            "addresses": [a.to_dict() for a in self.addresses],
            "defects": defects_to_list(self.defects),
        }


fast_init(AddressField)


@dataclass(frozen=True, slots=True, kw_only=True)
class DateField:
    index: int
    name: str
    value: str
    timestamp: datetime | None
    defects: tuple[Defect, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "value": self.value,
            "timestamp": None if self.timestamp is None else self.timestamp.isoformat(),
            "defects": defects_to_list(self.defects),
        }


fast_init(DateField)


@dataclass(frozen=True, slots=True, kw_only=True)
class TextField:
    """An unstructured or identifier field: ``Subject``, ``Message-ID``, ``List-Id``..."""

    index: int
    name: str
    value: str
    decoded: str
    ids: tuple[str, ...] = ()  #: ``<...>`` identifiers (Message-ID, References, List-Id)
    defects: tuple[Defect, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"index": self.index, "value": self.value, "decoded": self.decoded}
        if self.ids:
            out["ids"] = list(self.ids)
        out["defects"] = defects_to_list(self.defects)
        return out


fast_init(TextField)


@dataclass(frozen=True, slots=True, kw_only=True)
class OriginatingIP:
    """A webmail client address from ``X-Originating-IP`` or its kin (a claim by the provider)."""

    index: int
    name: str
    value: str
    ip: str | None
    defects: tuple[Defect, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "name": self.name,
            "value": self.value,
            "ip": self.ip,
            "defects": defects_to_list(self.defects),
        }


fast_init(OriginatingIP)


@dataclass(frozen=True, slots=True, kw_only=True)
class ResentBlock:
    """One ``Resent-*`` block (RFC 5322 section 3.6.6), fields in header order."""

    fields: tuple[AddressField | DateField | TextField, ...]
    defects: tuple[Defect, ...] = ()

    def get(self, name: str) -> AddressField | DateField | TextField | None:
        for f in self.fields:
            if f.name.lower() == name.lower():
                return f
        return None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in self.fields:
            key = f.name.lower().replace("-", "_")
            out.setdefault(key, f.to_dict())
        out["defects"] = defects_to_list(self.defects)
        return out


fast_init(ResentBlock)


@dataclass(frozen=True, slots=True, kw_only=True)
class Headers:
    """The fields an analyst reads first, parsed and typed.

    Single-instance fields hold the topmost occurrence (a second one is a
    defect on the message); trace-like fields (``Return-Path``,
    ``Delivered-To``...) keep every occurrence top to bottom.
    """

    from_: AddressField | None = None
    sender: AddressField | None = None
    reply_to: AddressField | None = None
    to: AddressField | None = None
    cc: AddressField | None = None
    date: DateField | None = None
    message_id: TextField | None = None
    in_reply_to: TextField | None = None
    references: TextField | None = None
    subject: TextField | None = None
    return_path: tuple[AddressField, ...] = ()
    delivered_to: tuple[AddressField, ...] = ()
    x_original_to: tuple[AddressField, ...] = ()
    envelope_to: tuple[AddressField, ...] = ()
    x_envelope_from: tuple[AddressField, ...] = ()
    originating_ip: tuple[OriginatingIP, ...] = ()
    resent: tuple[ResentBlock, ...] = ()
    list_fields: tuple[TextField, ...] = ()
    x_mailer: TextField | None = None
    user_agent: TextField | None = None
    defects: tuple[Defect, ...] = ()

    def list_field(self, name: str) -> TextField | None:
        for f in self.list_fields:
            if f.name.lower() == name.lower():
                return f
        return None

    def to_dict(self) -> dict[str, Any]:
        one, many = _one_dict, _many_dicts
        return {
            "originator": {
                "from": one(self.from_),
                "sender": one(self.sender),
                "reply_to": one(self.reply_to),
                "to": one(self.to),
                "cc": one(self.cc),
                "date": one(self.date),
                "message_id": one(self.message_id),
                "in_reply_to": one(self.in_reply_to),
                "references": one(self.references),
                "subject": one(self.subject),
            },
            "envelope": {
                "return_path": many(self.return_path),
                "delivered_to": many(self.delivered_to),
                "x_original_to": many(self.x_original_to),
                "envelope_to": many(self.envelope_to),
                "x_envelope_from": many(self.x_envelope_from),
                "originating_ip": many(self.originating_ip),
            },
            "resent": [b.to_dict() for b in self.resent],
            "list": {f.name.lower().replace("-", "_"): f.to_dict() for f in reversed(self.list_fields)},
            "client": {"x_mailer": one(self.x_mailer), "user_agent": one(self.user_agent)},
            "defects": defects_to_list(self.defects),
        }


fast_init(Headers)


# Module-level rather than nested in Headers.to_dict: mypyc (the optional compiled build) stopped
# with an internal error on the nested functions.
def _one_dict(x: AddressField | DateField | TextField | None) -> dict[str, Any] | None:
    return None if x is None else x.to_dict()


def _many_dicts(xs: tuple[AddressField, ...] | tuple[OriginatingIP, ...]) -> list[dict[str, Any]]:
    return [x.to_dict() for x in xs]


# Fast construction for extract_headers, which builds about fourteen of these per message, and the
# Headers view itself: every field given positionally in field order (model/frozen.py's fast_maker,
# plain slot stores into a twin class; the keyword constructor costs about three times as much). The
# objects are equal to the dataclass constructor's, field for field (tests/parse/test_headers_speedpaths.py
# checks it); no class here has a __post_init__ or validation to skip.
make_address_field: Callable[[int, str, str, tuple[Address, ...], tuple[Defect, ...]], AddressField] = fast_maker(
    AddressField
)
make_date_field: Callable[[int, str, str, datetime | None, tuple[Defect, ...]], DateField] = fast_maker(DateField)
make_text_field: Callable[[int, str, str, str, tuple[str, ...], tuple[Defect, ...]], TextField] = fast_maker(TextField)
make_originating_ip: Callable[[int, str, str, str | None, tuple[Defect, ...]], OriginatingIP] = fast_maker(
    OriginatingIP
)
#: ``Headers(...)`` from its 21 fields in field order (:data:`HEADERS_DEFAULTS` holds the defaults).
make_headers: Callable[..., Headers] = fast_maker(Headers)
#: The default of every field of :class:`Headers`, in field order.
HEADERS_DEFAULTS: tuple[object, ...] = tuple(f.default for f in fields(Headers))
#: The position of each field of :class:`Headers` among the arguments of :data:`make_headers`.
HEADERS_POSITION: dict[str, int] = {f.name: n for n, f in enumerate(fields(Headers))}
