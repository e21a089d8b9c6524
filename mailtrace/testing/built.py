"""What the builder returns: the message, its zone, its keys, and what analysis must give back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mailtrace.testing.keys import TestKey
from mailtrace.testing.notation import PathSpec
from mailtrace.testing.scenario import ImpliedVerdict, Scenario


@dataclass(frozen=True, slots=True, kw_only=True)
class KeyUse:
    """A key the builder signed with and where its public half is published."""

    purpose: str  #: ``dkim`` or ``arc``
    domain: str
    selector: str
    key: TestKey
    revoked: bool = False

    @property
    def record_name(self) -> str:
        return f"{self.selector}._domainkey.{self.domain}"

    def to_dict(self) -> dict[str, Any]:
        return {"purpose": self.purpose, "domain": self.domain, "selector": self.selector, "revoked": self.revoked}


@dataclass(frozen=True, slots=True, kw_only=True)
class Expected:
    """What analysing the built message must give back (the round-trip contract)."""

    notation: str
    border_index: int | None  #: ``received[]`` index (0 = top) of the recipient's border crossing
    borders: tuple[int, ...]  #: every crossing's ``received[]`` index, earliest crossing first
    verdict: ImpliedVerdict
    spf: str | None  #: SPF at the recipient's crossing, re-checked against the zone
    dkim: tuple[tuple[str, str], ...]  #: (d=, result word) per signature, top signature first
    dmarc: str | None
    forged_indexes: tuple[int, ...]  #: ``received[]`` indexes of the lines the sender forged

    def to_dict(self) -> dict[str, Any]:
        return {
            "notation": self.notation,
            "border_index": self.border_index,
            "borders": list(self.borders),
            "verdict": str(self.verdict),
            "spf": self.spf,
            "dkim": [list(x) for x in self.dkim],
            "dmarc": self.dmarc,
            "forged_indexes": list(self.forged_indexes),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class BuiltMessage:
    """A built message, the DNS zone that makes its scenario true, and what analysis must find."""

    raw: bytes
    zone: dict[str, dict[str, list[str]]]
    keys: tuple[KeyUse, ...]
    path: PathSpec
    scenario: Scenario
    dialects: tuple[str, ...]  #: the dialect of each relaying actor, in path order
    expected: Expected
    envelope_from: str  #: as the final MDA saw it (``Return-Path``)
    recipient: str

    @property
    def notation(self) -> str:
        return self.path.notation

    def resolver(self) -> Any:
        """The zone as a :class:`mailtrace.dns.OfflineZone`."""
        from mailtrace.dns import OfflineZone

        return OfflineZone.from_dict(self.zone)

    def policy(self, **changes: Any) -> Any:
        """A :class:`mailtrace.Policy` that resolves through the zone."""
        from mailtrace.policy import Policy

        return Policy(resolver=self.resolver(), **changes)

    def analyze(self, **policy_changes: Any) -> Any:
        """Analyse the message against its own zone."""
        from mailtrace.analyze import analyze

        return analyze(self.raw, policy=self.policy(**policy_changes), name="<built>")

    def to_dict(self) -> dict[str, Any]:
        """Provenance and expectations (not the bytes)."""
        return {
            "path": self.path.notation,
            "dialects": list(self.dialects),
            "scenario": self.scenario.to_dict(),
            "keys": [k.to_dict() for k in self.keys],
            "envelope_from": self.envelope_from,
            "recipient": self.recipient,
            "expected": self.expected.to_dict(),
        }
