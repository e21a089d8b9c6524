"""Who mediated the message, and which failures that explains (``verdict.mediation``).

Kinds: ``none``, ``forwarded`` (an alias or a user's forward: SRS, ARC sets sealed by an
intermediary, several ``Delivered-To``, a second crossing), ``list`` (list fields the trace
confirms, :func:`mailtrace.verdict.classify.corroborated_forwarding`), ``resent`` (a
``Resent-*`` block, RFC 5322 section 3.6.6) and ``bounce`` (a delivery status notification,
RFC 3464: the reporting MTA sends a report about another message; it explains nothing).

A mediator breaks SPF (it sends from its own address) and may break DKIM (a list's footer or
subject tag), so DMARC fails at the final receiver. That failure is the mediator's only when
evidence from *before* the forward shows the message passed there:

1. the first ARC instance's recorded results (``ARC-Authentication-Results: i=1``, RFC 8617):
   ``dmarc=pass``, or SPF or DKIM passing aligned with the From: domain;
2. an earlier receiver's own ``Authentication-Results`` (below the final crossing) saying so;
3. a DKIM signature aligned with the From: domain that still verifies; for a list, one whose
   body hash the list broke (its footer or subject tag, scenario 5): the author's domain signed it.

A failure recorded there (``dmarc=fail`` at the first receiver) is the author's, not the
forward's (scenario 22). A mediation with no such evidence explains nothing: the failure stays,
and since it may be the mediator's as well as the author's, the verdict calls it ``suspicious``
rather than ``forged`` (:mod:`.classify`).

A tenant of a large provider relaying mail for its own domain is the author's own
infrastructure, not a forwarder (scenario 23): when the only mediation evidence is a second
crossing (and ARC sets) inside one provider, the earlier crossing's receiver and the client at
the recipient's border being that provider's hosts, with no SRS, list, ``Resent-*`` or
``Delivered-To`` evidence, the kind is ``none`` and the note says so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from mailtrace.model.fields import Message
from mailtrace.model.frozen import fast_init, fast_maker
from mailtrace.model.headers import Headers
from mailtrace.trace.forwarding import ForwardingSignals, own_seals
from mailtrace.trace.hosts import org_domain, same_org
from mailtrace.trace.model import Evidence, Path
from mailtrace.trace.providers import same_provider
from mailtrace.verdict.evidence import AuthView
from mailtrace.verdict.from_auth import aligned

NONE = "none"
FORWARDED = "forwarded"
LIST = "list"
RESENT = "resent"
BOUNCE = "bounce"

#: The failures a mediation can explain (From: authentication and the envelope's SPF).
EXPLAINABLE = ("auth.spf_fail", "auth.spf_softfail", "auth.dmarc_fail", "auth.compauth_fail")


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Before:
    """What evidence from before the forward says about the From: domain."""

    source: str  #: ``ARC i=1 (sealed by d)``, ``stamp by <host>``, ``DKIM signature of d``
    passed: bool
    failed: bool = False  #: a failure of the From: domain recorded there (not merely nothing passing)
    results: str  #: the results as recorded, e.g. ``spf=pass dkim=pass dmarc=pass``
    evidence: Evidence

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "passed": self.passed,
            "failed": self.failed,
            "results": self.results,
            "evidence": self.evidence.to_dict(),
        }


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Mediation:
    kind: str
    by: tuple[str, ...] = ()  #: who mediated: list, forwarder or resending user
    explains: tuple[str, ...] = ()  #: failure codes the mediation explains
    unexplained: tuple[str, ...] = ()  #: failure codes it does not explain
    before: Before | None = None
    note: str = ""
    evidence: tuple[Evidence, ...] = ()

    @property
    def mediated(self) -> bool:
        return self.kind in (FORWARDED, LIST, RESENT)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "by": list(self.by),
            "explains": list(self.explains),
            "unexplained": list(self.unexplained),
            "before_forward": None if self.before is None else self.before.to_dict(),
            "note": self.note,
            "evidence": [e.to_dict() for e in self.evidence],
        }


#: ``Mediation(...)`` with every field given in order (the usual message, not mediated).
_make_mediation: Callable[..., Mediation] = fast_maker(Mediation)


def mediation(
    *,
    path: Path,
    signals: ForwardingSignals,
    headers: Headers,
    message: Message,
    authentication: Any,
    view: AuthView,
    from_domain: str | None,
    corroborated: bool,
    failures: Sequence[str],
    seals: frozenset[int] | None = None,
) -> Mediation:
    """The mediation of one message; ``failures``: the failure finding codes present; ``seals``:
    :func:`~mailtrace.trace.forwarding.own_seals` of the path when the caller has them already."""
    kind, by, evidence = _kind(path, signals, headers, message, corroborated)
    note = ""
    if kind == FORWARDED and _sender_side_seal_only(path, signals):
        kind, by = NONE, ()
        note = (
            f"The only forwarding evidence is ARC ({signals.arc[0].text}) sealed before the message's one crossing: "
            "the sending platform sealed its outgoing mail; no forwarder received it."
        )
    if kind == FORWARDED and _own_tenant(path, signals):
        kind, by = NONE, ()
        note = (
            f"The earlier crossing into {path.borders[-2].receiver or '?'} and the client at the recipient's border "
            f"({path.border.client if path.border else '?'}) belong to one provider, and nothing names a forwarder "
            "(no SRS, list, Resent-* or Delivered-To evidence): a tenant of that provider relayed mail for its own "
            "domain, the author's own infrastructure, not a forwarder."
        )
    if kind in (NONE, BOUNCE):  # every field in order: kind, by, explains, unexplained, before, note, evidence
        return _make_mediation(kind, by, (), (), None, note, tuple(evidence))
    skip = seals if seals is not None else _recipient_seals(path)
    before = _before(path, authentication, view, from_domain, skip, kind == LIST)
    explainable = [c for c in failures if c in EXPLAINABLE]
    explains: tuple[str, ...]
    unexplained: tuple[str, ...]
    if before is not None and before.passed:
        explains, unexplained = tuple(explainable), ()
        note = f"Evidence from before the forward shows the message passed there ({before.source}: {before.results})."
    elif before is not None and before.failed:
        explains, unexplained = (), tuple(explainable)
        note = (
            f"Evidence from before the forward records a failure ({before.source}: {before.results}): the failure "
            "is the author's, not the mediator's."
        )
    elif before is not None:
        explains, unexplained = (), tuple(explainable)
        note = (
            f"Evidence from before the forward shows nothing authenticated the From: domain there ({before.source}: "
            f"{before.results}), so the mediation explains no failure."
        )
    else:
        explains, unexplained = (), tuple(explainable)
        note = (
            "No evidence from before the forward (an ARC set, an earlier receiver's stamp, a signature that still "
            "verifies) shows the message passed there, so the mediation explains no failure."
            if explainable
            else ""
        )
    return Mediation(
        kind=kind,
        by=by,
        explains=explains,
        unexplained=unexplained,
        before=before,
        note=note,
        evidence=tuple(evidence),
    )


def _kind(
    path: Path, signals: ForwardingSignals, headers: Headers, message: Message, corroborated: bool
) -> tuple[str, tuple[str, ...], list[Evidence]]:
    if _names_a_list(signals) and corroborated:
        return LIST, tuple(sorted(signals.list_domains)), list(signals.lists[:3])
    if signals.resent:
        who = [
            a.address
            for block in headers.resent
            for f in block.fields
            if f.name.lower() == "resent-from"
            for a in getattr(f, "addresses", ())
            if a.address
        ]
        return RESENT, tuple(dict.fromkeys(who)), list(signals.resent[:3])
    if corroborated:
        orgs: list[str] = []
        for b in path.borders[:-1]:
            o = org_domain(b.receiver)
            if o:
                orgs.append(o)
        orgs.extend(sorted(signals.domains - signals.list_domains))
        ev = [*signals.srs, *signals.arc, *signals.deliveries][:4]
        if len(path.borders) > 1:
            ev.extend(b.evidence[0] for b in path.borders[:-1] if b.evidence)
        return FORWARDED, tuple(dict.fromkeys(orgs)), ev
    if _is_report(headers, message):
        rp = headers.return_path[0] if headers.return_path else None
        ev = [
            Evidence(
                text="null envelope sender <> and a multipart/report body",
                header=rp.name if rp else None,
                header_index=rp.index if rp else None,
            )
        ]
        return BOUNCE, (), ev
    return NONE, (), []


def _names_a_list(signals: ForwardingSignals) -> bool:
    """List fields that name a list (``List-Id``, ``List-Post``, ``X-BeenThere``...): a ``List-Unsubscribe``
    alone is what every bulk sender writes (RFC 8058 one-click unsubscribe), no list."""
    return any((e.header or "").lower() != "list-unsubscribe" for e in signals.lists)


def _is_report(headers: Headers, message: Message) -> bool:
    rp = headers.return_path[0].first if headers.return_path else None
    if rp is None or not rp.null:
        return False
    ct = message.get_all("Content-Type")
    return bool(ct) and "multipart/report" in ct[0].value[:200].lower()


def _sender_side_seal_only(path: Path, signals: ForwardingSignals) -> bool:
    """ARC sets are the only forwarding evidence and the message crossed one border: whoever sealed them did so
    on the sender's side before that crossing (an ESP or a provider sealing outgoing mail), since a forwarder's
    own receipt would be a crossing too."""
    return bool(signals.arc) and not (
        signals.srs or signals.lists or signals.resent or signals.deliveries or len(path.borders) > 1
    )


def _own_tenant(path: Path, signals: ForwardingSignals) -> bool:
    """A second crossing inside one provider with nothing else naming a forwarder (scenario 23)."""
    if signals.srs or _names_a_list(signals) or signals.resent or signals.deliveries or len(path.borders) != 2:
        return False
    border, earlier = path.border, path.borders[-2]
    if border is None:
        return False
    return _same_provider(earlier.receiver, border.client) and all(
        _same_provider(earlier.receiver, e.text.rsplit(" ", 1)[-1]) for e in signals.arc
    )


def _same_provider(a: str | None, b: str | None) -> bool:
    return bool(a and b) and (same_provider(a, b) or same_org(org_domain(a), org_domain(b)))


def _recipient_seals(path: Path) -> frozenset[int]:
    """``ARC-Seal`` header indexes that record no intermediary's receipt: sealed by the recipient's own network
    on receipt (after the forward), or by the author's own platform on the way out (its own claim, not a
    receiver's check). :func:`~mailtrace.trace.forwarding.own_seals` holds the latter already."""
    return own_seals(path)


