"""Is the ``From:`` domain authenticated? (``verdict.from_authentication``)

The ``From:`` domain is the one receivers authenticate (:mod:`.from_identity`). It is
authenticated when DMARC passes (RFC 7489), or, where the domain publishes no DMARC record, when
SPF or DKIM passes for a domain aligned with it (relaxed alignment: the same organisational
domain, RFC 7489 section 3.1). Microsoft's ``compauth=pass reason=100`` says the same.

Statuses:

* ``aligned_pass``: the From: domain's own systems are authenticated;
* ``unaligned_pass``: SPF or DKIM passed, but for another domain (an ESP, a bounce domain): the
  status names who did authenticate, and never makes a message ``authentic``;
* ``fail``: DMARC fails, the receiver's composite check fails the From: domain, or an aligned
  SPF or DKIM check fails;
* ``none``: nothing was checked, or there was nothing to check;
* ``unverifiable``: the evidence cannot be checked now (a key gone, a DNS failure) and nothing
  was stamped at delivery.

Two readings are kept apart: the final receiver's stamp at delivery and the re-check against DNS
now. Precedence (docs/concepts.md, "The verdict as statements"): a stamped failure outranks
"nothing found now"; a cryptographic DKIM re-check outranks a stamped DKIM result; otherwise the
stamp is the first-hand evidence. Where the two readings differ the difference is reported
(``disagreement``), never silently resolved.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from mailtrace.model.frozen import fast_init, fast_maker
from mailtrace.trace.hosts import org_domain
from mailtrace.trace.model import Evidence, Path
from mailtrace.verdict.evidence import AuthView, Outcome, recheck_outcomes
from mailtrace.verdict.orgs import may_be_org
from mailtrace.verdict.receiver import ReceiverJudgement

ALIGNED_PASS = "aligned_pass"
UNALIGNED_PASS = "unaligned_pass"
FAIL = "fail"
NONE = "none"
UNVERIFIABLE = "unverifiable"

_DMARC_PASS = ("pass", "bestguesspass")


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Identity:
    """One identity that authenticated (or failed to): an SPF domain or a DKIM ``d=``."""

    method: str  #: ``spf`` or ``dkim``
    domain: str | None
    result: str
    aligned: bool  #: in the From: domain's organisation
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "domain": self.domain,
            "result": self.result,
            "aligned": self.aligned,
            "source": self.source,
        }


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class FromAuthentication:
    domain: str | None  #: the From: domain as receivers read it
    displayed: str | None  #: what a mail client shows
    status: str
    stamped: str | None  #: the status the receiver's stamp alone gives (``None``: no stamp)
    rechecked: str | None  #: the status the re-check alone gives (``None``: not re-checked)
    source: str  #: ``stamp``, ``re-check``, ``both`` or ``none``
    authenticated_as: tuple[Identity, ...] = ()  #: identities that passed, aligned or not
    disagreement: str | None = None
    summary: str = ""
    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "domain": self.domain,
            "displayed": self.displayed,
            "status": self.status,
            "stamped": self.stamped,
            "rechecked": self.rechecked,
            "source": self.source,
            "authenticated_as": [i.to_dict() for i in self.authenticated_as],
            "disagreement": self.disagreement,
            "summary": self.summary,
            "evidence": [e.to_dict() for e in self.evidence],
        }


def aligned(domain: str | None, from_domain: str | None) -> bool:
    """Relaxed alignment (RFC 7489 section 3.1): the same organisational domain."""
    if not domain or not from_domain:
        return False
    a, b = domain.lower().rstrip("."), from_domain.lower().rstrip(".")
    if a == b:
        return True
    org = org_domain(b) or b
    return may_be_org(a, org) and (org_domain(a) or a) == org


def _status(
    spf: Outcome | None,
    dkim: Sequence[Outcome],
    dmarc: Outcome | None,
    from_domain: str | None,
    judgement: ReceiverJudgement | None = None,
) -> str | None:
    """The status one reading gives, or ``None`` when that reading holds nothing at all."""
    outcomes = [o for o in (spf, dmarc, *dkim) if o is not None]
    if not outcomes and (judgement is None or judgement.compauth is None):
        return None
    if judgement is not None and judgement.fails_from:
        return FAIL
    if dmarc is not None and dmarc.result == "fail":
        return FAIL
    if dmarc is not None and dmarc.result in _DMARC_PASS:
        return ALIGNED_PASS
    if judgement is not None and judgement.passes_from:
        return ALIGNED_PASS
    if from_domain is None:
        return NONE
    if spf is not None and spf.result == "pass" and aligned(spf.domain, from_domain):
        return ALIGNED_PASS
    if any(d.result == "pass" and aligned(d.domain, from_domain) for d in dkim):
        return ALIGNED_PASS
    if spf is not None and spf.result == "fail" and aligned(spf.domain, from_domain):
        return FAIL
    if any(d.result == "header_fail" and aligned(d.domain, from_domain) for d in dkim) and not any(
        d.result == "pass" for d in dkim
    ):
        return FAIL
    if (spf is not None and spf.result == "pass") or any(d.result == "pass" for d in dkim):
        return UNALIGNED_PASS
    if any(d.result == "unverifiable" for d in dkim) or (
        (spf is not None and spf.result == "temperror") or (dmarc is not None and dmarc.result == "temperror")
    ):
        return UNVERIFIABLE
    return NONE


def identities(spf: Outcome | None, dkim: Sequence[Outcome], from_domain: str | None) -> list[Identity]:
    """The SPF identity and each DKIM signer (one per domain and result) with its alignment to ``from_domain``:
    read once per message, for :func:`from_authentication` and :func:`mailtrace.verdict.origin.origin`."""
    out: list[Identity] = []
    if spf is not None and spf.domain and spf.result not in ("none", "not_checked"):
        out.append(
            Identity(
                method="spf",
                domain=spf.domain,
                result=spf.result,
                aligned=aligned(spf.domain, from_domain),
                source=spf.source,
            )
        )
    seen: set[tuple[str, str]] = set()
    for d in dkim:
        key = ((d.domain or "").lower(), d.result)
        if not d.domain or d.result in ("none",) or key in seen:
            continue
        seen.add(key)
        out.append(
            Identity(
                method="dkim", domain=d.domain, result=d.result, aligned=aligned(d.domain, from_domain), source=d.source
            )
        )
    return out


def from_authentication(
    view: AuthView,
    verification: Any,
    judgement: ReceiverJudgement | None,
    path: Path,
    from_domain: str | None,
    displayed: str | None,
    idents: list[Identity] | None = None,
) -> FromAuthentication:
    """``idents``: :func:`identities` of the view when the caller has them already."""
    merged = _status(view.spf, view.dkim, view.dmarc, from_domain, judgement)
    if view.rechecked:
        stamped = list(view.stamped)
        s_spf = next((o for o in stamped if o.method == "spf"), None)
        s_dmarc = next((o for o in stamped if o.method == "dmarc"), None)
        s_dkim = [o for o in stamped if o.method == "dkim"]
        stamp_status = _status(s_spf, s_dkim, s_dmarc, from_domain, judgement)
        r_spf, r_dmarc, r_dkim = recheck_outcomes(verification, path, from_domain)
        re_status = _status(r_spf, r_dkim, r_dmarc, from_domain)
    else:
        # without a re-check the view holds the stamps alone (build_view: the first SPF and DMARC stamp,
        # every DKIM stamp), so the stamp's reading is the merged one
        stamp_status, re_status = merged, None
    status = merged or NONE
    # a stamped failure outranks "nothing found now"
    if stamp_status == FAIL and status in (NONE, UNVERIFIABLE, UNALIGNED_PASS):
        status = FAIL
    source = "both" if stamp_status and re_status else "stamp" if stamp_status else "re-check" if re_status else "none"
    disagreement = None
    if stamp_status and re_status and stamp_status != re_status:
        if re_status in (NONE, UNVERIFIABLE):
            disagreement = (
                f"The receiver's stamp at delivery gives {stamp_status.replace('_', ' ')}; the re-check now gives "
                f"{re_status.replace('_', ' ')} (unverifiable now: records and keys change after delivery). The "
                "stamp is used."
            )
        else:
            disagreement = (
                f"The receiver's stamp at delivery gives {stamp_status.replace('_', ' ')}; the re-check now gives "
                f"{re_status.replace('_', ' ')}. The verdict uses {status.replace('_', ' ')} and reports the conflict."
            )
    if idents is None:
        idents = identities(view.spf, view.dkim, from_domain)
    passes = tuple(i for i in idents if i.result == "pass")
    evidence = [o.evidence for o in (view.dmarc, view.spf, *view.dkim) if o is not None][:6]
    if judgement is not None and judgement.compauth is not None:
        evidence.extend(e for e in judgement.evidence if e.text.startswith("compauth"))
    # every field in order: domain, displayed, status, stamped, rechecked, source, authenticated_as, disagreement,
    # summary, evidence
    return _make_statement(
        from_domain,
        displayed,
        status,
        stamp_status,
        re_status,
        source,
        passes,
        disagreement,
        _summary(status, from_domain, passes, view, judgement),
        tuple(evidence),
    )


#: ``FromAuthentication(...)`` with every field given in order (one per message).
_make_statement: Callable[..., FromAuthentication] = fast_maker(FromAuthentication)


def _summary(
    status: str,
    domain: str | None,
    passes: Sequence[Identity],
    view: AuthView,
    judgement: ReceiverJudgement | None,
) -> str:
    d = domain or "(no From: domain)"
    if status == ALIGNED_PASS:
        how: list[str] = []
        if view.dmarc is not None and view.dmarc.result in _DMARC_PASS:
            how.append(f"DMARC {view.dmarc.result} ({view.dmarc.source})")
        how.extend(f"{i.method.upper()} pass for {i.domain} ({i.source})" for i in passes if i.aligned)
        if not how and judgement is not None and judgement.passes_from:
            how.append(f"composite authentication pass reason {judgement.compauth_reason}")
        return f"The From: domain {d} is authenticated: " + "; ".join(how[:3]) + "."
    if status == UNALIGNED_PASS:
        names = sorted({i.domain or "?" for i in passes if not i.aligned})
        who = ", ".join(f"{i.domain} ({i.method.upper()})" for i in passes if not i.aligned)
        return f"Sent through {', '.join(names)}, authenticated as {who}; the From: domain {d} is not authenticated."
    if status == FAIL:
        why = []
        if view.dmarc is not None and view.dmarc.result == "fail":
            why.append(f"DMARC fail ({view.dmarc.source})")
        if judgement is not None and judgement.compauth == "fail":
            why.append(
                "composite authentication fail"
                + (
                    f" reason {judgement.compauth_reason} ({judgement.compauth_explained})"
                    if judgement.compauth_reason
                    else ""
                )
            )
        if not why:
            why.append("an SPF or DKIM check aligned with it fails")
        return f"The From: domain {d} fails authentication: " + "; ".join(why) + "."
    if status == UNVERIFIABLE:
        return (
            f"The From: domain {d} cannot be authenticated now (keys or records unreachable), and nothing was stamped."
        )
    return f"Nothing authenticates the From: domain {d}."
