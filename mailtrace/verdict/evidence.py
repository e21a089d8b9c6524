"""The authentication evidence the verdict weighs: re-verification where it ran, else the stamps.

The ``Authentication-Results`` (RFC 8601) and ``Received-SPF`` (RFC 7208
section 9.1) written *above the recipient's border* are the trusted
receiver's first-hand record at delivery time; anything below the border was
written on the sender side (or by a forwarder) and is not trusted. With a
resolver, the re-check (:mod:`mailtrace.auth`) is a second opinion: a
cryptographic DKIM result it reaches outranks the stamp, while SPF and DMARC
keep the stamp (records change after delivery). Attributes of the parsed and
verified objects are read defensively so that either may be absent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mailtrace.model.frozen import fast_init, fast_maker
from mailtrace.trace.hosts import org_domain, same_org
from mailtrace.trace.model import Evidence, Path, make_evidence
from mailtrace.verdict.orgs import may_be_org

_DKIM_WORDS = {
    "pass": "pass",
    "body_hash_mismatch": "body_fail",
    "signature_mismatch": "header_fail",
    "key_unavailable": "unverifiable",
    "key_revoked": "unverifiable",
    "expired": "unverifiable",
    "temperror": "unverifiable",
    "permerror": "error",
    "key_too_large": "error",  # refused before verification: the key's cost is an attack
    "fail": "header_fail",
    "neutral": "error",
    "policy": "error",
    "none": "none",
}


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Outcome:
    """One method's result as the verdict reads it, and where it came from."""

    method: str  #: ``spf``, ``dkim``, ``dmarc``, ``arc``
    #: SPF/DMARC/ARC words; for DKIM ``pass``, ``header_fail``, ``body_fail``, ``unverifiable``, ``error``, ``none``
    result: str
    domain: str | None
    source: str  #: ``re-verification`` or ``stamped by <authserv-id>``
    evidence: Evidence
    aligned: bool | None = None
    #: SPF only: ``mailfrom``, or ``helo`` when the envelope sender is null (RFC 7208 section 2.4)
    identity: str | None = None


#: ``Outcome(...)`` with every field given in order (the stamps, read for every message).
_make_outcome: Callable[[str, str, str | None, str, Evidence, bool | None, str | None], Outcome] = fast_maker(Outcome)


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class AuthView:
    spf: Outcome | None
    dkim: tuple[Outcome, ...]
    dmarc: Outcome | None
    arc: Outcome | None
    stamped: tuple[Outcome, ...]  #: every trusted stamp, for disagreement checks
    rechecked: bool
    trusted_authserv: str | None
    #: re-checks the verdict does not use, and why (SPF and DMARC run on a guessed client without a border)
    set_aside: tuple[str, ...] = ()
    #: DKIM re-checks that read unverifiable now (key gone, revoked, expired) for a signer whose trusted stamp
    #: the verdict uses instead: shown beside the stamp so the analyst sees both (scenario 15)
    unverifiable_now: tuple[Outcome, ...] = ()

    @property
    def any(self) -> bool:
        """Is there an SPF, DKIM or DMARC result other than ``none``/``not_checked``, whatever its source?

        SPF ``none`` (no record) and DKIM ``none`` (no signature) say that nothing was there to check:
        they are not evidence (RFC 7208 section 2.6.1, RFC 8601 section 2.7.1).
        """
        empty = ("none", "not_checked")
        return any(o.result not in empty for o in (self.spf, self.dmarc, *self.dkim) if o is not None)


def _str(x: Any) -> str | None:
    if x is None:
        return None
    return str(getattr(x, "value", x)).lower()


def _org(domain: str | None) -> str | None:
    return org_domain(domain) or (domain.lower() if domain else None)


def trusted_results(authentication: Any, path: Path, policy_ids: tuple[str, ...]) -> list[Any]:
    """The ``Authentication-Results`` fields written by the recipient's side, nearest the border first."""
    fields = list(getattr(authentication, "authentication_results", ()) or ())
    if policy_ids:
        chosen = [f for f in fields if (getattr(f, "authserv_id", None) or "").lower() in policy_ids]
    elif path.border is not None and path.border.header_index is not None:
        chosen = [
            f for f in fields if _at_border(path, getattr(f, "header_index", None), getattr(f, "authserv_id", None))
        ]
    elif path.internal or not path.hops:
        chosen = fields[:1]
    else:
        chosen = []
    chosen.sort(key=lambda f: -int(getattr(f, "header_index", 0)))
    return chosen


