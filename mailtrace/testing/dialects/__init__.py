"""The MTA dialects the builder writes: one module per dialect, and the site plan of each.

A *site* is the set of relays one actor runs: the host that receives from the previous actor
(``entry``), internal hops, the host that hands the message on (``exit``) and the mailstore. Who
names its hosts how, which authserv-id its ``Authentication-Results:`` carries (RFC 8601 section 2.5)
and where it places that field are part of the dialect.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

from mailtrace.errors import ConfigurationError
from mailtrace.testing.dialects import exchange, exim, gmail, postfix, sendmail
from mailtrace.testing.dialects._common import HopKind, HopSpec, Zone


@dataclass(frozen=True, slots=True, kw_only=True)
class Host:
    name: str
    ip: str
    helo: str | None = None  #: what the host says in HELO when it is not its name

    @property
    def hello(self) -> str:
        return self.helo or self.name


@dataclass(frozen=True, slots=True, kw_only=True)
class Site:
    """The relays of one actor, in the order the message passes them."""

    dialect: Dialect
    domain: str
    entry: Host
    internal: tuple[Host, ...]
    exit: Host
    mailstore: Host | None
    authserv_id: str | None  #: ``None``: the dialect omits it (Microsoft 365)
    mx: str  #: the MX target for ``domain``
    spf_include: str | None  #: the provider's SPF record name, when the provider sends
    provider_domain: str | None  #: the provider's own domain (google.com, outlook.com) or ``None``

    @property
    def relays(self) -> tuple[Host, ...]:
        hosts = (self.entry, *self.internal)
        return hosts if self.exit in hosts else (*hosts, self.exit)


class IPPool:
    """Deterministic address allocation: public hosts from the RFC 5737 documentation ranges
    (one range per actor, cycling), internal hosts from RFC 1918 ``10.0.0.0/8``."""

    _PUBLIC = ("192.0.2", "198.51.100", "203.0.113")

    def __init__(self, known: dict[str, str] | None = None) -> None:
        self._next: dict[str, int] = {}
        self._known = dict(known or {})  #: host name -> address already in a shared zone
        self._taken = set(self._known.values())

    def _reuse(self, name: str, make: Callable[[], str]) -> str:
        if name in self._known:
            return self._known[name]
        ip = make()
        while ip in self._taken:
            ip = make()
        self._taken.add(ip)
        self._known[name] = ip
        return ip

    def public(self, actor: int, name: str) -> str:
        """The public address of host ``name`` (the same name keeps its address in a shared zone)."""
        block = self._PUBLIC[actor % 3]
        base = 10 + 40 * (actor // 3)

        def make() -> str:
            n = max(self._next.get(block, base), base)
            self._next[block] = n + 1
            return f"{block}.{n % 250}"

        return self._reuse(name, make)

    def internal(self, actor: int, name: str) -> str:
        key = f"10.{actor}"

        def make() -> str:
            n = self._next.get(key, 2)
            self._next[key] = n + 1
            return f"10.{actor + 1}.{n // 250}.{n % 250}"

        return self._reuse(name, make)


Planner = Callable[[str, tuple[str, ...], int, int, IPPool, random.Random], Site]


@dataclass(frozen=True, slots=True, kw_only=True)
class Dialect:
    """One MTA family: its line writer, time zone, site planner, and A-R placement."""

    name: str
    module: ModuleType
    zone: Zone
    planner: Planner
    ar_below_received: bool  #: Gmail stamps A-R below its own Received line; milters stamp above

    def received(self, hop: HopSpec, rng: random.Random) -> str:
        """The folded value of the ``Received:`` field (without the name)."""
        text: str = self.module.received(hop, rng)
        return text

    def plan(self, domain: str, roles: tuple[str, ...], actor: int, hops: int, ips: IPPool, rng: random.Random) -> Site:
        return self.planner(domain, roles, actor, hops, ips, rng)


def _own_servers(dialect_name: str) -> Planner:
    def plan(domain: str, roles: tuple[str, ...], actor: int, hops: int, ips: IPPool, rng: random.Random) -> Site:
        if "MSA" in roles or ("MDA" in roles and "Receiver" not in roles):
            entry_name = f"mail.{domain}"
        elif "Receiver" in roles:
            entry_name = f"mx.{domain}"
        else:
            entry_name = f"smtp.{domain}"
        entry = Host(name=entry_name, ip=ips.public(actor, entry_name))
        internal = tuple(
            Host(name=f"relay{i + 1}.{domain}", ip=ips.internal(actor, f"relay{i + 1}.{domain}")) for i in range(hops)
        )
        sends = any(r in roles for r in ("Transmitter", "Forwarder", "OpenRelay"))
        exit_host = Host(name=f"out.{domain}", ip=ips.public(actor, f"out.{domain}")) if hops and sends else entry
        mailstore = Host(name=f"imap.{domain}", ip=ips.internal(actor, f"imap.{domain}")) if "MDA" in roles else None
        return Site(
            dialect=DIALECTS[dialect_name],
            domain=domain,
            entry=entry,
            internal=internal,
            exit=exit_host,
            mailstore=mailstore,
            authserv_id=entry.name,
            mx=entry.name if "Receiver" in roles else f"mx.{domain}",
            spf_include=None,
            provider_domain=None,
        )

    return plan


def _gmail(domain: str, roles: tuple[str, ...], actor: int, hops: int, ips: IPPool, rng: random.Random) -> Site:
    def v6() -> str:
        return "2002:a05:" + ":".join(f"{rng.randrange(0x1000, 0xFFFF):x}" for _ in range(5))

    if "MSA" in roles:
        entry = Host(name="smtp.gmail.com", ip=ips.public(actor, "smtp.gmail.com"))
    elif "Receiver" in roles:
        entry = Host(name="mx.google.com", ip=ips.public(actor, "mx.google.com"))
    else:
        entry = Host(name="smtp-relay.gmail.com", ip=ips.public(actor, "smtp-relay.gmail.com"))
    sends = any(r in roles for r in ("Transmitter", "Forwarder", "OpenRelay"))
    # Gmail's internal ``by 2002:...`` hand-offs show on the receiving side only; a sending
    # Gmail account shows the submission line and the outbound ``by mail-*.google.com`` line.
    internal = tuple(Host(name=v6(), ip="") for _ in range(0 if sends else hops))
    outbound = f"mail-wr1-f{rng.randrange(40, 80)}.google.com"
    exit_host = Host(name=outbound, ip=ips.public(actor, outbound)) if sends else entry
    mailstore = Host(name=v6(), ip="") if "MDA" in roles else None
    return Site(
        dialect=DIALECTS["gmail"],
        domain=domain,
        entry=entry,
        internal=internal,
        exit=exit_host,
        mailstore=mailstore,
        authserv_id="mx.google.com",
        mx="aspmx.l.google.com",
        spf_include="_spf.google.com",
        provider_domain="google.com",
    )


def _exchange(domain: str, roles: tuple[str, ...], actor: int, hops: int, ips: IPPool, rng: random.Random) -> Site:
    def server(prefix: str) -> str:
        region = f"eurprd0{rng.randrange(1, 9)}"
        return f"{prefix}{rng.randrange(1, 9)}MB{rng.randrange(1000, 9999)}.{region}.prod.outlook.com"

    def v6() -> str:
        return f"2603:10a6:{rng.randrange(0x10, 0xFFF):x}:{rng.randrange(0x10, 0xFFF):x}::{rng.randrange(1, 0xFF):x}"

    if "MSA" in roles:
        link_local = f"fe80::{rng.randrange(0x1000, 0xFFFF):x}:{rng.randrange(0x1000, 0xFFFF):x}"
        entry = Host(name=server("DU0PR0"), ip=link_local)
    elif "Receiver" in roles:
        frontend = f"AM4PEPF0002{rng.randrange(1000, 9999):X}.eurprd83.prod.outlook.com"
        entry = Host(name=frontend, ip=f"10.167.16.{actor + 9}")
    else:
        entry = Host(name=server("AM6PR0"), ip=v6())
    internal = tuple(Host(name=server("DB9PR0"), ip=v6()) for _ in range(hops))
    sends = any(r in roles for r in ("Transmitter", "Forwarder", "OpenRelay"))
    outbound = f"mail-am6eur05on{rng.randrange(2000, 2099)}.outbound.protection.outlook.com"
    exit_host = (
        Host(
            name=outbound,
            ip=ips.public(actor, outbound),
            helo="EUR05-AM6-obe.outbound.protection.outlook.com",
        )
        if sends
        else entry
    )
    mailstore = Host(name=server("DB8PR0"), ip=v6()) if "MDA" in roles else None
    return Site(
        dialect=DIALECTS["exchange"],
        domain=domain,
        entry=entry,
        internal=internal,
        exit=exit_host,
        mailstore=mailstore,
        authserv_id=None,
        mx=f"{domain.replace('.', '-')}.mail.protection.outlook.com",
        spf_include="spf.protection.outlook.com",
        provider_domain="outlook.com",
    )


DIALECTS: dict[str, Dialect] = {
    "postfix": Dialect(
        name="postfix", module=postfix, zone=postfix.ZONE, planner=_own_servers("postfix"), ar_below_received=False
    ),
    "exim": Dialect(name="exim", module=exim, zone=exim.ZONE, planner=_own_servers("exim"), ar_below_received=False),
    "sendmail": Dialect(
        name="sendmail", module=sendmail, zone=sendmail.ZONE, planner=_own_servers("sendmail"), ar_below_received=False
    ),
    "exchange": Dialect(
        name="exchange", module=exchange, zone=exchange.ZONE, planner=_exchange, ar_below_received=False
    ),
    "gmail": Dialect(name="gmail", module=gmail, zone=gmail.ZONE, planner=_gmail, ar_below_received=True),
}

#: The dialect names, sorted.
DIALECT_NAMES: tuple[str, ...] = tuple(sorted(DIALECTS))


def get_dialect(name: str) -> Dialect:
    try:
        return DIALECTS[name.lower()]
    except KeyError:
        raise ConfigurationError(f"unknown MTA dialect {name!r}; choose from {', '.join(DIALECT_NAMES)}") from None


__all__ = ["DIALECTS", "DIALECT_NAMES", "Dialect", "HopKind", "HopSpec", "Host", "IPPool", "Site", "get_dialect"]
