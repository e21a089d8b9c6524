"""What the final receiver decided, as it stamped it (``verdict.receiver_judgement``).

The final receiver writes its decision into the message on delivery: DMARC with the action it
took (RFC 7489 section 11.2 via ``Authentication-Results``, RFC 8601), Microsoft 365's composite
authentication (``compauth=... reason=NNN``), its spam confidence level
(``X-MS-Exchange-Organization-SCL``), the filter's verdict and category
(``X-Forefront-Antispam-Report``: ``SFV``, ``CAT``), the bulk complaint level
(``X-Microsoft-Antispam: BCL``) and the folder it delivered to
(``X-Microsoft-Antispam-Mailbox-Delivery: dest``); Google and Proton write DMARC's policy and
disposition as a comment (``dmarc=pass (p=NONE sp=NONE dis=NONE)``), Proton its action in
``X-Pm-Spam-Action``; rspamd writes
``X-Rspamd-Action``, SpamAssassin ``X-Spam-Status``.

Only the final receiver's stamps count: the ``Authentication-Results`` the verdict already ties to
the recipient's border (:func:`mailtrace.verdict.evidence.trusted_results`), and the provider
fields written above the border's ``Received:`` line (a sender's tenant writes its own copies
below it, and Microsoft renames those ``...-Untrusted``). The stamps are reported as written and
explained in words; the verdict weighs them (:mod:`.classify`). Reason codes follow Microsoft's
"Anti-spam message headers" documentation; codes it does not document are said to be so.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mailtrace.model.fields import Message
from mailtrace.model.frozen import fast_init
from mailtrace.trace.hosts import org_domain
from mailtrace.trace.model import Evidence, Path, make_evidence
from mailtrace.trace.providers import provider_of
from mailtrace.verdict.evidence import trusted_results

#: Longest provider field value read (hostile-input bound).
MAX_FIELD_CHARS = 4096

_POLICY = re.compile(r"\b(p|sp|dis|pct)\s*=\s*([A-Za-z0-9_-]{1,20})")
_KV = re.compile(r"([A-Za-z]{1,12})\s*:\s*([^;]{0,64})")
_INT = re.compile(r"-?\d{1,3}")

#: Microsoft's compauth reason code families ("Anti-spam message headers in Microsoft 365").
_COMPAUTH_EXACT = {
    "000": "explicit authentication failure: the From: domain's DMARC failed with a policy of quarantine or reject",
    "001": "implicit authentication failure: the From: domain publishes no authentication records, or only a weak "
    "policy (SPF softfail or neutral, DMARC p=none)",
    "002": "the recipient's organisation explicitly prohibits this sender and domain pair from sending spoofed mail",
    "010": "DMARC failed with a policy of quarantine or reject, and the From: domain is one of the recipient "
    "organisation's own accepted domains (intra-organisation spoofing)",
}
_COMPAUTH_FAMILY = {
    "1": "passed composite authentication (explicit or implicit); the last two digits are Microsoft's internal codes",
    "7": "passed composite authentication; the last two digits are Microsoft's internal codes",
    "2": "soft-passed implicit authentication (compauth=softpass)",
    "3": "not checked for composite authentication (compauth=none)",
    "4": "bypassed composite authentication (compauth=none)",
    "9": "bypassed composite authentication (compauth=none)",
    "6": "failed implicit authentication, and the From: domain is one of the recipient organisation's own accepted "
    "domains (intra-organisation spoofing)",
}
_SCL = {
    -1: "bypassed spam filtering (a trusted or allowed sender)",
    0: "not spam",
    1: "not spam",
    5: "spam",
    6: "spam",
    7: "high-confidence spam",
    8: "high-confidence spam",
    9: "high-confidence spam",
}
_SFV = {
    "NSPM": "not spam",
    "SPM": "spam",
    "SKN": "marked not spam before filtering (a mail flow rule)",
    "SKS": "marked spam before filtering (a mail flow rule)",
    "SKA": "allowed by the organisation's allow lists",
    "SKB": "blocked by the organisation's block lists",
    "SKI": "intra-organisation mail",
    "SKQ": "released from quarantine",
    "SFE": "allowed by the recipient's safe senders",
    "BLK": "blocked by the recipient's blocked senders",
}
_CAT = {
    "SPOOF": "spoofing",
    "PHSH": "phishing",
    "HPHSH": "high-confidence phishing",
    "HPHISH": "high-confidence phishing",
    "SPM": "spam",
    "HSPM": "high-confidence spam",
    "BULK": "bulk",
    "MALW": "malware",
    "GIMP": "impersonation (mailbox intelligence)",
    "UIMP": "user impersonation",
    "DIMP": "domain impersonation",
    "AMP": "anti-malware",
    "OSPM": "outbound spam",
    "NONE": "no category",
}
_DEST = {"I": "the inbox", "J": "the junk folder", "D": "deleted items", "Q": "quarantine"}


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class ReceiverJudgement:
    """The final receiver's own decision, as it stamped it."""

    receiver: str | None  #: the authserv-id, or the border's receiving host when the stamp names none
    header_index: int | None  #: the ``Authentication-Results`` field read
    dmarc: str | None = None
    dmarc_action: str | None = None  #: Microsoft's ``action=``
    dmarc_policy: str | None = None  #: ``p=`` (Google, Proton comments)
    dmarc_disposition: str | None = None  #: ``dis=``
    dmarc_domain: str | None = None  #: ``header.from``: the domain the receiver judged
    compauth: str | None = None
    compauth_reason: str | None = None
    compauth_explained: str | None = None
    scl: int | None = None
    bcl: int | None = None
    sfv: str | None = None
    category: str | None = None
    delivered_to: str | None = None  #: ``dest`` of the mailbox delivery field, in words
    spam_action: str | None = None  #: rspamd's action or SpamAssassin's Yes/No, as written
    fails_from: bool = False  #: the receiver stamped a failure of the From: domain (dmarc=fail, compauth=fail)
    passes_from: bool = False  #: the receiver stamped an aligned pass of the From: domain (dmarc=pass, compauth 100)
    summary: str = ""
    evidence: tuple[Evidence, ...] = ()

    @property
    def any(self) -> bool:
        return any(
            x is not None
            for x in (self.dmarc, self.compauth, self.scl, self.bcl, self.sfv, self.category, self.spam_action)
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "receiver": self.receiver,
            "header_index": self.header_index,
            "dmarc": None
            if self.dmarc is None
            else {
                "result": self.dmarc,
                "action": self.dmarc_action,
                "policy": self.dmarc_policy,
                "disposition": self.dmarc_disposition,
                "domain": self.dmarc_domain,
            },
            "compauth": None
            if self.compauth is None
            else {"result": self.compauth, "reason": self.compauth_reason, "explanation": self.compauth_explained},
            "scl": self.scl,
            "bcl": self.bcl,
            "sfv": self.sfv,
            "category": self.category,
            "delivered_to": self.delivered_to,
            "spam_action": self.spam_action,
            "fails_from": self.fails_from,
            "passes_from": self.passes_from,
            "summary": self.summary,
            "evidence": [e.to_dict() for e in self.evidence],
        }


