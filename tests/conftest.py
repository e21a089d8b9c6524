"""Test configuration: sockets are blocked; the real-mail corpus is found or skipped.

Hypothesis draws random examples on a developer's machine (and keeps the failures it finds in
``.hypothesis/``); under CI (``$CI`` set) it is derandomized, so a run is reproducible and a
landing never depends on luck. Failures found locally become ``@example`` cases.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

REPO = Path(__file__).resolve().parent.parent


def corpus_dir() -> Path | None:
    """``$MAILTRACE_CORPUS`` or ``../shared/corpus`` beside the repository, if present."""
    env = os.environ.get("MAILTRACE_CORPUS")
    candidates = [Path(env)] if env else []
    candidates.append(REPO.parent / "shared" / "corpus")
    for path in candidates:
        if path.is_dir():
            return path
    return None


@pytest.fixture(scope="session")
def corpus() -> Path:
    path = corpus_dir()
    if path is None:
        pytest.skip("real-mail corpus absent (set MAILTRACE_CORPUS or place ../shared/corpus)")
    return path


class _BlockedSocket(socket.socket):
    def connect(self, *args: object, **kwargs: object) -> None:
        raise RuntimeError(f"network access in a test: connect{args}")

    def connect_ex(self, *args: object, **kwargs: object) -> int:
        raise RuntimeError(f"network access in a test: connect_ex{args}")

    def sendto(self, *args: object, **kwargs: object) -> int:  # type: ignore[override]
        raise RuntimeError("network access in a test: sendto")


@pytest.fixture(autouse=True)
def _no_network(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    if request.node.get_closest_marker("live_dns") is None:
        monkeypatch.setattr(socket, "socket", _BlockedSocket)
        monkeypatch.setattr(socket, "create_connection", _refuse)
        monkeypatch.setattr(socket, "getaddrinfo", _refuse)
    yield


def _refuse(*args: object, **kwargs: object) -> object:
    raise RuntimeError(f"network access in a test: {args[:1]}")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("MAILTRACE_LIVE_DNS") == "1":
        return
    skip = pytest.mark.skip(reason="live DNS disabled (set MAILTRACE_LIVE_DNS=1)")
    for item in items:
        if "live_dns" in item.keywords:
            item.add_marker(skip)
