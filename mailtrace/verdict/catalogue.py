"""The findings catalogue: stable codes, their severity and what they indicate.

A code never changes meaning once released (``docs/findings.md`` lists every
one with an example); a change of severity or indication is a *Changed* entry
in the changelog, since it changes forensic output.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from mailtrace.model.frozen import fast_init, fast_maker
from mailtrace.trace.model import Evidence


class Severity(StrEnum):
    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Indication(StrEnum):
    """Which way a finding points."""

    FORGERY = "forgery"
    FORWARDING = "forwarding"
    SUSPICION = "suspicion"
    AUTHENTICITY = "authenticity"
    NEUTRAL = "neutral"


@dataclass(frozen=True, slots=True, kw_only=True)
class Spec:
    code: str
    severity: Severity
    indicates: Indication
    title: str
    example: str  #: an analyst sentence as the finding would print it


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """One finding: a stable ``code``, its weight, the evidence and a sentence for an analyst."""

    code: str
    severity: Severity
    indicates: Indication
    title: str
    message: str
    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "indicates": self.indicates.value,
            "title": self.title,
            "message": self.message,
            "evidence": [e.to_dict() for e in self.evidence],
        }


S, N = Severity, Indication
_SPECS = (
    # the trace
    Spec(
        code="trace.no_received",
        severity=S.INFO,
        indicates=N.NEUTRAL,
        title="No Received lines",
        example="The message carries no Received: lines, so no path can be reconstructed (a draft, an export, or "
        "stripped headers).",
    ),
    Spec(
        code="trace.link_broken",
        severity=S.MEDIUM,
        indicates=N.FORGERY,
        title="Broken chain link",
        example="Received[3] says it came from relay.example.net, but the hop below it was written by "
        "mx.example.org: a line may be forged or missing.",
    ),
    Spec(
        code="trace.time_backwards",
        severity=S.MEDIUM,
        indicates=N.FORGERY,
        title="Time goes backwards",
        example="Received[2] is stamped 3 h 12 min earlier than the hop below it: beyond clock skew, a sign of an "
        "inserted line.",
    ),
    Spec(
        code="trace.clock_skew",
        severity=S.LOW,
        indicates=N.NEUTRAL,
        title="Clock skew between hops",
        example="Received[1] is stamped 4 min earlier than the hop below it: the two servers' clocks disagree.",
    ),
    Spec(
        code="trace.time_future",
        severity=S.MEDIUM,
        indicates=N.FORGERY,
        title="Timestamp in the future",
        example="Received[4] is stamped 2 days after the recipient's server received the message.",
    ),
    Spec(
        code="trace.helo_recipient_domain",
        severity=S.HIGH,
        indicates=N.FORGERY,
        title="HELO claims the recipient's domain",
        example="The client at the border (198.51.100.7) greeted with HELO mail.recipient.example, the recipient's "
        "own domain.",
    ),
    Spec(
        code="trace.helo_ip_mismatch",
        severity=S.MEDIUM,
        indicates=N.SUSPICION,
        title="HELO IP literal differs from the connection",
        example="The client greeted with HELO [10.0.0.1] but connected from 198.51.100.7.",
    ),
    Spec(
        code="trace.private_below_border",
        severity=S.INFO,
        indicates=N.NEUTRAL,
        title="Private address below the border",
        example="Received[3], written on the sender side, shows the private address 10.1.2.3: an internal relay "
        "that cannot be verified.",
    ),
    Spec(
        code="trace.implausible_hop",
        severity=S.MEDIUM,
        indicates=N.FORGERY,
        title="Implausible Received line below the border",
        example="Received[3] claims Postfix but its queue id 'zz-12' does not have Postfix's syntax.",
    ),
    Spec(
        code="trace.claims_recipient_relay",
        severity=S.HIGH,
        indicates=N.FORGERY,
        title="Sender-side line claims the recipient's relays",
        example="Received[3], below the border, claims to be written by mx.recipient.example: the recipient's own "
        "relays cannot appear on the sender side.",
    ),
    Spec(
        code="trace.open_relay",
        severity=S.MEDIUM,
        indicates=N.SUSPICION,
        title="Relayed through an unrelated third party",
        example="relay.thirdparty.example relayed the message without authentication and is named nowhere else "
        "in it (not From, Return-Path or a DKIM signer): an open relay or a compromised server.",
    ),
    Spec(
        code="trace.internal",
        severity=S.INFO,
        indicates=N.AUTHENTICITY,
        title="Internal mail",
        example="No border was crossed: every hop is inside example.org.",
    ),
    Spec(
        code="trace.border_unstamped",
        severity=S.INFO,
        indicates=N.NEUTRAL,
        title="Border decided by heuristics",
        example="The border was placed by organisational domain; no receiver stamp or configuration confirmed it.",
    ),
    Spec(
        code="trace.crossing_line_missing",
        severity=S.INFO,
        indicates=N.NEUTRAL,
        title="Crossing line missing from the trace",
        example="mx5.messagingengine.com stamped client 66.111.4.25 (Received-SPF), but no Received line shows that "
        "address: the line recording the crossing is missing; the border is placed at received[3], the lowest line "
        "mx5.messagingengine.com wrote.",
    ),
    Spec(
        code="trace.border_stamp_disagreement",
        severity=S.LOW,
        indicates=N.SUSPICION,
        title="Receiver's stamp disagrees with the border",
        example="mx.example.net, which wrote received[0] on the recipient's side, stamped client 192.0.2.7 "
        "(Authentication-Results), but the border found in the trace is client 198.51.100.4.",
    ),
    # authentication
    Spec(
        code="auth.spf_fail",
        severity=S.HIGH,
        indicates=N.FORGERY,
        title="SPF fail at the border",
        example="SPF fail: example.com does not authorise 198.51.100.7, the client the recipient's server saw.",
    ),
    Spec(
        code="auth.spf_softfail",
        severity=S.MEDIUM,
        indicates=N.SUSPICION,
        title="SPF softfail at the border",
        example="SPF softfail: example.com marks 198.51.100.7 as probably not authorised.",
    ),
    Spec(
        code="auth.spf_pass",
        severity=S.INFO,
        indicates=N.AUTHENTICITY,
        title="SPF pass at the border",
        example="SPF pass: example.com authorises 198.51.100.7.",
    ),
    Spec(
        code="auth.dkim_header_fail",
        severity=S.HIGH,
        indicates=N.FORGERY,
        title="DKIM signature fails on the signed headers",
        example="The DKIM signature of example.com does not verify over its signed headers: they were altered or "
        "the signature is forged.",
    ),
    Spec(
        code="auth.dkim_body_fail",
        severity=S.LOW,
        indicates=N.FORWARDING,
        title="DKIM body hash fails (headers intact)",
        example="The DKIM signature of example.com covers intact headers but the body changed (a list footer, a "
        "gateway rewrite).",
    ),
    Spec(
        code="auth.dkim_unverifiable",
        severity=S.INFO,
        indicates=N.NEUTRAL,
        title="DKIM unverifiable now",
        example="The DKIM key s1._domainkey.example.com is gone now: the signature is unverifiable, not forged.",
    ),
    Spec(
        code="auth.dkim_pass",
        severity=S.INFO,
        indicates=N.AUTHENTICITY,
        title="DKIM pass",
        example="DKIM pass for example.com (aligned with From:).",
    ),
    Spec(
        code="auth.dkim_unaligned_only",
        severity=S.LOW,
        indicates=N.NEUTRAL,
        title="Only unaligned DKIM passes",
        example="The only passing DKIM signature is by esp.example, not by the From: domain example.com.",
    ),
    Spec(
        code="auth.dmarc_fail",
        severity=S.HIGH,
        indicates=N.FORGERY,
        title="DMARC fail",
        example="DMARC fail for example.com: neither SPF nor DKIM passed aligned with the From: domain.",
    ),
    Spec(
        code="auth.dmarc_pass",
        severity=S.INFO,
        indicates=N.AUTHENTICITY,
        title="DMARC pass",
        example="DMARC pass for example.com.",
    ),
    Spec(
        code="auth.none",
        severity=S.LOW,
        indicates=N.NEUTRAL,
        title="No authentication evidence",
        example="Nothing authenticates the sender: no SPF, DKIM or DMARC result other than none, neither stamped "
        "by the recipient's server at the border nor from a re-check against DNS.",
    ),
    Spec(
        code="auth.compauth_fail",
        severity=S.MEDIUM,
        indicates=N.SUSPICION,
        title="The receiver's composite authentication failed the From: domain",
        example="The final receiver failed the From: domain example.com in its composite authentication "
        "(compauth=fail reason 001: implicit authentication failure: the From: domain publishes no authentication "
        "records, or only a weak policy (SPF softfail or neutral, DMARC p=none)).",
    ),
    Spec(
        code="auth.unaligned_pass",
        severity=S.LOW,
        indicates=N.NEUTRAL,
        title="Authenticated, but not as the From: domain",
        example="Sent through sendgrid.net, authenticated as sendgrid.net (SPF), sendgrid.net (DKIM); the From: domain "
        "example.com is not authenticated.",
    ),
    Spec(
        code="auth.stamp_disagreement",
        severity=S.MEDIUM,
        indicates=N.SUSPICION,
        title="Stamped and re-checked results disagree",
        example="The receiver stamped dkim=fail for example.com at delivery; the re-check now passes.",
    ),
    # the originator fields
    Spec(
        code="header.display_name_address",
        severity=S.MEDIUM,
        indicates=N.SUSPICION,
        title="Display name holds another address",
        example='From: "PayPal <service@paypal.com>" <x@attacker.example>: '
        "the display name shows an address the mail is not from.",
    ),
    Spec(
        code="header.from_malformed",
        severity=S.MEDIUM,
        indicates=N.SUSPICION,
        title="Malformed From:",
        example="From: is malformed (text without an address before or between the mailboxes ('Fgehen69')): a mail "
        'client displays "Fgehen69, jehd <service@stayfriends.example>"; receivers authenticate stayfriends.example '
        "(service@stayfriends.example).",
    ),
    Spec(
        code="header.from_unregistrable",
        severity=S.MEDIUM,
        indicates=N.SUSPICION,
        title="From: domain nobody can own",
        example="From: is at ubuntu-s-1vcpu-nyc1-01, a name under no public suffix: no organisation answers for "
        "it, nothing authenticated it, and replies cannot reach it; the message came in from outside.",
    ),
    Spec(
        code="header.from_ambiguous",
        severity=S.MEDIUM,
        indicates=N.SUSPICION,
        title="Several From: domains",
        example="From: is ambiguous (mailboxes at several domains (a.example, b.example)): a mail client displays "
        '"a@a.example". DMARC receivers may reject such a message or check every domain (RFC 7489 section 6.6.1); '
        "mailtrace judges the first, a.example.",
    ),
    Spec(
        code="header.display_name_invisible",
        severity=S.MEDIUM,
        indicates=N.SUSPICION,
        title="Invisible characters in the display name",
        example="From: display name 'PayPal Service' holds 2 invisible character(s) a reader does not see: "
        "U+200B ZERO WIDTH SPACE, U+202E RIGHT-TO-LEFT OVERRIDE.",
    ),
    Spec(
        code="header.display_name_homoglyph",
        severity=S.MEDIUM,
        indicates=N.SUSPICION,
        title="Look-alike letters in the display name",
        example="From: display name 'PаyPal' mixes scripts in 'PаyPal': U+0430 CYRILLIC SMALL LETTER A for 'a'; "
        "it reads 'PayPal'.",
    ),
    Spec(
        code="header.display_name_brand",
        severity=S.MEDIUM,
        indicates=N.SUSPICION,
        title="Display name names a brand the mail is not from",
        example="From: display name 'Microsoft account team' names Microsoft, but the mail is from "
        "access-security.example, not a domain of Microsoft.",
    ),
    Spec(
        code="header.reply_to_unrelated",
        severity=S.MEDIUM,
        indicates=N.SUSPICION,
        title="Reply-To at an unrelated domain",
        example="Replies go to attacker@freemail.example, a domain unrelated to From: bank.example.",
    ),
    Spec(
        code="header.return_path_unrelated",
        severity=S.INFO,
        indicates=N.NEUTRAL,
        title="Return-Path domain unrelated to From:",
        example="Bounces go to bounces.esp.example, unrelated to From: shop.example (normal for bulk senders).",
    ),
    Spec(
        code="header.message_id_inconsistent",
        severity=S.LOW,
        indicates=N.SUSPICION,
        title="Message-ID inconsistent with the path",
        example="Message-ID ends in @mx.recipient.example: the recipient's server added it, so the sender's "
        "software did not.",
    ),
    Spec(
        code="header.date_inconsistent",
        severity=S.LOW,
        indicates=N.SUSPICION,
        title="Date inconsistent with the hops",
        example="Date: is 3 days after the recipient's server received the message.",
    ),
    # forwarding
    Spec(
        code="forwarding.srs",
        severity=S.INFO,
        indicates=N.FORWARDING,
        title="SRS envelope sender",
        example="Return-Path SRS0=...@forwarder.example: a forwarder rewrote the envelope sender.",
    ),
    Spec(
        code="forwarding.list",
        severity=S.INFO,
        indicates=N.FORWARDING,
        title="Mailing list",
        example="List-Id <dev.lists.example.org>: the message was redistributed by a mailing list.",
    ),
    Spec(
        code="forwarding.resent",
        severity=S.INFO,
        indicates=N.FORWARDING,
        title="Resent by a user",
        example="Resent-From: alice@example.org: the message was re-sent (RFC 5322 section 3.6.6).",
    ),
    Spec(
        code="forwarding.arc",
        severity=S.INFO,
        indicates=N.FORWARDING,
        title="ARC sets",
        example="ARC set i=1 sealed by lists.example.org: an intermediary recorded what it saw.",
    ),
    Spec(
        code="forwarding.multiple_deliveries",
        severity=S.INFO,
        indicates=N.FORWARDING,
        title="Several Delivered-To",
        example="Delivered-To alice@old.example and alice@new.example: delivered twice, once per mailbox.",
    ),
    Spec(
        code="forwarding.second_crossing",
        severity=S.INFO,
        indicates=N.FORWARDING,
        title="Several border crossings",
        example="The message crossed 2 borders: into lists.example.org, then into mail.example.net.",
    ),
    Spec(
        code="forwarding.list_modified",
        severity=S.INFO,
        indicates=N.FORWARDING,
        title="List modified a signed message",
        example="The list changed the body of a message signed by example.com: the author's DKIM body hash fails.",
    ),
)

CATALOGUE: dict[str, Spec] = {s.code: s for s in _SPECS}


def finding(
    code: str, message: str, evidence: tuple[Evidence, ...] | list[Evidence] = (), *, severity: Severity | None = None
) -> Finding:
    """Build a finding of a catalogued ``code`` (a :class:`KeyError` for an unknown code is a programmer error)."""
    spec = CATALOGUE[code]
    return _make_finding(code, severity or spec.severity, spec.indicates, spec.title, message, tuple(evidence))


# finding() builds several findings per message: every field given in order to a maker that fills the slots
# (mailtrace.model.frozen.fast_maker) skips the keyword-argument __init__. The object equals the dataclass
# constructor's field for field (tests/verdict/test_verdict_speedpaths.py checks it).
_make_finding: Callable[[str, Severity, Indication, str, str, tuple[Evidence, ...]], Finding] = fast_maker(Finding)