def explain_compauth(reason: str | None) -> str | None:
    """Microsoft's compauth reason code in words (``None`` without a code)."""
    if not reason:
        return None
    code = reason.strip()[:8]
    if code in _COMPAUTH_EXACT:
        return _COMPAUTH_EXACT[code]
    if len(code) == 3 and code.isdigit() and code[0] in _COMPAUTH_FAMILY:
        return _COMPAUTH_FAMILY[code[0]]
    return f"reason code {code} is not documented by Microsoft"


def receiver_judgement(
    authentication: Any,
    message: Message,
    path: Path,
    policy_ids: tuple[str, ...],
    from_domain: str | None,
    trusted: list[Any] | None = None,
) -> ReceiverJudgement | None:
    """The final receiver's judgement, or ``None`` when it stamped nothing the verdict can read.

    ``trusted``: :func:`~mailtrace.verdict.evidence.trusted_results` when the caller has it already.
    """
    fields = trusted if trusted is not None else trusted_results(authentication, path, policy_ids)
    # the topmost field of the receiver, and its other fields of the same authserv-id (Proton writes one per method);
    # trusted_results orders them bottom first, one field per header index: reversed, they are top first
    fields = fields[::-1]
    top = fields[0] if fields else None
    same = [
        f for f in fields if top is not None and (f is top or (top.authserv_id and f.authserv_id == top.authserv_id))
    ]
    kw: dict[str, Any] = {}
    evidence: list[Evidence] = []
    for f in same:
        for r in f.results:
            method = str(r.method).lower()
            if method == "dmarc" and "dmarc" not in kw:
                kw["dmarc"] = str(r.result).lower()
                kw["dmarc_action"] = r.get("", "action") or r.get("policy", "action")
                kw["dmarc_domain"] = (r.get("header", "from") or "").lower() or None
                for m in _POLICY.finditer(" ".join(r.comments)[:512]):
                    key = {"p": "dmarc_policy", "dis": "dmarc_disposition"}.get(m.group(1).lower())
                    if key and key not in kw:
                        kw[key] = m.group(2).lower()
                evidence.append(_ev(f, f"dmarc={kw['dmarc']}"))
            elif method == "compauth" and "compauth" not in kw:
                kw["compauth"] = str(r.result).lower()
                kw["compauth_reason"] = r.reason or r.get("", "reason")
                kw["compauth_explained"] = explain_compauth(kw["compauth_reason"])
                evidence.append(_ev(f, f"compauth={kw['compauth']} reason={kw['compauth_reason']}"))
    above = path.border.header_index if path.border is not None else None
    final = provider_of(path.border.receiver) if path.border is not None else None
    provider = _provider_fields(message, above, final.name if final is not None else None)
    kw.update({k: v for k, (v, _) in provider.items()})
    evidence.extend(e for _, e in provider.values() if e is not None)
    if not kw:
        return None
    receiver = (top.authserv_id if top is not None else None) or (path.border.receiver if path.border else None)
    dmarc, comp = kw.get("dmarc"), kw.get("compauth")
    judged = kw.get("dmarc_domain")
    ours = not judged or not from_domain or _same(judged, from_domain)
    fails = ours and (dmarc == "fail" or comp == "fail")
    passes = (
        ours
        and not fails
        and (dmarc in ("pass", "bestguesspass") or (comp == "pass" and kw.get("compauth_reason") == "100"))
    )
    return ReceiverJudgement(
        receiver=receiver,
        header_index=top.header_index if top is not None else None,
        fails_from=fails,
        passes_from=passes,
        summary=_summary(receiver, kw.get),
        evidence=tuple(evidence),
        **kw,
    )


