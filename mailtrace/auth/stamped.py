"""Stamped versus re-checked: the receiver's ``Authentication-Results`` next to our re-check.

The ``Authentication-Results`` field (RFC 8601) written at delivery by the
receiving side is first-hand evidence: it saw the connection and the DNS of
that day. Which field is the receiver's: the topmost one whose authserv-id
is in ``Policy.trusted_authserv_ids``, else the topmost field (the receiver
adds its own above everything else; RFC 8601 section 5 says receivers remove
or ignore look-alikes, but not every one does, so say how it was chosen).

A re-check that cannot reach the evidence now (key no longer published,
DNS failure) is ``unverifiable_now``, never a contradiction: keys rotate.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mailtrace.auth.results import (
    Agreement,
    ArcCheck,
    ArcResult,
    Comparison,
    DkimCheck,
    DkimResult,
    DmarcCheck,
    DmarcResult,
    SpfCheck,
    SpfResult,
    Stamped,
    StampedResult,
)

_GONE = (DkimResult.KEY_UNAVAILABLE, DkimResult.KEY_REVOKED, DkimResult.TEMPERROR)
#: A message without ``Authentication-Results``: nothing stamped, nothing to compare (immutable, so shared).
_NOTHING = Stamped()


def collect(authentication: object, trusted: Sequence[str]) -> Stamped:
    """The receiver's stamped results and every other A-R result, without comparisons yet."""
    fields = sorted(getattr(authentication, "authentication_results", ()) or (), key=lambda f: f.header_index)
    fields = [f for f in fields if str(getattr(f, "name", "")).lower() in ("", "authentication-results")]
    if not fields:
        return _NOTHING
    chosen: Any = None
    chosen_by = ""
    for f in fields:
        if f.authserv_id and f.authserv_id.lower() in trusted:
            chosen, chosen_by = f, "trusted authserv-id"
            break
    if chosen is None:
        chosen, chosen_by = fields[0], "topmost Authentication-Results (no trusted authserv-id matched)"
    same = [f for f in fields if f is chosen or (chosen.authserv_id and f.authserv_id == chosen.authserv_id)]
    return Stamped(
        authserv_id=chosen.authserv_id,
        header_index=chosen.header_index,
        chosen_by=chosen_by,
        results=tuple(r for f in same for r in _results(f)),
        others=tuple(r for f in fields if f not in same for r in _results(f)),
    )


def _results(field: Any) -> list[StampedResult]:
    return [
        StampedResult(
            header_index=field.header_index,
            authserv_id=field.authserv_id,
            method=str(r.method).lower(),
            result=str(r.result).lower(),
            reason=r.reason,
            properties=tuple(r.properties),
        )
        for r in field.results
    ]


def compare(stamped: Stamped, spf: SpfCheck, dkim: Sequence[DkimCheck], arc: ArcCheck, dmarc: DmarcCheck) -> Stamped:
    """``stamped`` with one :class:`Comparison` per stamped SPF, DKIM, ARC and DMARC result."""
    if not stamped.results and not stamped.comparisons:
        return stamped  # no stamped result: no comparison to add
    out: list[Comparison] = []
    for r in stamped.results:
        if r.method == "spf":
            out.append(_compare_spf(r, spf))
        elif r.method == "dkim":
            out.append(_compare_dkim(r, dkim))
        elif r.method == "arc":
            out.append(_compare_simple(r, arc.cv.value, arc.cv is ArcResult.NOT_CHECKED, arc.cv is ArcResult.TEMPERROR))
        elif r.method == "dmarc":
            out.append(
                _compare_simple(
                    r,
                    dmarc.result.value,
                    dmarc.result is DmarcResult.NOT_CHECKED,
                    dmarc.result is DmarcResult.TEMPERROR,
                    subject=r.get("header", "from"),
                )
            )
    return Stamped(
        authserv_id=stamped.authserv_id,
        header_index=stamped.header_index,
        chosen_by=stamped.chosen_by,
        results=stamped.results,
        others=stamped.others,
        comparisons=tuple(out),
    )


def _compare_spf(r: StampedResult, spf: SpfCheck) -> Comparison:
    subject = r.get("smtp", "mailfrom") or r.get("smtp", "mail") or r.get("smtp", "helo")
    return _compare_simple(
        r, spf.result.value, spf.result is SpfResult.NOT_CHECKED, spf.result is SpfResult.TEMPERROR, subject=subject
    )


def _compare_simple(
    r: StampedResult, rechecked: str, not_checked: bool, temporary: bool, *, subject: str | None = None
) -> Comparison:
    if not_checked:
        return Comparison(
            method=r.method,
            subject=subject,
            stamped=r.result,
            rechecked=rechecked,
            agreement=Agreement.NOT_RECHECKED,
            note="not re-checked (no resolver)",
        )
    if temporary:
        return Comparison(
            method=r.method,
            subject=subject,
            stamped=r.result,
            rechecked=rechecked,
            agreement=Agreement.UNVERIFIABLE_NOW,
            note="the re-check could not reach DNS: unverifiable now",
        )
    if r.result == rechecked:
        agreement, note = Agreement.AGREE, "the re-check gives the stamped result"
    elif r.result != "pass" and rechecked != "pass":
        agreement, note = Agreement.DISAGREE, "neither passes, but the result words differ"
    else:
        agreement = Agreement.DISAGREE
        note = "the re-check differs: DNS records may have changed since delivery, or the stamp is not genuine"
    return Comparison(
        method=r.method, subject=subject, stamped=r.result, rechecked=rechecked, agreement=agreement, note=note
    )


def _compare_dkim(r: StampedResult, dkim: Sequence[DkimCheck]) -> Comparison:
    d = (r.get("header", "d") or "").lower() or None
    i = r.get("header", "i")
    if d is None and i:
        d = i.rpartition("@")[2].lower()
    s = r.get("header", "s")
    candidates = [c for c in dkim if d is None or c.domain == d]
    if s:
        candidates = [c for c in candidates if c.selector == s] or candidates
    # Prefer the re-check that agrees in pass-ness, so two signatures by one domain do not look contradictory.
    want_pass = r.result == "pass"
    match = next((c for c in candidates if (c.result is DkimResult.PASS) == want_pass), None)
    match = match or (candidates[0] if candidates else None)
    if match is None:
        return Comparison(
            method="dkim",
            subject=d,
            stamped=r.result,
            rechecked="absent",
            agreement=Agreement.DISAGREE if r.result == "pass" else Agreement.AGREE,
            note="no DKIM-Signature by this domain is in the message now",
        )
    rechecked = match.result
    if rechecked is DkimResult.NOT_CHECKED:
        agreement, note = Agreement.NOT_RECHECKED, "not re-checked (no resolver)"
    elif want_pass == (rechecked is DkimResult.PASS):
        agreement, note = Agreement.AGREE, "the re-check gives the stamped result"
    elif want_pass and rechecked in _GONE:
        agreement = Agreement.UNVERIFIABLE_NOW
        note = "the key cannot be fetched now (rotated or DNS failure): unverifiable now, not forged"
    elif want_pass:
        agreement = Agreement.DISAGREE
        note = f"stamped pass but re-checked {rechecked.value}: altered after delivery, or the stamp is not genuine"
    else:
        agreement = Agreement.DISAGREE
        note = f"stamped {r.result} but the signature verifies now"
    return Comparison(
        method="dkim", subject=d, stamped=r.result, rechecked=rechecked.value, agreement=agreement, note=note
    )
