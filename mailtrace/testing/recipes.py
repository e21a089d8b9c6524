"""The builder-made members of the fixtures collection: name, provenance and the builder call.

``python -m mailtrace.testing.regenerate`` rebuilds each one; the drift test rebuilds them in
memory and compares with the committed bytes. Changing a recipe changes the collection: record
it in ``CHANGELOG.md`` (the regeneration command prints the line).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from mailtrace.testing.builder import FORWARDED, PLAIN, BuiltMessage, build_message
from mailtrace.testing.scenario import Scenario

RFC6376_BODY = "Hi.\n\nWe lost the game. Are you hungry yet?\n\nJoe.\n"


@dataclass(frozen=True, slots=True, kw_only=True)
class Recipe:
    name: str  #: the fixture name (``examples/forwarded``): its files are ``<name>.eml`` and friends
    provenance: str
    path: str
    options: dict[str, Any] = field(default_factory=dict)
    #: ``False``: the golden report is the analysis with no resolver (no re-verification), as
    #: ``mailtrace`` runs without ``--dns``; the zone is still written for projects that want it.
    dns: bool = True

    def build(self) -> BuiltMessage:
        return build_message(self.path, **self.options)

    def describe(self) -> dict[str, Any]:
        opts = {k: (v.to_dict() if hasattr(v, "to_dict") else v) for k, v in self.options.items()}
        return {"path": self.path, "options": {k: str(v) if isinstance(v, datetime) else v for k, v in opts.items()}}


def _r(name: str, provenance: str, path: str, *, dns: bool = True, **options: Any) -> Recipe:
    return Recipe(name=name, provenance=provenance, path=path, options=options, dns=dns)


_PDT = timezone(timedelta(hours=-7))
_LIST = "Author ==> MSA/Transmitter --> / --> Receiver/Forwarder ~~> / ~~> Receiver/MDA ==> Recipient"
_TWO_FWD = (
    "Author ==> MSA/Transmitter --> / --> Receiver/Forwarder ~~> / ~~> Receiver/Forwarder ~~> / ~~> "
    "Receiver/MDA ==> Recipient"
)

RECIPES: tuple[Recipe, ...] = (
    _r("examples/forwarded", "builder: scenario 4, alias forwarding with SRS and ARC (README quick start)", FORWARDED),
    _r("examples/plain", "builder: scenario 1, plain delivery between two providers", PLAIN),
    _r("scenarios/01-plain-exim", "builder: scenario 1 in the Exim dialect", PLAIN, dialect="exim"),
    _r("scenarios/01-plain-sendmail", "builder: scenario 1 in the sendmail dialect", PLAIN, dialect="sendmail"),
    _r(
        "scenarios/01-plain-to-gmail",
        "builder: scenario 1, a Postfix sender delivering to Gmail",
        PLAIN,
        dialect=["postfix", "gmail"],
    ),
    _r(
        "scenarios/01-plain-to-exchange",
        "builder: scenario 1, an Exim sender delivering to Exchange Online",
        PLAIN,
        dialect=["exim", "exchange"],
    ),
    _r(
        "scenarios/02-separate-relays",
        "builder: scenario 2, MSA and outbound relay as separate hops of one organisation",
        PLAIN,
        internal_hops=[1, 0],
    ),
    _r(
        "scenarios/03-esp",
        "builder: scenario 3, the customer's MSA hands to an ESP that signs for both domains",
        "Author ==> MSA ==> Transmitter --> / --> Receiver/MDA ==> Recipient",
    ),
    _r(
        "scenarios/04-forwarded-gmail",
        "builder: scenario 4, forwarded into Gmail",
        FORWARDED,
        dialect=["postfix", "exim", "gmail"],
    ),
    _r(
        "scenarios/05-mailing-list",
        "builder: scenario 5, a mailing list tags the subject and adds a footer",
        _LIST,
        scenario=Scenario(mailing_list=True),
    ),
    _r(
        "scenarios/06-webmail",
        "builder: scenario 6, webmail on the MSA host submits over loopback; X-Originating-IP keeps the browser",
        PLAIN,
        scenario=Scenario(webmail=True),
    ),
    _r(
        "scenarios/07-internal",
        "builder: scenario 7, same-organisation mail with no border",
        "Author ==> MSA/Transmitter/Receiver/MDA ==> Recipient",
        recipient="bob@sender.example",
    ),
    _r(
        "scenarios/08-spoofed-from",
        "builder: scenario 8, a botnet host spoofs bank.example and writes no Message-ID (the receiver adds one)",
        "Author/Transmitter --> / --> Receiver/MDA ==> Recipient",
        scenario=Scenario(spoofed_from="bank.example", missing_message_id=True),
    ),
    _r(
        "scenarios/09-forged-received",
        "builder: scenario 9, spoofed sender with three forged Received lines below the border",
        "Author/Transmitter --> / --> Receiver/MDA ==> Recipient",
        scenario=Scenario(spoofed_from="bank.example", forged_received=3),
    ),
    _r(
        "scenarios/10-display-name",
        "builder: scenario 10, the display name holds another address",
        PLAIN,
        scenario=Scenario(display_name_address="service@paypal.example"),
        from_addr="alerts@attacker.example",
    ),
    _r(
        "scenarios/11-lookalike",
        "builder: scenario 11, everything passes for the lookalike domain paypa1-secure.example",
        PLAIN,
        from_addr="service@paypa1-secure.example",
        from_name="PayPal",
        subject="Your account is limited",
    ),
    _r(
        "scenarios/10-display-name-homoglyph",
        "builder: scenario 10 with a Cyrillic a (U+0430) and a zero-width space (U+200B) in 'PayPal Service'",
        PLAIN,
        scenario=Scenario(from_display="P\u0430yPal Serv\u200bice"),
        from_addr="alerts@attacker.example",
    ),
    _r(
        "scenarios/27-malformed-from",
        "builder: scenario 27, From: Fgehen69, jehd <service@sender.example> (phishing-pot-dev sample-1403's shape)",
        PLAIN,
        scenario=Scenario(from_display="Fgehen69, jehd"),
        from_addr="service@sender.example",
    ),
    _r(
        "scenarios/27-ambiguous-from",
        "builder: scenario 27, From: names mailboxes at two domains (RFC 7489 section 6.6.1)",
        PLAIN,
        scenario=Scenario(from_display="Alice <alice@other.example>, Alice"),
    ),
    _r(
        "scenarios/12-reply-to",
        "builder: scenario 12, Reply-To at an unrelated free-mail domain",
        PLAIN,
        scenario=Scenario(reply_to="payments.desk@freemail.example"),
    ),
    _r(
        "scenarios/15-revoked-key",
        "builder: scenario 15, the DKIM key was revoked after delivery",
        PLAIN,
        scenario=Scenario(revoked_key=True),
    ),
    _r(
        "scenarios/17-fetched",
        "builder: scenario 17, the recipient fetches the delivered message with fetchmail over POP3",
        PLAIN,
        scenario=Scenario(fetched=True),
    ),
    _r(
        "scenarios/18-clock-skew",
        "builder: scenario 18, the sender's clock runs 7 minutes fast",
        PLAIN,
        scenario=Scenario(clock_skew_minutes=7),
    ),
    _r(
        "scenarios/20-open-relay",
        "builder: scenario 20, relayed through an open relay at a third organisation",
        "Author --> Transmitter --> OpenRelay --> / --> Receiver/MDA ==> Recipient",
        scenario=Scenario(dkim="none"),
    ),
    _r(
        "scenarios/spf-outside",
        "builder: the Transmitter's address is not in its SPF record; aligned DKIM still passes",
        PLAIN,
        scenario=Scenario(ip_outside_spf=True),
    ),
    _r(
        "scenarios/spf-softfail",
        "builder: the sending address is outside an SPF record ending ~all; aligned DKIM passes",
        PLAIN,
        scenario=Scenario(ip_outside_spf=True, spf_all="~all"),
    ),
    _r(
        "scenarios/date-after-delivery",
        "builder: the Date: field is three hours after the recipient's server received the message",
        PLAIN,
        scenario=Scenario(date_offset_minutes=180),
    ),
    _r(
        "scenarios/bounce-domain",
        "builder: the envelope sender is at an unrelated bounce-handling domain; SPF passes unaligned, DKIM aligns",
        PLAIN,
        scenario=Scenario(envelope_domain="bounce.mailer.example"),
    ),
    _r(
        "scenarios/24-esp-unaligned",
        "builder: scenario 24, an ESP that authenticates only itself: SPF passes for its bounce domain, nothing "
        "signs, the From: domain publishes no DMARC record (issue 14: not authentic, the ESP named)",
        PLAIN,
        scenario=Scenario(envelope_domain="bounce.esp.example", dkim="none", no_dmarc=True),
    ),
    _r(
        "scenarios/25-spoofed-to-exchange",
        "builder: scenarios 8 and 25, a bot spoofs bank.example into Microsoft 365, which stamps dmarc=fail and "
        "compauth=fail reason=000",
        "Author/Transmitter --> / --> Receiver/MDA ==> Recipient",
        dialect=["postfix", "exchange"],
        scenario=Scenario(spoofed_from="bank.example"),
    ),
    _r(
        "scenarios/ed25519",
        "builder: RSA and Ed25519 signatures side by side (RFC 8463 section 5)",
        PLAIN,
        scenario=Scenario(dkim="both"),
    ),
    _r(
        "scenarios/14-resent",
        "builder: scenario 14, the recipient re-sends the delivered message with a Resent-* block through "
        "their own provider to a new recipient (RFC 5322 section 3.6.6)",
        "Author ==> MSA/Transmitter --> / --> Receiver/MDA ==> Recipient/Author ==> MSA/Transmitter --> / --> "
        "Receiver/MDA ==> Recipient",
    ),
    _r(
        "scenarios/19-bounce",
        "builder: scenario 19, a Postfix bounce (DSN): null envelope sender, multipart/report (RFC 3464, RFC 6522), "
        "SPF checked on the HELO identity",
        "Author/MSA/Transmitter --> / --> Receiver/MDA ==> Recipient",
        scenario=Scenario(bounce=True),
        from_addr="MAILER-DAEMON@sender.example",
        from_name="Mail Delivery System",
        subject="Undelivered Mail Returned to Sender",
    ),
    _r(
        "scenarios/local-pickup",
        "builder: a message submitted on the mail server itself (sendmail(1) to Postfix pickup, 'from userid')",
        "Author/MSA/Transmitter --> / --> Receiver/MDA ==> Recipient",
    ),
    _r(
        "scenarios/gateway-to-mailbox-provider",
        "builder: the recipient's MX is a filtering gateway that relays with SMTP AUTH to a separate mailbox provider",
        "Author ==> MSA/Transmitter --> / --> Receiver ==> MDA ==> Recipient",
        dialect=["postfix", "exim", "postfix"],
    ),
    _r(
        "scenarios/dkim-header-tampered",
        "builder: the Subject is altered in transit after signing; the signature breaks over its headers",
        PLAIN,
        scenario=Scenario(tampered_header="Subject"),
    ),
    _r(
        "scenarios/dkim-key-removed",
        "builder: the sender's DKIM key record is gone now; the receiver stamped dkim=pass at delivery",
        PLAIN,
        scenario=Scenario(key_removed=True),
    ),
    _r(
        "scenarios/dkim-key-removed-unstamped",
        "builder: the sender's DKIM key record is gone now and the receiver stamped nothing: unverifiable",
        PLAIN,
        scenario=Scenario(key_removed=True, receiver_stamps=False),
    ),
    _r(
        "scenarios/no-authentication",
        "builder: no SPF, DKIM or DMARC anywhere and a receiver that stamps nothing; analysed without DNS",
        PLAIN,
        scenario=Scenario(unauthenticated=True),
        dns=False,
    ),
    _r(
        "scenarios/from-unregistrable",
        "builder: From: at a cloud VM's host name, under no public suffix, and nothing authenticated; analysed "
        "without DNS",
        PLAIN,
        scenario=Scenario(unauthenticated=True),
        from_addr="root@ubuntu-s-1vcpu-nyc1-01",
        dns=False,
    ),
    _r(
        "scenarios/stamp-disagrees",
        "builder: the receiver stamped dkim=fail at delivery (a broken verifier) but the signature verifies",
        PLAIN,
        scenario=Scenario(stamped_dkim="fail"),
    ),
    _r(
        "scenarios/stamp-other-client",
        "builder: the receiver's stamps name a client address (203.0.113.99) other than the connecting one",
        PLAIN,
        scenario=Scenario(stamp_client_ip="203.0.113.99"),
    ),
    _r(
        "scenarios/crossing-line-missing",
        "builder: the receiver's Received line for the crossing is missing; only its stamps record the client",
        PLAIN,
        scenario=Scenario(crossing_line_missing=True),
        internal_hops=[0, 1],
    ),
    _r(
        "scenarios/helo-ip-literal",
        "builder: the author's client greets the MSA with a public IP literal that is not its address",
        PLAIN,
        scenario=Scenario(helo_literal="203.0.113.77"),
    ),
    _r(
        "scenarios/forged-recipient-relays",
        "builder: spoofed sender with two forged Received lines claiming the recipient's own relays",
        "Author/Transmitter --> / --> Receiver/MDA ==> Recipient",
        scenario=Scenario(spoofed_from="bank.example", forged_received=2, forged_claims_recipient=True),
    ),
    _r(
        "scenarios/forged-bad-queue-ids",
        "builder: spoofed sender with two forged Postfix lines whose queue ids lack Postfix's syntax",
        "Author/Transmitter --> / --> Receiver/MDA ==> Recipient",
        scenario=Scenario(spoofed_from="bank.example", forged_received=2, forged_sloppy_ids=True),
    ),
    _r(
        "scenarios/forwarder-delivers",
        "builder: the forwarder delivers to the alias's mailbox (Delivered-To) and forwards through .forward",
        FORWARDED,
        scenario=Scenario(forwarder_delivers=True),
    ),
    _r(
        "rfc/rfc6376-appendix-a",
        "RFC 6376 Appendix A.1 message text (Joe SixPack to Suzie Q), signed for football.example.com "
        "with selector brisbane by mailtrace's shipped test key (the RFC's own key is not reproduced)",
        PLAIN,
        from_addr="joe@football.example.com",
        from_name="Joe SixPack",
        to_addr="suzie@shopping.example.net",
        recipient="suzie@shopping.example.net",
        subject="Is dinner ready?",
        body=RFC6376_BODY,
        date=datetime(2003, 7, 11, 21, 0, 37, tzinfo=_PDT),
        message_id="<20030712040037.46341.5F8J@football.example.com>",
        dkim_selector="brisbane",
        domains={"recipient": "shopping.example.net"},
    ),
    _r(
        "rfc/rfc8617-two-forwarders",
        "after RFC 8617 section 5 and Appendix B: two forwarders, ARC sets i=1 and i=2",
        _TWO_FWD,
        dialect=["postfix", "exim", "postfix", "postfix"],
    ),
    _r(
        "rfc/rfc5598-figure-5",
        "after RFC 5598 Figure 5 (Relay-Level Mail Handling): MUA, MSA, relay MTA, receiving MTA, MDA",
        "Author ==> MSA ==> Transmitter --> / --> Receiver/MDA ==> Recipient",
        dialect=["postfix", "exim", "sendmail"],
    ),
    _r(
        "rfc/rfc5598-mailing-list",
        "after RFC 5598 section 5.3 (Mailing Lists): the list is a Mediator that re-posts",
        _LIST,
        scenario=Scenario(mailing_list=True),
        dialect=["sendmail", "postfix", "exim"],
    ),
)

BY_NAME: dict[str, Recipe] = {r.name: r for r in RECIPES}
BUILDERS: dict[str, Callable[[], BuiltMessage]] = {r.name: r.build for r in RECIPES}