def _same(a: str, b: str) -> bool:
    return a.lower() == b.lower() or (org_domain(a) or a.lower()) == (org_domain(b) or b.lower())


def _ev(field: Any, text: str) -> Evidence:
    return make_evidence(text, getattr(field, "name", "Authentication-Results"), field.header_index, None)


def _topmost(message: Message, name: str, above: int | None) -> Any:
    """The topmost ``name`` field, when written above the border line (``above``: its header index; ``-1``:
    anywhere, for a provider that strips or renames the field on entry)."""
    fields = message.get_all(name)
    if fields and (above is None or above < 0 or fields[0].index < above):
        return fields[0]
    return None


def _provider_fields(message: Message, above: int | None, final: str | None) -> dict[str, tuple[Any, Evidence | None]]:
    """The providers' spam and delivery fields. Microsoft 365 strips ``X-MS-Exchange-Organization-*`` from
    mail arriving from outside and renames a sending tenant's antispam fields ``...-Untrusted``, so when the
    final receiver is Microsoft's its fields are read wherever they sit, as Proton's ``X-Pm-Spam-Action`` when the
    final receiver is Proton's (it writes its fields under the sender's lines); others only above the border line."""
    out: dict[str, tuple[Any, Evidence | None]] = {}
    ms = -1 if final == "microsoft" else above
    f = _topmost(message, "X-MS-Exchange-Organization-SCL", ms)
    if f is not None and (m := _INT.search(f.value[:16])):
        out["scl"] = (int(m.group(0)), make_evidence(f"SCL {m.group(0)}", f.name, f.index, None))
    f = _topmost(message, "X-Forefront-Antispam-Report", ms)
    if f is not None:
        tags = {k.upper(): v.strip() for k, v in _KV.findall(f.value[:MAX_FIELD_CHARS])}
        ev = make_evidence(f.value[:160], f.name, f.index, None)
        if tags.get("SFV"):
            out["sfv"] = (tags["SFV"].upper()[:8], ev)
        if tags.get("CAT"):
            out["category"] = (tags["CAT"].upper()[:8], ev)
        if "scl" not in out and tags.get("SCL") and (m := _INT.search(tags["SCL"])):
            out["scl"] = (int(m.group(0)), ev)
    f = _topmost(message, "X-Microsoft-Antispam", ms)
    if f is not None:
        tags = {k.upper(): v.strip() for k, v in _KV.findall(f.value[:MAX_FIELD_CHARS])}
        if tags.get("BCL") and (m := _INT.search(tags["BCL"])):
            out["bcl"] = (int(m.group(0)), make_evidence(f"BCL {m.group(0)}", f.name, f.index, None))
    f = _topmost(message, "X-Microsoft-Antispam-Mailbox-Delivery", ms)
    if f is not None:
        tags = {k.lower(): v.strip() for k, v in _KV.findall(f.value[:MAX_FIELD_CHARS])}
        dest = tags.get("dest", "").upper()[:1]
        if dest in _DEST:
            out["delivered_to"] = (_DEST[dest], make_evidence(f"dest:{dest}", f.name, f.index, None))
    for name, where in (
        ("X-Pm-Spam-Action", -1 if final == "proton" else above),
        ("X-Rspamd-Action", above),
        ("X-Spam-Status", above),
    ):
        f = _topmost(message, name, where)
        if f is not None and "spam_action" not in out:
            word = f.value.strip()[:40].split(",", 1)[0].strip()
            if word:
                out["spam_action"] = (f"{name}: {word}", make_evidence(word, f.name, f.index, None))
    return out


