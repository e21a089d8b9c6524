"""DNS answers as typed evidence: what a lookup said, never an ambiguous empty list.

RFC 1035 section 4.1.1 defines the response codes; RFC 2308 section 2 the two
negative answers this module keeps apart: NXDOMAIN (the name does not exist)
and NODATA (the name exists, the type does not). A timeout or a server
failure is a *temporary* condition and is never reported as "no record".
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from mailtrace.errors import ConfigurationError


class Status(StrEnum):
    """The outcome of one DNS question (RFC 1035 RCODEs, RFC 2308 NODATA, plus a timeout)."""

    NOERROR = "NOERROR"  #: the name and type exist; ``records`` holds the data
    NXDOMAIN = "NXDOMAIN"  #: the name does not exist (RCODE 3)
    NODATA = "NODATA"  #: the name exists but holds no record of this type (RFC 2308 section 2.2)
    SERVFAIL = "SERVFAIL"  #: the server could not answer (RCODE 2, REFUSED, no usable server)
    TIMEOUT = "TIMEOUT"  #: no answer in time (or the analysis' DNS budget is spent)

    @property
    def temporary(self) -> bool:
        """True for SERVFAIL and TIMEOUT: the question may have an answer later."""
        return self in (Status.SERVFAIL, Status.TIMEOUT)

    @property
    def negative(self) -> bool:
        """True for NXDOMAIN and NODATA: the DNS says there is no such record."""
        return self in (Status.NXDOMAIN, Status.NODATA)


#: Record types the verification layer asks for; others are accepted but seldom useful.
KNOWN_TYPES = frozenset({"A", "AAAA", "MX", "TXT", "PTR", "CNAME", "SPF", "NS", "SOA"})


def normalize_name(name: str) -> str:
    """Lower-case, no trailing dot: the one spelling every resolver and zone uses as a key."""
    return name.strip().rstrip(".").lower()


def normalize_type(rtype: str) -> str:
    text = rtype.strip().upper()
    if not text or not text.isalnum() or len(text) > 10:
        raise ConfigurationError(f"not a DNS record type: {rtype!r}")
    return text


@dataclass(frozen=True, slots=True, kw_only=True)
class Answer:
    """One DNS answer in presentation form.

    ``records`` are strings: A/AAAA addresses, ``"10 mx.example"`` for MX,
    target names (no trailing dot) for PTR/CNAME/NS, and TXT/SPF records with
    their character-strings concatenated (RFC 7208 section 3.3, RFC 6376
    section 3.6.2.2). ``ttl`` is the record (or negative-caching) TTL in
    seconds when known; ``detail`` says why a failure happened.
    """

    name: str
    rtype: str
    status: Status
    records: tuple[str, ...] = ()
    ttl: int | None = None
    detail: str = ""

    def __post_init__(self) -> None:
        if self.status is Status.NOERROR and not self.records:
            object.__setattr__(self, "status", Status.NODATA)
        if self.status is not Status.NOERROR and self.records:
            object.__setattr__(self, "records", ())

    @property
    def temporary(self) -> bool:
        return self.status.temporary

    @property
    def negative(self) -> bool:
        return self.status.negative

    def describe(self) -> str:
        """A short human phrase: ``TXT x._domainkey.example: NXDOMAIN``."""
        tail = f" ({self.detail})" if self.detail else ""
        return f"{self.rtype} {self.name}: {self.status.value}{tail}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.rtype,
            "status": self.status.value,
            "records": list(self.records),
            "ttl": self.ttl,
            "detail": self.detail,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Answer:
        """The inverse of :meth:`to_dict` (raises ConfigurationError on a malformed entry)."""
        try:
            records = data.get("records") or []
            ttl = data.get("ttl")
            return cls(
                name=normalize_name(str(data["name"])),
                rtype=normalize_type(str(data["type"])),
                status=Status(str(data["status"]).upper()),
                records=tuple(str(r) for r in records),
                ttl=None if ttl is None else int(ttl),
                detail=str(data.get("detail") or ""),
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise ConfigurationError(f"malformed DNS answer {data!r}: {exc}") from None


def nxdomain(name: str, rtype: str, detail: str = "") -> Answer:
    return Answer(name=name, rtype=rtype, status=Status.NXDOMAIN, detail=detail)


def temporary_failure(name: str, rtype: str, detail: str, *, timeout: bool = True) -> Answer:
    return Answer(name=name, rtype=rtype, status=Status.TIMEOUT if timeout else Status.SERVFAIL, detail=detail)
