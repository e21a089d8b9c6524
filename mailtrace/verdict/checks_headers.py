"""Findings from the originator fields: ``From:`` display names, ``Reply-To``, ``Return-Path``,
``Message-ID`` and ``Date`` against the path (RFC 5322 sections 3.6.2 to 3.6.4, RFC 5321 section 4.4).
"""

from __future__ import annotations

import re
from datetime import timedelta

from mailtrace.model.headers import AddressField, DateField, Headers
from mailtrace.trace.forwarding import ForwardingSignals
from mailtrace.trace.hosts import address_domain, org_domain, same_org
from mailtrace.trace.model import Evidence, Path, make_evidence
from mailtrace.verdict.catalogue import Finding, Severity, finding
from mailtrace.verdict.display_name import display_name_findings, visible_text
from mailtrace.verdict.from_identity import FromIdentity, from_evidence, from_findings, from_identity
from mailtrace.verdict.orgs import may_be_org

_ADDRESS = re.compile(r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}")
_MSGID_DOMAIN = re.compile(r"@([A-Za-z0-9.-]{1,253})>?\s*$")
#: Free-mail providers: a Reply-To there, unrelated to From:, is the classic reply-to hijack.
FREEMAIL = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "ymail.com",
        "hotmail.com",
        "outlook.com",
        "live.com",
        "msn.com",
        "aol.com",
        "mail.ru",
        "yandex.ru",
        "yandex.com",
        "gmx.com",
        "gmx.de",
        "gmx.net",
        "web.de",
        "protonmail.com",
        "proton.me",
        "icloud.com",
        "me.com",
        "zoho.com",
        "qq.com",
        "163.com",
        "126.com",
    }
)
_FREEMAIL_LABELS = frozenset({"freemail", "webmail"})
#: Mailbox names shared by many organisations: the same one in From: and Reply-To: says nothing of the person.
_ROLE_MAILBOXES = frozenset(
    {
        "abuse", "account", "accounts", "admin", "alert", "alerts", "billing", "contact", "customerservice",
        "help", "hello", "info", "mail", "mailer", "marketing", "news", "newsletter", "noreply", "no-reply",
        "notification", "notifications", "office", "orders", "postmaster", "reply", "sales", "security",
        "service", "support", "team", "webmaster",
    }
)  # fmt: skip
DATE_AFTER_DELIVERY = timedelta(hours=1)
DATE_BEFORE_FIRST_HOP = timedelta(days=7)


def unregistrable_from(identity: FromIdentity, path: Path, authenticated: bool) -> list[Finding]:
    """``header.from_unregistrable``: the From: domain is a name nobody can register (a single label, a name
    under a top-level domain the Public Suffix List does not know, a public suffix itself, an address
    literal), on mail that came in from outside, with nothing authenticating that domain (``authenticated``:
    an aligned pass, stamped or re-checked; a receiver that found DNS for the domain found a domain).
    Internal mail (no crossing) may carry a host's own name (``root@mailhost``) and is left alone; the
    reserved example names (``.example``, ``.test``, ``.invalid``) count as domains (``org_domain``)."""
    domain = identity.domain
    if domain is None or authenticated or path.internal or path.border is None or org_domain(domain) is not None:
        return []
    border = path.border
    return [
        finding(
            "header.from_unregistrable",
            f"From: {identity.address or domain} is at {domain}, a name under no public suffix: no organisation "
            f"answers for it, nothing authenticated it, and replies cannot reach it. The message came in from "
            f"outside ({border.client or border.ip or 'a client'} -> {border.receiver or 'the border'}).",
            from_evidence(identity),
        )
    ]


def _fev(f: AddressField, text: str) -> Evidence:
    return make_evidence(text, f.name, f.index, None)