def _summary(receiver: str | None, get: Callable[[str], Any]) -> str:
    """The judgement in words, from the receiver and its stamped values (``get``: the value of a field, or None)."""
    who = receiver or "the final receiver"
    dmarc, compauth, reason = get("dmarc"), get("compauth"), get("compauth_reason")
    scl, sfv, category, bcl = get("scl"), get("sfv"), get("category"), get("bcl")
    delivered_to, spam_action = get("delivered_to"), get("spam_action")
    parts: list[str] = []
    if dmarc is not None:
        action, policy, disposition, domain = (
            get("dmarc_action"),
            get("dmarc_policy"),
            get("dmarc_disposition"),
            get("dmarc_domain"),
        )
        extra = ", ".join(
            x
            for x in (
                f"action {action}" if action else "",
                f"policy p={policy}" if policy else "",
                f"disposition {disposition}" if disposition else "",
            )
            if x
        )
        parts.append(f"DMARC {dmarc}" + (f" for {domain}" if domain else "") + (f" ({extra})" if extra else ""))
    if compauth is not None:
        parts.append(
            f"composite authentication {compauth}"
            + (f" (reason {reason}: {get('compauth_explained')})" if reason else "")
        )
    if scl is not None:
        parts.append(f"spam confidence level {scl}" + (f" ({_SCL[scl]})" if scl in _SCL else ""))
    if sfv is not None:
        parts.append(f"filter verdict {sfv}" + (f" ({_SFV[sfv]})" if sfv in _SFV else ""))
    if category is not None:
        parts.append(f"category {category}" + (f" ({_CAT[category]})" if category in _CAT else ""))
    if bcl is not None:
        parts.append(f"bulk complaint level {bcl}")
    if delivered_to is not None:
        parts.append(f"delivered to {delivered_to}")
    if spam_action is not None:
        parts.append(spam_action)
    return f"{who} stamped " + "; ".join(parts) + "." if parts else ""
