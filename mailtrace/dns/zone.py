"""An offline zone: DNS answers from a dict, a JSON file or standard zone-file text.

The default resolver for tests, replays of a case file and conformance suites.
Nothing here touches the network. A question the zone does not hold is
NXDOMAIN (or NODATA when the name holds other types); in ``strict`` mode it
raises :class:`ZoneMissError` naming the question, so a test notices a lookup
it did not plan for. Wildcards (RFC 4592, owner ``*.example``) and CNAME
chains (RFC 1034 section 3.6.2, at most 8 links) are followed.

Dict form (names lower-case; a trailing dot is accepted)::

    {"example.com": {"TXT": ["v=spf1 mx -all"], "MX": ["10 mx.example.com"]},
     "mx.example.com": {"A": ["192.0.2.1"]},
     "slow.example": "TIMEOUT",                       # every type times out
     "x.example": {"TXT": {"status": "SERVFAIL"}},    # one type fails
     "y.example": {"TXT": ["..."], "*": "TIMEOUT"}}   # TXT answers, every other type times out

A TXT value may be a list of character-strings (one record), which are
concatenated; an MX value may be ``[10, "mx.example"]``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dns.exception
import dns.name
import dns.rdatatype
import dns.zone

from mailtrace.dns.answer import Answer, Status, normalize_name, normalize_type
from mailtrace.dns.rdata import rdata_text
from mailtrace.errors import ConfigurationError, UnreadableInputError

_MAX_CNAME = 8
_DEFAULT_TTL = 3600
_FAILURES = {s.value: s for s in (Status.NXDOMAIN, Status.NODATA, Status.SERVFAIL, Status.TIMEOUT)}

#: name -> (name-wide failure status or None, {type: (status, records, ttl)})
_Entry = tuple[Status | None, dict[str, tuple[Status, tuple[str, ...], int]]]


class ZoneMissError(ConfigurationError):
    """A strict :class:`OfflineZone` was asked a question it does not hold."""


class OfflineZone:
    """A fixed set of answers. Thread-safe (read-only after construction)."""

    __slots__ = ("_entries", "_memo", "source", "strict")

    def __init__(self, entries: Mapping[str, _Entry], *, strict: bool = False) -> None:
        self._entries: dict[str, _Entry] = dict(entries)
        self.strict = strict
        self.source: str | None = None  #: the zone file read (``from_file``), for the report
        #: answers already computed, by the question as asked (the zone never changes; Answers are immutable)
        self._memo: dict[tuple[str, str], Answer] = {}

    # -- constructors ---------------------------------------------------------------------------
    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, strict: bool = False, ttl: int = _DEFAULT_TTL) -> OfflineZone:
        """Build from ``{name: {TYPE: [records]}}`` (see the module docstring)."""
        if not isinstance(data, Mapping):
            raise ConfigurationError(f"a zone must be a mapping of names, not {type(data).__name__}")
        entries: dict[str, _Entry] = {}
        for raw_name, value in data.items():
            name = normalize_name(str(raw_name))
            failure, types = entries.get(name, (None, {}))
            if isinstance(value, str):
                failure = _status_word(value, raw_name)
            elif isinstance(value, Mapping):
                for raw_type, records in value.items():
                    if raw_type == "*":  # every type not listed gets this status
                        failure = _status_word(str(records), f"{raw_name} *")
                        continue
                    rtype = normalize_type(str(raw_type))
                    types[rtype] = _typed_records(rtype, records, name, ttl)
            else:
                raise ConfigurationError(f"zone entry {raw_name!r}: expected a mapping of types or a status word")
            entries[name] = (failure, types)
        return cls(entries, strict=strict)

    @classmethod
    def from_json(cls, text: str, *, strict: bool = False) -> OfflineZone:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ConfigurationError(f"zone JSON: {exc}") from None
        return cls.from_dict(data, strict=strict)

    @classmethod
    def from_zone_text(cls, text: str, *, strict: bool = False, origin: str = ".") -> OfflineZone:
        """Parse standard master-file text (RFC 1035 section 5): ``name TTL IN TXT "..."``.

        Relative names are relative to ``origin`` (the root unless ``$ORIGIN``
        says otherwise); a missing ``$TTL`` defaults to one hour.
        """
        if "$TTL" not in text.upper():
            text = f"$TTL {_DEFAULT_TTL}\n{text}"
        try:
            zone = dns.zone.from_text(text, origin=dns.name.from_text(origin), relativize=False, check_origin=False)
        except (dns.exception.DNSException, ValueError) as exc:
            raise ConfigurationError(f"zone file: {exc}") from None
        entries: dict[str, _Entry] = {}
        for owner, node in zone.nodes.items():
            name = normalize_name(owner.to_text())
            types: dict[str, tuple[Status, tuple[str, ...], int]] = {}
            for rdataset in node.rdatasets:
                rtype = dns.rdatatype.to_text(rdataset.rdtype)
                records = tuple(rdata_text(rdataset.rdtype, rd) for rd in rdataset)
                types[rtype] = (Status.NOERROR, records, int(rdataset.ttl))
            entries[name] = (None, types)
        return cls(entries, strict=strict)

    @classmethod
    def from_file(cls, path: str | Path, *, strict: bool = False) -> OfflineZone:
        """A JSON zone (starts with ``{``) or zone-file text, read from ``path``."""
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UnreadableInputError(f"{path}: cannot read zone: {exc}") from None
        try:
            zone = (
                cls.from_json(text, strict=strict)
                if text.lstrip().startswith("{")
                else cls.from_zone_text(text, strict=strict)
            )
        except ConfigurationError as exc:
            raise ConfigurationError(f"{path}: {exc}") from None
        zone.source = str(path)
        return zone

    # -- queries --------------------------------------------------------------------------------
    def names(self) -> tuple[str, ...]:
        return tuple(sorted(self._entries))

    def resolve(self, name: str, rtype: str, *, timeout: float | None = None) -> Answer:
        """Answer from the zone, following CNAMEs and wildcards."""
        memo = self._memo.get((name, rtype))
        if memo is not None:
            return memo
        answer = self._resolve(name, rtype)
        if len(self._memo) < 100_000:
            self._memo[(name, rtype)] = answer
        return answer

    def _resolve(self, name: str, rtype: str) -> Answer:
        qname, qtype = normalize_name(name), normalize_type(rtype)
        current = qname
        for _ in range(_MAX_CNAME + 1):
            entry = self._lookup(current)
            if entry is None:
                if self.strict:
                    raise ZoneMissError(f"strict offline zone holds no answer for {qtype} {qname}")
                return Answer(name=qname, rtype=qtype, status=Status.NXDOMAIN, detail="not in the offline zone")
            failure, types = entry
            if qtype in types:
                status, records, ttl = types[qtype]
                return Answer(name=qname, rtype=qtype, status=status, records=records, ttl=ttl)
            if failure is not None:
                return Answer(name=qname, rtype=qtype, status=failure, detail="offline zone")
            cname = types.get("CNAME")
            if cname is not None and cname[1] and qtype != "CNAME":
                current = normalize_name(cname[1][0])
                continue
            if self.strict:
                raise ZoneMissError(f"strict offline zone holds {qname} but no {qtype} answer")
            return Answer(name=qname, rtype=qtype, status=Status.NODATA, ttl=_DEFAULT_TTL)
        # A looping chain: recursive servers answer with the partial chain and no data of the type.
        return Answer(name=qname, rtype=qtype, status=Status.NODATA, detail="CNAME chain too long or looping")

    def _lookup(self, name: str) -> _Entry | None:
        entry = self._entries.get(name)
        if entry is not None:
            return entry
        labels = name.split(".")
        for i in range(1, len(labels)):
            parent = ".".join(labels[i:])
            wildcard = self._entries.get(f"*.{parent}")
            if wildcard is not None:
                return wildcard
            if parent in self._entries:  # closest encloser exists: no wildcard below it applies
                return None
        return None

    def __repr__(self) -> str:
        return f"OfflineZone({len(self._entries)} names, strict={self.strict})"


def _status_word(value: str, where: object) -> Status:
    word = value.strip().upper()
    if word not in _FAILURES:
        raise ConfigurationError(f"zone entry {where!r}: {value!r} is not NXDOMAIN/NODATA/SERVFAIL/TIMEOUT")
    return _FAILURES[word]


def _typed_records(rtype: str, records: Any, name: str, ttl: int) -> tuple[Status, tuple[str, ...], int]:
    if isinstance(records, Mapping):
        status = _status_word(str(records.get("status", "")), f"{name} {rtype}")
        return status, (), int(records.get("ttl", ttl))
    if isinstance(records, str | bytes) or (rtype == "MX" and _is_mx_pair(records)):
        records = [records]
    if not isinstance(records, list | tuple):
        raise ConfigurationError(f"zone entry {name} {rtype}: expected a list of records")
    out: list[str] = []
    for rec in records:
        if isinstance(rec, bytes):
            out.append(rec.decode("utf-8", "replace"))
        elif isinstance(rec, str):
            out.append(normalize_name(rec) if rtype in ("PTR", "CNAME", "NS") else rec)
        elif rtype == "MX" and _is_mx_pair(rec):
            out.append(f"{int(rec[0])} {normalize_name(str(rec[1])) or '.'}")
        elif rtype in ("TXT", "SPF") and isinstance(rec, list | tuple):
            out.append("".join(s.decode("utf-8", "replace") if isinstance(s, bytes) else str(s) for s in rec))
        else:
            raise ConfigurationError(f"zone entry {name} {rtype}: cannot read record {rec!r}")
    if rtype == "MX":
        out = [_normal_mx(r, name) for r in out]
    return Status.NOERROR, tuple(out), ttl


def _is_mx_pair(value: Any) -> bool:
    return isinstance(value, list | tuple) and len(value) == 2 and isinstance(value[0], int)


def _normal_mx(text: str, name: str) -> str:
    parts = text.split()
    if len(parts) == 1 and parts[0].isdigit():
        parts.append(".")  # null MX (RFC 7505): the exchange is the root
    if len(parts) != 2 or not parts[0].isdigit():
        raise ConfigurationError(f"zone entry {name} MX: {text!r} is not 'preference exchange'")
    return f"{int(parts[0])} {normalize_name(parts[1]) or '.'}"
