"""The message under construction and the state every step of the builder's walk reads (private)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from mailtrace.testing.built import KeyUse
from mailtrace.testing.dialects import Site
from mailtrace.testing.keys import TestKey
from mailtrace.testing.notation import PathSpec
from mailtrace.testing.scenario import Scenario
from mailtrace.testing.stamps import Outcome
from mailtrace.testing.zone import ZoneBuilder


@dataclass(slots=True)
class Line:
    """One prepended header field; Received lines carry their crossing flag."""

    name: str
    value: str
    crossing: bool = False
    forged: bool = False

    def encode(self) -> bytes:
        return f"{self.name}: {self.value}\r\n".encode()


@dataclass(slots=True)
class Signature:
    domain: str
    selector: str
    key: TestKey
    b: str
    body_intact: bool = True
    headers_intact: bool = True


@dataclass(slots=True)
class State:
    fields: list[Line]
    body: bytes
    clock: datetime
    rng: random.Random
    envelope_from: str
    rcpt: str
    signatures: list[Signature] = field(default_factory=list)
    arc_instances: int = 0
    keys: list[KeyUse] = field(default_factory=list)

    def prepend(self, name: str, value: str, **flags: bool) -> Line:
        line = Line(name, value, **flags)
        self.fields.insert(0, line)
        return line

    def raw(self) -> bytes:
        return b"".join(f.encode() for f in self.fields) + b"\r\n" + self.body

    def tick(self, low: int = 1, high: int = 4) -> datetime:
        self.clock += timedelta(seconds=self.rng.randint(low, high))
        return self.clock


def org_of(domain: str) -> str:
    """Organisational domain of the test domains (two labels; RFC 7489 section 3.2 in miniature)."""
    return ".".join(domain.lower().rstrip(".").split(".")[-2:])


class WalkBase:
    """The attributes the steps of the walk share (set by :class:`mailtrace.testing.walk.Walk`)."""

    spec: PathSpec
    scenario: Scenario
    sites: dict[int, Site]
    names: dict[int, str]
    zone: ZoneBuilder
    rng: random.Random
    tls: bool
    from_domain: str
    from_addr: str
    first_crossing: int | None
    recheck: Outcome | None
    selector: str
    message_id: str | None
    author_ip: str | None
    dmarc_policy: dict[str, str]
    _spf_allowed: dict[str, set[str]]
    authserv: dict[int, str]

    @property
    def signer(self) -> int | None:
        """The last sender-side actor with MSA or Transmitter before the first crossing: it signs."""
        if self.first_crossing is None:
            return None
        candidates = [
            i
            for i in self.sites
            if i <= self.first_crossing and (self.spec.actors[i].has("Transmitter") or self.spec.actors[i].has("MSA"))
        ]
        return max(candidates) if candidates else None

    @property
    def resent_signer(self) -> int | None:
        """On a re-sent message (scenario 14): the re-sender's last MSA/Transmitter before its crossing."""
        r = self.spec.resender
        if r is None:
            return None
        crossing = next((n for n, link in enumerate(self.spec.links) if link.crossing and n >= r), None)
        if crossing is None:
            return None
        candidates = [i for i in self.sites if r < i <= crossing and not self.spec.actors[i].has("Receiver")]
        return max(candidates) if candidates else None

    @property
    def _final_rcpt(self) -> str:
        """The final mailbox: ``bob@`` the last Receiver's domain."""
        return f"bob@{self.sites[max(self.sites)].domain}"
