"""DMARC evaluation (RFC 7489) from the re-checked SPF and DKIM results.

Policy discovery (section 6.6.3): the TXT record at ``_dmarc.<From domain>``,
else at ``_dmarc.<organizational domain>``. The organizational domain
(section 3.2) comes from the Public Suffix List shipped offline by the
``publicsuffixlist`` package (a snapshot of publicsuffix.org's list, updated
with each release; no network at run time). Identifier alignment (section
3.1): the SPF-authenticated domain (MAIL FROM, or HELO for the null sender)
and each passing DKIM ``d=`` against the ``From:`` domain, strict (equal) or
relaxed (same organizational domain) per ``aspf=`` / ``adkim=``. DMARC passes
when either aligned identifier passed.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from mailtrace.auth.results import DkimCheck, DkimResult, DmarcCheck, DmarcResult, SpfCheck, SpfResult
from mailtrace.defects import Defect
from mailtrace.dns.resolver import Resolver
from mailtrace.memo import bounded_cache
from mailtrace.parse.numbers import ascii_int

_psl_lock = threading.Lock()
_psl: Any = None
_POLICIES = ("none", "quarantine", "reject")


def organizational_domain(domain: str) -> str:
    """RFC 7489 section 3.2: the public suffix plus one label (the domain itself when not found)."""
    return _organizational(domain.strip().rstrip(".").lower())


@bounded_cache(maxsize=4096, max_len=255)  # a DNS name is at most 255 octets
def _organizational(domain: str) -> str:
    global _psl
    if _psl is None:
        with _psl_lock:
            if _psl is None:
                from publicsuffixlist import PublicSuffixList

                _psl = PublicSuffixList()
    try:
        found = _psl.privatesuffix(domain)
    except Exception:  # hostile labels
        found = None
    return str(found) if found else domain


def aligned(identifier: str | None, from_domain: str, mode: str) -> bool:
    """RFC 7489 section 3.1: strict = equal names, relaxed = same organizational domain."""
    if not identifier:
        return False
    ident = identifier.strip().rstrip(".").lower()
    if ident == from_domain:
        return True
    return mode != "s" and organizational_domain(ident) == organizational_domain(from_domain)


def parse_record(text: str) -> tuple[dict[str, str], tuple[Defect, ...]]:
    """The tag list of a DMARC record (section 6.3); unknown tags are kept, bad ones become defects."""
    tags: dict[str, str] = {}
    defects: list[Defect] = []
    for part in text.split(";")[:64]:
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        if not sep:
            defects.append(Defect("dmarc.bad_tag", f"tag without '=': {part.strip()[:60]!r}"))
            continue
        key = name.strip().lower()
        if key in tags:
            defects.append(Defect("dmarc.duplicate_tag", f"{key}= given twice"))
            continue
        tags[key] = value.strip()
    return tags, tuple(defects)


def check_dmarc(
    resolver: Resolver, from_domain: str | None, spf: SpfCheck, dkim: Sequence[DkimCheck], *, from_count: int = 1
) -> DmarcCheck:
    """Evaluate DMARC for ``from_domain`` with the re-checked ``spf`` and ``dkim`` results."""
    if from_count != 1 or not from_domain:
        why = "no single From: domain" if from_count != 1 else "From: has no domain"
        return DmarcCheck(result=DmarcResult.PERMERROR, domain=from_domain, reason=why)
    domain = from_domain.strip().rstrip(".").lower()
    org = organizational_domain(domain)
    record, where, fail = _discover(resolver, domain, org)
    base: dict[str, Any] = {"domain": domain, "organizational_domain": org}
    if fail is not None:
        return DmarcCheck(result=DmarcResult.TEMPERROR, reason=fail, **base)
    if record is None:
        return DmarcCheck(result=DmarcResult.NONE, reason="no DMARC record", **base)
    tags, defects = parse_record(record)
    requested = tags.get("p", "").lower()
    if requested not in _POLICIES:
        # Section 6.6.3: an invalid p= with a valid rua= is treated as p=none; without, no policy.
        if "rua" not in tags:
            return DmarcCheck(
                result=DmarcResult.NONE,
                record=record,
                record_domain=where,
                reason=f"record has no valid p= ({requested!r})",
                defects=(*defects, Defect("dmarc.bad_policy", f"p={requested!r}")),
                **base,
            )
        requested = "none"
    sp_text = tags.get("sp", "").lower()
    sub = sp_text if sp_text in _POLICIES else None
    from_subdomain = where != f"_dmarc.{domain}"  # the record came from the organizational domain
    policy = (sub or requested) if from_subdomain else requested
    adkim = "s" if tags.get("adkim", "r").lower() == "s" else "r"
    aspf = "s" if tags.get("aspf", "r").lower() == "s" else "r"
    pct, pct_defect = _pct(tags.get("pct"))
    if pct_defect is not None:
        defects = (*defects, pct_defect)
    spf_identifier = spf.domain
    spf_ok = spf.result is SpfResult.PASS and aligned(spf_identifier, domain, aspf)
    dkim_domain = next(
        (d.domain for d in dkim if d.result is DkimResult.PASS and aligned(d.domain, domain, adkim)), None
    )
    dkim_ok = dkim_domain is not None
    passed = spf_ok or dkim_ok
    if passed:
        why = "aligned " + " and ".join(n for n, ok in (("SPF", spf_ok), ("DKIM", dkim_ok)) if ok) + " pass"
    else:
        why = "neither SPF nor DKIM passed aligned with the From: domain"
    return DmarcCheck(
        result=DmarcResult.PASS if passed else DmarcResult.FAIL,
        record=record,
        record_domain=where,
        policy=policy,
        requested_policy=requested,
        subdomain_policy=sub,
        pct=pct,
        adkim=adkim,
        aspf=aspf,
        spf_aligned=spf_ok,
        dkim_aligned=dkim_ok,
        dkim_domain=dkim_domain,
        reason=why,
        defects=defects,
        **base,
    )


def _pct(text: str | None) -> tuple[int, Defect | None]:
    """``pct=`` (section 6.3: an integer 0 to 100, default 100); a bad value is ignored with a defect.

    Section 6.3 tells receivers to ignore what they do not understand; an invalid or
    out-of-range ``pct=`` therefore leaves the default (the policy applies to all mail),
    and the record is still evaluated. Only ASCII digits count (never ``int()`` on what
    ``str.isdigit()`` accepts: ``²`` or a 5,000-digit number would raise).
    """
    if text is None:
        return 100, None
    value = ascii_int(text.strip(), 3)
    if value is not None and value <= 100:
        return value, None
    return 100, Defect("dmarc.bad_pct", f"pct={text[:20]!r} is not an integer from 0 to 100; 100 is used")


def _discover(resolver: Resolver, domain: str, org: str) -> tuple[str | None, str, str | None]:
    """(record, where, temporary failure) per RFC 7489 section 6.6.3."""
    where = f"_dmarc.{domain}"
    for name in dict.fromkeys((f"_dmarc.{domain}", f"_dmarc.{org}")):
        answer = resolver.resolve(name, "TXT")
        if answer.temporary:
            return None, name, f"DMARC lookup failed: {answer.describe()}"
        records = [r for r in answer.records if r.strip().lower().startswith("v=dmarc1")]
        if len(records) == 1:
            return records[0], name, None
        if len(records) > 1:
            return None, name, None  # more than one record: no policy (section 6.6.3 step 2)
    return None, where, None
