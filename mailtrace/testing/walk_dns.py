"""The DNS the walk publishes: SPF (RFC 7208), DMARC (RFC 7489), MX, A and PTR (DKIM keys are
added as the walk signs)."""

from __future__ import annotations

from mailtrace.testing._state import WalkBase, org_of
from mailtrace.testing.dialects import Site


class DnsPlanning(WalkBase):
    """Records for every domain in play, and which addresses each SPF record authorises."""

    def plan_dns(self) -> None:
        """SPF, DMARC, MX, A and PTR for every domain in play (DKIM keys are added as they sign)."""
        z = self.zone
        self._spf_allowed: dict[str, set[str]] = {}
        self.authserv: dict[int, str] = {}
        for site in self.sites.values():
            for host in (*site.relays, *((site.mailstore,) if site.mailstore else ())):
                if host.ip and not host.ip.startswith("fe80"):
                    z.host(host.name, host.ip, ptr=_public(host.ip))
        order = sorted(self.sites)
        for i in order:
            site = self.sites[i]
            actor = self.spec.actors[i]
            if actor.has("Receiver"):
                z.add(site.domain, "MX", f"10 {site.mx}")
                final = self.sites[max(self.sites)].domain
                if not actor.has("Forwarder") and site.domain != final:
                    z.add(final, "MX", f"10 {site.mx}")  # the recipient's MX is its filtering gateway
                if site.mx != site.entry.name:
                    z.host(site.mx, site.entry.ip if _public(site.entry.ip) else f"192.0.2.{250 - i}", ptr=False)
        first_sender = next((i for i in order if not self.spec.actors[i].has("Receiver")), None)
        crossing_sender = self.signer if self.signer is not None else self.first_crossing
        if crossing_sender is not None and crossing_sender in self.sites:
            tx = self.sites[crossing_sender]
            spoofed = bool(self.scenario.spoofed_from)
            if self.scenario.bounce:
                # SPF for the HELO name: a DSN's null sender is checked on it (RFC 7208 section 2.3)
                self._publish_spf(tx, tx.exit.hello.lower(), outside=False)
            if not spoofed and not self.scenario.unauthenticated:
                self._publish_spf(tx, self.from_domain, outside=self.scenario.ip_outside_spf)
                if self.scenario.envelope_domain:
                    self._publish_spf(tx, self.scenario.envelope_domain.lower(), outside=self.scenario.ip_outside_spf)
            if org_of(tx.domain) != org_of(self.from_domain) and tx.provider_domain is None and not spoofed:
                self._publish_spf(tx, tx.domain, outside=False)
        if self.resent_signer is not None and not self.scenario.unauthenticated:
            self._publish_spf(self.sites[self.resent_signer], self.sites[self.resent_signer].domain, outside=False)
        for i in order:
            if self.spec.actors[i].has("Forwarder"):
                self._publish_spf(self.sites[i], self.sites[i].domain, outside=False)
                self.dmarc_policy.setdefault(self.sites[i].domain, "none")
                z.add(f"_dmarc.{self.sites[i].domain}", "TXT", "v=DMARC1; p=none")
        if self.scenario.unauthenticated:
            return
        if not self.scenario.no_dmarc:
            self.dmarc_policy[self.from_domain] = "reject"
            z.add(f"_dmarc.{self.from_domain}", "TXT", f"v=DMARC1; p=reject; rua=mailto:dmarc@{self.from_domain}")
        if self.scenario.spoofed_from:
            z.spf(self.from_domain, "ip4:203.0.113.240")
            self._spf_allowed.setdefault(self.from_domain, set()).add("203.0.113.240")
            z.host(f"mail.{self.from_domain}", "203.0.113.240")
            z.add(self.from_domain, "MX", f"10 mail.{self.from_domain}")
        if first_sender is None:
            return

    def _publish_spf(self, site: Site, domain: str, *, outside: bool) -> None:
        z = self.zone
        if outside:
            ip = site.exit.ip
            other = ip.rsplit(".", 1)[0] + ".254" if "." in ip else "2001:db8::254"
            z.spf(domain, f"ip4:{other}" if "." in other else f"ip6:{other}", all_=self.scenario.spf_all)
            self._spf_allowed.setdefault(domain, set()).add(other)
            return
        qualifier = self.scenario.spf_all if domain == self.from_domain else "-all"
        if site.spf_include:
            z.spf(domain, f"include:{site.spf_include}", all_=qualifier)
            z.spf(site.spf_include, f"ip4:{site.exit.ip}", all_="~all")
        else:
            z.spf(domain, f"ip4:{site.exit.ip}", all_=qualifier)
        self._spf_allowed.setdefault(domain, set()).add(site.exit.ip)


def _public(ip: str) -> bool:
    return bool(ip) and not ip.startswith(("10.", "192.168.", "fe80", "2603:10a6"))
