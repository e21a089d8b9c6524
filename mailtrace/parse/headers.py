"""Build the typed :class:`~mailtrace.model.headers.Headers` view of a message."""

from __future__ import annotations

import ipaddress
import re
from operator import attrgetter

from mailtrace.defects import Defect
from mailtrace.model.fields import HeaderField, Message
from mailtrace.model.headers import (
    HEADERS_DEFAULTS,
    HEADERS_POSITION,
    AddressField,
    DateField,
    Headers,
    OriginatingIP,
    ResentBlock,
    TextField,
    make_address_field,
    make_date_field,
    make_headers,
    make_originating_ip,
    make_text_field,
)
from mailtrace.parse.addresses import parse_address_list
from mailtrace.parse.dates import parse_date

_ID = re.compile(r"<([^<>\s]{1,998})>")
_IP_TOKEN = re.compile(r"[0-9A-Fa-f:.]{2,45}")

_SINGLE_ADDRESS = {"from": "from_", "sender": "sender", "reply-to": "reply_to", "to": "to", "cc": "cc"}
_SINGLE_TEXT = {
    "message-id": "message_id",
    "in-reply-to": "in_reply_to",
    "references": "references",
    "subject": "subject",
    "x-mailer": "x_mailer",
    "user-agent": "user_agent",
}
_MULTI_ADDRESS = {
    "return-path": "return_path",
    "delivered-to": "delivered_to",
    "x-original-to": "x_original_to",
    "envelope-to": "envelope_to",
    "x-envelope-from": "x_envelope_from",
}
#: Webmail and submission headers that carry the author's client address.
ORIGINATING_IP_FIELDS = frozenset(
    {
        "x-originating-ip",
        "x-yahoo-post-ip",
        "x-apparently-from",
        "x-senderip",
        "x-sender-ip",
        "x-aol-ip",
        "x-ms-exchange-crosstenant-originalattributedtenantconnectingip",
        "x-client-ip",
        "x-forwarded-for",
    }
)
_LIST_FIELDS = frozenset(
    {
        "list-id",
        "list-post",
        "list-unsubscribe",
        "list-unsubscribe-post",
        "list-help",
        "list-subscribe",
        "list-owner",
        "list-archive",
        "mailing-list",
        "x-mailing-list",
        "x-beenthere",
        "precedence",
        "x-list",
    }
)
_RESENT_ADDRESS = {"resent-from", "resent-sender", "resent-to", "resent-cc", "resent-bcc", "resent-reply-to"}
_SINGLETONS = ("from", "sender", "reply-to", "to", "cc", "subject", "date", "message-id", "in-reply-to", "references")


# Each helper reads a field's (value, decoded, defects) in one step: the tuple HeaderField caches
# behind its ``value``, ``decoded`` and ``defects`` properties (one lookup instead of three).


def _address_field(f: HeaderField) -> AddressField:
    value, decoded, field_defects = f.parts
    addresses, defects = parse_address_list(value)
    return make_address_field(
        f.index, f.name, decoded, addresses, (*field_defects, *defects) if defects else field_defects
    )


def _text_field(f: HeaderField) -> TextField:
    value, decoded, defects = f.parts
    ids = tuple(_ID.findall(value)) if "<" in value else ()
    return make_text_field(f.index, f.name, value, decoded, ids, defects)


def _date_field(f: HeaderField) -> DateField:
    value, _, field_defects = f.parts
    stamp, defects = parse_date(value)
    return make_date_field(f.index, f.name, value, stamp, (*field_defects, *defects) if defects else field_defects)


def _originating_ip(f: HeaderField) -> OriginatingIP:
    value, _, defects = f.parts
    for token in _IP_TOKEN.findall(value):
        try:
            ip = ipaddress.ip_address(token.strip(":"))
        except ValueError:
            continue
        return make_originating_ip(f.index, f.name, value, str(ip), defects)
    return make_originating_ip(
        f.index, f.name, value, None, (*defects, Defect("header.no_ip", f"{f.name} holds no IP address"))
    )


