"""Findings from the verdict's statements: the receiver's own judgement and the From: authentication.

* ``auth.compauth_fail``: the final receiver's composite authentication (Microsoft 365) failed the
  From: domain, with its reason code in words;
* ``auth.unaligned_pass``: SPF or DKIM passed, but only for other domains: who authenticated, and
  that the From: domain is not;
* precedence (scenario 29): a DKIM signature failing on its headers is ``low`` when the receiver
  stamped a DMARC pass for the From: domain or another aligned signature passes: the failing
  signature is not decisive;
* a disagreement between the receiver's stamp and the re-check on the From: domain's
  authentication is an ``auth.stamp_disagreement``, never silently resolved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from mailtrace.verdict.catalogue import Finding, Severity, finding
from mailtrace.verdict.evidence import AuthView
from mailtrace.verdict.from_auth import ALIGNED_PASS, FAIL, UNALIGNED_PASS, FromAuthentication
from mailtrace.verdict.receiver import ReceiverJudgement

_DECISIVE = (ALIGNED_PASS, UNALIGNED_PASS, FAIL)


def statement_findings(
    findings: Sequence[Finding], view: AuthView, fa: FromAuthentication, judgement: ReceiverJudgement | None
) -> list[Finding]:
    out = list(findings)
    codes = {f.code for f in out}
    if judgement is not None and judgement.compauth == "fail" and judgement.fails_from:
        spoof = " and filed it as spoofing (CAT:SPOOF)" if judgement.category == "SPOOF" else ""
        why = (
            f" reason {judgement.compauth_reason}: {judgement.compauth_explained}" if judgement.compauth_reason else ""
        )
        out.append(
            finding(
                "auth.compauth_fail",
                f"{judgement.receiver or 'The final receiver'} failed the From: domain "
                f"{judgement.dmarc_domain or fa.domain or '?'} in its composite authentication (compauth=fail{why})"
                f"{spoof}.",
                [e for e in judgement.evidence if e.text.startswith(("compauth", "dmarc"))][:2],
            )
        )
    if fa.status == UNALIGNED_PASS and "auth.unaligned_pass" not in codes:
        out.append(
            finding(
                "auth.unaligned_pass",
                fa.summary,
                list(fa.evidence)[:3],
            )
        )
    receiver_pass = (judgement is not None and judgement.passes_from) or (
        view.dmarc is not None and view.dmarc.result == "pass" and view.dmarc.source != "re-verification"
    )
    # only a DKIM header failure is made not decisive (the findings added above are none)
    if "auth.dkim_header_fail" in codes and (receiver_pass or any(d.result == "pass" and d.aligned for d in view.dkim)):
        why = (
            "the receiver's DMARC pass for the From: domain outranks it"
            if receiver_pass
            else "another signature aligned with From: passes"
        )
        out = [
            replace(f, severity=Severity.LOW, message=f"{f.message} Not decisive: {why}.")
            if f.code == "auth.dkim_header_fail"
            else f
            for f in out
        ]
    if (
        fa.disagreement
        and fa.stamped in _DECISIVE
        and fa.rechecked in _DECISIVE
        and "auth.stamp_disagreement" not in codes
    ):
        out.append(finding("auth.stamp_disagreement", fa.disagreement, list(fa.evidence[:2])))
    return out