def _before(
    path: Path, authentication: Any, view: AuthView, from_domain: str | None, skip: frozenset[int], list_kind: bool
) -> Before | None:
    arc = sorted(
        (
            s
            for s in getattr(authentication, "arc_sets", ()) or ()
            if s.authentication_results is not None and (s.seal is None or s.seal.header_index not in skip)
        ),
        key=lambda s: s.instance,
    )
    if arc:
        first = arc[0]
        ar = first.authentication_results
        sealer = first.seal.domain if first.seal is not None else None
        got = _judge_results(ar.results, from_domain)
        if got is not None:
            passed, failed, text = got
            return Before(
                source=f"ARC i={first.instance}" + (f" sealed by {sealer}" if sealer else ""),
                passed=passed,
                failed=failed,
                results=text,
                evidence=Evidence(
                    text=f"ARC-Authentication-Results i={first.instance}: {text}",
                    header="ARC-Authentication-Results",
                    header_index=ar.header_index,
                ),
            )
    border = path.border
    if border is not None and border.header_index is not None:
        lower = [
            f
            for f in getattr(authentication, "authentication_results", ()) or ()
            if f.header_index > border.header_index and str(f.name).lower() == "authentication-results"
        ]
        for f in sorted(lower, key=lambda f: f.header_index):
            got = _judge_results(f.results, from_domain)
            if got is not None:
                passed, failed, text = got
                who = f.authserv_id or "an earlier receiver"
                return Before(
                    source=f"stamp by {who}",
                    passed=passed,
                    failed=failed,
                    results=text,
                    evidence=Evidence(
                        text=f"{who}: {text}", header="Authentication-Results", header_index=f.header_index
                    ),
                )
    for d in view.dkim:
        if d.result == "pass" and aligned(d.domain, from_domain):
            return Before(
                source=f"DKIM signature of {d.domain}",
                passed=True,
                results=f"dkim=pass ({d.source})",
                evidence=d.evidence,
            )
    for d in view.dkim:
        # the author's domain signed it before the list, whose footer or tag broke the body hash (scenario 5)
        if list_kind and d.result == "body_fail" and aligned(d.domain, from_domain):
            return Before(
                source=f"DKIM signature of {d.domain} (its body hash broken by the list)",
                passed=True,
                results=f"dkim=body hash mismatch ({d.source})",
                evidence=d.evidence,
            )
    return None


