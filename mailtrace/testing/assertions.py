"""Assertion helpers for tests of code that uses mailtrace: readable failures, no pytest import.

``assert_path(report, "Author ==> MSA/Transmitter --> / --> Receiver/MDA ==> Recipient")`` compares the
reconstructed actor path (whitespace-insensitive); ``assert_finding(report, "spf.fail")`` looks for a
finding code; ``assert_verdict(report, "forwarded")`` compares the verdict word. A failure message
shows what the report did say: the path, the border hop, the findings and the verdict.
"""

from __future__ import annotations

from typing import Any

from mailtrace.testing.notation import parse_path


def _word(value: Any) -> str | None:
    if value is None:
        return None
    return str(getattr(value, "value", value))


def notation_of(report: Any) -> str | None:
    """The actor path the report gives, or ``None`` when path reconstruction gave none."""
    path = getattr(report, "path", None)
    text = getattr(path, "notation", None)
    return " ".join(str(text).split()) if text else None


def verdict_of(report: Any) -> str | None:
    """The verdict word (the verdict's ``classification``, ``verdict`` or ``value``)."""
    verdict = getattr(report, "verdict", None)
    if verdict is None:
        return None
    for attr in ("result", "classification", "verdict", "kind", "label", "value"):
        word = getattr(verdict, attr, None)
        if word is not None:
            return _word(word)
    return _word(verdict)


def finding_codes(report: Any) -> tuple[str, ...]:
    return tuple(str(getattr(f, "code", f)) for f in getattr(report, "findings", ()) or ())


def describe(report: Any) -> str:
    """A few lines an analyst can read: path, border, verdict, findings."""
    path = getattr(report, "path", None)
    border = getattr(path, "border", None)
    where = "none"
    if border is not None:
        where = f"received[{getattr(border, 'index', '?')}] ip={getattr(border, 'ip', '?')}"
        where += f" ({_word(getattr(border, 'method', None))})"
    lines = [
        f"  path:     {notation_of(report) or '(none)'}",
        f"  border:   {where}",
        f"  verdict:  {verdict_of(report) or '(none)'}",
        "  findings: " + (", ".join(finding_codes(report)) or "(none)"),
    ]
    return "\n".join(lines)


def assert_path(report: Any, expected: str) -> None:
    """The report's actor path equals ``expected`` (the notation is validated first)."""
    want = parse_path(expected).notation
    got = notation_of(report)
    if got != want:
        detail = f"  expected: {want}\n  got:      {got or '(none)'}"
        raise AssertionError(f"actor path differs\n{detail}\n{describe(report)}")


def assert_finding(report: Any, code: str, *, present: bool = True) -> None:
    """A finding with ``code`` is in the report (or, with ``present=False``, is not)."""
    codes = finding_codes(report)
    if (code in codes) != present:
        what = "missing" if present else "unexpectedly present"
        raise AssertionError(f"finding {code!r} {what}\n{describe(report)}")


def assert_verdict(report: Any, expected: str) -> None:
    """The verdict word equals ``expected`` (``authentic``, ``forwarded``, ``forged``, ``suspicious``...)."""
    got = verdict_of(report)
    if got != expected:
        detail = f"  expected: {expected}\n  got:      {got or '(none)'}"
        raise AssertionError(f"verdict differs\n{detail}\n{describe(report)}")


def assert_border(report: Any, index: int | None) -> None:
    """The recipient's border crossing is ``received[index]`` (``None``: no crossing)."""
    border = getattr(getattr(report, "path", None), "border", None)
    got = getattr(border, "index", None)
    if got != index:
        detail = f"  expected: received[{index}]\n  got:      received[{got}]"
        raise AssertionError(f"border differs\n{detail}\n{describe(report)}")
