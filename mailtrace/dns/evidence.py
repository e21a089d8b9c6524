"""Record and replay DNS answers as evidence files.

An investigation re-checks SPF, DKIM and DMARC against the DNS of the day;
keys rotate and records change, so the answers themselves are evidence.
:class:`RecordingResolver` wraps any resolver and appends every question,
its answer and the UTC time of the lookup to a file (created new; an existing
file is replaced only on request and only when it is earlier evidence, never a
message; each answer is flushed as written, so a crash keeps what was
recorded); :class:`ReplayResolver` answers only from such a file, so the same
analysis can be repeated later, byte for byte, without touching the network.

The file is JSON Lines (ASCII): a header object, then one object per lookup::

    {"format": "mailtrace-dns-evidence", "version": 1, "created": "2026-11-23T16:00:00+00:00"}
    {"time": "...", "message_sha256": "9f86d0...", "name": "sel._domainkey.example.com", "type": "TXT",
     "status": "NOERROR", "records": ["v=DKIM1; k=rsa; p=MIIB..."], "ttl": 3600, "detail": ""}

``message_sha256`` is the message the question was asked for (:mod:`mailtrace.dns.asker`;
absent for a question asked outside an analysis, and in files of earlier versions).
Replay gives a message the answers recorded for it, in the order they were recorded
(the last one repeats), so a record that changed during the run replays the same
whatever order the messages are analysed in; a question recorded only for other
messages (or without a message) gets the answers recorded for anyone, in order. A
question the file does not hold is SERVFAIL with the detail "not in the evidence
file" (unverifiable, never "no record"), or
:class:`~mailtrace.dns.zone.ZoneMissError` in strict mode.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from mailtrace.dns.answer import Answer, Status, normalize_name, normalize_type
from mailtrace.dns.asker import current_asker
from mailtrace.dns.resolver import Resolver
from mailtrace.dns.zone import ZoneMissError
from mailtrace.errors import ConfigurationError, UnreadableInputError
from mailtrace.outputs import holds_message

FORMAT = "mailtrace-dns-evidence"
VERSION = 1


def _utcnow() -> datetime:
    return datetime.now(UTC)


def header_record(created: str) -> dict[str, Any]:
    """The first line of an evidence file: its format, version and the time it was ``created`` (ISO 8601)."""
    return {"format": FORMAT, "version": VERSION, "created": created}


class RecordingResolver:
    """Passes questions to ``inner`` and writes each answer, with its time, to ``sink``."""

    def __init__(
        self,
        inner: Resolver,
        sink: str | Path | IO[str],
        *,
        now: Callable[[], datetime] = _utcnow,
        overwrite: bool = False,
    ) -> None:
        self.inner = inner
        self._now = now
        self._lock = threading.Lock()
        self._owned = not hasattr(sink, "write")
        if self._owned:
            self._out: IO[str] = open_evidence_file(Path(str(sink)), overwrite=overwrite)
        else:
            self._out = sink  # type: ignore[assignment]
        self._write(header_record(self._now().isoformat()))

    def resolve(self, name: str, rtype: str, *, timeout: float | None = None) -> Answer:
        when = self._now()
        asker = current_asker()
        answer = self.inner.resolve(name, rtype, timeout=timeout)
        line: dict[str, Any] = {"time": when.isoformat()}
        if asker is not None:
            line["message_sha256"] = asker
        self._write({**line, **answer.to_dict()})
        return answer

    def _write(self, obj: dict[str, Any]) -> None:
        # ASCII only: a TXT record is the domain owner's text, and an analyst may ``cat`` the file;
        # DEL, C1 controls and bidi overrides are written as \uXXXX like C0 controls (same JSON value)
        line = json.dumps(obj, ensure_ascii=True, sort_keys=False)
        with self._lock:
            self._out.write(line + "\n")
            self._out.flush()

    def close(self) -> None:
        if self._owned:
            self._out.close()

    def __enter__(self) -> RecordingResolver:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def is_evidence_file(path: Path) -> bool:
    """True when ``path`` starts with the header line of a DNS evidence file."""
    try:
        with path.open("rb") as stream:
            first = stream.readline(4096)
        header = json.loads(first)
    except (OSError, ValueError):
        return False
    return isinstance(header, dict) and header.get("format") == FORMAT


def open_evidence_file(path: Path, *, overwrite: bool = False) -> IO[str]:
    """Open ``path`` for recording, never destroying evidence.

    A new file is created exclusively. An existing file is refused unless
    ``overwrite`` is true, and even then only an empty file or an earlier DNS
    evidence file is replaced: a file holding a message (or anything else) never
    is. Each answer is written and flushed as it comes, so a crash keeps every
    answer recorded before it.
    """
    if path.exists():
        if holds_message(path):
            raise ConfigurationError(
                f"{path}: holds a message, not DNS evidence; refusing to record over it "
                "(did you forget the FILE after --record / --dns record?)"
            )
        if not overwrite:
            raise ConfigurationError(f"{path}: exists; pass --overwrite-record (overwrite=True) to replace it")
        if path.is_file() and path.stat().st_size and not is_evidence_file(path):
            raise ConfigurationError(f"{path}: is not a DNS evidence file; refusing to replace it")
    try:
        return path.open("w" if overwrite else "x", encoding="utf-8", newline="\n")
    except FileExistsError:
        raise ConfigurationError(f"{path}: exists; pass --overwrite-record (overwrite=True) to replace it") from None
    except OSError as exc:
        raise UnreadableInputError(f"{path}: cannot write the DNS evidence file: {exc}") from None


class ReplayResolver:
    """Answers only from a recorded evidence file."""

    def __init__(
        self,
        answers: Iterable[Answer | tuple[str | None, Answer]],
        *,
        strict: bool = False,
        created: str | None = None,
    ) -> None:
        """``answers`` in recorded order, each alone or with the SHA-256 of the message it was asked for."""
        self.strict = strict
        self.created = created
        self.source: str | None = None  #: the evidence file read (``from_file``), for the report
        self._lock = threading.Lock()
        # (message or None, name, type) -> answers in recorded order; None holds every message's answers
        self._answers: dict[tuple[str | None, str, str], list[Answer]] = {}
        self._served: dict[tuple[str | None, str, str], int] = {}
        for entry in answers:
            asker, answer = entry if isinstance(entry, tuple) else (None, entry)
            self._answers.setdefault((None, answer.name, answer.rtype), []).append(answer)
            if asker is not None:
                self._answers.setdefault((asker, answer.name, answer.rtype), []).append(answer)

    @classmethod
    def from_file(cls, path: str | Path, *, strict: bool = False) -> ReplayResolver:
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise UnreadableInputError(f"{path}: cannot read the DNS evidence file: {exc}") from None
        try:
            replay = cls.from_lines(lines, strict=strict)
        except ConfigurationError as exc:
            raise ConfigurationError(f"{path}: {exc}") from None
        replay.source = str(path)
        return replay

    @classmethod
    def from_lines(cls, lines: Iterable[str], *, strict: bool = False) -> ReplayResolver:
        answers: list[tuple[str | None, Answer]] = []
        created: str | None = None
        header_seen = False
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ConfigurationError(f"line {number}: not JSON: {exc}") from None
            if not isinstance(obj, dict):
                raise ConfigurationError(f"line {number}: expected a JSON object")
            if not header_seen:
                if obj.get("format") != FORMAT:
                    raise ConfigurationError(f"not a {FORMAT} file (line {number})")
                if obj.get("version") != VERSION:
                    raise ConfigurationError(f"unsupported evidence version {obj.get('version')!r}")
                created = str(obj.get("created") or "") or None
                header_seen = True
                continue
            asker = obj.get("message_sha256")
            answers.append((asker if isinstance(asker, str) and asker else None, Answer.from_dict(obj)))
        if not header_seen:
            raise ConfigurationError(f"empty file, not a {FORMAT} file")
        return cls(answers, strict=strict, created=created)

    def resolve(self, name: str, rtype: str, *, timeout: float | None = None) -> Answer:
        qname, qtype = normalize_name(name), normalize_type(rtype)
        asker = current_asker()
        with self._lock:
            key = (asker, qname, qtype)
            recorded = self._answers.get(key) if asker is not None else None
            if not recorded:
                key = (None, qname, qtype)
                recorded = self._answers.get(key)
            if not recorded:
                if self.strict:
                    raise ZoneMissError(f"evidence file holds no answer for {qtype} {qname}")
                return Answer(name=qname, rtype=qtype, status=Status.SERVFAIL, detail="not in the evidence file")
            served = self._served.get(key, 0)
            self._served[key] = served + 1
            return recorded[min(served, len(recorded) - 1)]

    def __len__(self) -> int:
        """How many answers the file holds."""
        return sum(len(v) for k, v in self._answers.items() if k[0] is None)