def header_findings(
    headers: Headers,
    path: Path,
    signals: ForwardingSignals,
    identity: FromIdentity | None = None,
    original_from: frozenset[str] = frozenset(),
) -> list[Finding]:
    """``original_from``: the addresses of ``X-Original-From:`` (lower case), where a list put the author."""
    identity = identity if identity is not None else from_identity(headers)
    out: list[Finding] = from_findings(identity)
    from_addr = identity.mailbox  # the mailbox receivers authenticate, not the first RFC 5322 one
    from_org = org_domain(from_addr.domain) if from_addr is not None else None
    related = {o for o in (from_org, *signals.domains) if o}
    if headers.sender is not None and headers.sender.first is not None:
        s = org_domain(headers.sender.first.domain)
        if s:
            related.add(s)
    if headers.from_ is not None and from_addr is not None and identity.display_name:
        # the name as it shows (invisible characters and styling dropped): "ser\u034fvice@..." shows an address
        out.extend(_display_name(headers.from_, visible_text(identity.display_name), from_addr.address, signals))
        rewrite = " via " in identity.display_name.lower() and bool(signals.lists)
        out.extend(display_name_findings(identity, list_rewrite=rewrite))
    authors = _list_authors(headers, identity, from_org, signals, original_from)
    if headers.reply_to is not None and from_org:
        for a in headers.reply_to.addresses:
            org = org_domain(a.domain)
            if (a.address or "").lower() in authors:
                continue  # a list rewrote From: to its own address and kept the author here: mediation, not hijack
            if org and not any(same_org(org, r) for r in related):
                free = org in FREEMAIL or org.split(".", 1)[0] in _FREEMAIL_LABELS
                # a domain that no hop, bounce address or forwarder of the message belongs to
                stranger = not any(same_org(org, o) for o in _path_orgs(path) | _return_path_orgs(headers))
                # the author's own other mailbox (vincent@diva.ie, Reply-To vincent@cunniffe.net); never at a
                # free-mail provider, where the same name is the business-email-compromise pattern
                own = not free and from_addr is not None and _same_person(from_addr.local_part, a.local_part)
                why = (
                    " (a free-mail provider: the classic reply-to hijack)."
                    if free
                    else " (the same mailbox name as From:, likely the author's own other address)."
                    if own
                    else " (a domain that appears nowhere else in the message)."
                    if stranger
                    else "."
                )
                out.append(
                    finding(
                        "header.reply_to_unrelated",
                        f"Replies go to {a.address}, at {org}, a domain unrelated to From: "
                        f"{from_addr.domain if from_addr else '?'}" + why,
                        [_fev(headers.reply_to, f"Reply-To: {a.address}")],
                        severity=None if free or (stranger and not own) else Severity.LOW,
                    )
                )
                break
    if headers.return_path and from_org and not signals.srs:
        rp = headers.return_path[0]
        bounce = rp.first
        org = org_domain(bounce.domain) if bounce is not None else None
        if bounce is not None and not bounce.null and org and not any(same_org(org, r) for r in related):
            out.append(
                finding(
                    "header.return_path_unrelated",
                    f"Bounces go to {bounce.address}, at {org}, unrelated to From: "
                    f"{from_addr.domain if from_addr else '?'} "
                    "(normal for bulk senders and forwarders; worth a look otherwise).",
                    [_fev(rp, f"Return-Path: {bounce.address}")],
                )
            )
    out.extend(_message_id(headers, path))
    out.extend(_date(headers, path))
    return out


def _list_authors(
    headers: Headers,
    identity: FromIdentity,
    from_org: str | None,
    signals: ForwardingSignals,
    original_from: frozenset[str],
) -> frozenset[str]:
    """The author's addresses when a list rewrote From: to its own (Mailman's DMARC mitigation, scenario 26).

    The list's fields are present, From: is at the list's domain, and the author is kept elsewhere: the display
    name reads "Name via List", or the author is in ``X-Original-From:`` or ``Cc:``. Every Reply-To address is
    then the author's when the name says "via"; otherwise those found in ``X-Original-From:`` or ``Cc:``.
    """
    if not signals.lists or from_org is None or not any(same_org(from_org, d) for d in signals.list_domains):
        return frozenset()
    cc = {(a.address or "").lower() for a in headers.cc.addresses} if headers.cc is not None else set()
    kept = (original_from | cc) - {""}
    if " via " in f" {(identity.display_name or '').lower()} " and headers.reply_to is not None:
        kept |= {(a.address or "").lower() for a in headers.reply_to.addresses}
    return frozenset(kept)


def _same_person(a: str | None, b: str | None) -> bool:
    """Two local parts that name one person: equal (case aside), three characters or more, no role name."""
    if not a or not b:
        return False
    x = a.lower()
    return x == b.lower() and len(x) >= 3 and x not in _ROLE_MAILBOXES


def _path_orgs(path: Path) -> set[str]:
    return {o for h in path.hops for o in (h.organisation, h.from_organisation) if o}


def _return_path_orgs(headers: Headers) -> set[str]:
    return {o for rp in headers.return_path if rp.first is not None and (o := org_domain(rp.first.domain))}


