"""ARC chain validation (RFC 8617 section 5.2) with dkimpy, through our resolver.

``dkim.arc_verify`` validates the newest ARC-Message-Signature and every
ARC-Seal on the raw bytes. Its answer is turned into an :class:`ArcCheck`
whose ``cv`` is ``pass`` / ``fail`` / ``none``; a key lookup that timed out
or failed makes it ``temperror`` (dkimpy would call it ``fail``). A failure
where a key is not published stays ``fail`` (RFC 8617) but its reason says
"unverifiable now" and it carries the defect ``arc.key_unavailable``. Each
instance lists the ARC-Authentication-Results its sealer recorded: what that
intermediary saw when the message reached it.
"""

from __future__ import annotations

import re

import dkim as dkimpy

from mailtrace.auth._dkimpy import LOGGER, CpuBudget, DnsTemporaryFailure, KeyTooLarge, dnsfunc_for
from mailtrace.auth.results import ArcCheck, ArcInstance, ArcResult
from mailtrace.defects import Defect
from mailtrace.dns.resolver import Resolver
from mailtrace.errors import MailtraceError
from mailtrace.limits import DEFAULT_LIMITS, Limits
from mailtrace.model.fields import Message

_ARC_FIELDS = ("arc-seal", "arc-message-signature", "arc-authentication-results")
_INSTANCE = re.compile(r"\s*i\s*=\s*(\d{1,3})\s*;")
_CV = {b"pass": ArcResult.PASS, b"fail": ArcResult.FAIL, b"none": ArcResult.NONE}


def has_arc(message: Message) -> bool:
    return any(message.get_all(name) for name in _ARC_FIELDS)


def recorded_results(message: Message) -> dict[int, str]:
    """The ARC-Authentication-Results value of each instance (``i=``), first one per instance."""
    out: dict[int, str] = {}
    for f in message.get_all("ARC-Authentication-Results"):
        m = _INSTANCE.match(f.value)
        if m:
            out.setdefault(int(m.group(1)), f.value[m.end() :].strip())
    return out


def verify_arc(
    message: Message, resolver: Resolver, *, limits: Limits = DEFAULT_LIMITS, cpu: CpuBudget | None = None
) -> ArcCheck:
    """Validate the ARC chain; never raises for bad mail.

    Bounded: a chain of more than ``limits.max_arc_sets`` ARC-Seals, or one met after the
    verification CPU budget is spent, is ``not_checked`` (``arc.too_many_sets``,
    ``arc.cpu_budget``); an RSA key too costly to verify stops the validation before dkimpy
    uses it (``not_checked`` with ``arc.key_too_large``).
    """
    if not has_arc(message):
        return ArcCheck(cv=ArcResult.NONE, reason="no ARC sets")
    aar = recorded_results(message)
    seals = len(message.get_all("ARC-Seal"))
    cpu = cpu or CpuBudget(limits.verify_cpu_budget)
    refused: Defect | None = None
    if seals > limits.max_arc_sets:
        why = f"{seals} ARC-Seals: more than Limits.max_arc_sets ({limits.max_arc_sets}); not validated"
        refused = Defect("arc.too_many_sets", why)
    elif cpu.spent():
        refused = Defect("arc.cpu_budget", f"the verification CPU budget ({limits.verify_cpu_budget:g} s) is spent")
    if refused is not None:
        return ArcCheck(cv=ArcResult.NOT_CHECKED, reason=refused.message, instances=_bare(aar), defects=(refused,))
    missing: list[str] = []
    lookup = dnsfunc_for(resolver, limits.max_rsa_key_bits)

    def dnsfunc(name: bytes, timeout: float = 5.0) -> bytes | None:
        found = lookup(name, timeout)
        if found is None:
            missing.append(name.decode("ascii", "replace").rstrip("."))
        return found

    try:
        cv, results, reason = dkimpy.arc_verify(message.raw, logger=LOGGER, dnsfunc=dnsfunc, minkey=1024)
    except DnsTemporaryFailure as exc:
        return ArcCheck(cv=ArcResult.TEMPERROR, reason=f"key lookup failed: {exc}", instances=_bare(aar))
    except KeyTooLarge as exc:
        why = f"key refused before verification: {exc}"
        defect = Defect("arc.key_too_large", why)
        return ArcCheck(cv=ArcResult.NOT_CHECKED, reason=why, instances=_bare(aar), defects=(defect,))
    except MailtraceError:
        raise
    except Exception as exc:  # dkimpy raises on some malformed chains
        return ArcCheck(
            cv=ArcResult.FAIL,
            reason=f"{type(exc).__name__}: {exc}",
            instances=_bare(aar),
            defects=(Defect("arc.unreadable", f"ARC chain could not be validated: {exc}"),),
        )
    instances = []
    for r in sorted(results or [], key=lambda d: int(d.get("instance", 0))):
        n = int(r.get("instance", 0))
        instances.append(
            ArcInstance(
                instance=n,
                seal_domain=_text(r.get("as-domain")),
                seal_selector=_text(r.get("as-selector")),
                seal=_valid(r.get("as-valid")),
                message_signature_domain=_text(r.get("ams-domain")),
                message_signature_selector=_text(r.get("ams-selector")),
                message_signature=_valid(r.get("ams-valid")),
                cv=_text(r.get("cv")),
                authentication_results=aar.get(n),
            )
        )
    seen = {i.instance for i in instances}
    instances.extend(ArcInstance(instance=n, authentication_results=t) for n, t in sorted(aar.items()) if n not in seen)
    # dkimpy says None for a chain an earlier sealer declared failed; RFC 8617 section 5.2 step 2 calls it fail.
    word = ArcResult.FAIL if cv is None else _CV.get(bytes(cv).lower(), ArcResult.FAIL)
    why = str(reason)
    defects: tuple[Defect, ...] = ()
    if word is ArcResult.FAIL and missing:
        # RFC 8617 calls it fail; for an investigation it is "unverifiable now" (keys rotate), not forged.
        names = ", ".join(dict.fromkeys(missing))
        why = f"{reason}; unverifiable now: no key published at {names}"
        defects = (Defect("arc.key_unavailable", f"no ARC key published at {names}"),)
    return ArcCheck(cv=word, reason=why, instances=tuple(sorted(instances, key=lambda i: i.instance)), defects=defects)


def _bare(aar: dict[int, str]) -> tuple[ArcInstance, ...]:
    return tuple(ArcInstance(instance=n, authentication_results=t) for n, t in sorted(aar.items()))


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _valid(value: object) -> ArcResult:
    if value is None:
        return ArcResult.NOT_CHECKED
    return ArcResult.PASS if value else ArcResult.FAIL
