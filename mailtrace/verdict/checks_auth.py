"""Findings from authentication (SPF RFC 7208, DKIM RFC 6376, DMARC RFC 7489, ARC RFC 8617)
and from forwarding evidence (SRS, lists RFC 2369/2919, ``Resent-*`` RFC 5322 section 3.6.6).
"""

from __future__ import annotations

from typing import Any

from mailtrace.trace.forwarding import ForwardingSignals
from mailtrace.trace.model import Evidence, Path
from mailtrace.verdict.catalogue import Finding, Severity, finding
from mailtrace.verdict.evidence import AuthView


def auth_findings(view: AuthView, path: Path, verification: Any, signals: ForwardingSignals) -> list[Finding]:
    out: list[Finding] = []
    border = path.border
    ip = border.ip if border is not None else None
    if view.spf is not None:
        s = view.spf
        who = s.domain or "the envelope sender's domain"
        if s.identity == "helo":
            # null envelope sender (a bounce): SPF checks the HELO identity, RFC 7208 section 2.4
            who = f"the HELO identity {s.domain or '?'} (null envelope sender)"
        if s.result == "fail":
            out.append(
                finding(
                    "auth.spf_fail",
                    f"SPF fail ({s.source}): {who} does not authorise {ip or 'the border client'}, the client the "
                    "recipient's server saw.",
                    [s.evidence],
                )
            )
        elif s.result == "softfail":
            out.append(
                finding(
                    "auth.spf_softfail",
                    f"SPF softfail ({s.source}): {who} marks {ip or 'the border client'} as probably not authorised.",
                    [s.evidence],
                )
            )
        elif s.result == "pass":
            out.append(
                finding(
                    "auth.spf_pass",
                    f"SPF pass ({s.source}): {who} authorises {ip or 'the border client'}.",
                    [s.evidence],
                )
            )
    passes = [d for d in view.dkim if d.result == "pass"]
    for d in view.dkim:
        if d.result == "header_fail":
            out.append(
                finding(
                    "auth.dkim_header_fail",
                    f"The DKIM signature of {d.domain or '?'} does not verify over its signed headers ({d.source}): "
                    "they were altered after signing, or the signature is forged.",
                    [d.evidence],
                )
            )
        elif d.result == "body_fail":
            out.append(
                finding(
                    "auth.dkim_body_fail",
                    f"The DKIM signature of {d.domain or '?'} covers intact headers but the body changed "
                    f"({d.source}): a list footer or gateway rewrite, not a forged origin.",
                    [d.evidence],
                )
            )
        elif d.result == "unverifiable":
            out.append(
                finding(
                    "auth.dkim_unverifiable",
                    f"The DKIM signature of {d.domain or '?'} cannot be checked now ({d.source}): unverifiable, not "
                    "forged.",
                    [d.evidence],
                )
            )
    for d in view.unverifiable_now:
        stamp = next((o for o in view.dkim if (o.domain or "").lower() == (d.domain or "").lower()), None)
        kept = f"the receiver's stamp at delivery (dkim={stamp.result}, {stamp.source})" if stamp else "the stamp"
        out.append(
            finding(
                "auth.dkim_unverifiable",
                f"The DKIM signature of {d.domain or '?'} cannot be checked now ({d.evidence.text}): unverifiable "
                f"now, not forged; the verdict uses {kept}.",
                [d.evidence, *([stamp.evidence] if stamp else [])],
            )
        )
    aligned = [d for d in passes if d.aligned]
    if aligned:
        d = aligned[0]
        out.append(
            finding("auth.dkim_pass", f"DKIM pass for {d.domain} ({d.source}), aligned with From:.", [d.evidence])
        )
    elif passes:
        names = ", ".join(sorted({d.domain or "?" for d in passes}))
        out.append(
            finding(
                "auth.dkim_unaligned_only",
                f"The passing DKIM signatures ({names}) are not by the From: domain: they vouch for the signer, not "
                "the author's domain.",
                [passes[0].evidence],
            )
        )
    if view.dmarc is not None:
        m = view.dmarc
        if m.result == "fail":
            out.append(
                finding(
                    "auth.dmarc_fail",
                    f"DMARC fail for {m.domain or 'the From: domain'} ({m.source}): neither SPF nor DKIM passed "
                    "aligned with From:.",
                    [m.evidence],
                )
            )
        elif m.result == "pass":
            out.append(
                finding(
                    "auth.dmarc_pass", f"DMARC pass for {m.domain or 'the From: domain'} ({m.source}).", [m.evidence]
                )
            )
    if not view.any and border is not None:
        out.append(
            finding(
                "auth.none",
                "Nothing authenticates the sender: no SPF, DKIM or DMARC result other than none, neither stamped "
                "by the recipient's server at the border nor from a re-check against DNS.",
            )
        )
    out.extend(_disagreements(view, verification))
    return out