def _display_name(field: AddressField, name: str, address: str, signals: ForwardingSignals) -> list[Finding]:
    if "@" not in name:
        return []  # no address to show
    for m in _ADDRESS.finditer(name[:512]):
        shown = m.group(0)
        if shown.lower() == (address or "").lower():
            continue
        via_list = " via " in name.lower() and bool(signals.lists)
        if via_list:
            text = f"From: display name {name!r} names {shown}: the list rewrote From: to {address} (DMARC mitigation)."
            return [
                finding(
                    "header.display_name_address",
                    text,
                    [_fev(field, f"From: {field.value[:160]}")],
                    severity=Severity.INFO,
                )
            ]
        same_org = org_domain(address_domain(shown)) == org_domain(address_domain(address))
        text = (
            f"From: display name {name!r} shows the address {shown}, but the message is from {address}: "
            "a reader sees an address the mail is not from."
        )
        return [
            finding(
                "header.display_name_address",
                text,
                [_fev(field, f"From: {field.value[:160]}")],
                severity=Severity.LOW if same_org else None,
            )
        ]
    return []


def _message_id(headers: Headers, path: Path) -> list[Finding]:
    mid = headers.message_id
    if mid is None:
        if path.hops:
            return [
                finding(
                    "header.message_id_inconsistent",
                    "The message has no Message-ID: field; the author's software normally writes one.",
                )
            ]
        return []
    border = path.border
    if border is None or path.internal:
        return []
    at = next((h for h in path.hops if h.received_index == border.index), None)
    org = at.organisation if at is not None else None  # the recipient's organisation
    if not org:
        return []
    m = _MSGID_DOMAIN.search(mid.value.strip()[:1000])
    # the Message-ID's domain is ASCII: without ``org`` in it, no lookup can give ``org`` (verdict.orgs)
    if (
        m is not None
        and may_be_org(m.group(1), org)
        and org_domain(m.group(1)) == org
        and org not in _sender_orgs(path, at.position if at else None)
    ):
        return [
            finding(
                "header.message_id_inconsistent",
                f"Message-ID {mid.value.strip()[:120]} was written in {org}, the recipient's organisation: the "
                "sender's software did not supply one (typical of bulk or bot mail).",
                [Evidence(text=mid.value.strip()[:160], header="Message-ID", header_index=mid.index)],
            )
        ]
    return []


def _sender_orgs(path: Path, border_position: int | None) -> set[str]:
    """Organisations at or below the recipient's border: the border's client and every hop below it.

    Hops above the border (the recipient's own relays and the delivery hop, whose client is the
    recipient's MX) say nothing about who may have written the ``Message-ID``.
    """
    out: set[str] = set()
    for h in path.hops:
        if border_position is None or h.position > border_position:
            continue
        out.update(o for o in (h.from_organisation, None if h.position == border_position else h.organisation) if o)
    return out


def _date(headers: Headers, path: Path) -> list[Finding]:
    date = headers.date
    if date is None or date.timestamp is None:
        if path.hops:
            what = "no Date: field" if date is None else f"a Date: that cannot be read ({date.value[:60]!r})"
            return [finding("header.date_inconsistent", f"The message has {what}.", _date_evidence(date))]
        return []
    stamps = [h.timestamp for h in path.hops if h.timestamp is not None]
    if not stamps:
        return []
    border = path.border
    delivered = border.timestamp if border is not None and border.timestamp else max(stamps)
    first = min(stamps)
    if date.timestamp - delivered > DATE_AFTER_DELIVERY:
        gap = date.timestamp - delivered
        return [
            finding(
                "header.date_inconsistent",
                f"Date: is {_human(gap)} after the recipient's server received the message.",
                _date_evidence(date),
            )
        ]
    if first - date.timestamp > DATE_BEFORE_FIRST_HOP:
        gap = first - date.timestamp
        return [
            finding(
                "header.date_inconsistent",
                f"Date: is {_human(gap)} before the first hop: a stale or forged date (or a long-held draft).",
                _date_evidence(date),
            )
        ]
    return []


def _date_evidence(date: DateField | None) -> list[Evidence]:
    """The evidence of ``header.date_inconsistent``, built only for the finding."""
    return [Evidence(text=date.value[:120], header="Date", header_index=date.index)] if date is not None else []


def _human(delta: timedelta) -> str:
    s = int(delta.total_seconds())
    if s >= 86400:
        return f"{s // 86400} days"
    return f"{s // 3600} h {(s % 3600) // 60} min"
