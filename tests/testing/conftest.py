"""Make the plugin's fixtures and marker available whether or not mailtrace is pip-installed
(the ``pytest11`` entry point registers them in an installed mailtrace)."""

from __future__ import annotations

import pytest

from mailtrace.testing.pytest_plugin import (  # noqa: F401  (fixtures are used by name)
    MARKER,
    mailtrace_builder,
    mailtrace_fixtures,
    mailtrace_policy,
    mailtrace_resolver,
    mailtrace_zone,
)


def pytest_configure(config: pytest.Config) -> None:
    if not config.pluginmanager.has_plugin("mailtrace"):  # the entry point registers it when installed
        config.addinivalue_line("markers", MARKER)
