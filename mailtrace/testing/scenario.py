"""Scenario knobs: the situations of ``docs/scenarios.md`` that the builder can stage.

Every knob defaults to the honest, plainly delivered message. The verdict a scenario implies
(:meth:`Scenario.implied_verdict`) is what the round-trip test expects the analyzer to say.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any

from mailtrace.errors import ConfigurationError
from mailtrace.testing.notation import PathSpec
from mailtrace.trace.hosts import org_domain


class ImpliedVerdict(StrEnum):
    """The classification a scenario implies (the words of ``docs/scenarios.md``)."""

    AUTHENTIC = "authentic"
    FORWARDED = "forwarded"
    FORGED = "forged"
    SUSPICIOUS = "suspicious"
    INDETERMINATE = "indeterminate"  #: nothing authenticates the sender and nothing shows forgery


class DkimChoice(StrEnum):
    """Which keys the Transmitter signs with (RFC 6376 RSA, RFC 8463 Ed25519, or both: RFC 8463 section 5)."""

    RSA = "rsa"
    ED25519 = "ed25519"
    BOTH = "both"
    NONE = "none"


@dataclass(frozen=True, slots=True, kw_only=True)
class Scenario:
    """What to stage. All knobs can be combined; ``ConfigurationError`` names impossible ones."""

    #: The ``From:`` (and envelope) domain the sender claims but does not own (scenario 8). The
    #: real Transmitter is a host outside that domain's SPF and signs nothing for it.
    spoofed_from: str | None = None
    #: ``Received:`` lines the sender writes below the border claiming the victim's relays, with
    #: dates out of order and a HELO that claims the recipient's own domain (scenario 9).
    forged_received: int = 0
    #: The Transmitter sends from an address its envelope domain's SPF record does not list.
    ip_outside_spf: bool = False
    #: Forwarders act as a mailing list: ``List-*`` fields, a subject tag and a footer (scenario 5).
    mailing_list: bool = False
    #: The sender's DKIM key is revoked now (empty ``p=``); the receiver stamped ``pass`` at delivery.
    revoked_key: bool = False
    #: Sender-side clocks run this many minutes fast: the border hop reads earlier than the hop below it.
    clock_skew_minutes: int = 0
    #: How the Transmitter signs.
    dkim: DkimChoice | str = DkimChoice.RSA
    #: Forwarders add an ARC set (RFC 8617).
    arc: bool = True
    #: Forwarders rewrite the envelope sender with SRS.
    srs: bool = True
    #: Display-name spoofing (scenario 10): the display name holds another address.
    display_name_address: str | None = None
    #: The ``From:`` text before ``<address>`` exactly as written, unquoted: a malformed field
    #: (``Fgehen69, jehd``, scenario 27), a second mailbox, look-alike or invisible characters.
    from_display: str | None = None
    #: Reply-To hijack (scenario 12): replies go to this address at an unrelated domain.
    reply_to: str | None = None
    #: How the envelope domain's SPF record ends: ``-all`` (fail) or ``~all`` (softfail).
    spf_all: str = "-all"
    #: The author's ``Date:`` is this many minutes off the first hop (a forged or stale Date).
    date_offset_minutes: int = 0
    #: Webmail submission (scenario 6): the webmail front end hands the message to the MSA over
    #: loopback and records the author's browser address in ``X-Originating-IP``.
    webmail: bool = False
    #: The Recipient fetches the delivered message with POP3 (scenario 17: fetchmail adds a top line).
    fetched: bool = False
    #: The author's software writes no ``Message-ID:``; the first relay adds one with its own host
    #: name (RFC 5322 section 3.6.4 makes it a SHOULD; bulk and bot mail often omit it).
    missing_message_id: bool = False
    #: The envelope sender's domain when it is not the ``From:`` domain (a bounce-handling service);
    #: its SPF record authorises the Transmitter, so SPF passes unaligned.
    envelope_domain: str | None = None
    #: The ``From:`` domain publishes no DMARC record (scenario 24, with ``envelope_domain`` and
    #: ``dkim="none"``: an ESP that authenticates only itself): receivers stamp ``dmarc=none``.
    no_dmarc: bool = False
    #: A header field the Transmitter signed (``Subject``) is altered in transit after signing:
    #: the receiver stamps ``dkim=fail`` and the re-check finds the signature broken over its headers.
    tampered_header: str | None = None
    #: The sender's DKIM key record is gone from DNS now (not revoked: absent); the receiver
    #: stamped ``dkim=pass`` at delivery, so the signature is unverifiable, not forged.
    key_removed: bool = False
    #: The recipient's Receiver stamps its checks (``Authentication-Results:``, ``Received-SPF:``);
    #: ``False``: a small site without filters, so only a re-check can say anything.
    receiver_stamps: bool = True
    #: No authentication at all: no SPF or DMARC record, no DKIM signature, and a receiver that
    #: stamps nothing (a small site without filters).
    unauthenticated: bool = False
    #: The word the border Receiver stamps for the sender's DKIM signatures whatever it found (a
    #: broken verifier or a DNS timeout at delivery): ``fail`` against a re-check that passes.
    stamped_dkim: str | None = None
    #: The client address the border Receiver's stamps name instead of the connecting one (a stamp
    #: copied from a front end, or a filter reading the wrong line).
    stamp_client_ip: str | None = None
    #: The Receiver's ``Received:`` line for the recipient's crossing is missing (a filter that
    #: re-injects the message and drops it): only its stamps record the client.
    crossing_line_missing: bool = False
    #: The author's client greets the MSA with this public IP literal instead of its LAN address.
    helo_literal: str | None = None
    #: The forged lines (``forged_received``) claim the recipient's own relays (``mx.<recipient>``).
    forged_claims_recipient: bool = False
    #: The forged lines carry queue ids that do not have the syntax of the software they claim.
    forged_sloppy_ids: bool = False
    #: Each Forwarder delivers to a local mailbox first (``Delivered-To``, Postfix ``local(8)``) and
    #: then forwards through ``.forward``: two ``Delivered-To`` fields with different addresses.
    forwarder_delivers: bool = False
    #: A delivery status notification (scenario 19): null envelope sender ``<>``, ``From:
    #: MAILER-DAEMON``, ``multipart/report``; SPF is checked on the HELO identity.
    bounce: bool = False

    def __post_init__(self) -> None:
        if self.forged_received < 0 or self.forged_received > 20:
            raise ConfigurationError("forged_received must be between 0 and 20")
        if abs(self.clock_skew_minutes) > 24 * 60:
            raise ConfigurationError("clock_skew_minutes must be within a day")
        object.__setattr__(self, "dkim", DkimChoice(self.dkim))
        if self.spf_all not in ("-all", "~all", "?all"):
            raise ConfigurationError("spf_all must be -all, ~all or ?all")
        if self.stamped_dkim not in (None, "pass", "fail", "neutral", "temperror", "permerror", "none"):
            raise ConfigurationError("stamped_dkim must be an RFC 8601 dkim result word")
        if self.tampered_header is not None and self.tampered_header.lower() not in ("subject", "from", "to", "date"):
            raise ConfigurationError("tampered_header must be Subject, From, To or Date")

    def check(self, spec: PathSpec) -> None:
        """Refuse knobs the path cannot carry."""
        if self.mailing_list and not any(a.has("Forwarder") for a in spec.actors):
            raise ConfigurationError("mailing_list needs a Forwarder in the path")
        if (self.clock_skew_minutes or self.forged_received) and spec.crossings == 0:
            raise ConfigurationError("clock_skew_minutes and forged_received need a Border in the path")
        if (self.forged_claims_recipient or self.forged_sloppy_ids) and not self.forged_received:
            raise ConfigurationError("forged_claims_recipient and forged_sloppy_ids need forged_received")
        if self.forwarder_delivers and not any(a.has("Forwarder") for a in spec.actors):
            raise ConfigurationError("forwarder_delivers needs a Forwarder in the path")
        if (self.stamped_dkim or self.stamp_client_ip or self.crossing_line_missing) and spec.crossings == 0:
            raise ConfigurationError("stamped_dkim, stamp_client_ip and crossing_line_missing need a Border")

    def implied_verdict(self, spec: PathSpec, from_domain: str | None = None) -> ImpliedVerdict:
        """The verdict of ``docs/scenarios.md`` for this scenario on ``spec``; ``from_domain``: the built
        message's ``From:`` domain (a name under no public suffix, unauthenticated, from outside: suspicious)."""
        if self.spoofed_from or self.forged_received:
            return ImpliedVerdict.FORGED
        if self.ip_outside_spf and self.dkim is DkimChoice.NONE:
            return ImpliedVerdict.FORGED
        # scenario 29: the receiver's stamped DMARC pass (aligned SPF at one crossing) outranks the one signature
        # that fails on its headers; without that stamp the failure decides
        receiver_pass = self.receiver_stamps and not (self.ip_outside_spf or self.envelope_domain)
        if self.tampered_header and not (receiver_pass and spec.crossings == 1):
            return ImpliedVerdict.FORGED
        if self.helo_literal or self.stamped_dkim not in (None, "pass"):
            return ImpliedVerdict.SUSPICIOUS
        if any(a.has("OpenRelay") for a in spec.actors):
            return ImpliedVerdict.SUSPICIOUS
        if spec.crossings >= 2:
            return ImpliedVerdict.FORWARDED
        if self.display_name_address or self.reply_to or self.from_display is not None:
            return ImpliedVerdict.SUSPICIOUS
        if self.unauthenticated:
            if from_domain is not None and spec.crossings and org_domain(from_domain) is None:
                return ImpliedVerdict.SUSPICIOUS  # header.from_unregistrable: a name nobody can own
            return ImpliedVerdict.INDETERMINATE
        if self.no_dmarc and self.envelope_domain and self.dkim is DkimChoice.NONE:
            return ImpliedVerdict.INDETERMINATE  # scenario 24: only the ESP is authenticated, not the From: domain
        return ImpliedVerdict.AUTHENTIC

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value != f.default:
                out[f.name] = str(value) if isinstance(value, StrEnum) else value
        return out