def _judge_results(results: Sequence[Any], from_domain: str | None) -> tuple[bool, bool, str] | None:
    """``(passed, failed, text)`` for one set of recorded results, or ``None`` when they say nothing of From:."""
    words: list[str] = []
    dmarc: str | None = None
    passes_aligned = False
    fail = False
    for r in results[:20]:
        method, result = str(r.method).lower(), str(r.result).lower()
        if method not in ("spf", "dkim", "dmarc", "compauth"):
            continue
        words.append(f"{method}={result}")
        if method == "dmarc":
            judged = r.get("header", "from")
            if judged and from_domain and not aligned(judged, from_domain):
                continue  # recorded for another From: domain (a list rewrote From: since)
            dmarc = dmarc or result
        elif method == "compauth" and result == "fail":
            fail = True
        elif method == "spf" and result == "pass":
            passes_aligned |= aligned(
                r.get("smtp", "mailfrom") and r.get("smtp", "mailfrom").rsplit("@", 1)[-1], from_domain
            )
        elif method == "dkim" and result == "pass":
            passes_aligned |= aligned(
                r.get("header", "d") or (r.get("header", "i") or "").rsplit("@", 1)[-1], from_domain
            )
    if not words:
        return None
    text = " ".join(words[:8])
    if dmarc in ("pass", "bestguesspass"):
        return True, False, text
    if dmarc == "fail" or fail:
        return False, True, text
    return passes_aligned, False, text
