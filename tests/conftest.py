"""Test configuration: sockets are blocked except to the loopback (where tests start their own
servers); the real-mail corpus is found or skipped.

Hypothesis draws random examples on a developer's machine (and keeps the failures it finds in
``.hypothesis/``); under CI (``$CI`` set) it is derandomized, so a run is reproducible and a
landing never depends on luck. Failures found locally become ``@example`` cases.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


#: Suffixes of the corpus's files that hold no mail: suite data, keys, zones and documentation.
_NOT_MESSAGES = {".tsv", ".yml", ".yaml", ".md", ".py", ".pem", ".key", ".pub", ".private", ".dat", ".dns", ".json"}


@pytest.fixture(scope="session")
def corpus_files(corpus: Path) -> list[Path]:
    """Every file of the corpus that may hold mail, sorted."""
    return sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix.lower() not in _NOT_MESSAGES)


def _loopback(address: object) -> bool:
    """An address on this machine (127.0.0.0/8, ::1, a Unix socket): servers the tests start there."""
    if isinstance(address, str | bytes):  # AF_UNIX path
        return True
    host = address[0] if isinstance(address, tuple) and address else None
    if host == "localhost":
        return True
    try:
        return bool(host) and ipaddress.ip_address(str(host)).is_loopback
    except ValueError:
        return False


class _BlockedSocket(socket.socket):
    """Refuses every connection and datagram except to the loopback, where the tests' own servers listen."""

    def connect(self, address: object, *args: object) -> None:  # type: ignore[override]
        if not _loopback(address):
            raise RuntimeError(f"network access in a test: connect({address!r})")
        super().connect(address)  # type: ignore[arg-type]

    def connect_ex(self, address: object, *args: object) -> int:  # type: ignore[override]
        if not _loopback(address):
            raise RuntimeError(f"network access in a test: connect_ex({address!r})")
        return super().connect_ex(address)  # type: ignore[arg-type]

    def sendto(self, data: object, *args: object) -> int:  # type: ignore[override]
        if not args or not _loopback(args[-1]):
            raise RuntimeError("network access in a test: sendto")
        return super().sendto(data, *args)  # type: ignore[call-overload,no-any-return]


@pytest.fixture(autouse=True)
def _no_network(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    if request.node.get_closest_marker("live_dns") is None:
        monkeypatch.setattr(socket, "socket", _BlockedSocket)
        monkeypatch.setattr(socket, "create_connection", _local_create_connection)
        monkeypatch.setattr(socket, "getaddrinfo", _local_getaddrinfo)
    yield


_REAL_GETADDRINFO = socket.getaddrinfo
_REAL_CREATE_CONNECTION = socket.create_connection


def _refuse(*args: object, **kwargs: object) -> object:
    raise RuntimeError(f"network access in a test: {args[:1]}")


def _local_getaddrinfo(host: object, *args: Any, **kwargs: Any) -> Any:
    if host in (None, "localhost") or _loopback((host,)):
        return _REAL_GETADDRINFO(host, *args, **kwargs)  # type: ignore[arg-type]
    raise RuntimeError(f"network access in a test: getaddrinfo({host!r})")


def _local_create_connection(address: Any, *args: Any, **kwargs: Any) -> Any:
    if _loopback(address):
        return _REAL_CREATE_CONNECTION(address, *args, **kwargs)
    raise RuntimeError(f"network access in a test: create_connection({address!r})")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("MAILTRACE_LIVE_DNS") == "1":
        return
    skip = pytest.mark.skip(reason="live DNS disabled (set MAILTRACE_LIVE_DNS=1)")
    for item in items:
        if "live_dns" in item.keywords:
            item.add_marker(skip)
