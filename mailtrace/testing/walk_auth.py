"""The authentication steps of the walk: DKIM signing (RFC 6376), Receiver stamps (RFC 8601),
forwarding with SRS and ARC (RFC 8617), mailing-list changes, and forged trace lines."""

from __future__ import annotations

import dataclasses
import re
from datetime import timedelta

from mailtrace.testing._state import Signature, State, WalkBase, org_of
from mailtrace.testing.built import KeyUse
from mailtrace.testing.dialects import HopKind, HopSpec, Host, Site, get_dialect
from mailtrace.testing.keys import TestKey, ed25519_key, rsa_key
from mailtrace.testing.notation import Actor
from mailtrace.testing.scenario import DkimChoice
from mailtrace.testing.signing import arc_seal, dkim_sign
from mailtrace.testing.srs import srs0
from mailtrace.testing.stamps import DkimOutcome, Outcome, authentication_results, received_spf

#: the queue id of a Postfix line (``with ESMTP id 4Z...``)
_SLOPPY_ID = re.compile(r" id [0-9A-Za-z]{5,20}(?=\s)")


class AuthSteps(WalkBase):
    """Signing, stamping and forwarding."""

    def _sign(self, st: State, site: Site) -> None:
        """The Transmitter signs for the ``From:`` domain, and for its own domain when it is an ESP."""
        when = int(st.clock.timestamp())
        choice = self.scenario.dkim
        keys: list[tuple[str, TestKey]] = []
        if choice in (DkimChoice.RSA, DkimChoice.BOTH):
            keys.append((self.selector, rsa_key("rsa2048a")))
        if choice in (DkimChoice.ED25519, DkimChoice.BOTH):
            keys.append((f"ed-{self.selector}", ed25519_key(self.from_domain)))
        signers = [(self.from_domain, sel, key) for sel, key in keys]
        if org_of(site.domain) != org_of(self.from_domain) and site.provider_domain is None:
            signers.append((site.domain, "esp1", rsa_key("rsa2048b")))
        for domain, selector, key in signers:
            self._add_signature(st, domain, selector, key, when, revoked=self.scenario.revoked_key)
        if self.scenario.tampered_header:
            self._tamper(st, self.scenario.tampered_header)

    def _sign_resent(self, st: State, site: Site) -> None:
        """The re-sender's provider signs the re-sent message for its own domain (RFC 6376 section 5)."""
        if self.scenario.dkim is DkimChoice.NONE or self.scenario.unauthenticated:
            return
        self._add_signature(
            st, site.domain, self.selector, rsa_key("rsa2048b"), int(st.clock.timestamp()), revoked=False
        )

    def _tamper(self, st: State, name: str) -> None:
        """Alter a signed header field after signing (in transit): every signature breaks over its headers."""
        for f in st.fields:
            if f.name.lower() == name.lower():
                f.value = {"subject": f"URGENT: {f.value}", "date": f.value.replace(":", ".", 1)}.get(
                    name.lower(), f.value.replace("@", ".invoice@", 1)
                )
                break
        for sig in st.signatures:
            sig.headers_intact = False

    def _add_signature(self, st: State, domain: str, selector: str, key: TestKey, when: int, *, revoked: bool) -> None:
        field_bytes = dkim_sign(st.raw(), domain=domain, selector=selector, key=key, timestamp=when)
        name, _, value = field_bytes.decode("ascii").partition(": ")
        st.prepend(name, value.removesuffix("\r\n"))
        b = value.split("b=")[-1].replace("\r\n", "").replace(" ", "")[:8]
        st.signatures.insert(0, Signature(domain=domain, selector=selector, key=key, b=b))
        use = KeyUse(purpose="dkim", domain=domain, selector=selector, key=key, revoked=revoked)
        st.keys.append(use)
        if not (self.scenario.key_removed and domain == self.from_domain):
            self.zone.add(use.record_name, "TXT", key.txt_record(revoked=revoked))

    def _outcome(self, st: State, src: Host, actor: Actor) -> Outcome:
        """What the Receiver can check at this crossing (and, for the last one, what a re-check finds)."""
        # a null envelope sender (a bounce): SPF checks the HELO identity (RFC 7208 section 2.4)
        mail_domain = st.envelope_from.rsplit("@", 1)[-1].lower() if st.envelope_from else src.hello.lower()
        allowed = self._spf_allowed.get(mail_domain)
        failing = {"-all": "fail", "~all": "softfail", "?all": "neutral"}
        spf_all = self.scenario.spf_all if mail_domain == self.from_domain else "-all"
        spf = "none" if allowed is None else "pass" if src.ip in allowed else failing[spf_all]
        dkim = []
        for sig in st.signatures:
            ok = sig.body_intact and sig.headers_intact
            reason = None if ok else ("body hash did not verify" if not sig.body_intact else "signature did not verify")
            dkim.append(
                DkimOutcome(
                    domain=sig.domain,
                    selector=sig.selector,
                    algorithm=sig.key.algorithm.value,
                    bits=sig.key.bits,
                    b=sig.b,
                    result="pass" if ok else "fail",
                    reason=reason,
                )
            )
        aligned = (spf == "pass" and org_of(mail_domain) == org_of(self.from_domain)) or any(
            d.result == "pass" and org_of(d.domain) == org_of(self.from_domain) for d in dkim
        )
        policy = self.dmarc_policy.get(self.from_domain)
        dmarc = "none" if policy is None else ("pass" if aligned else "fail")
        arc = ("pass" if st.arc_instances else "none") if actor.has("Forwarder") or st.arc_instances else None
        return Outcome(
            client_ip=src.ip,
            helo=src.hello,
            mail_from=st.envelope_from,
            spf=spf,
            dkim=tuple(dkim),
            dmarc=dmarc,
            dmarc_policy=policy,
            from_domain=self.from_domain,
            arc=arc,
        )

    def _stamp(self, st: State, site: Site, o: Outcome, actor: Actor) -> None:
        authserv = site.authserv_id
        if authserv is None and actor.has("Forwarder") and self.scenario.arc:
            authserv = "mx.microsoft.com"  # ARC needs an authserv-id; Microsoft seals as mx.microsoft.com
        self.authserv[id(site)] = authserv or ""
        name = site.dialect.name
        self.recheck = o
        o = self._as_stamped(o)
        spf_field = received_spf(name, site.entry.name, o)
        ar = authentication_results(name, authserv, o)
        if site.dialect.ar_below_received:
            st.prepend("Authentication-Results", ar)
            if spf_field:
                st.prepend("Received-SPF", spf_field)
            st.prepend("Return-Path", f"<{st.envelope_from}>")
        else:
            if spf_field:
                st.prepend("Received-SPF", spf_field)
            st.prepend("Authentication-Results", ar)

    def _as_stamped(self, o: Outcome) -> Outcome:
        """What the Receiver writes: what it found, unless a knob makes its stamp disagree."""
        sc = self.scenario
        if sc.stamped_dkim:
            dkim = tuple(
                dataclasses.replace(d, result=sc.stamped_dkim, reason=None) if d.domain == self.from_domain else d
                for d in o.dkim
            )
            o = dataclasses.replace(o, dkim=dkim)
        if sc.stamp_client_ip:
            o = dataclasses.replace(o, client_ip=sc.stamp_client_ip)
        return o

    def _forward(self, st: State, site: Site, i: int) -> None:
        """Mailing-list changes, ARC set, SRS, then hand on to the final address."""
        when = int(st.clock.timestamp())
        if self.scenario.mailing_list:
            listname = st.rcpt.split("@")[0]
            st.prepend("List-Unsubscribe", f"<mailto:{listname}-leave@{site.domain}>")
            st.prepend("List-Post", f"<mailto:{listname}@{site.domain}>")
            st.prepend("List-Id", f"{listname.capitalize()} list <{listname}.{site.domain}>")
            for f in st.fields:
                if f.name == "Subject":
                    f.value = f"[{listname.capitalize()}] {f.value}"
            st.body += f"-- \r\n{listname.capitalize()} mailing list -- {listname}@{site.domain}\r\n".encode()
            for sig in st.signatures:
                sig.body_intact = False
                sig.headers_intact = False
            st.envelope_from = f"{listname}-bounces@{site.domain}"
            self._add_signature(st, site.domain, "list1", rsa_key("rsa2048c"), when, revoked=False)
        elif self.scenario.srs:
            st.envelope_from = srs0(st.envelope_from, site.domain, when=st.clock)
        if self.scenario.arc and id(site) in self.authserv:  # ARC needs this site's own A-R (RFC 8617 4.1.1)
            d = site.provider_domain or site.domain
            key = rsa_key("rsa2048c")
            authserv = self.authserv.get(id(site)) or site.entry.name
            arc_set = arc_seal(st.raw(), domain=d, selector="arc1", key=key, authserv_id=authserv, timestamp=when)
            for value in reversed(arc_set):
                name, _, rest = value.decode("ascii").partition(": ")
                st.prepend(name, rest.removesuffix("\r\n"))
            st.arc_instances += 1 if arc_set else 0
            use = KeyUse(purpose="arc", domain=d, selector="arc1", key=key)
            if use not in st.keys:
                st.keys.append(use)
            self.zone.add(use.record_name, "TXT", key.txt_record())
        st.rcpt = self._final_rcpt

    def _forge(self, st: State) -> None:
        """Lines the sender writes below the border: the victim's relays, dates out of order (scenario 9)."""
        victim = self.from_domain
        recipient_domain = self.sites[max(self.sites)].domain
        rng = st.rng
        dialect = get_dialect("postfix")
        claimed = recipient_domain if self.scenario.forged_claims_recipient else victim
        for n in range(self.scenario.forged_received):
            when = st.clock + timedelta(hours=3 + n) if n % 2 == 0 else st.clock - timedelta(days=2, minutes=n)
            helo = f"mx.{recipient_domain}" if n == 0 else f"smtp{n}.{victim}"
            hop = HopSpec(
                kind=HopKind.RELAY,
                by_host=f"mail{n + 1}.{claimed}",
                when=when,
                helo=helo,
                rdns=f"smtp{n}.{victim}",
                ip=f"203.0.113.{200 + n}",
                tls=False,
                envelope_from=st.envelope_from,
                recipient=st.rcpt,
            )
            line = dialect.received(hop, rng)
            if self.scenario.forged_sloppy_ids:
                line = _SLOPPY_ID.sub(f" id zz-{n + 12}", line, count=1)
            st.prepend("Received", line, forged=True)

    # -- DNS ---------------------------------------------------------------------------------------
