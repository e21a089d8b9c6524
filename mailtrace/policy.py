"""The analysis policy: one frozen object that threads behaviour through analysis.

Change it with :meth:`Policy.clone` (as in CPython's ``email.policy``)::

    policy = Policy(trusted_networks=("192.0.2.0/24",)).clone(internal_domains=("example.org",))
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from mailtrace.errors import ConfigurationError
from mailtrace.limits import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    from mailtrace.dns import Resolver
    from mailtrace.enrich.config import Enrichment
    from mailtrace.indicators.model import IndicatorOptions

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True, slots=True, kw_only=True)
class Policy:
    """How to analyse.

    * ``resolver``: where SPF, DKIM, ARC and DMARC look up DNS. ``None`` (the
      default) means no re-verification: results say ``not_checked``. Pass an
      offline zone for tests and replays; a live resolver contacts the
      sender's DNS servers (which can tip off the sender of a phishing mail).
    * ``trusted_networks``, ``internal_domains``, ``trusted_authserv_ids``:
      what the recipient side owns, the strongest evidence for the border (as
      SpamAssassin's ``trusted_networks``). A setting counts only where the
      trace shows it: one that matches nothing in a message is reported as the
      defect ``policy.unmatched`` and the border comes from the other methods.
    * ``trust_nothing``: no hop of the trace is the recipient's own: the border
      is the topmost line's client (loopback aside). Said explicitly, never
      inferred from an empty list; it excludes the three settings above.
    * ``submission_networks``: networks of the author's own submission servers
      (SpamAssassin's ``msa_networks``): a relay there accepts mail from its
      users' clients, so the hop into it is a submission, not a crossing.
    * ``now``: the analysis clock for DKIM ``x=`` expiry. ``None`` means the
      receiver's timestamp at the border (or the topmost hop's).
    * ``limits``: size and count bounds (:class:`~mailtrace.limits.Limits`).
    * ``enrichment``: origin enrichment (:class:`~mailtrace.enrich.Enrichment`):
      ``None`` (the default) asks nothing; its lookups go through ``resolver``
      and count against the DNS budget (``docs/enrichment.md``).
    * ``indicators``: extract body indicators (:class:`~mailtrace.indicators.IndicatorOptions`);
      ``None`` (the default) does not walk the bodies (``docs/indicators.md``).
    """

    resolver: Resolver | None = None
    trusted_networks: tuple[str, ...] = ()
    internal_domains: tuple[str, ...] = ()
    trusted_authserv_ids: tuple[str, ...] = ()
    trust_nothing: bool = False
    submission_networks: tuple[str, ...] = ()
    now: datetime | None = None
    limits: Limits = DEFAULT_LIMITS
    enrichment: Enrichment | None = None
    indicators: IndicatorOptions | None = None
    networks: tuple[IPNetwork, ...] = field(init=False, repr=False, compare=False, default=())
    msa_networks: tuple[IPNetwork, ...] = field(init=False, repr=False, compare=False, default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "networks", _networks("trusted_networks", self.trusted_networks))
        object.__setattr__(self, "msa_networks", _networks("submission_networks", self.submission_networks))
        domains = tuple(d.strip().rstrip(".").lower() for d in self.internal_domains if d.strip())
        for d in domains:
            if not _DOMAIN.fullmatch(d):
                raise ConfigurationError(f"internal_domains: {d!r} is not a domain name")
        object.__setattr__(self, "internal_domains", domains)
        if self.trust_nothing and (self.trusted_networks or self.internal_domains or self.trusted_authserv_ids):
            raise ConfigurationError(
                "trust_nothing contradicts trusted_networks, internal_domains and trusted_authserv_ids: give one"
            )
        object.__setattr__(
            self, "trusted_authserv_ids", tuple(a.strip().lower() for a in self.trusted_authserv_ids if a.strip())
        )
        if self.now is not None and self.now.tzinfo is None:
            raise ConfigurationError("Policy.now must be timezone-aware")

    def clone(self, **changes: Any) -> Policy:
        """A copy with ``changes`` applied."""
        return replace(self, **changes)

    def is_trusted_ip(self, ip: str | None) -> bool:
        return _in(ip, self.networks)

    def is_submission_ip(self, ip: str | None) -> bool:
        """``ip`` is in ``submission_networks``."""
        return _in(ip, self.msa_networks)


_LABEL = r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?"
_DOMAIN = re.compile(rf"(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})*")


def _networks(setting: str, texts: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    nets: list[IPNetwork] = []
    for text in texts:
        try:
            nets.append(ipaddress.ip_network(text.strip(), strict=False))
        except (ValueError, AttributeError) as exc:
            raise ConfigurationError(f"{setting}: {text!r} is not an IP network: {exc}") from None
    return tuple(nets)


def _in(ip: str | None, networks: tuple[IPNetwork, ...]) -> bool:
    if not ip or not networks:
        return False
    try:
        addr = ipaddress.ip_address(ip.strip("[]").split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    return any(addr in net for net in networks if net.version == addr.version)


DEFAULT_POLICY = Policy()
