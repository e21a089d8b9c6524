"""Findings from the trace itself: links, time, HELO, private addresses, implausible lines.

RFC 5321 section 4.4 (trace information), RFC 5321 section 4.1.4 (the HELO
argument), RFC 5322 section 3.6.1 (``Date:``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta

from mailtrace.model.received import Received
from mailtrace.trace.border import crossing_line_missing
from mailtrace.trace.hosts import clean_host, is_internal_ip, is_ip, is_public_ip, org_domain, same_ip, same_org
from mailtrace.trace.model import BorderMethod, DelayStatus, Evidence, HopView, LinkStatus, Path, Role, make_evidence
from mailtrace.trace.stamps import stamp_writer
from mailtrace.verdict.catalogue import Finding, Severity, finding

#: A negative delay larger than this is "time going backwards" (medium); smaller ones (beyond the tolerance) are skew.
BACKWARDS_BOUND = 3600.0
#: A hop stamped later than the recipient's delivery (or the analysis clock) by more than this is "in the future".
FUTURE_BOUND = timedelta(minutes=15)

#: Border methods that no receiver stamp or configuration confirmed.
_UNSTAMPED = (BorderMethod.ORGANISATION, BorderMethod.CONTINUITY)

_POSTFIX_ID = re.compile(r"[0-9A-F]{5,20}|[0-9B-DF-HJ-NP-TV-Zb-df-hj-np-tv-z]{10,20}")
_EXIM_ID = re.compile(r"[0-9A-Za-z]{6}-[0-9A-Za-z]{6,11}-[0-9A-Za-z]{2,4}")


def _ev(h: HopView, text: str) -> Evidence:
    return make_evidence(text, "Received", h.header_index, h.received_index)


def _fmt(seconds: float) -> str:
    s = abs(int(seconds))
    if s >= 86400:
        return f"{s // 86400} d {(s % 86400) // 3600} h"
    if s >= 3600:
        return f"{s // 3600} h {(s % 3600) // 60} min"
    if s >= 60:
        return f"{s // 60} min {s % 60} s"
    return f"{s} s"


#: An offset within this many seconds of a whole number of half-hours, up to 26 h (the widest gap between
#: two zone offsets, -12:00 to +14:00), reads as a time written with the wrong zone offset.
ZONE_SLACK = 120


def _zone_hint(seconds: float) -> str:
    """A clause for an offset of about a whole number of hours (or half-hours, as +05:30 zones give).

    A time written under the wrong zone offset is off by exactly that much: a server on the wrong
    zone or a missed daylight-saving change, or a forger who wrote the line in their own zone. The
    finding and its severity stand; the clause tells the analyst how the time went wrong.
    """
    s = abs(seconds)
    off = s % 1800
    if s < 1800 - ZONE_SLACK or s > 26 * 3600 + ZONE_SLACK or min(off, 1800 - off) > ZONE_SLACK:
        return ""
    hours = round(s / 1800) / 2
    return f" (within {ZONE_SLACK // 60} min of {hours:g} h: a time written with the wrong zone offset)"


def trace_findings(
    path: Path, received: Sequence[Received], now: datetime | None, forwarded: bool = False
) -> list[Finding]:
    """Findings on the trace; ``forwarded`` (forwarding evidence present) silences the recipient-relay check."""
    out: list[Finding] = []
    if not received:
        out.append(
            finding("trace.no_received", "The message carries no Received: lines, so no path can be reconstructed.")
        )
        return out
    if path.internal:
        orgs = sorted({h.organisation for h in path.hops if h.organisation})
        where = ", ".join(orgs) or "one organisation"
        out.append(finding("trace.internal", f"No border was crossed: every hop is inside {where}."))
    border = path.border
    if border is not None and border.method in _UNSTAMPED:
        out.append(
            finding(
                "trace.border_unstamped",
                f"The border (received[{border.index}], client {border.ip or '?'}) was placed by organisational "
                "domain; "
                "no receiver stamp or configuration confirmed it.",
                border.evidence,
            )
        )
    # with the crossing line missing, the line at the border is the recipient's own internal hand-off
    gap = border is not None and crossing_line_missing(border, path.hops)
    out.extend(_stamps(path, gap))
    open_relay = Role.OPEN_RELAY
    for actor in path.actors:
        for relay in actor.roles:
            if relay.role is not open_relay:
                continue
            out.append(
                finding(
                    "trace.open_relay",
                    f"{actor.name} relayed the message without authentication and is named nowhere else in it "
                    "(not From, Return-Path or a DKIM signer): an open relay or a compromised third-party server.",
                    relay.evidence,
                )
            )
            break  # the actor's first open-relay role
    rdom = _recipient_org(path, received)
    rest = [*_times(path, now), *_helo(path, received, rdom, gap), *_below_border(path, received, forwarded, rdom)]
    out.extend(_weigh_links(_links(path), rest))
    out.extend(rest)
    return out


def _stamps(path: Path, gap: bool) -> list[Finding]:
    """The recipient border against the receivers' own stamps (RFC 7208 section 9.1, RFC 8601 section 2.5).

    A border read from a stamp whose client no ``Received:`` line shows is reported (the crossing line is
    missing); a stamp whose writer is a host of the trace at or above the border, naming another public client,
    disagrees with the border. Stamps by names the trace never shows are ignored: nothing ties them to this path.
    ``gap``: the crossing line is missing (:func:`mailtrace.trace.border.crossing_line_missing`).
    """
    border = path.border
    if border is None:
        return []
    out: list[Finding] = []
    if gap:
        first = border.evidence[0] if border.evidence else None
        out.append(
            finding(
                "trace.crossing_line_missing",
                f"{border.receiver or 'The receiver'} stamped client {border.ip or '?'} "
                f"({first.header if first is not None and first.header else 'a stamp'}), but no Received line shows "
                f"that address: the line recording the crossing is missing; the border is placed at "
                f"received[{border.index}], the lowest line {border.receiver or 'that host'} wrote.",
                border.evidence,
            )
        )
    seen: set[str] = set()
    for s in path.stamps:
        if s.ip in seen or same_ip(s.ip, border.ip) or not is_public_ip(s.ip):
            continue
        w = stamp_writer(s, path.hops)
        if w is None or w.received_index is None or w.received_index > border.index:
            continue
        seen.add(s.ip)
        out.append(
            finding(
                "trace.border_stamp_disagreement",
                f"{s.authserv_id}, which wrote received[{w.received_index}] on the recipient's side, stamped client "
                f"{s.ip} ({s.header}), but the border found in the trace is client {border.ip or '?'} "
                f"(received[{border.index}]).",
                [
                    Evidence(
                        text=f"{s.header} by {s.authserv_id} names client IP {s.ip}",
                        header=s.header,
                        header_index=s.header_index,
                        hop=w.received_index,
                    ),
                    *border.evidence[:1],
                ],
            )
        )
    return out


def _links(path: Path) -> list[Finding]:
    out: list[Finding] = []
    broken = LinkStatus.BROKEN
    for h in path.hops:
        if h.link is not broken:
            continue
        sev = Severity.LOW if h.trusted else Severity.MEDIUM
        side = "on the recipient's side" if h.trusted else "on the sender's side, where lines can be forged"
        out.append(
            finding(
                "trace.link_broken",
                f"received[{h.received_index}] ({side}): {h.link_note}; a line may be missing or forged.",
                [_ev(h, h.link_note)],
                severity=sev,
            )
        )
    return out


#: Sender-side trace findings that agree with a broken link (an inserted or forged line).
_AGREEING = (
    "trace.time_backwards",
    "trace.time_future",
    "trace.implausible_hop",
    "trace.claims_recipient_relay",
    "trace.helo_recipient_domain",
    "trace.helo_ip_mismatch",
)


def _weigh_links(links: list[Finding], others: Sequence[Finding]) -> list[Finding]:
    """A broken link on the sender's side is ``low`` unless another trace finding there agrees with it.

    Sender-side naming breaks links on its own (an internal host name against the external one, a NAT'd
    relay): alone it is no sign of forgery. With a backwards time, an implausible line or a HELO lie, it is
    (``medium``).
    """
    agree = any(f.code in _AGREEING and f.severity is not Severity.LOW for f in others)
    if agree:
        return links
    return [
        Finding(
            code=f.code,
            severity=Severity.LOW,
            indicates=f.indicates,
            title=f.title,
            message=f.message + " Nothing else in the trace agrees (sender-side naming often breaks a link).",
            evidence=f.evidence,
        )
        if f.severity is Severity.MEDIUM
        else f
        for f in links
    ]


def _times(path: Path, now: datetime | None) -> list[Finding]:
    out: list[Finding] = []
    backwards = DelayStatus.BACKWARDS
    for h in path.hops:
        if h.delay_status is not backwards or h.delay_seconds is None:
            continue
        side = "recipient's side" if h.trusted else "sender's side"
        if -h.delay_seconds <= BACKWARDS_BOUND:
            out.append(
                finding(
                    "trace.clock_skew",
                    f"received[{h.received_index}] ({side}) is stamped {_fmt(h.delay_seconds)} earlier than the hop "
                    "below it: the servers' clocks disagree.",
                    [_ev(h, f"delay {h.delay_seconds:+.0f} s")],
                )
            )
        else:
            out.append(
                finding(
                    "trace.time_backwards",
                    f"received[{h.received_index}] ({side}) is stamped {_fmt(h.delay_seconds)} earlier than the hop "
                    "below it: beyond clock skew, a sign of an inserted or replayed line"
                    f"{_zone_hint(h.delay_seconds)}.",
                    [_ev(h, f"delay {h.delay_seconds:+.0f} s")],
                    severity=Severity.LOW if h.trusted else Severity.MEDIUM,
                )
            )
    # the analysis clock, else the recipient's last hop
    limit = (
        now if now is not None else next((h.timestamp for h in reversed(path.hops) if h.trusted and h.timestamp), None)
    )
    if limit is not None:
        for h in path.hops:
            if h.timestamp is not None and h.timestamp - limit > FUTURE_BOUND:
                ahead = (h.timestamp - limit).total_seconds()
                ref = "the analysis clock" if now else "the recipient's last hop"
                out.append(
                    finding(
                        "trace.time_future",
                        f"received[{h.received_index}] is stamped {_fmt(ahead)} after {ref}{_zone_hint(ahead)}.",
                        [_ev(h, h.timestamp.isoformat())],
                    )
                )
    return out


def _recipient_org(path: Path, received: Sequence[Received]) -> str | None:
    """The organisation of ``path.recipient.domain``, or ``None`` when the border contradicts it.

    ``path.recipient`` is read from the delivery evidence (``mailtrace.trace.recipient``): never from a
    ``To:`` holding the sender's own address or no address (Bcc phishing, scenario 28).
    The client at the recipient's border is outside the recipient's network by definition;
    when the receiver looked up its reverse name in the guessed recipient organisation, the
    guess (from ``To:`` or a ``for`` clause, e.g. a list's own address) names the sender's side.
    """
    rdom = org_domain(path.recipient.domain)
    border = path.border
    if rdom is None or border is None or not 0 <= border.index < len(received):
        return rdom
    if same_org(org_domain(received[border.index].from_.rdns), rdom):
        return None
    return rdom


def _helo(path: Path, received: Sequence[Received], rdom: str | None, gap: bool) -> list[Finding]:
    """``rdom``: the recipient's organisation (:func:`_recipient_org`); ``gap``: the crossing line is missing, so
    the line at the border is the recipient's own internal hand-off: its client is a recipient host, never a
    sender-side claim."""
    out: list[Finding] = []
    border = path.border
    # with a mediator (a list or forwarder: two crossings or more), the lines at or below the earlier crossing
    # are the author's leg, and the author may well be in the recipient's organisation (a list echoing a
    # member's own post)
    earlier = path.borders[-2].index if len(path.borders) >= 2 else None
    # a HELO can claim the recipient's domain only at or below the border (-1: no hop can)
    border_position = _pos(path, border.index) if rdom and border is not None else -1
    for h in path.hops:
        index = h.received_index
        if index is None or index >= len(received) or (gap and h.trusted):
            continue
        claims = h.position <= border_position and (earlier is None or index < earlier)  # not the author's leg
        literal = not h.trusted and h.from_ip
        if not claims and not literal:
            continue  # neither check below applies to this hop
        r = received[index]
        helo = clean_host(r.from_.helo)
        if helo is None:
            continue
        if (
            claims
            and rdom
            and rdom in helo  # the organisational domain of a host name is its tail
            and org_domain(helo) == rdom
            and not same_org(org_domain(r.from_.rdns), rdom)
            and (h.border or is_public_ip(h.from_ip))
        ):
            out.append(
                finding(
                    "trace.helo_recipient_domain",
                    f"The client {h.from_ip or '?'} in received[{h.received_index}] greeted with HELO {helo}, "
                    f"claiming the recipient's own domain {rdom}.",
                    [_ev(h, f"HELO {helo}")],
                )
            )
        # a private literal is a client behind NAT naming its LAN address: normal, not a lie
        if literal and is_ip(helo) and not is_internal_ip(helo) and not same_ip(helo, h.from_ip):
            out.append(
                finding(
                    "trace.helo_ip_mismatch",
                    f"The client in received[{h.received_index}] greeted with the IP literal [{helo}] but connected "
                    f"from {h.from_ip}.",
                    [_ev(h, f"HELO [{helo}] from {h.from_ip}")],
                )
            )
    return out


def _pos(path: Path, index: int) -> int:
    return next((h.position for h in path.hops if h.received_index == index), -1)


def _below_border(path: Path, received: Sequence[Received], forwarded: bool, rdom: str | None) -> list[Finding]:
    """``rdom``: the recipient's own mail domain only (:func:`_recipient_org`): its provider (a shared one, such
    as Microsoft 365) may run the sender's relays too."""
    out: list[Finding] = []
    border = path.border
    if border is None:
        return out
    for h in path.hops:
        if h.trusted or h.synthetic or h.received_index is None or h.received_index >= len(received):
            continue
        r = received[h.received_index]
        if h.from_ip and is_internal_ip(h.from_ip):
            out.append(
                finding(
                    "trace.private_below_border",
                    f"received[{h.received_index}], written on the sender side, shows the private address "
                    f"{h.from_ip}: an internal relay that cannot be verified from outside.",
                    [_ev(h, f"from {h.from_ip}")],
                )
            )
        if rdom and h.organisation == rdom and len(path.borders) < 2 and not forwarded:
            out.append(
                finding(
                    "trace.claims_recipient_relay",
                    f"received[{h.received_index}], below the border, claims to be written by {h.by_host}, a host of "
                    "the recipient's own organisation: those relays cannot appear on the sender side.",
                    [_ev(h, f"by {h.by_host}")],
                )
            )
        problem = _queue_id_problem(r)
        if problem:
            out.append(finding("trace.implausible_hop", f"received[{h.received_index}] {problem}.", [_ev(h, problem)]))
    return out


def _queue_id_problem(r: Received) -> str | None:
    if not r.software or not r.id:
        return None
    soft = r.software.lower()
    if soft not in ("postfix", "exim"):
        return None
    qid = r.id.strip().rstrip(";")
    if not qid:
        return None
    if soft == "postfix" and not _POSTFIX_ID.fullmatch(qid):
        return f"claims Postfix but its queue id {qid!r} does not have Postfix's syntax"
    if soft == "exim" and not _EXIM_ID.fullmatch(qid):
        return f"claims Exim but its message id {qid!r} does not have Exim's syntax"
    return None
