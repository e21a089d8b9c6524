"""What every dialect module provides, and the small helpers they share.

A dialect is recognised from what the *receiving* MTA writes (its ``by``
name, its comments, its ``id`` format, its ``with`` keyword), never from the
client's name, which the sender chooses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mailtrace.parse.received.draft import Draft, Line


def noop(line: Line, draft: Draft) -> None:
    """A dialect with nothing to add beyond the generic reading."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Dialect:
    """One MTA family: how to spot its lines and what its comments mean."""

    name: str  #: the ``software`` value set on matching hops
    title: str  #: human-readable name for the docs
    matches: Callable[[Line], bool]
    apply: Callable[[Line, Draft], None] = noop
    example: str = ""  #: a representative line (used by docs and tests)


def by_host(line: Line) -> str:
    """The ``by`` name, lower-case (empty when absent)."""
    return line.by_host


def by_comment(line: Line) -> str:
    """The ``by`` clause's comments joined, lower-case."""
    return line.by_comment


def with_word(line: Line) -> str:
    """The first ``with`` word, lower-case (empty when absent)."""
    return line.with_word


def host_in(host: str, *domains: str) -> bool:
    """``host`` is one of ``domains`` or below one of them."""
    return host.endswith(domains) and any(host == d or host.endswith("." + d) for d in domains)


def two_label_domains(*domains: str) -> frozenset[str]:
    """``domains`` as a set for :func:`by_domain_in`; each must have exactly two labels."""
    for domain in domains:
        if domain.count(".") != 1 or domain != domain.lower():
            raise ValueError(f"{domain!r}: by_domain_in needs lower-case two-label domains")
    return frozenset(domains)


def by_domain_in(line: Line, domains: frozenset[str]) -> bool:
    """The ``by`` name is one of ``domains`` or below one (same as :func:`host_in` for two-label domains).

    One set lookup of the name's last two labels instead of a suffix test per domain
    (detection runs on every line).
    """
    return line.by_tail in domains


def from_value(line: Line) -> str:
    return line.from_value
