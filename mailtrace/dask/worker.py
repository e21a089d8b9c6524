"""What runs on a worker: one unit in, one product per message out.

The policy travels without its resolver (a live resolver holds sockets and a cache);
a :class:`DnsSpec` travels instead and each worker process builds its resolver once
and keeps it, with its own DNS cache, for every unit it runs. When the run records
DNS evidence, each unit records the questions it asked (cache hits included) into
memory and returns each distinct answer once with its results; the client merges them as
they come into one replayable evidence file (:class:`EvidenceMerger`), so no worker needs a
shared disk.
"""

from __future__ import annotations

import hashlib
import io
import json
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

from mailtrace.batch import Item, identity, iter_items, run
from mailtrace.dask.units import Unit, read_range
from mailtrace.dns.evidence import RecordingResolver, ReplayResolver, header_record
from mailtrace.dns.options import resolver_from_options
from mailtrace.dns.resolver import Resolver
from mailtrace.dns.zone import OfflineZone
from mailtrace.errors import InputError, UnreadableInputError
from mailtrace.load.folders import unreadable
from mailtrace.load.sources import DEFAULT_OPTIONS, ReadOptions, from_member, iter_messages
from mailtrace.policy import Policy


@dataclass(frozen=True, slots=True)
class DnsSpec:
    """How a worker builds its resolver: the ``--dns`` mode, with its files' text by value."""

    mode: str = "offline"  #: offline (with ``zone`` or none), live, replay
    zone: str | None = None  #: zone text or JSON for offline mode (the text: workers need not share a disk)
    evidence: str | None = None  #: the evidence file's text for replay mode
    source: str | None = None  #: the zone or evidence file's name, as the report names the resolver
    nameservers: tuple[str, ...] = ()  #: live mode: the servers to ask (``--nameserver``)
    timeout: float | None = None  #: live mode: seconds one question may take (``--dns-timeout``)
    record: bool = False  #: record every answer and return it with the results

    @classmethod
    def from_files(
        cls,
        mode: str,
        *,
        zone: str | None = None,
        replay: str | None = None,
        nameservers: tuple[str, ...] = (),
        timeout: float | None = None,
    ) -> DnsSpec:
        """Read ``zone`` / ``replay`` here, on the client, so their text travels to the workers."""
        try:
            return cls(
                mode=mode,
                zone=Path(zone).read_text(encoding="utf-8") if zone else None,
                evidence=Path(replay).read_text(encoding="utf-8") if replay else None,
                source=replay or zone,
                nameservers=nameservers,
                timeout=timeout,
            )
        except (OSError, UnicodeDecodeError) as exc:
            raise UnreadableInputError(f"{replay or zone}: cannot read: {exc}") from None


_LOCK = threading.Lock()
_RESOLVERS: dict[DnsSpec, Resolver | None] = {}


def _resolver(spec: DnsSpec) -> Resolver | None:
    """This worker's resolver for ``spec``, built once per process (its cache is the worker's cache)."""
    with _LOCK:
        if spec not in _RESOLVERS:
            _RESOLVERS[spec] = _build(spec)
        return _RESOLVERS[spec]


def _build(spec: DnsSpec) -> Resolver | None:
    if spec.mode == "offline":
        if spec.zone is None:
            return None
        text = spec.zone
        zone = OfflineZone.from_json(text) if text.lstrip().startswith("{") else OfflineZone.from_zone_text(text)
        zone.source = spec.source
        return zone
    if spec.mode == "replay":
        replay = ReplayResolver.from_lines((spec.evidence or "").splitlines())
        replay.source = spec.source
        return replay
    return resolver_from_options(spec.mode, None, None, nameservers=spec.nameservers, timeout=spec.timeout)


#: What a worker returns per message: a function of a report, or of an input's error record.
Product = Callable[[Any], Any]
#: What a unit's task returns: a product per message or error, and the recorded evidence as distinct
#: ``(digest, line)`` pairs (:meth:`EvidenceMerger.records`; empty when the run does not record).
UnitResult = tuple[list[Any], list[tuple[bytes, str]]]


def run_unit(
    unit: Unit, policy: Policy, spec: DnsSpec, product: Product, options: ReadOptions = DEFAULT_OPTIONS
) -> UnitResult:
    """Analyse the messages of ``unit``: ``(one product per message or error, the recorded evidence)``, the
    evidence as distinct ``(digest, line)`` pairs (:meth:`EvidenceMerger.records`)."""
    resolver = _resolver(spec)
    sink = io.StringIO()
    if spec.record and resolver is not None:
        resolver = RecordingResolver(resolver, sink)
    local = replace(policy, resolver=resolver)
    # Read without splitting off attached messages; run() does that, as for the command line's --jobs.
    items = _items(unit, local, replace(options, nested=False))
    out = [product(item) for item in run(items, identity, policy=local, attached=options.nested)]
    if not spec.record:
        return out, []
    distinct = EvidenceMerger()
    distinct.add(sink.getvalue().splitlines()[1:])  # without the file's header line
    return out, distinct.records()


def run_job_unit(unit: Unit, job: Any, product: Product) -> UnitResult:
    """:func:`run_unit` with the policy, the DNS spec and the read options of ``job`` (a
    :class:`mailtrace.dask.Job`), which a cluster computes once and hands to every task."""
    return run_unit(unit, job.policy, job.dns, product, job.options)


