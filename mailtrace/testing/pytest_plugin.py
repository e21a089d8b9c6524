"""pytest plugin for mailtrace, registered through the ``pytest11`` entry point (the only module importing pytest).

Fixtures:

* ``mailtrace_zone``: a fresh :class:`~mailtrace.testing.zone.ZoneBuilder` per test.
* ``mailtrace_builder``: a :class:`~mailtrace.testing.builder.MessageBuilder` bound to that zone.
* ``mailtrace_resolver``: the zone as a resolver (sees messages built later in the test).
* ``mailtrace_policy``: a :class:`mailtrace.Policy` resolving through the zone.
* ``mailtrace_fixtures``: the fixtures collection (skips when it is not installed).

Marker ``@pytest.mark.mailtrace(dialect="exim", seed=3, ...)``: default builder options for a test.
Assertion helpers: :func:`assert_path`, :func:`assert_finding`, :func:`assert_verdict`, :func:`assert_border`.
See ``docs/pytest-plugin.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from mailtrace.testing.assertions import assert_border, assert_finding, assert_path, assert_verdict
from mailtrace.testing.zone import ZoneBuilder, ZoneResolver

if TYPE_CHECKING:
    from mailtrace.testing.builder import MessageBuilder

__all__ = [
    "assert_border",
    "assert_finding",
    "assert_path",
    "assert_verdict",
    "mailtrace_builder",
    "mailtrace_fixtures",
    "mailtrace_policy",
    "mailtrace_resolver",
    "mailtrace_zone",
]

MARKER = "mailtrace(**options): default options for the mailtrace_builder fixture (dialect=, seed=, scenario=, ...)"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", MARKER)


@pytest.fixture
def mailtrace_zone() -> ZoneBuilder:
    """A fresh, empty DNS zone for this test."""
    return ZoneBuilder()


@pytest.fixture
def mailtrace_builder(request: pytest.FixtureRequest, mailtrace_zone: ZoneBuilder) -> MessageBuilder:
    """A message builder whose messages all publish their records in ``mailtrace_zone``."""
    from mailtrace.testing.builder import MessageBuilder

    options: dict[str, Any] = {}
    for marker in reversed(list(request.node.iter_markers("mailtrace"))):
        if marker.args:
            raise pytest.UsageError("@pytest.mark.mailtrace takes keyword options only")
        options.update(marker.kwargs)
    return MessageBuilder(zone=mailtrace_zone, **options)


@pytest.fixture
def mailtrace_resolver(mailtrace_zone: ZoneBuilder) -> ZoneResolver:
    """``mailtrace_zone`` as a :class:`mailtrace.dns.Resolver`."""
    return ZoneResolver(mailtrace_zone)


@pytest.fixture
def mailtrace_policy(mailtrace_resolver: ZoneResolver) -> Any:
    """A :class:`mailtrace.Policy` that re-verifies against ``mailtrace_zone``."""
    from mailtrace.policy import Policy

    return Policy(resolver=mailtrace_resolver)


@pytest.fixture(scope="session")
def mailtrace_fixtures() -> Any:
    """The fixtures collection (:class:`~mailtrace.testing.collection.Collection`); skips when absent."""
    from mailtrace.testing.collection import CollectionNotFound, open_collection

    try:
        return open_collection()
    except CollectionNotFound as exc:
        pytest.skip(str(exc))
