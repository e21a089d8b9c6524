"""Build the typed :class:`~mailtrace.model.headers.Headers` view of a message."""

from __future__ import annotations

import ipaddress
import re

from mailtrace.defects import Defect
from mailtrace.model.fields import HeaderField, Message
from mailtrace.model.headers import (
    AddressField,
    DateField,
    Headers,
    OriginatingIP,
    ResentBlock,
    TextField,
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


def _address_field(f: HeaderField) -> AddressField:
    addresses, defects = parse_address_list(f.value)
    return AddressField(
        index=f.index, name=f.name, value=f.decoded, addresses=addresses, defects=(*f.defects, *defects)
    )


def _text_field(f: HeaderField) -> TextField:
    ids = tuple(m.group(1) for m in _ID.finditer(f.value)) if "<" in f.value else ()
    return TextField(index=f.index, name=f.name, value=f.value, decoded=f.decoded, ids=ids, defects=f.defects)


def _date_field(f: HeaderField) -> DateField:
    stamp, defects = parse_date(f.value)
    return DateField(index=f.index, name=f.name, value=f.value, timestamp=stamp, defects=(*f.defects, *defects))


def _originating_ip(f: HeaderField) -> OriginatingIP:
    for token in _IP_TOKEN.findall(f.value):
        try:
            ip = ipaddress.ip_address(token.strip(":"))
        except ValueError:
            continue
        return OriginatingIP(index=f.index, name=f.name, value=f.value, ip=str(ip), defects=f.defects)
    return OriginatingIP(
        index=f.index,
        name=f.name,
        value=f.value,
        ip=None,
        defects=(*f.defects, Defect("header.no_ip", f"{f.name} holds no IP address")),
    )


def extract_headers(message: Message) -> Headers:
    """Parse the originator, envelope, resent and list fields of ``message``."""
    kw: dict[str, object] = {}
    multi: dict[str, list[AddressField]] = {v: [] for v in _MULTI_ADDRESS.values()}
    originating: list[OriginatingIP] = []
    lists: list[TextField] = []
    blocks: list[list[AddressField | DateField | TextField]] = []
    block_open = False
    defects: list[Defect] = []
    counts: dict[str, int] = {}
    has_resent = False

    by_key = message._by_key
    for key, found in by_key.items():
        counts[key] = len(found)
        f = found[0]
        if key in _SINGLE_ADDRESS:
            kw[_SINGLE_ADDRESS[key]] = _address_field(f)
        elif key == "date":
            kw["date"] = _date_field(f)
        elif key in _SINGLE_TEXT:
            kw[_SINGLE_TEXT[key]] = _text_field(f)
        elif key in _MULTI_ADDRESS:
            multi[_MULTI_ADDRESS[key]] = [_address_field(x) for x in found]
        elif key in ORIGINATING_IP_FIELDS:
            originating.extend(_originating_ip(x) for x in found)
        elif key in _LIST_FIELDS:
            lists.extend(_text_field(x) for x in found)
        elif key.startswith("resent-"):
            has_resent = True

    if has_resent:
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
    originating.sort(key=lambda o: o.index)
    lists.sort(key=lambda t: t.index)

    for name in _SINGLETONS:
        if counts.get(name, 0) > 1:
            defects.append(
                Defect("header.duplicate", f"{counts[name]} {name} fields; RFC 5322 allows one (the topmost is used)")
            )
    if "from" not in counts:
        defects.append(Defect("header.from_missing", "no From field (RFC 5322 requires one)"))
    if "date" not in counts:
        defects.append(Defect("header.date_missing", "no Date field (RFC 5322 requires one)"))

    resent = tuple(_resent_block(b) for b in blocks)
    return Headers(
        **kw,  # type: ignore[arg-type]
        **{k: tuple(v) for k, v in multi.items()},  # type: ignore[arg-type]
        originating_ip=tuple(originating),
        resent=resent,
        list_fields=tuple(lists),
        defects=tuple(defects),
    )


def _resent_block(items: list[AddressField | DateField | TextField]) -> ResentBlock:
    names = {x.name.lower() for x in items}
    defects = []
    if "resent-date" not in names:
        defects.append(Defect("resent.date_missing", "a Resent block without Resent-Date (RFC 5322 3.6.6)"))
    if "resent-from" not in names:
        defects.append(Defect("resent.from_missing", "a Resent block without Resent-From (RFC 5322 3.6.6)"))
    return ResentBlock(fields=tuple(items), defects=tuple(defects))
