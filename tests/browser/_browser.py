"""Helpers of the browser tests: watching a page for anything a script would do, screenshots."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import ConsoleMessage, Dialog, Locator, Page

SCREENSHOTS = Path(__file__).resolve().parent / ".screenshots"


@dataclass
class Watch:
    """Everything a page did that a report page must never do: dialogs, console output, page errors."""

    dialogs: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        def on_dialog(dialog: Dialog) -> None:
            self.dialogs.append(dialog.message)
            dialog.dismiss()

        def on_console(message: ConsoleMessage) -> None:
            self.console.append(f"{message.type}: {message.text}")

        page.on("dialog", on_dialog)
        page.on("console", on_console)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on("request", lambda request: self.requests.append(request.url))

    def assert_quiet(self) -> None:
        assert self.dialogs == [], f"a script ran and opened a dialog: {self.dialogs}"
        assert self.console == [], f"the page wrote to the console: {self.console}"
        assert self.errors == [], f"page errors: {self.errors}"


def screenshot(page: Page, name: str, **kwargs: Any) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), **kwargs)
    return path


def screenshot_of(locator: Locator, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    locator.screenshot(path=str(path))
    return path