def _at_border(path: Path, index: int | None, writer: str | None) -> bool:
    """A stamp the recipient's receiver wrote: above the border line, or just below it (Gmail writes its
    stamps under its own ``Received:`` line) when the writer is in the receiver's organisation."""
    border = path.border
    if border is None or border.header_index is None or index is None:
        return False
    if index < border.header_index:
        return True
    if writer and border.receiver and writer.lower().rstrip(".") == border.receiver.lower().rstrip("."):
        # the border's own receiving host by its exact name: Proton writes its stamps under the sender's lines
        return True
    below = min(
        (
            h.header_index
            for h in path.hops
            if (h.header_index or 0) > border.header_index and not h.synthetic and h.header_index is not None
        ),
        default=None,
    )
    if below is not None and index > below:
        return False
    return writer is None or same_org(org_domain(writer), org_domain(border.receiver))


def _stamps(authentication: Any, path: Path, trusted: list[Any], from_domain: str | None) -> list[Outcome]:
    """``trusted``: :func:`trusted_results`."""
    out: list[Outcome] = []
    from_org = _org(from_domain) if from_domain else None  # for DKIM alignment
    for field in trusted:
        who = getattr(field, "authserv_id", None) or "the receiver"
        source = f"stamped by {who}"
        index = getattr(field, "header_index", None)
        for res in getattr(field, "results", ()) or ():
            method = (_str(getattr(res, "method", None)) or "").split("/", 1)[0]
            word = _str(getattr(res, "result", None)) or ""
            domain: str | None
            if method == "dkim":
                domain = _prop(res, "header", "d") or _domain_of(_prop(res, "header", "i"))
                kind = _DKIM_WORDS.get(word, "error")
                if word == "fail":
                    text = " ".join([*(getattr(res, "comments", ()) or ()), getattr(res, "reason", None) or ""]).lower()
                    if "body hash" in text:
                        kind = "body_fail"
                    elif "no key" in text or "key not found" in text:
                        kind = "unverifiable"  # Microsoft's "(no key for signature)": no key published, not a forgery
                    elif "syntax error" in text or "inappropriate" in text:
                        kind = "error"  # a malformed signature (a permerror in RFC 8601 words)
                word = kind
            elif method == "spf":
                domain = _domain_of(_prop(res, "smtp", "mailfrom") or _prop(res, "smtp", "mail"))
                identity = "mailfrom"
                if domain is None and _prop(res, "smtp", "helo"):
                    domain, identity = _prop(res, "smtp", "helo"), "helo"
            elif method == "dmarc":
                domain = _prop(res, "header", "from")
            elif method == "arc":
                domain = None
            else:
                continue
            ev = make_evidence(f"{method}={word} stamped by {who}", "Authentication-Results", index, None)
            aligned = None
            if method == "dkim" and domain and from_domain and from_org is not None:
                aligned = may_be_org(domain, from_org) and _org(domain) == from_org
            out.append(_make_outcome(method, word, domain, source, ev, aligned, identity if method == "spf" else None))
    for spf in getattr(authentication, "received_spf", ()) or ():
        index = getattr(spf, "header_index", None)
        if not _at_border(path, index, getattr(spf, "receiver", None)):
            continue
        word = _str(getattr(spf, "result", None)) or ""
        ev = make_evidence(f"Received-SPF: {word}", "Received-SPF", index, None)
        domain = _domain_of(getattr(spf, "envelope_from", None))
        stated: str | None = _str(getattr(spf, "identity", None))
        if domain is None and getattr(spf, "helo", None):
            domain, stated = str(spf.helo), "helo"
        out.append(_make_outcome("spf", word, domain, "stamped in Received-SPF", ev, None, stated))
    return out


def _prop(res: Any, ptype: str, name: str) -> str | None:
    get = getattr(res, "get", None)
    if not callable(get):
        return None
    value = get(ptype, name)
    return value if isinstance(value, str) else None


def _domain_of(address: str | None) -> str | None:
    if not address:
        return None
    return address.rsplit("@", 1)[-1].strip("<> ").lower() or None


