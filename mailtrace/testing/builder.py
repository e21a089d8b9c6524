"""Build a realistic message from an actor path (``docs/actor-model.md``), with the DNS that makes it true.

::

    built = build_message(
        "Author ==> MSA/Transmitter --> / --> Receiver/Forwarder ~~> / ~~> Receiver/MDA ==> Recipient"
    )
    built.raw        # bytes, CRLF, trace fields prepended relay by relay (RFC 5321 section 4.4)
    built.zone       # {name: {TYPE: [records]}} for mailtrace.dns.OfflineZone.from_dict
    built.keys       # the test keys used, with their selectors
    built.expected   # what analysis must give back: notation, border hop, verdict

The builder walks the actors in time order. Each relaying actor is a *site* planned by its MTA
dialect (:mod:`mailtrace.testing.dialects`); every handover prepends one ``Received:`` line written
in the receiving relay's dialect. The Transmitter DKIM-signs before the message leaves its
network; a Receiver stamps ``Authentication-Results:`` from what it can check; a Forwarder rewrites
the envelope sender with SRS and adds an ARC set; a mailing list changes subject and body first.
Everything is deterministic: the same arguments give the same bytes (``seed`` varies the ids).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from mailtrace.errors import ConfigurationError
from mailtrace.testing.built import BuiltMessage, Expected, KeyUse
from mailtrace.testing.dialects import IPPool, Site, get_dialect
from mailtrace.testing.notation import PathSpec, parse_path
from mailtrace.testing.scenario import Scenario
from mailtrace.testing.walk import Walk
from mailtrace.testing.zone import ZoneBuilder

__all__ = ["FORWARDED", "PLAIN", "BuiltMessage", "Expected", "KeyUse", "MessageBuilder", "build_message"]

DEFAULT_DATE = datetime(2025, 3, 4, 9, 15, 0, tzinfo=UTC)
DEFAULT_BODY = (
    "Hi Bob,\n\nthe minutes of Tuesday's meeting are below. Please send corrections by Friday.\n\n"
    "1. Budget: approved as circulated.\n2. Next meeting: 18 March.\n\nAlice\n"
)


def build_message(
    path: str,
    *,
    dialect: str | Sequence[str] = "postfix",
    scenario: Scenario | None = None,
    from_addr: str = "alice@sender.example",
    from_name: str = "Alice Example",
    to_addr: str | None = None,
    recipient: str | None = None,
    subject: str = "Minutes of Tuesday's meeting",
    body: str = DEFAULT_BODY,
    date: datetime = DEFAULT_DATE,
    tls: bool = True,
    internal_hops: int | Sequence[int] = 0,
    domains: dict[str, str] | None = None,
    seed: int = 0,
    message_id: str | None = None,
    author_ip: str | None = None,
    dkim_selector: str = "s2025",
    zone: ZoneBuilder | None = None,
) -> BuiltMessage:
    """Build the message that ``path`` describes; see the module docstring and ``docs/builder.md``.

    ``dialect`` is one name for every relaying actor or one per relaying actor (in path order);
    ``internal_hops`` likewise. ``author_ip`` is the address the MSA sees for the author's client
    (default: a home router, ``198.51.100.201``; ``10.0.0.23`` when the path has no Border).
    ``domains`` overrides the default domains by role: ``sender``, ``esp``, ``relay``,
    ``forwarder``, ``recipient``, ``gateway``, ``attacker``, ``resent`` (the new recipient's domain
    when a ``Recipient/Author`` re-sends the message, scenario 14). ``zone`` collects the records into a
    shared :class:`ZoneBuilder` (a conflict raises ``ConfigurationError``).
    """
    spec = parse_path(path)
    scenario = scenario or Scenario()
    scenario.check(spec)
    if date.tzinfo is None:
        raise ConfigurationError("date must be timezone-aware")
    if "@" not in from_addr:
        raise ConfigurationError(f"from_addr {from_addr!r} is not an address")
    rng = random.Random(_seed(path, scenario, seed))
    names = _domains(spec, from_addr, scenario, domains or {})
    relay_idx = [i for i, a in enumerate(spec.actors) if a.is_relay]
    dialects = _per_actor(dialect, len(relay_idx), "dialect")
    hops = _per_actor(internal_hops, len(relay_idx), "internal_hops")
    ips = IPPool(known=zone.addresses() if zone is not None else None)
    sites: dict[int, Site] = {}
    for n, i in enumerate(relay_idx):
        d = get_dialect(str(dialects[n]))
        sites[i] = d.plan(names[i], spec.actors[i].roles, i, int(hops[n]), ips, rng)
    z = ZoneBuilder()
    builder = Walk(spec, scenario, sites, names, z, rng, tls=tls, from_addr=from_addr)
    builder.selector = dkim_selector
    builder.message_id = message_id
    builder.author_ip = author_ip
    builder.plan_dns()
    st = builder.start(from_name, to_addr, recipient, subject, body, date)
    builder.run(st)
    raw = st.raw()
    expected = builder.expected(st)
    if zone is not None:
        zone.merge(z)
    return BuiltMessage(
        raw=raw,
        zone=z.to_dict(),
        keys=tuple(st.keys),
        path=spec,
        scenario=scenario,
        dialects=tuple(str(d) for d in dialects),
        expected=expected,
        envelope_from=st.envelope_from,
        recipient=st.rcpt,
    )


class MessageBuilder:
    """A builder bound to one zone: every message it builds adds its records to :attr:`zone`."""

    def __init__(self, zone: ZoneBuilder | None = None, **defaults: Any) -> None:
        self.zone = zone if zone is not None else ZoneBuilder()
        self.defaults = defaults
        self.built: list[BuiltMessage] = []

    def build(self, path: str = "", **options: Any) -> BuiltMessage:
        """Build like :func:`build_message` (the default path is a plain delivery, scenario 1)."""
        merged = {**self.defaults, **options}
        built = build_message(path or PLAIN, zone=self.zone, **merged)
        self.built.append(built)
        return built

    def resolver(self) -> Any:
        """The shared zone as a :class:`mailtrace.dns.OfflineZone`."""
        return self.zone.resolver()

    def policy(self, **changes: Any) -> Any:
        from mailtrace.policy import Policy

        return Policy(resolver=self.resolver(), **changes)

    def analyze(self, built: BuiltMessage | bytes, **policy_changes: Any) -> Any:
        """Analyse a message against the shared zone."""
        from mailtrace.analyze import analyze

        raw = built.raw if isinstance(built, BuiltMessage) else built
        return analyze(raw, policy=self.policy(**policy_changes), name="<built>")


PLAIN = "Author ==> MSA/Transmitter --> / --> Receiver/MDA ==> Recipient"
FORWARDED = "Author ==> MSA/Transmitter --> / --> Receiver/Forwarder ~~> / ~~> Receiver/MDA ==> Recipient"


def _seed(path: str, scenario: Scenario, seed: int) -> int:
    text = f"{' '.join(path.split())}|{sorted(scenario.to_dict().items())}|{seed}"
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def _per_actor(value: Any, count: int, what: str) -> list[Any]:
    if isinstance(value, str | int):
        return [value] * count
    values = list(value)
    if not values:
        raise ConfigurationError(f"{what}: give one value or one per relaying actor")
    if len(values) != count:
        raise ConfigurationError(f"{what}: {len(values)} values for {count} relaying actors")
    return values


def _domains(spec: PathSpec, from_addr: str, scenario: Scenario, given: dict[str, str]) -> dict[int, str]:
    """The organisational domain of each relaying actor."""
    unknown = set(given) - {"sender", "esp", "relay", "forwarder", "recipient", "gateway", "attacker", "resent"}
    if unknown:
        raise ConfigurationError(f"domains: unknown keys {sorted(unknown)}")
    sender = given.get("sender", from_addr.rsplit("@", 1)[1].lower())
    out: dict[int, str] = {}
    forwarders = 0
    seen_sender = False
    resender = spec.resender
    for i, actor in enumerate(spec.actors):
        if not actor.is_relay:
            continue
        if resender is not None and i > resender:
            # the re-sending user's own provider (the first leg's recipient domain) hands to a new recipient
            leg1 = given.get("recipient", "recipient.example")
            out[i] = given.get("resent", "partner.example") if actor.has("Receiver") else leg1
        elif actor.has("Receiver") and actor.has("MSA"):
            out[i] = sender  # one organisation end to end (scenario 7)
        elif actor.has("Forwarder"):
            forwarders += 1
            base = given.get("forwarder", "forwarder.example")
            out[i] = base if forwarders == 1 else f"fwd{forwarders}.{base}"
        elif actor.has("Receiver") and not actor.has("MDA") and any(a.has("MDA") for a in spec.actors[i + 1 :]):
            out[i] = given.get("gateway", "gateway.example")  # a filtering service in front of the mailbox
        elif actor.has("Receiver") or actor.has("MDA"):
            out[i] = given.get("recipient", "recipient.example")
        elif actor.has("OpenRelay"):
            out[i] = given.get("relay", "openrelay.example")
        elif scenario.spoofed_from and not seen_sender:
            out[i] = given.get("attacker", "dsl.attacker.example")
            seen_sender = True
        elif not seen_sender:
            out[i] = sender
            seen_sender = True
        else:
            out[i] = given.get("esp", "esp.example")
    return out