def _disagreements(view: AuthView, verification: Any) -> list[Finding]:
    out: list[Finding] = []
    stamped = getattr(verification, "stamped", None)
    for c in getattr(stamped, "disagreements", ()) or ():
        agreement = str(getattr(getattr(c, "agreement", None), "value", getattr(c, "agreement", "")))
        if agreement != "disagree":
            continue
        method, subject = getattr(c, "method", "?"), getattr(c, "subject", None)
        # a DMARC re-check that fails only because a DKIM key is gone now is unverifiable, not a disagreement
        keyless = any(d.result == "unverifiable" for d in view.dkim) or any(
            str(getattr(getattr(c2, "result", None), "value", getattr(c2, "result", "")))
            in ("key_unavailable", "key_revoked", "expired", "temperror")
            for c2 in getattr(verification, "dkim", ()) or ()
        )
        soft = method in ("dmarc", "spf") and keyless
        # one sentence: the comparison's note (lower case, "the re-check differs: ...") in parentheses
        note = (getattr(c, "note", "") or "").strip().removeprefix("the re-check differs: ")
        text = (
            f"The receiver stamped {method}={getattr(c, 'stamped', '?')}"
            + (f" for {subject}" if subject else "")
            + f" at delivery; the re-check now gives {getattr(c, 'rechecked', '?')}"
            + (f" ({note.rstrip('.')})" if note else "")
            + "."
        )
        ev = Evidence(
            text=f"{method}: stamped {getattr(c, 'stamped', '?')} / re-checked {getattr(c, 'rechecked', '?')}",
            header="Authentication-Results",
            header_index=getattr(stamped, "header_index", None),
        )
        if soft:
            text += " A DKIM key cannot be checked now, so the re-check cannot confirm the stamp: unverifiable now."
        out.append(finding("auth.stamp_disagreement", text, [ev], severity=Severity.LOW if soft else None))
    if out:
        return out
    # without the verification layer's comparison, compare the trusted stamps with re-checked DKIM ourselves
    for d in view.dkim:
        if d.source != "re-verification" or d.result not in ("pass", "header_fail", "body_fail"):
            continue
        for s in view.stamped:
            if (
                s.method == "dkim"
                and (s.domain or "").lower() == (d.domain or "").lower()
                and (s.result == "pass") != (d.result == "pass")
            ):
                out.append(
                    finding(
                        "auth.stamp_disagreement",
                        f"The receiver stamped dkim={s.result} for {d.domain} at delivery; the re-check now gives "
                        f"{d.result}. The verdict trusts the re-check's cryptography but treats the conflict as "
                        "suspicious.",
                        [s.evidence, d.evidence],
                    )
                )
    return out


def forwarding_findings(path: Path, signals: ForwardingSignals, view: AuthView) -> list[Finding]:
    out: list[Finding] = []
    if signals.srs:
        out.append(
            finding(
                "forwarding.srs",
                f"The envelope sender was rewritten with SRS ({signals.srs[0].text}): a forwarder passed the "
                "message on.",
                signals.srs,
            )
        )
    if signals.lists:
        out.append(
            finding(
                "forwarding.list",
                f"Mailing-list fields ({', '.join(sorted({e.header or '' for e in signals.lists}))}): the message "
                "was redistributed by a list.",
                signals.lists,
            )
        )
    if signals.resent:
        out.append(
            finding(
                "forwarding.resent", f"The message was re-sent by a user ({signals.resent[0].text}).", signals.resent
            )
        )
    if signals.arc:
        out.append(
            finding(
                "forwarding.arc",
                f"{len(signals.arc)} ARC set(s): intermediaries recorded the authentication they saw "
                f"({signals.arc[-1].text}).",
                signals.arc,
            )
        )
    if signals.deliveries:
        out.append(
            finding(
                "forwarding.multiple_deliveries",
                f"{len(signals.deliveries)} Delivered-To fields with different addresses: the message was "
                "delivered, then passed on.",
                signals.deliveries,
            )
        )
    if len(path.borders) > 1:
        names = " then ".join(f"into {b.receiver or '?'} (from {b.ip or '?'}, {b.method.value})" for b in path.borders)
        ev = [
            Evidence(text=f"crossing via {b.method.value}", header="Received", header_index=b.header_index, hop=b.index)
            for b in path.borders
        ]
        out.append(
            finding("forwarding.second_crossing", f"The message crossed {len(path.borders)} borders: {names}.", ev)
        )
    body_fails = [d for d in view.dkim if d.result in ("body_fail", "header_fail")]
    if signals.lists and body_fails:
        d = body_fails[0]
        out.append(
            finding(
                "forwarding.list_modified",
                f"The list changed a message signed by {d.domain or '?'}: the author's DKIM signature no longer "
                f"verifies ({d.result.replace('_', ' ')}).",
                [d.evidence, signals.lists[0]],
                severity=Severity.INFO,
            )
        )
    return out
