"""Browser tests: Playwright for Python driving the system's Chromium (Debian's ``chromium``).

Playwright's own browser download is not used. ``$MAILTRACE_CHROMIUM`` names another
executable. When Chromium is missing and the tests run as root (a fresh CI machine), the
session installs it with ``apt-get``; otherwise the tests fail with a message saying how to
install it, except on a developer's machine outside CI (``$CI`` unset), where they skip.

``served`` starts ``mailtrace serve`` (``mailtrace.web.run.serve``) in a subprocess on a free
port of 127.0.0.1 and stops it at the end of the session. Screenshots go to
``tests/browser/.screenshots/`` (git-ignored).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

if not os.environ.get("CI"):  # under CI a missing Playwright is an error, never a skip
    pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install -e '.[test]')")
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser._browser import Watch

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("MAILTRACE_CHROMIUM", "/usr/bin/chromium")


def _install_chromium() -> str | None:
    """``apt-get install chromium`` as root; the reason it could not be done otherwise."""
    if shutil.which("apt-get") is None:
        return "apt-get is not available"
    if os.geteuid() != 0:
        return "not running as root"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", "chromium"]):
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            return f"{' '.join(command)} failed: {done.stderr.strip()[-500:]}"
    return None


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not Path(CHROMIUM).exists():
        why = _install_chromium()
        if why is not None and not Path(CHROMIUM).exists():
            message = (
                f"Chromium not found at {CHROMIUM} ({why}): run `apt-get install chromium` or set MAILTRACE_CHROMIUM"
            )
            if os.environ.get("CI"):
                pytest.fail(message)
            pytest.skip(message)
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path, args=["--no-sandbox"] if os.geteuid() == 0 else [])
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[tuple[Page, Watch]]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    pg = context.new_page()
    watch = Watch()
    watch.attach(pg)
    yield pg, watch
    context.close()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Served:
    url: str
    process: subprocess.Popen[bytes]


@pytest.fixture(scope="session")
def served() -> Iterator[Served]:
    port = _free_port()
    code = f"from mailtrace.web.run import serve; serve(host='127.0.0.1', port={port})"
    process = subprocess.Popen(
        [sys.executable, "-c", code], cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 30
    try:
        while True:
            if process.poll() is not None:
                err = process.stderr.read().decode() if process.stderr else ""
                pytest.fail(f"mailtrace serve exited with {process.returncode}: {err}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("mailtrace serve did not start listening within 30 s")
                time.sleep(0.1)
        yield Served(url=f"http://127.0.0.1:{port}/", process=process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()
