"""A fact learned through DNS, with the method that found it and the answers it rests on."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Any

from mailtrace.dns.answer import Answer


@dataclass(frozen=True, slots=True, kw_only=True)
class Fact:
    """``status`` is the fact's own word (``confirmed``, ``found``, ``listed``, ...), or
    ``not_found`` when DNS says there is none, or ``unknown`` when the DNS could not
    say (a timeout, a refused budget, or an answer that does not read as the
    interface promises: a malformed TXT is never guessed at)."""

    kind: str  #: ``fcrdns``, ``origin``, ``as_name``, ``abuse_contact`` or ``dnsbl``
    method: str
    status: str
    data: dict[str, Any] = field(default_factory=dict)
    reason: str = ""
    evidence: tuple[Answer, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "method": self.method,
            "status": self.status,
            **self.data,
            "reason": self.reason,
            "evidence": [a.to_dict() for a in self.evidence],
        }


def unknown_from(kind: str, method: str, answer: Answer, data: dict[str, Any] | None = None) -> Fact:
    """A fact that a temporary failure (or a refused budget) leaves open."""
    return Fact(
        kind=kind, method=method, status="unknown", data=data or {}, reason=answer.describe(), evidence=(answer,)
    )


def reversed_labels(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    """``192.0.2.1`` -> ``1.2.0.192``; IPv6 as 32 reversed nibbles (the DNSBL and Team Cymru form)."""
    if isinstance(ip, ipaddress.IPv4Address):
        return ".".join(reversed(str(ip).split(".")))
    return ".".join(reversed(ip.exploded.replace(":", "")))


def reverse_name(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    """The PTR owner name: ``1.2.0.192.in-addr.arpa`` or ``....ip6.arpa`` (RFC 1035 3.5, RFC 3596 2.5)."""
    suffix = "in-addr.arpa" if isinstance(ip, ipaddress.IPv4Address) else "ip6.arpa"
    return f"{reversed_labels(ip)}.{suffix}"