#: The jobs installed in this process by a local process pool's initializer, by token (:mod:`mailtrace.dask.local`).
_INSTALLED: dict[str, Any] = {}


def install_job(token: str, job: Any) -> None:
    """Keep ``job`` in this process under ``token``, for :func:`run_installed_unit`."""
    _INSTALLED[token] = job


def run_installed_unit(unit: Unit, token: str, product: Product) -> UnitResult:
    """:func:`run_job_unit` with the job :func:`install_job` kept under ``token`` in this process."""
    job = _INSTALLED.get(token)
    if job is None:
        raise RuntimeError(f"no job installed under {token!r} in this process (a pool not started by a LocalRun)")
    return run_job_unit(unit, job, product)


def _items(unit: Unit, policy: Policy, options: ReadOptions) -> Iterator[Item]:
    """The unit's messages as a serial batch run reads them (errors as records, positions as in the file),
    read with ``options`` as given: :func:`run_unit` passes ``nested=False``."""
    if unit.members is not None:
        for member in unit.members:
            if isinstance(member, InputError):
                yield member
                continue
            yield from from_member(member, policy.limits, options)
        return
    if unit.start is None or unit.end is None:
        yield from iter_items([Path(path) for path in unit.paths or (unit.path,)], policy=policy, options=options)
        return
    try:
        data = read_range(unit.path, unit.start, unit.end)
    except OSError as exc:  # gone or unreadable since it was planned: an error record in its place
        yield unreadable(unit.path, exc, unit.position)
        return
    for item in iter_messages(data, name=unit.path, limits=policy.limits, options=options, errors="report"):
        if isinstance(item, InputError):
            yield replace(item, position=None if item.position is None else unit.position + item.position)
            continue
        raw, src = item
        yield raw, replace(src, position=unit.position + (src.position or 0), offset=unit.start + (src.offset or 0))


def count_unit(unit: Unit, options: ReadOptions = DEFAULT_OPTIONS) -> int:
    """How many messages start in a range unit (the first pass that numbers them as a serial run does)."""
    assert unit.start is not None and unit.end is not None
    try:
        data = read_range(unit.path, unit.start, unit.end)
    except OSError:  # gone since it was planned: its analysis gives the error record
        return 0
    top = replace(options, nested=False)
    return sum(1 for _ in iter_messages(data, name=unit.path, options=top, errors="report"))


#: Digests of recorded answers the client keeps to drop repeats (:class:`EvidenceMerger`): about 100 MB at
#: most, reached after about 400,000 messages (2.6 distinct answers a message of phishing-pot-dev).
MAX_DIGESTS = 1 << 20


class EvidenceMerger:
    """Recorded evidence lines merged as they come: each distinct answer once, its first record kept.

    A record names its message (``message_sha256``), so a run's evidence grows with its messages; what
    is dropped is a question asked again for the same message (a cache hit) or for the same bytes met
    again. Each task drops its own before returning, and the client the rest as results come: 300
    messages of phishing-pot-dev against an empty zone recorded 852 lines (229 kB) and kept 786; the
    examples' two messages given 50 times each, 400 lines and 7.

    With a ``sink`` (the client's evidence file), the header line is written at once and each batch of
    distinct lines as it is added, flushed, as a serial run's :class:`RecordingResolver` writes them, so
    a run cut short keeps what it merged, and the client keeps a 16-byte digest of each record instead
    of the record: of the last :data:`MAX_DIGESTS` only, so a run of any length is merged in bounded
    memory. A record met again after that many others is written again; replay reads it as the same
    answer (it differs only in its time). Without a sink (a task's own merge), the lines are kept for
    :meth:`records`.
    """

    def __init__(self, sink: IO[str] | None = None, *, created: str = "") -> None:
        self._seen: set[bytes] = set()
        self._order: deque[bytes] = deque()  # the digests in ``_seen``, oldest first
        self._records: list[tuple[bytes, str]] = []
        self._sink = sink
        if sink is not None:
            sink.write(json.dumps(header_record(created)) + "\n")
            sink.flush()

    def add(self, lines: Iterable[str]) -> None:
        """Evidence lines as recorded: each one's digest is computed here (:func:`digest`)."""
        self.add_records((digest(line), line) for line in lines)

    def add_records(self, records: Iterable[tuple[bytes, str]]) -> None:
        """``(digest, line)`` pairs, as :meth:`records` gives them: what a task returns, so the client does not
        read each line again (10.6 µs a line: at 2.6 answers a message, a client's whole core for 64 worker
        threads)."""
        new: list[tuple[bytes, str]] = []
        for key, line in records:
            if key not in self._seen:
                self._seen.add(key)
                self._order.append(key)
                if len(self._order) > MAX_DIGESTS:
                    self._seen.discard(self._order.popleft())
                new.append((key, line))
        if self._sink is None:
            self._records.extend(new)
        elif new:
            self._sink.write("\n".join(line for _, line in new) + "\n")
            self._sink.flush()

    def records(self) -> list[tuple[bytes, str]]:
        """The distinct lines with their digests, in the order they were first given (without a sink)."""
        return list(self._records)


def digest(line: str) -> bytes:
    """What tells two evidence lines apart: a 16-byte digest of the record without its time."""
    record = json.loads(line)
    key = json.dumps({k: v for k, v in record.items() if k != "time"}, sort_keys=True)
    return hashlib.blake2b(key.encode(), digest_size=16).digest()
