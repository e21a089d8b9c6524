"""The first block of the text report: the analyst's four questions, one line each (issue 14).

* **Came from**: the client at the recipient's border: its IP, reverse name, HELO, provider
  and tenant, the authenticated submission user, and the recipient's host that accepted it.
* **From:**: what a mail client shows, and the domain receivers authenticate.
* **Authenticated**: is the ``From:`` domain authenticated? Yes, no, or by whom instead, with
  where that comes from (the receiver's stamp, the re-check, both).
* **Forwarded**: was it mediated (forwarded, a list, resent), by whom, and what that explains.
* **Receiver said**: what the final receiver itself decided (DMARC and its action or policy,
  Microsoft's composite authentication with its reason, SCL, BCL, the spam verdict and
  category, the folder it went to).

Everything is read from the report's verdict parts (``verdict.origin`` and kin); a report
without them (no trace) gives the lines it can.
"""

from __future__ import annotations

from collections.abc import Iterable

from mailtrace.report import Report
from mailtrace.verdict.from_auth import FromAuthentication, Identity
from mailtrace.verdict.from_identity import from_identity
from mailtrace.verdict.mediation import Mediation
from mailtrace.verdict.origin import Origin
from mailtrace.verdict.receiver import ReceiverJudgement

_YES_NO = {
    "aligned_pass": "Yes",
    "unaligned_pass": "No",
    "fail": "No",
    "none": "No",
    "unverifiable": "Cannot tell now",
}
_SOURCE = {
    "stamp": "the receiver's stamp",
    "re-check": "the re-check",
    "both": "the receiver's stamp and the re-check",
}
_FAILURE = {
    "auth.spf_fail": "the SPF fail",
    "auth.spf_softfail": "the SPF softfail",
    "auth.dmarc_fail": "the DMARC fail",
    "auth.compauth_fail": "the compauth fail",
    "auth.dkim_header_fail": "the DKIM header failure",
    "auth.dkim_body_fail": "the DKIM body hash failure",
}
_KIND = {"forwarded": "forwarded by", "list": "a mailing list at", "resent": "resent by"}


def glance(report: Report) -> list[tuple[str, str]]:
    """``(label, text)`` pairs for the first block, in the order of the analyst's questions."""
    parts = report.verdict.parts if report.verdict is not None else None
    rows: list[tuple[str, str]] = []
    origin = parts.origin if parts is not None else None
    rows.append(("Came from", _origin(origin) if origin is not None else _no_origin(report)))
    ident = from_identity(report.headers)
    shown = ident.displayed or "(no From: field)"
    if ident.malformed or ident.ambiguous:
        shown += malformed_note(ident.domain)
    rows.append(("From:", shown))
    if parts is not None:
        rows.append(("Authenticated", _from_auth(parts.from_auth, parts.receiver)))
        rows.append(("Forwarded", _mediation(parts.mediation)))
    receiver = parts.receiver if parts is not None else None
    rows.append(
        ("Receiver said", _receiver(receiver) if receiver is not None else "no stamp from the recipient's side")
    )
    return rows


def malformed_note(domain: str | None) -> str:
    if domain is None:
        return " (malformed: receivers find no domain to authenticate)"
    return f" (malformed; receivers authenticate {domain})"


def _origin(o: Origin) -> str:
    ip = o.ip or "an unknown address"
    rdns, helo = o.rdns, o.helo
    bits = [f"reverse name {rdns}" if rdns else "no reverse name"]
    if helo and helo != rdns:
        bits.append(f"HELO {helo}")
    text = f"{ip} ({', '.join(bits)})"
    if o.provider is not None:
        text += f", provider {o.provider.name}" + (f" ({o.provider.kind})" if o.provider.kind else "")
    if o.tenant:
        text += f", tenant {o.tenant}"
    if o.submission_user:
        text += f", submitted by the authenticated user {o.submission_user}"
    if o.receiver:
        text += f"; into {o.receiver}"
    return text


def _no_origin(report: Report) -> str:
    path = report.path
    if not report.received:
        return "no Received: lines: the path cannot be read"
    if path is not None and path.internal:
        return "internal mail: no border was crossed"
    return "no border crossing found in the trace"