def build_view(
    verification: Any,
    authentication: Any,
    path: Path,
    policy_ids: tuple[str, ...],
    from_domain: str | None,
    trusted: list[Any] | None = None,
) -> AuthView:
    """``trusted``: :func:`trusted_results` when the caller has it already."""
    if trusted is None:
        trusted = trusted_results(authentication, path, policy_ids)
    stamped = _stamps(authentication, path, trusted, from_domain)
    checked = bool(getattr(verification, "checked", False))
    # the first stamp of each method, every DKIM stamp
    spf: Outcome | None = None
    dmarc: Outcome | None = None
    arc: Outcome | None = None
    dkim: list[Outcome] = []
    for o in stamped:
        if o.method == "dkim":
            dkim.append(o)
        elif o.method == "spf":
            spf = spf or o
        elif o.method == "dmarc":
            dmarc = dmarc or o
        elif o.method == "arc":
            arc = arc or o
    if checked:
        ev = Evidence(text="re-verification against DNS now", header=None)
        # without a border there is no crossing client: SPF (and DMARC through it) was checked on a guess
        r_spf, r_dmarc, rechecked = recheck_outcomes(verification, path, from_domain)
        if spf is None and r_spf is not None:
            spf = r_spf
        if dmarc is None and r_dmarc is not None and r_dmarc.result != "temperror":
            dmarc = r_dmarc
        a = getattr(verification, "arc", None)
        word = _str(getattr(a, "cv", None))
        if arc is None and word and word not in ("not_checked", "none"):
            arc = Outcome(method="arc", result=word, domain=None, source="re-verification", evidence=ev)
        decisive = {"pass", "header_fail", "body_fail"}
        merged = [o for o in rechecked if o.result in decisive]
        done = {(o.domain or "").lower() for o in merged}
        kept = {(o.domain or "").lower() for o in dkim if (o.domain or "").lower() not in done}
        unverifiable_now = [o for o in rechecked if o.result == "unverifiable" and (o.domain or "").lower() in kept]
        merged.extend(o for o in dkim if (o.domain or "").lower() not in done)
        merged.extend(
            o
            for o in rechecked
            if o.result not in decisive
            and (o.domain or "").lower() not in done
            and not any((s.domain or "").lower() == (o.domain or "").lower() for s in dkim)
        )
        dkim = merged
    else:
        unverifiable_now = []
    trusted_authserv = next((o.source for o in stamped), None)
    set_aside = _set_aside(verification, path) if checked else ()
    # every field in order: spf, dkim, dmarc, arc, stamped, rechecked, trusted_authserv, set_aside, unverifiable_now
    return _make_view(
        spf, tuple(dkim), dmarc, arc, tuple(stamped), checked, trusted_authserv, set_aside, tuple(unverifiable_now)
    )


#: ``AuthView(...)`` with every field given in order (one per message).
_make_view: Callable[..., AuthView] = fast_maker(AuthView)


def recheck_outcomes(
    verification: Any, path: Path, from_domain: str | None
) -> tuple[Outcome | None, Outcome | None, list[Outcome]]:
    """SPF, DMARC and DKIM as the re-check alone reads them (``build_view`` prefers the stamp for SPF and DMARC).

    SPF and DMARC only with a border: without one they ran against a guessed client.
    """
    if not getattr(verification, "checked", False):
        return None, None, []
    ev = Evidence(text="re-verification against DNS now", header=None)
    spf = dmarc = None
    if path.border is not None:
        s = getattr(verification, "spf", None)
        word = _str(getattr(s, "result", None))
        if word and word != "not_checked":
            spf = Outcome(
                method="spf",
                result=word,
                domain=getattr(s, "domain", None),
                source="re-verification",
                evidence=ev,
                identity=_str(getattr(s, "identity", None)),
            )
        d = getattr(verification, "dmarc", None)
        word = _str(getattr(d, "result", None))
        if word and word != "not_checked":
            dmarc = Outcome(
                method="dmarc", result=word, domain=getattr(d, "domain", None), source="re-verification", evidence=ev
            )
    dkim: list[Outcome] = []
    for c in getattr(verification, "dkim", ()) or ():
        word = _DKIM_WORDS.get(_str(getattr(c, "result", None)) or "", "")
        if not word:
            continue
        domain = getattr(c, "domain", None)
        cev = Evidence(
            text=f"DKIM re-check: {_str(c.result)}",
            header="DKIM-Signature",
            header_index=getattr(c, "header_index", None),
        )
        aligned = None
        if domain and from_domain:
            from_org = _org(from_domain)
            aligned = from_org is not None and may_be_org(domain, from_org) and _org(domain) == from_org
        dkim.append(
            Outcome(method="dkim", result=word, domain=domain, source="re-verification", evidence=cev, aligned=aligned)
        )
    return spf, dmarc, dkim


def _set_aside(verification: Any, path: Path) -> tuple[str, ...]:
    """A sentence for SPF/DMARC re-checks that ran without a border, against the fallback client.

    With no crossing found, the re-check used the topmost public client IP (``analyze.border_identity``):
    a guess, not the client the recipient's side saw, so the verdict ignores those results.
    """
    if path.border is not None:
        return ()
    words = []
    for name in ("spf", "dmarc"):
        word = _str(getattr(getattr(verification, name, None), "result", None))
        if word and word not in ("not_checked", "none", "temperror"):
            words.append(f"{name.upper()} {word}")
    if not words:
        return ()
    s = getattr(verification, "spf", None)
    ip = getattr(s, "ip", None)
    client = f"the topmost public client IP {ip}" if ip else "no client IP"
    return (
        f"The re-check ({', '.join(words)}) ran against {client} because no border was found; it is not the "
        "client the recipient's side saw, so the verdict does not use it.",
    )
