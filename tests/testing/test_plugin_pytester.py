"""The pytest plugin as a downstream project uses it: run through ``pytester`` in a fresh directory."""

from __future__ import annotations

from importlib.metadata import entry_points
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

DOCS = Path(__file__).resolve().parents[2] / "docs" / "pytest-plugin.md"


def docs_example() -> str:
    """The first Python block under "The ten-line test" in docs/pytest-plugin.md, verbatim."""
    text = DOCS.read_text(encoding="utf-8").split("## The ten-line test", 1)[1]
    return text.split("```python\n", 1)[1].split("```", 1)[0]


def _plugin_args() -> list[str]:
    """``-p`` the plugin only when the entry point is not installed (a source checkout)."""
    installed = any(ep.value == "mailtrace.testing.pytest_plugin" for ep in entry_points(group="pytest11"))
    return [] if installed else ["-p", "mailtrace.testing.pytest_plugin"]


def _run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_inprocess(*_plugin_args(), "-p", "no:cacheprovider", *args)


def test_plugin_docs_example_passes_in_downstream_project(pytester: pytest.Pytester) -> None:
    example = docs_example()
    assert len([line for line in example.splitlines() if line.strip()]) <= 10
    pytester.makepyfile(test_downstream=example)
    result = _run(pytester)
    result.assert_outcomes(passed=1)


def test_plugin_fixtures_builder_zone_resolver_policy_work_together(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_fixtures="""
        from mailtrace.dns import Status

        def test_zone_sees_later_messages(mailtrace_builder, mailtrace_resolver, mailtrace_policy, mailtrace_zone):
            assert mailtrace_resolver.resolve("sender.example", "TXT").status is Status.NXDOMAIN
            built = mailtrace_builder.build()
            answer = mailtrace_resolver.resolve("sender.example", "TXT")
            assert answer.records[0].startswith("v=spf1 ")
            assert mailtrace_policy.resolver is mailtrace_resolver
            assert built.zone.items() <= mailtrace_zone.to_dict().items()
        """
    )
    _run(pytester).assert_outcomes(passed=1)


def test_plugin_marker_sets_builder_defaults_and_is_registered(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_marker="""
        import pytest

        @pytest.mark.mailtrace(dialect="sendmail", seed=7)
        def test_marker(mailtrace_builder):
            built = mailtrace_builder.build()
            assert built.dialects == ("sendmail", "sendmail")
            assert b"(8.17.1/8.17.1)" in built.raw
        """
    )
    _run(pytester, "--strict-markers").assert_outcomes(passed=1)
    result = _run(pytester, "--markers")
    result.stdout.fnmatch_lines(["*@pytest.mark.mailtrace(**options)*"])


def test_plugin_assertion_failures_read_like_a_report(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_fail="""
        from mailtrace.testing import assert_finding, assert_path

        FORWARDED = "Author ==> MSA/Transmitter --> / --> Receiver/Forwarder ~~> / ~~> Receiver/MDA ==> Recipient"

        def test_wrong_path(mailtrace_builder):
            report = mailtrace_builder.analyze(mailtrace_builder.build())
            assert_path(report, FORWARDED)

        def test_missing_finding(mailtrace_builder):
            report = mailtrace_builder.analyze(mailtrace_builder.build())
            assert_finding(report, "no.such.finding")
        """
    )
    result = _run(pytester)
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(
        [
            "*AssertionError: actor path differs*",
            "*expected: Author ==> MSA/Transmitter --> / --> Receiver/Forwarder ~~> / ~~> Receiver/MDA ==> Recipient*",
            "*got:*",
            "*verdict:*",
            "*finding 'no.such.finding' missing*",
        ]
    )


def test_plugin_fixtures_loader_reads_collection(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_collection="""
        def test_loader(mailtrace_fixtures):
            fixture = mailtrace_fixtures["examples/forwarded"]
            assert fixture.message().startswith(b"Return-Path: <SRS0=")
            assert "forwarder.example" in fixture.zone()
            assert fixture.expected()["schema_version"]
        """
    )
    _run(pytester).assert_outcomes(passed=1)


def test_plugin_fixtures_loader_skips_cleanly_when_collection_absent(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MAILTRACE_FIXTURES", str(pytester.path / "nowhere"))
    pytester.makepyfile(test_absent="def test_loader(mailtrace_fixtures):\n    raise AssertionError\n")
    result = _run(pytester, "-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*pip install mailtrace-fixtures*"])