_BY_INDEX = attrgetter("index")
# What extract_headers does with each field name it reads (one dict lookup per name in the message),
# and where the result goes among the arguments of make_headers (Headers' fields in order).
_ONE_ADDRESS, _ONE_DATE, _ONE_TEXT, _ALL_ADDRESS, _ALL_ORIGINATING, _ALL_LIST = range(6)
_AT = HEADERS_POSITION
_ROUTE: dict[str, tuple[int, int]] = {
    **{key: (_ONE_ADDRESS, _AT[attr]) for key, attr in _SINGLE_ADDRESS.items()},
    "date": (_ONE_DATE, _AT["date"]),
    **{key: (_ONE_TEXT, _AT[attr]) for key, attr in _SINGLE_TEXT.items()},
    **{key: (_ALL_ADDRESS, _AT[attr]) for key, attr in _MULTI_ADDRESS.items()},
    **dict.fromkeys(ORIGINATING_IP_FIELDS, (_ALL_ORIGINATING, -1)),
    **dict.fromkeys(_LIST_FIELDS, (_ALL_LIST, -1)),
}
#: Every field name extract_headers reads (lower case).
ROUTED_KEYS = frozenset(_ROUTE)
_ORIGINATING_AT, _RESENT_AT, _LISTS_AT, _DEFECTS_AT = (
    _AT[k] for k in ("originating_ip", "resent", "list_fields", "defects")
)


def extract_headers(message: Message) -> Headers:
    """Parse the originator, envelope, resent and list fields of ``message``."""
    slots = list(HEADERS_DEFAULTS)
    originating: list[OriginatingIP] = []
    lists: list[TextField] = []
    defects: list[Defect] = []
    has_resent = False
    repeated = False  # a one-instance field stands more than once (checked against _SINGLETONS below)

    by_key = message._by_key
    route = _ROUTE.get
    for key, found in by_key.items():
        routed = route(key)
        if routed is None:
            if key.startswith("resent-"):
                has_resent = True
            continue
        kind, at = routed
        if kind <= _ONE_TEXT:
            if len(found) > 1:
                repeated = True
            if kind == _ONE_TEXT:
                slots[at] = _text_field(found[0])
            elif kind == _ONE_ADDRESS:
                slots[at] = _address_field(found[0])
            else:
                slots[at] = _date_field(found[0])
        elif kind == _ALL_ADDRESS:
            slots[at] = tuple(map(_address_field, found))
        elif kind == _ALL_ORIGINATING:
            originating.extend(map(_originating_ip, found))
        else:
            lists.extend(map(_text_field, found))

    if has_resent:
        slots[_RESENT_AT] = _resent_blocks(message)
    if originating:
        if len(originating) > 1:
            originating.sort(key=_BY_INDEX)
        slots[_ORIGINATING_AT] = tuple(originating)
    if lists:
        if len(lists) > 1:
            lists.sort(key=_BY_INDEX)
        slots[_LISTS_AT] = tuple(lists)

    # Every name in _SINGLETONS is routed to a one-instance kind, so with no repeat there is nothing to report.
    for name in _SINGLETONS if repeated else ():
        count = len(by_key.get(name, ()))
        if count > 1:
            defects.append(
                Defect("header.duplicate", f"{count} {name} fields; RFC 5322 allows one (the topmost is used)")
            )
    if "from" not in by_key:
        defects.append(Defect("header.from_missing", "no From field (RFC 5322 requires one)"))
    if "date" not in by_key:
        defects.append(Defect("header.date_missing", "no Date field (RFC 5322 requires one)"))

    if defects:
        slots[_DEFECTS_AT] = tuple(defects)
    return make_headers(*slots)


def _resent_blocks(message: Message) -> tuple[ResentBlock, ...]:
    """The ``Resent-*`` blocks: runs of adjacent Resent fields, a repeated name starting a new block."""
    blocks: list[list[AddressField | DateField | TextField]] = []
    block_open = False
    for f in message.fields:
        key = f.name.lower()
        if not key.startswith("resent-"):
            block_open = False
            continue
        item: AddressField | DateField | TextField
        if key == "resent-date":
            item = _date_field(f)
        elif key in _RESENT_ADDRESS:
            item = _address_field(f)
        else:
            item = _text_field(f)
        names = {x.name.lower() for x in blocks[-1]} if block_open else set()
        if not block_open or key in names:
            blocks.append([])
        blocks[-1].append(item)
        block_open = True
    return tuple(_resent_block(b) for b in blocks)


def _resent_block(items: list[AddressField | DateField | TextField]) -> ResentBlock:
    names = {x.name.lower() for x in items}
    defects = []
    if "resent-date" not in names:
        defects.append(Defect("resent.date_missing", "a Resent block without Resent-Date (RFC 5322 3.6.6)"))
    if "resent-from" not in names:
        defects.append(Defect("resent.from_missing", "a Resent block without Resent-From (RFC 5322 3.6.6)"))
    return ResentBlock(fields=tuple(items), defects=tuple(defects))
