"""Parse the actor-path shorthand (``docs/actor-model.md``) into actors, roles and crossings.

Grammar (whitespace separates tokens)::

    path   = actor *( arrow actor-or-border )
    arrow  = "==>" / "-->" / "~~>"      ; relationship, plain flow, forwarding flow
    actor  = role *( "/" role )          ; one actor playing several roles
    border = "/"                         ; a lone slash: the Border between two arrows

``Author ==> MSA/Transmitter --> / --> Receiver/MDA ==> Recipient`` gives three actors,
two relationships, and one crossing between the second and third actor.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from mailtrace.errors import ConfigurationError

#: The role names the notation knows (``OpenRelay`` is the third party of scenario 20).
ROLES = ("Author", "MSA", "Transmitter", "OpenRelay", "Receiver", "Forwarder", "MDA", "Recipient")


class Arrow(StrEnum):
    """How two neighbouring actors are linked."""

    RELATIONSHIP = "==>"  #: a contract between the two actors
    FLOW = "-->"  #: mail flow, no relationship implied
    FORWARDING = "~~>"  #: mail flow through a forwarding relationship


@dataclass(frozen=True, slots=True, kw_only=True)
class Actor:
    """One actor (an organisation or person) and the roles it plays, in notation order."""

    roles: tuple[str, ...]

    def has(self, role: str) -> bool:
        return role in self.roles

    @property
    def is_relay(self) -> bool:
        """Whether the actor runs relays that write ``Received:`` lines."""
        return any(r not in ("Author", "Recipient") for r in self.roles)

    def __str__(self) -> str:
        return "/".join(self.roles)


@dataclass(frozen=True, slots=True, kw_only=True)
class Link:
    """The step from ``actors[i]`` to ``actors[i + 1]``: its arrow and whether it crosses a Border."""

    arrow: Arrow
    crossing: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class PathSpec:
    """A parsed actor path: ``len(links) == len(actors) - 1``."""

    actors: tuple[Actor, ...]
    links: tuple[Link, ...]

    @property
    def notation(self) -> str:
        """The canonical shorthand (single spaces)."""
        parts = [str(self.actors[0])]
        for link, actor in zip(self.links, self.actors[1:], strict=True):
            parts.append(link.arrow.value)
            if link.crossing:
                parts.extend(("/", link.arrow.value))
            parts.append(str(actor))
        return " ".join(parts)

    @property
    def crossings(self) -> int:
        return sum(1 for link in self.links if link.crossing)

    @property
    def resender(self) -> int | None:
        """The index of the ``Recipient/Author`` actor who re-sends the delivered message (scenario 14)."""
        return next((i for i, a in enumerate(self.actors[1:-1], 1) if a.has("Recipient") and a.has("Author")), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "notation": self.notation,
            "actors": [list(a.roles) for a in self.actors],
            "links": [{"arrow": link.arrow.value, "crossing": link.crossing} for link in self.links],
        }


def parse_path(text: str) -> PathSpec:
    """Parse the shorthand; raise :class:`~mailtrace.errors.ConfigurationError` on a malformed path.

    A crossing is written ``A --> / --> B`` (the same arrow on both sides of the lone ``/``).
    """
    tokens = text.split()
    if len(tokens) > 200:
        raise ConfigurationError("actor path too long (more than 200 tokens)")
    if not tokens:
        raise ConfigurationError("empty actor path")
    actors = [_actor(tokens[0], text)]
    links: list[Link] = []
    pos = 1
    while pos < len(tokens):
        arrow = _arrow(tokens[pos], text)
        pos += 1
        crossing = False
        if pos < len(tokens) and tokens[pos] == "/":
            crossing = True
            if pos + 1 >= len(tokens) or _arrow(tokens[pos + 1], text) is not arrow:
                hint = f"'{arrow} / {arrow}'"
                raise ConfigurationError(f"{text!r}: a Border '/' must sit between two equal arrows ({hint})")
            pos += 2
        if pos >= len(tokens):
            raise ConfigurationError(f"{text!r}: the path ends with an arrow")
        actors.append(_actor(tokens[pos], text))
        links.append(Link(arrow=arrow, crossing=crossing))
        pos += 1
    spec = PathSpec(actors=tuple(actors), links=tuple(links))
    _check(spec, text)
    return spec


def _arrow(token: str, text: str) -> Arrow:
    try:
        return Arrow(token)
    except ValueError:
        raise ConfigurationError(f"{text!r}: expected an arrow (==>, -->, ~~>), found {token!r}") from None


def _actor(token: str, text: str) -> Actor:
    roles = tuple(token.split("/"))
    for role in roles:
        if role not in ROLES:
            raise ConfigurationError(f"{text!r}: unknown role {role!r}; roles are {', '.join(ROLES)}")
    if len(set(roles)) != len(roles):
        raise ConfigurationError(f"{text!r}: actor {token!r} repeats a role")
    return Actor(roles=roles)


def _check(spec: PathSpec, text: str) -> None:
    if not spec.actors[0].has("Author"):
        raise ConfigurationError(f"{text!r}: the first actor must be the Author")
    if not spec.actors[-1].has("Recipient"):
        raise ConfigurationError(f"{text!r}: the last actor must be the Recipient")
    middle = spec.actors[1:-1]
    resenders = [i for i, a in enumerate(middle, 1) if a.has("Recipient") and a.has("Author")]
    for i, actor in enumerate(spec.actors[1:], 1):
        if actor.has("Author") and i not in resenders:
            raise ConfigurationError(f"{text!r}: only the first actor (or a Recipient/Author re-sending) is an Author")
    for i, actor in enumerate(spec.actors[:-1]):
        if actor.has("Recipient") and i not in resenders:
            raise ConfigurationError(f"{text!r}: only the last actor (or a Recipient/Author re-sending) is a Recipient")
    if len(resenders) > 1:
        raise ConfigurationError(f"{text!r}: at most one Recipient/Author re-sends the message")
    for i in resenders:
        before, after, actor = spec.actors[i - 1], spec.actors[i + 1], spec.actors[i]
        if actor.is_relay or not before.has("MDA") or not (after.has("MSA") or after.has("Transmitter")):
            raise ConfigurationError(
                f"{text!r}: a re-sending Recipient/Author sits between an MDA and an MSA or Transmitter (scenario 14)"
            )
    if len(spec.actors) == 1 or not any(a.is_relay for a in spec.actors):
        raise ConfigurationError(f"{text!r}: a path needs at least one relaying actor between Author and Recipient")
    for link, after in zip(spec.links, spec.actors[1:], strict=True):
        if link.crossing and not after.has("Receiver"):
            raise ConfigurationError(f"{text!r}: the actor after a Border must be a Receiver, not {after}")
