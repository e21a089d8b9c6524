"""What a Receiver stamps: ``Authentication-Results:`` (RFC 8601) and ``Received-SPF:`` (RFC 7208 9.1),
worded as each dialect's filters word them (OpenDKIM/OpenDMARC/policyd-spf, Gmail, Microsoft 365).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class DkimOutcome:
    domain: str
    selector: str
    algorithm: str
    bits: int
    b: str  #: the first characters of ``b=`` (``header.b``)
    result: str  #: ``pass`` / ``fail``
    reason: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Outcome:
    """What the Receiver found when the message crossed into its network."""

    client_ip: str
    helo: str
    mail_from: str
    spf: str  #: pass / fail / softfail / none
    dkim: tuple[DkimOutcome, ...]
    dmarc: str  #: pass / fail / none
    dmarc_policy: str | None
    from_domain: str
    arc: str | None  #: pass / none / None (not evaluated)


def authentication_results(dialect: str, authserv_id: str | None, o: Outcome) -> str:
    """The folded value of the ``Authentication-Results:`` field."""
    domain = o.mail_from.rsplit("@", 1)[-1] if o.mail_from else o.helo
    if dialect == "exchange":
        ident = f"smtp.mailfrom={domain}" if o.mail_from else f"smtp.helo={domain}"
        parts = [f"spf={o.spf} (sender IP is {o.client_ip}) {ident}"]
        for d in o.dkim:
            why = "signature was verified" if d.result == "pass" else "body hash did not verify"
            parts.append(f"dkim={d.result} ({why}) header.d={d.domain}")
        if not o.dkim:
            parts.append("dkim=none (message not signed) header.d=none")
        if o.arc is not None:
            parts.append(f"arc={o.arc}")
        parts.append(f"dmarc={o.dmarc} action=none header.from={o.from_domain}")
        # Microsoft's reason codes: 100 a pass, 000 an explicit DMARC failure, 001 an implicit one (no DMARC record)
        compauth = {"pass": "pass reason=100", "none": "fail reason=001"}.get(o.dmarc, "fail reason=000")
        parts.append(f"compauth={compauth}")
        text = ";".join(parts)
        return f"{authserv_id}; {text}" if authserv_id else text
    who = "google.com" if dialect == "gmail" else authserv_id
    results = []
    for d in o.dkim:
        note = f" ({d.reason})" if d.reason else ""
        results.append(f"dkim={d.result}{note} header.i=@{d.domain} header.s={d.selector} header.b={d.b}")
    if o.arc is not None:
        results.append(f"arc={o.arc}")
    verb = {"pass": "designates", "softfail": "does not designate", "fail": "does not designate"}.get(o.spf)
    if o.spf == "softfail":
        verb = "does not designate"  # Gmail words softfail as "transitioning"; kept plain
    spf_comment = (
        f" ({who}: domain of {o.mail_from or 'postmaster@' + o.helo} {verb} {o.client_ip} as permitted sender)"
        if verb
        else f" ({who}: {o.client_ip} is neither permitted nor denied)"
    )
    # a null envelope sender (a DSN): the HELO identity was checked (RFC 8601 section 2.7.2)
    identity = f"smtp.mailfrom={o.mail_from}" if o.mail_from else f"smtp.helo={o.helo}"
    results.append(f"spf={o.spf}{spf_comment} {identity}")
    if o.dmarc_policy is not None or o.dmarc != "none":
        policy = (o.dmarc_policy or "none").upper() if dialect == "gmail" else (o.dmarc_policy or "none")
        detail = f"(p={policy} sp={policy} dis=NONE)" if dialect == "gmail" else f"(p={policy} dis=none)"
        results.append(f"dmarc={o.dmarc} {detail} header.from={o.from_domain}")
    indent = "\r\n       " if dialect == "gmail" else "\r\n\t"
    return f"{authserv_id};" + indent + (";" + indent).join(results)


def received_spf(dialect: str, receiver: str, o: Outcome) -> str | None:
    """The ``Received-SPF:`` value, or ``None`` for dialects that do not write one."""
    word = o.spf.capitalize() if dialect in ("postfix", "exchange") else o.spf
    if dialect == "postfix":
        identity = "mailfrom" if o.mail_from else "helo"
        return (
            f"{word} ({identity}) identity={identity}; client-ip={o.client_ip}; helo={o.helo};\r\n"
            f"\tenvelope-from={o.mail_from or '<>'}; receiver={receiver}"
        )
    domain = o.mail_from.rsplit("@", 1)[-1] if o.mail_from else o.helo
    verb = "designates" if o.spf == "pass" else "does not designate"
    if dialect == "exchange":
        return (
            f"{word} (protection.outlook.com: domain of {domain} {verb}\r\n {o.client_ip} as permitted sender)"
            f" receiver=protection.outlook.com;\r\n client-ip={o.client_ip}; helo={o.helo}; pr=C"
        )
    if dialect == "gmail":
        return (
            f"{word} (google.com: domain of {o.mail_from} {verb} {o.client_ip} as permitted sender)"
            f" client-ip={o.client_ip};"
        )
    return None