def _from_auth(a: FromAuthentication, receiver: ReceiverJudgement | None) -> str:
    """Yes, no, or as whom instead, in a few words; the full sentence is the verdict's."""
    answer = _YES_NO.get(a.status, a.status or "?")
    aligned = _ids(i for i in a.authenticated_as if i.aligned)
    others = _ids(i for i in a.authenticated_as if not i.aligned)
    instead = f"; authenticated as {others} instead" if others else ""
    domain = a.domain
    if a.source == "none" and a.status == "none":
        return "Not checked: no stamp from the recipient's side and no re-check (--dns would re-check)."
    if domain is None:
        text = f"{answer}: there is no From: domain to authenticate{instead}"
    elif a.status == "aligned_pass":
        text = f"{answer}: {domain}" + (f" by {aligned}" if aligned else " is authenticated")
    elif a.status == "unaligned_pass" and others:
        text = f"{answer}: authenticated as {others} instead; {domain} is not"
    elif a.status == "fail":
        said = _stamped_failure(receiver)
        text = f"{answer}: {domain} fails" + (f" ({said})" if said else "") + instead
    elif a.status == "none":
        text = f"{answer}: nothing authenticates {domain}{instead}"
    else:
        summary = a.summary.rstrip(".")
        text = f"{answer}. {summary}" if summary else answer
    source = _SOURCE.get(a.source)
    if source:
        text += f"; source: {source}"
    if a.disagreement:
        text += f"; {a.disagreement.rstrip('.')}"
    return text + "."


def _stamped_failure(r: ReceiverJudgement | None) -> str:
    if r is None:
        return ""
    bits = []
    if r.dmarc == "fail":
        bits.append("DMARC fail")
    if r.compauth == "fail":
        bits.append("compauth fail" + (f" reason {r.compauth_reason}" if r.compauth_reason else ""))
    return ", ".join(bits)


def _ids(ids: Iterable[Identity]) -> str:
    """``SPF example.com, DKIM d=example.com``: each passing identity once."""
    shown = [f"SPF {i.domain}" if i.method == "spf" else f"{i.method.upper()} d={i.domain}" for i in ids if i.domain]
    return ", ".join(dict.fromkeys(shown))


def _mediation(m: Mediation) -> str:
    kind = m.kind
    by = ", ".join(m.by)
    if kind == "bounce":
        return "No; a bounce or delivery report" + (f" from {by}" if by else "")
    if kind not in _KIND:
        return "No" + (f" ({m.note.rstrip('.')})" if m.note else "")
    text = f"Yes, {_KIND[kind]} {by}" if by else f"Yes, {_KIND[kind].rsplit(' ', 1)[0]}"
    if m.explains:
        text += "; that explains " + " and ".join(_FAILURE.get(c, c) for c in m.explains)
    if m.unexplained:
        text += "; it does not explain " + " and ".join(_FAILURE.get(c, c) for c in m.unexplained)
    return text


def _receiver(r: ReceiverJudgement) -> str:
    bits: list[str] = []
    if r.dmarc:
        extra = [
            text
            for text in (
                f"action {r.dmarc_action}" if r.dmarc_action else "",
                f"p={r.dmarc_policy}" if r.dmarc_policy else "",
                f"dis={r.dmarc_disposition}" if r.dmarc_disposition else "",
            )
            if text
        ]
        bits.append(
            f"DMARC {r.dmarc}"
            + (f" for {r.dmarc_domain}" if r.dmarc_domain else "")
            + (f" ({', '.join(extra)})" if extra else "")
        )
    if r.compauth:
        bits.append(f"compauth {r.compauth}" + (f" (reason {r.compauth_reason})" if r.compauth_reason else ""))
    for label, value in (("SCL", r.scl), ("BCL", r.bcl), ("SFV", r.sfv), ("CAT", r.category)):
        if value is not None:
            bits.append(f"{label} {value}")
    if r.spam_action:
        bits.append(f"spam verdict {r.spam_action}")
    if r.delivered_to:
        bits.append(f"delivered to {r.delivered_to}")
    who = r.receiver
    if not bits:
        return f"{who} stamped no judgement of its own" if who else "no stamp from the recipient's side"
    return (f"{who}: " if who else "") + "; ".join(bits)
