"""The builder's walk through the actors in time order: one ``Received:`` line per hand-over
(RFC 5321 section 4.4), written in the receiving relay's dialect."""

from __future__ import annotations

import hashlib
import itertools
import random
from datetime import datetime, timedelta

from mailtrace.testing._state import Line, State, org_of
from mailtrace.testing.built import Expected
from mailtrace.testing.dialects import Dialect, HopKind, HopSpec, Site
from mailtrace.testing.dsn import dsn_body
from mailtrace.testing.notation import Actor, Arrow, PathSpec
from mailtrace.testing.scenario import DkimChoice, Scenario
from mailtrace.testing.stamps import Outcome
from mailtrace.testing.walk_auth import AuthSteps
from mailtrace.testing.walk_dns import DnsPlanning
from mailtrace.testing.zone import ZoneBuilder

_AUTHOR_IP = "198.51.100.201"  #: the author's home router, as the MSA sees it
_AUTHOR_LAN = "[192.168.1.23]"  #: the HELO of a client behind NAT
_OFFICE_IP = "10.0.0.23"  #: an author on the organisation's own network (no border anywhere)
_RESENDER_IP = "192.0.2.201"  #: the re-sending Recipient's home router (scenario 14)


class Walk(AuthSteps, DnsPlanning):
    """The walk through the actors in time order."""

    def __init__(
        self,
        spec: PathSpec,
        scenario: Scenario,
        sites: dict[int, Site],
        names: dict[int, str],
        zone: ZoneBuilder,
        rng: random.Random,
        *,
        tls: bool,
        from_addr: str,
    ) -> None:
        self.spec = spec
        self.scenario = scenario
        self.sites = sites
        self.names = names
        self.zone = zone
        self.rng = rng
        self.tls = tls
        local, domain = from_addr.rsplit("@", 1)
        self.from_domain = (scenario.spoofed_from or domain).lower()
        self.from_addr = f"{local}@{self.from_domain}"
        self.first_crossing = next((n for n, link in enumerate(spec.links) if link.crossing), None)
        self.recheck: Outcome | None = None
        self.selector = "s2025"
        self.message_id: str | None = None
        self.author_ip: str | None = None
        self.dmarc_policy: dict[str, str] = {}
        self._line_missing = False

    # -- the message as the Author wrote it ------------------------------------------------------
    def start(
        self, from_name: str, to_addr: str | None, recipient: str | None, subject: str, body: str, date: datetime
    ) -> State:
        resender = self.spec.resender
        final = self.sites.get(resender - 1 if resender is not None else max(self.sites))
        final_domain = final.domain if final else "recipient.example"
        rcpt = recipient or f"bob@{final_domain}"
        fwd = next((self.names[i] for i, a in enumerate(self.spec.actors) if a.has("Forwarder")), None)
        if to_addr is None:
            to_addr = (f"team@{fwd}" if self.scenario.mailing_list else f"bob@{fwd}") if fwd else rcpt
        rng = self.rng
        content_type = 'text/plain; charset="utf-8"; format=flowed'
        if self.scenario.bounce:
            boundary = f"{rng.randrange(16**10):010X}.{int(date.timestamp())}/{self.sites[min(self.sites)].exit.name}"
            body = dsn_body(boundary, self.sites[min(self.sites)].exit.name, rcpt, f"carol@{self.from_domain}", date)
            content_type = f'multipart/report; report-type=delivery-status;\r\n\tboundary="{boundary}"'
        st = State(
            fields=[],
            body=_crlf(body).encode("utf-8"),
            clock=date,
            rng=rng,
            envelope_from=""
            if self.scenario.bounce
            else f"bounces+{rng.randrange(10**6, 10**7)}@{self.scenario.envelope_domain}"
            if self.scenario.envelope_domain
            else self.from_addr,
            rcpt=to_addr,
        )
        first = self.sites[min(self.sites)]
        sender_side = self.first_crossing is not None
        skew = timedelta(minutes=self.scenario.clock_skew_minutes) if sender_side else timedelta()
        display = from_name
        if self.scenario.display_name_address:
            display = f"{from_name} <{self.scenario.display_name_address}>"
        mid_host = self.from_domain
        quoted = '"' + display + '"' if "<" in display or "," in display else display
        if self.scenario.from_display is not None:
            quoted = self.scenario.from_display  # as written: the scenario wants it malformed or deceptive
        msgid = self.message_id or f"<{hashlib.sha1(repr(rng.random()).encode()).hexdigest()[:20]}@{mid_host}>"
        author_fields = [
            ("Date", _date(date + skew + timedelta(minutes=self.scenario.date_offset_minutes), first.dialect)),
            ("From", f"{quoted} <{self.from_addr}>"),
            ("To", f"Bob <{to_addr}>"),
            *((("Reply-To", self.scenario.reply_to),) if self.scenario.reply_to else ()),
            ("Subject", subject),
            *((("Message-ID", msgid),) if not self.scenario.missing_message_id else ()),
            ("MIME-Version", "1.0"),
            ("Content-Type", content_type),
            ("Content-Transfer-Encoding", "8bit" if any(ord(c) > 127 for c in body) else "7bit"),
            ("Auto-Submitted", "auto-replied")  # RFC 3834 section 5: an MTA's report
            if self.scenario.bounce
            else ("User-Agent", "Roundcube Webmail/1.6.9")
            if self.scenario.webmail
            else _user_agent(first.dialect.name),
        ]
        for name, value in reversed(author_fields):
            st.prepend(name, value)
        return st

    # -- the walk --------------------------------------------------------------------------------
    def run(self, st: State) -> None:
        actors = self.spec.actors
        prev: Site | None = None
        if self.scenario.forged_received:
            self._forge(st)
        for i, actor in enumerate(actors):
            if not actor.is_relay:
                continue
            site = self.sites[i]
            link = self.spec.links[i - 1] if i > 0 else None
            skew = self._skew(i)
            if link is None:
                self._originate(st, site, actor, skew)
            elif prev is None:
                self._submission(st, site, link.arrow, skew)
            elif self.spec.resender == i - 1:
                self._resend(st, site)
                self._submission(st, site, link.arrow, skew, client_ip=_RESENDER_IP)
            else:
                last = link.crossing and i - 1 == max(n for n, k in enumerate(self.spec.links) if k.crossing)
                self._relay(st, prev, site, link.arrow, crossing=link.crossing, actor=actor, skew=skew, last=last)
            wrote_line = link is not None or actor.has("MSA")  # a bot sending its own mail runs no cleanup
            if self.scenario.missing_message_id and wrote_line and not any(f.name == "Message-ID" for f in st.fields):
                self._add_message_id(st, site)
            self._internal(st, site, skew)
            if actor.has("Forwarder"):
                if self.scenario.forwarder_delivers:
                    st.prepend("Delivered-To", st.rcpt)  # local(8) delivery to the alias's mailbox, then .forward
                self._forward(st, site, i)
            elif self._signs(i, actor):
                self._sign(st, site)
            elif i == self.resent_signer:
                self._sign_resent(st, site)
            if actor.has("MDA"):
                self._deliver(st, site)
                if self.scenario.fetched:
                    self._fetch(st, site)
            prev = site

    def _skew(self, i: int) -> timedelta:
        if self.first_crossing is None or i > self.first_crossing:
            return timedelta()
        return timedelta(minutes=self.scenario.clock_skew_minutes)

    def _signs(self, i: int, actor: Actor) -> bool:
        """Sign when this actor is the last sender-side actor before the first crossing."""
        if self.scenario.dkim is DkimChoice.NONE or self.scenario.spoofed_from or self.scenario.unauthenticated:
            return False
        return i == self.signer

    def _received(self, st: State, site: Site, hop: HopSpec, **flags: bool) -> Line:
        if self._line_missing:
            flags["crossing"], self._line_missing = True, False
        return st.prepend("Received", site.dialect.received(hop, st.rng), **flags)

    def _originate(self, st: State, site: Site, actor: Actor, skew: timedelta) -> None:
        """The Author's own server starts the message (no submission hop)."""
        if actor.has("MSA"):
            hop = HopSpec(
                kind=HopKind.ORIGINATE,
                by_host=site.entry.name,
                when=st.tick() + skew,
                auth_user=st.envelope_from.split("@")[0] or None,
                recipient=st.rcpt,
            )
            self._received(st, site, hop)

    def _resend(self, st: State, site: Site) -> None:
        """The Recipient re-sends the delivered message (RFC 5322 section 3.6.6): a ``Resent-*`` block on
        top, a new envelope; the MSA drops ``Return-Path`` (Postfix ``message_drop_headers``)."""
        st.clock += timedelta(hours=2, minutes=st.rng.randint(3, 50))
        st.fields = [f for f in st.fields if f.name != "Return-Path"]
        resender, new_rcpt = st.rcpt, f"carol@{self.sites[max(self.sites)].domain}"
        msgid = f"<{hashlib.sha1(repr(st.rng.random()).encode()).hexdigest()[:20]}@{resender.rsplit('@', 1)[1]}>"
        block = [
            ("Resent-Date", _date(st.clock, site.dialect)),
            ("Resent-From", f"Bob <{resender}>"),
            ("Resent-To", f"Carol <{new_rcpt}>"),
            ("Resent-Message-ID", msgid),
        ]
        for name, value in reversed(block):
            st.prepend(name, value)
        st.envelope_from, st.rcpt = resender, new_rcpt

    def _submission(
        self, st: State, site: Site, arrow: Arrow, skew: timedelta, *, client_ip: str | None = None
    ) -> None:
        auth = st.envelope_from if arrow is Arrow.RELATIONSHIP else None
        if self.scenario.webmail and site.dialect.name in ("postfix", "exim", "sendmail"):
            # Roundcube-style webmail on the MSA host: SMTP over loopback, the browser's address kept.
            st.prepend("X-Originating-IP", f"[{self.author_ip or _AUTHOR_IP}]")
            hop = HopSpec(
                kind=HopKind.SUBMISSION,
                by_host=site.entry.name,
                when=st.tick() + skew,
                helo=f"webmail.{site.domain}",
                rdns="localhost",
                ip="127.0.0.1",
                tls=False,
                auth_user=auth,
                envelope_from=st.envelope_from,
                recipient=st.rcpt,
            )
        elif site.dialect.name == "exchange" and auth:
            hop = HopSpec(
                kind=HopKind.SUBMISSION,
                by_host=site.entry.name,
                by_ip=site.entry.ip,
                when=st.tick() + skew,
                auth_user=auth,
                recipient=st.rcpt,
            )
        else:
            hop = HopSpec(
                kind=HopKind.SUBMISSION,
                by_host=site.entry.name,
                by_ip=site.entry.ip,
                when=st.tick() + skew,
                helo=self._author_helo(),
                rdns=None,
                ip=client_ip or self.author_ip or (_AUTHOR_IP if self.first_crossing is not None else _OFFICE_IP),
                tls=self.tls,
                auth_user=auth,
                envelope_from=st.envelope_from,
                recipient=st.rcpt,
            )
        self._received(st, site, hop)

    def _author_helo(self) -> str:
        if self.scenario.helo_literal:
            return f"[{self.scenario.helo_literal}]"
        return _AUTHOR_LAN if self.author_ip or self.first_crossing is not None else f"[{_OFFICE_IP}]"

    def _relay(
        self,
        st: State,
        prev: Site,
        site: Site,
        arrow: Arrow,
        *,
        crossing: bool,
        actor: Actor,
        skew: timedelta,
        last: bool = False,
    ) -> None:
        src = prev.exit
        when = st.tick(2, 6) + skew
        hop = HopSpec(
            kind=HopKind.RELAY,
            by_host=site.entry.name,
            by_ip=site.entry.ip if site.dialect.name == "exchange" else None,
            when=when,
            helo=src.hello,
            rdns=src.name,
            ip=src.ip,
            tls=self.tls,
            auth_user=f"relay@{prev.domain}" if self._authenticated(prev, actor, arrow, crossing) else None,
            envelope_from=st.envelope_from,
            recipient=st.rcpt,
        )
        stamp = (
            crossing and actor.has("Receiver") and self.scenario.receiver_stamps and not self.scenario.unauthenticated
        )
        outcome = self._outcome(st, src, actor) if stamp else None
        below = site.dialect.ar_below_received
        if outcome is not None and below:
            self._stamp(st, site, outcome, actor)
        if self.scenario.crossing_line_missing and last:
            self._line_missing = True  # the next line this site writes is the lowest it shows
        else:
            self._received(st, site, hop, crossing=crossing)
        if outcome is not None and not below:
            self._stamp(st, site, outcome, actor)

    def _authenticated(self, prev: Site, actor: Actor, arrow: Arrow, crossing: bool) -> bool:
        """A relationship (``==>``) is an account: the client authenticates (SMTP AUTH, RFC 4954).

        Plain flow (``-->``) and crossings do not; an open relay accepts anything.
        """
        if crossing or actor.has("OpenRelay"):
            return False
        return arrow is Arrow.RELATIONSHIP

    def _internal(self, st: State, site: Site, skew: timedelta) -> None:
        relays = site.relays
        for a, b in itertools.pairwise(relays):
            kind = HopKind.ORIGINATE if site.dialect.name == "gmail" and b == site.exit else HopKind.INTERNAL
            hop = HopSpec(
                kind=kind,
                by_host=b.name,
                by_ip=b.ip or None,
                when=st.tick() + skew,
                helo=a.hello if a.ip else a.name,
                rdns=a.name,
                ip=a.ip or None,
                tls=self.tls,
                envelope_from=st.envelope_from,
                recipient=st.rcpt,
            )
            self._received(st, site, hop)

    def _add_message_id(self, st: State, site: Site) -> None:
        """The first relay supplies the missing Message-ID (Postfix ``cleanup``), at the end of the header."""
        stamp = st.clock.strftime("%Y%m%d%H%M%S")
        st.fields.append(Line("Message-ID", f"<{stamp}.{st.rng.randrange(16**8):08X}@{site.entry.name}>"))

    def _fetch(self, st: State, site: Site) -> None:
        """fetchmail retrieves the delivered message over POP3 and adds its own line (scenario 17)."""
        store = site.mailstore or site.entry
        when = st.tick(30, 90)
        stamp = _date(when, site.dialect)
        value = (
            f"from {store.name} [{store.ip or site.entry.ip}]\r\n\tby laptop.home.arpa with POP3 (fetchmail-6.4.38)"
            f"\r\n\tfor <bob@localhost> (single-drop); {stamp}"
        )
        st.prepend("Received", value)

    def _deliver(self, st: State, site: Site) -> None:
        store = site.mailstore
        if store is None:
            return
        last = site.relays[-1]
        hop = HopSpec(
            kind=HopKind.DELIVERY,
            by_host=store.name,
            by_ip=store.ip or None,
            when=st.tick(),
            helo=last.name,
            rdns=last.name,
            ip=(last.ip or None) if site.dialect.name in ("exim", "exchange") else None,
            envelope_from=st.envelope_from,
            recipient=st.rcpt,
        )
        self._received(st, site, hop)
        if site.dialect.name == "postfix":
            st.prepend("X-Original-To", st.rcpt)
        st.prepend("Delivered-To", st.rcpt)
        if site.dialect.name != "gmail":
            st.prepend("Return-Path", f"<{st.envelope_from}>")

    # -- authentication --------------------------------------------------------------------------

    def expected(self, st: State) -> Expected:
        received = [f for f in st.fields if f.name == "Received"]
        crossings = [n for n, f in enumerate(received) if f.crossing]
        forged = tuple(n for n, f in enumerate(received) if f.forged)
        o = self.recheck
        dkim: tuple[tuple[str, str], ...] = ()
        if o is not None:
            words = []
            for d in o.dkim:
                sig = next(s for s in st.signatures if s.domain == d.domain and s.selector == d.selector)
                revoked = any(k.revoked and k.domain == d.domain and k.selector == d.selector for k in st.keys)
                word = "body_hash_mismatch" if not sig.body_intact else "signature_mismatch"
                word = "pass" if d.result == "pass" else word
                words.append((d.domain, "key_revoked" if revoked else word))
            dkim = tuple(words)
        dmarc = None
        if o is not None:
            passing = {d for d, w in dkim if w == "pass"}
            aligned = (o.spf == "pass" and org_of(o.mail_from.rsplit("@", 1)[-1]) == org_of(self.from_domain)) or any(
                org_of(d) == org_of(self.from_domain) for d in passing
            )
            dmarc = "none" if self.scenario.no_dmarc else "pass" if aligned else "fail"
        return Expected(
            notation=self.spec.notation,
            border_index=min(crossings) if crossings else None,
            borders=tuple(sorted(crossings, reverse=True)),
            verdict=self.scenario.implied_verdict(self.spec, self.from_domain),
            spf=o.spf if o else None,
            dkim=dkim,
            dmarc=dmarc,
            forged_indexes=forged,
        )


def _crlf(text: str) -> str:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out = "\r\n".join(lines)
    return out if out.endswith("\r\n") else out + "\r\n"


def _date(when: datetime, dialect: Dialect) -> str:
    from mailtrace.testing.dialects._common import rfc5322_date

    return rfc5322_date(when, dialect.zone, comment=False)


def _user_agent(dialect: str) -> tuple[str, str]:
    if dialect == "exchange":
        return ("X-Mailer", "Microsoft Outlook 16.0")
    if dialect == "gmail":
        return ("X-Mailer", "Gmail for Android")
    return ("User-Agent", "Mozilla Thunderbird 128.7.1")
