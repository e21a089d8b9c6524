"""The analysis policy: one frozen object that threads behaviour through analysis.

Change it with :meth:`Policy.clone` (as in CPython's ``email.policy``)::

    policy = Policy(trusted_networks=("192.0.2.0/24",)).clone(internal_domains=("example.org",))
"""

from __future__ import annotations

import ipaddress
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
      SpamAssassin's ``trusted_networks``).
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
    now: datetime | None = None
    limits: Limits = DEFAULT_LIMITS
    enrichment: Enrichment | None = None
    indicators: IndicatorOptions | None = None
    networks: tuple[IPNetwork, ...] = field(init=False, repr=False, compare=False, default=())

    def __post_init__(self) -> None:
        nets: list[IPNetwork] = []
        for text in self.trusted_networks:
            try:
                nets.append(ipaddress.ip_network(text.strip(), strict=False))
            except ValueError as exc:
                raise ConfigurationError(f"trusted_networks: {text!r} is not an IP network: {exc}") from None
        object.__setattr__(self, "networks", tuple(nets))
        object.__setattr__(
            self, "internal_domains", tuple(d.strip().rstrip(".").lower() for d in self.internal_domains if d.strip())
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
        if not ip or not self.networks:
            return False
        try:
            addr = ipaddress.ip_address(ip)
        except ValueError:
            return False
        return any(addr in net for net in self.networks if net.version == addr.version)


DEFAULT_POLICY = Policy()
