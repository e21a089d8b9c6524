"""The pipeline: load, split, parse, reconstruct, re-verify, judge."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Literal, overload

from mailtrace.auth import verify
from mailtrace.defects import Defect, internal_error
from mailtrace.dns.asker import asking_for
from mailtrace.enrich.extras import analysis_extras
from mailtrace.errors import InputError
from mailtrace.load.sources import ReadOptions, Source, iter_messages, load_one
from mailtrace.model.fields import HeaderField, Message
from mailtrace.model.headers import Headers
from mailtrace.model.received import Received
from mailtrace.parse.addresses import address_budget
from mailtrace.parse.auth import parse_authentication
from mailtrace.parse.headers import extract_headers
from mailtrace.parse.message import parse_message
from mailtrace.parse.received import parse_received
from mailtrace.policy import DEFAULT_POLICY, Policy
from mailtrace.report import Report
from mailtrace.trace import reconstruct_path
from mailtrace.trace.hosts import is_public_ip, same_ip
from mailtrace.trace.model import Path
from mailtrace.verdict import judge


def analyze(source: object, *, policy: Policy | None = None, name: str | None = None) -> Report:
    """Analyse the one message in ``source``.

    ``bytes`` and ``str`` are the message's content (a ``str`` is never opened as a file), an
    ``os.PathLike`` such as :class:`pathlib.Path` is a file to read, a binary file object is read.
    Attached messages are not split off (``analyze_many`` analyses them too).
    """
    policy = policy or DEFAULT_POLICY
    raw, src = load_one(source, name=name, limits=policy.limits)
    return analyze_bytes(raw, src, policy)


@overload
def analyze_many(
    source: object,
    *,
    policy: Policy | None = ...,
    name: str | None = ...,
    errors: Literal["raise"] = ...,
    nested: bool = ...,
    follow_symlinks: bool = ...,
    mbox_variant: str = ...,
    jobs: int = ...,
) -> Iterator[Report]: ...
@overload
def analyze_many(
    source: object,
    *,
    policy: Policy | None = ...,
    name: str | None = ...,
    errors: str,
    nested: bool = ...,
    follow_symlinks: bool = ...,
    mbox_variant: str = ...,
    jobs: int = ...,
) -> Iterator[Report | InputError]: ...
def analyze_many(
    source: object,
    *,
    policy: Policy | None = None,
    name: str | None = None,
    errors: str = "raise",
    nested: bool = True,
    follow_symlinks: bool = False,
    mbox_variant: str = "auto",
    jobs: int = 1,
) -> Iterator[Report | InputError]:
    """One report per message of an mbox, a Maildir, a folder, or a single message, then per attached message.

    ``errors="raise"`` (the default) raises at the first input that cannot be read or is not mail;
    ``errors="report"`` yields an :class:`~mailtrace.errors.InputError` for it and goes on.
    ``nested=False`` does not analyse attached messages; ``follow_symlinks=True`` follows a
    folder's symlinks out of it; ``mbox_variant`` is ``auto``, ``mboxo`` or ``mboxrd``
    (``docs/inputs.md``). ``jobs`` messages are analysed at once (``0``: one per core) in threads
    of this process, sharing the policy's resolver and its cache: that overlaps DNS waits (live
    DNS); reports still come in input order. For CPU-bound batches use :func:`mailtrace.batch.run`,
    whose worker processes return a picklable rendering of each report (``docs/python-api.md``).
    """
    policy = policy or DEFAULT_POLICY
    options = ReadOptions(nested=nested, follow_symlinks=follow_symlinks, mbox_variant=mbox_variant)
    items = iter_messages(source, name=name, limits=policy.limits, options=options, errors=errors)
    if jobs != 1:
        from mailtrace.batch import identity, run  # late: mailtrace.batch calls back into analyze_bytes

        yield from run(items, identity, policy=policy, jobs=jobs, executor="thread")
        return
    for item in items:
        if isinstance(item, InputError):
            yield item
        else:
            raw, src = item
            yield analyze_bytes(raw, src, policy)


def analyze_bytes(raw: bytes, source: Source, policy: Policy) -> Report:
    """Analyse one message already read into memory; never raises on its content.

    The last line of defence: an unexpected exception in any stage becomes the defect
    ``mailtrace.internal_error`` (the exception's type and the innermost mailtrace
    ``file:line`` of its traceback) on a minimal report, so a batch goes on.
    """
    try:
        if policy.resolver is None:
            return _analyze_stages(raw, source, policy)
        with asking_for(raw):  # recorded DNS answers name the message they were asked for
            return _analyze_stages(raw, source, policy)
    except Exception as exc:  # the documented last line of defence, reported as a defect
        return _internal_error_report(raw, source, policy, exc)


def _internal_error_report(raw: bytes, source: Source, policy: Policy, exc: Exception) -> Report:
    defect = internal_error(exc)
    try:
        message = parse_message(raw, policy.limits)
    except Exception:  # the splitter itself failed: an empty message still carries the defect
        message = Message(raw=raw[:0], fields=(), body_offset=0, newline="\n")
    defects = (*source.defects, *message.defects, defect)
    return Report(source=source, message=message, headers=Headers(), received=(), defects=defects)


def _analyze_stages(raw: bytes, source: Source, policy: Policy) -> Report:
    message = parse_message(raw, policy.limits)
    with address_budget(policy.limits.address_time_budget):
        headers = extract_headers(message)
    received, hop_defects = _parse_trace(message.get_all("Received"), policy)
    authentication = parse_authentication(message)
    path = reconstruct_path(received, headers, authentication, message, policy)
    client_ip, helo, clock, note = border_identity(path, received)
    verification = verify(
        message,
        headers,
        authentication,
        client_ip=client_ip,
        helo=helo,
        clock=policy.now or clock,
        border_note=note,
        policy=policy,
    )
    findings, verdict = judge(
        message=message,
        headers=headers,
        received=received,
        authentication=authentication,
        path=path,
        verification=verification,
        policy=policy,
    )
    enrichment, indicators = analysis_extras(message, path, client_ip, verification, policy)
    return Report(
        source=source,
        message=message,
        headers=headers,
        received=received,
        authentication=authentication,
        path=path,
        verification=verification,
        findings=findings,
        verdict=verdict,
        defects=(*source.defects, *message.defects, *hop_defects, *path.defects),
        enrichment=enrichment,
        indicators=indicators,
    )


def border_identity(
    path: Path, received: tuple[Received, ...]
) -> tuple[str | None, str | None, datetime | None, str | None]:
    """The client IP, HELO and receiver's time at the border crossing, and how it was chosen.

    Uses ``path.border`` when path reconstruction found one (its IP may come from the
    receiver's own stamp when the crossing line itself is missing); otherwise the topmost
    hop with a public client IP, and says so in the note, so SPF can still be re-checked
    but the verdict knows not to lean on it.
    """
    border = path.border
    if border is not None and 0 <= border.index < len(received):
        hop = received[border.index]
        helo = hop.from_.helo if border.ip is None or same_ip(hop.from_.ip, border.ip) else None
        note = f"border hop {border.index} ({border.method.value})"
        return border.ip, helo, border.timestamp or hop.timestamp, note
    for hop in received:
        if is_public_ip(hop.from_.ip):
            note = f"no border found: topmost hop with a public client IP (received[{hop.index}])"
            return hop.from_.ip, hop.from_.helo, hop.timestamp, note
    return None, None, received[0].timestamp if received else None, "no hop with a public client IP"


def _parse_trace(fields: tuple[HeaderField, ...], policy: Policy) -> tuple[tuple[Received, ...], tuple[Defect, ...]]:
    limit = policy.limits.max_hops
    defects: tuple[Defect, ...] = ()
    if len(fields) > limit:
        defects = (
            Defect(
                "received.too_many",
                f"{len(fields)} Received fields; only the topmost {limit} are parsed",
            ),
        )
    return tuple(parse_received(f, i) for i, f in enumerate(fields[:limit])), defects
