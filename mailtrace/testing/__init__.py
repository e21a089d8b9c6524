"""Test-message builder: an actor path in, a realistic message plus its DNS zone out.

::

    from mailtrace.testing import build_message, assert_path, assert_verdict
    built = build_message("Author ==> MSA/Transmitter --> / --> Receiver/MDA ==> Recipient", dialect="exim")
    report = built.analyze()
    assert_verdict(report, "authentic")

Names are loaded on first use, so importing the pytest plugin stays cheap.
See ``docs/builder.md`` and ``docs/pytest-plugin.md``.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "BuiltMessage": "mailtrace.testing.builder",
    "Collection": "mailtrace.testing.collection",
    "DIALECT_NAMES": "mailtrace.testing.dialects",
    "DkimChoice": "mailtrace.testing.scenario",
    "Fixture": "mailtrace.testing.collection",
    "ImpliedVerdict": "mailtrace.testing.scenario",
    "MessageBuilder": "mailtrace.testing.builder",
    "PathSpec": "mailtrace.testing.notation",
    "Scenario": "mailtrace.testing.scenario",
    "ZoneBuilder": "mailtrace.testing.zone",
    "assert_border": "mailtrace.testing.assertions",
    "assert_finding": "mailtrace.testing.assertions",
    "assert_path": "mailtrace.testing.assertions",
    "assert_verdict": "mailtrace.testing.assertions",
    "build_message": "mailtrace.testing.builder",
    "open_collection": "mailtrace.testing.collection",
    "parse_path": "mailtrace.testing.notation",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'mailtrace.testing' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return __all__
