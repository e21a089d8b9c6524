"""The verification pipeline: SPF, DKIM, ARC and DMARC through one budgeted resolver."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from datetime import datetime

from mailtrace.auth._dkimpy import CpuBudget
from mailtrace.auth.arc import has_arc, recorded_results, verify_arc
from mailtrace.auth.dkim import not_checked_dkim, verify_dkim
from mailtrace.auth.dmarc import check_dmarc
from mailtrace.auth.results import (
    ArcCheck,
    ArcInstance,
    ArcResult,
    DkimCheck,
    DkimResult,
    DmarcCheck,
    DmarcResult,
    DnsUsage,
    SpfCheck,
    SpfResult,
    Verification,
)
from mailtrace.auth.spf import check_spf, not_checked_spf
from mailtrace.auth.stamped import collect, compare
from mailtrace.defects import Defect
from mailtrace.dns.budget import BudgetedResolver
from mailtrace.dns.describe import describe_resolver
from mailtrace.errors import MailtraceError
from mailtrace.model.fields import Message
from mailtrace.model.frozen import fast_maker
from mailtrace.model.headers import Headers
from mailtrace.policy import Policy

#: ARC without a resolver on a message without ARC sets (immutable, so shared).
_NO_ARC = ArcCheck(cv=ArcResult.NONE, reason="no ARC sets", instances=())

# Without a resolver (every message of a stamps-only run) the DMARC check and the verification are built by
# makers (mailtrace.model.frozen.fast_maker: every field in order, twin-class stores), not keyword constructors;
# tests/auth/test_auth_verify_makers.py compares them with the constructors.
#: ``DmarcCheck(...)``: result, domain, the twelve record and alignment fields, reason, defects.
_make_dmarc: Callable[..., DmarcCheck] = fast_maker(DmarcCheck)
#: The twelve fields between ``domain`` and ``reason`` of a DMARC check that ran no DNS: their defaults.
_NO_DMARC_DETAILS = tuple(f.default for f in fields(DmarcCheck)[2:-2])
_NO_DMARC_REASON = "no resolver: DMARC not re-checked"
#: ``Verification(...)``: spf, dkim, arc, dmarc, stamped, checked, dns, defects.
_make_verification: Callable[..., Verification] = fast_maker(Verification)
#: ``Verification.dns``'s default (one shared ``DnsUsage()``).
_NO_DNS = fields(Verification)[6].default


def envelope_sender(headers: Headers) -> str | None:
    """The topmost ``Return-Path`` address (``""`` for the null sender ``<>``), or ``None`` when absent."""
    if not headers.return_path:
        return None
    first = headers.return_path[0].first
    if first is None:
        return None
    return "" if first.null else first.address


def from_domain(headers: Headers) -> tuple[str | None, int]:
    """The RFC5322.From domain as receivers read it, and how many domains ``From:`` names (DMARC
    needs exactly one, RFC 7489 section 6.6.1).

    ``From: Fgehen69, jehd <service@stayfriends.example>`` is one domain, ``stayfriends.example``:
    the text without an address is no mailbox (:mod:`mailtrace.verdict.from_identity`).
    """
    from mailtrace.verdict.from_identity import from_identity  # the verdict's reading; lazy: no cycle

    if headers.from_ is None:
        return None, 0
    identity = from_identity(headers)
    return identity.domain, max(len(identity.domains), 1 if identity.domain else 0)


def run_verification(
    message: Message,
    headers: Headers,
    authentication: object,
    *,
    client_ip: str | None,
    helo: str | None,
    clock: datetime | None,
    border_note: str | None,
    policy: Policy,
) -> Verification:
    """Re-verify everything; results are ``not_checked`` when ``policy.resolver`` is None. Never raises for bad mail."""
    mail_from = envelope_sender(headers)
    domain, from_count = from_domain(headers)
    stamped = collect(authentication, policy.trusted_authserv_ids)
    if policy.resolver is None:
        spf = not_checked_spf(client_ip, mail_from, helo, border_note)
        dkim = not_checked_dkim(message)
        # without ARC fields there are no recorded results either
        arc = (
            ArcCheck(
                cv=ArcResult.NOT_CHECKED,
                reason="no resolver: ARC not re-checked",
                instances=tuple(
                    ArcInstance(instance=n, authentication_results=t) for n, t in recorded_results(message).items()
                ),
            )
            if has_arc(message)
            else _NO_ARC
        )
        dmarc = _make_dmarc(DmarcResult.NOT_CHECKED, domain, *_NO_DMARC_DETAILS, _NO_DMARC_REASON, ())
        return _make_verification(spf, dkim, arc, dmarc, compare(stamped, spf, dkim, arc, dmarc), False, _NO_DNS, ())
    defects: list[Defect] = []
    if mail_from is None:
        defects.append(Defect("spf.no_envelope_sender", "no Return-Path: SPF checked the HELO identity instead"))
    budget = BudgetedResolver(
        policy.resolver, max_lookups=policy.limits.max_dns_lookups, time_budget=policy.limits.dns_time_budget
    )
    cpu = CpuBudget(policy.limits.verify_cpu_budget)  # DKIM and ARC cryptography, beside the DNS budget
    try:
        spf = check_spf(
            budget,
            ip=client_ip,
            mail_from=mail_from,
            helo=helo,
            clock=clock,
            time_budget=budget.remaining_time,
            border_note=border_note,
        )
    except MailtraceError:
        raise
    except Exception as exc:  # pragma: no cover - check_spf already contains its failures
        spf = SpfCheck(result=SpfResult.PERMERROR, ip=client_ip, explanation=str(exc), border_note=border_note)
        defects.append(Defect("verification.spf_failed", f"{type(exc).__name__}: {exc}"))
    try:
        dkim = verify_dkim(message, budget, clock=clock, limits=policy.limits, cpu=cpu)
    except MailtraceError:
        raise
    except Exception as exc:  # pragma: no cover - verify_dkim already contains its failures
        dkim = tuple(
            DkimCheck(result=DkimResult.PERMERROR, header_index=f.index, reason=str(exc))
            for f in message.get_all("DKIM-Signature")
        )
        defects.append(Defect("verification.dkim_failed", f"{type(exc).__name__}: {exc}"))
    arc = verify_arc(message, budget, limits=policy.limits, cpu=cpu)
    try:
        dmarc = check_dmarc(budget, domain, spf, dkim, from_count=from_count)
    except MailtraceError:
        raise
    except Exception as exc:  # pragma: no cover - defensive
        dmarc = DmarcCheck(result=DmarcResult.PERMERROR, domain=domain, reason=str(exc))
        defects.append(Defect("verification.dmarc_failed", f"{type(exc).__name__}: {exc}"))
    if budget.refused:
        defects.append(
            Defect(
                "dns.budget_exhausted",
                f"{budget.refused} DNS questions refused "
                f"(budget {budget.max_lookups} lookups / {budget.time_budget:g} s)",
            )
        )
    return Verification(
        spf=spf,
        dkim=dkim,
        arc=arc,
        dmarc=dmarc,
        stamped=compare(stamped, spf, dkim, arc, dmarc),
        checked=True,
        dns=DnsUsage(
            lookups=budget.lookups,
            max_lookups=budget.max_lookups,
            time_budget=budget.time_budget,
            refused=budget.refused,
            resolver=describe_resolver(policy.resolver),
        ),
        defects=tuple(defects),
    )
