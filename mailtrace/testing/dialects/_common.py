"""What a relay knows when it writes its ``Received:`` line (RFC 5321 section 4.4), and shared formatting."""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import StrEnum


class HopKind(StrEnum):
    """Which handover a ``Received:`` line records."""

    SUBMISSION = "submission"  #: from the Author's client (RFC 6409), authenticated or not
    RELAY = "relay"  #: from another actor's relay over SMTP
    INTERNAL = "internal"  #: between two relays of the same actor
    ORIGINATE = "originate"  #: a line with no ``from`` clause (local pickup, provider's outbound stage)
    DELIVERY = "delivery"  #: into the mailstore (LMTP / local)


@dataclass(frozen=True, slots=True, kw_only=True)
class HopSpec:
    """The facts one receiving relay records."""

    kind: HopKind
    by_host: str
    when: datetime
    helo: str | None = None  #: the client's HELO/EHLO argument
    rdns: str | None = None  #: the client's reverse DNS name (``None``: no PTR)
    ip: str | None = None  #: the client's address
    by_ip: str | None = None
    tls: bool = True
    auth_user: str | None = None  #: set when the client authenticated (ESMTPSA, RFC 3848)
    envelope_from: str | None = None
    recipient: str | None = None

    @property
    def protocol(self) -> str:
        """The RFC 3848 ``with`` keyword."""
        if self.kind is HopKind.DELIVERY:
            return "LMTP"
        base = "ESMTPS" if self.tls else "ESMTP"
        return base + "A" if self.auth_user else base


@dataclass(frozen=True, slots=True, kw_only=True)
class Zone:
    """A relay's local time zone: UTC offset in minutes and the comment some MTAs print."""

    offset_minutes: int
    comment: str | None

    def local(self, when: datetime) -> datetime:
        return when.astimezone(timezone(timedelta(minutes=self.offset_minutes)))


CET = Zone(offset_minutes=60, comment="CET")
PST = Zone(offset_minutes=-480, comment="PST")
UTC = Zone(offset_minutes=0, comment=None)

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def rfc5322_date(when: datetime, zone: Zone, *, pad_day: str = "", comment: bool = True) -> str:
    """``date-time`` of RFC 5322 section 3.3, in ``zone``; ``pad_day`` is ``" "`` (Postfix) or ``"0"``."""
    t = zone.local(when)
    off = zone.offset_minutes
    sign = "+" if off >= 0 else "-"
    hh, mm = divmod(abs(off), 60)
    day = f"{t.day:{pad_day}2d}" if pad_day else str(t.day)
    text = f"{_DAYS[t.weekday()]}, {day} {_MONTHS[t.month - 1]} {t.year} {t:%H:%M:%S} {sign}{hh:02d}{mm:02d}"
    if comment and zone.comment:
        text += f" ({zone.comment})"
    return text


def ip_literal(ip: str) -> str:
    """RFC 5321 address literal contents: ``192.0.2.1`` or ``IPv6:2001:db8::1``."""
    return f"IPv6:{ip}" if ":" in ip else ip


def token(rng: random.Random, length: int, alphabet: str = string.ascii_letters + string.digits) -> str:
    return "".join(rng.choice(alphabet) for _ in range(length))


def fold_words(text: str, *, width: int = 78, indent: str = " ") -> str:
    """Fold at spaces (RFC 5322 section 2.2.3) so no line is longer than ``width`` (Exchange style)."""
    words = text.split(" ")
    lines: list[str] = []
    line = ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return ("\r\n" + indent).join(lines)
