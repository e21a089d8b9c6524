"""Defects: what was wrong with the mail, recorded instead of raised.

A :class:`Defect` is data attached to the node it concerns (a header field,
a ``Received:`` hop, the message). Codes are stable, dotted, lower-case
strings (``header.too_long``, ``received.date_missing``); ``docs/schema.md``
lists them. The class derives from :class:`ValueError` in the manner of
CPython's ``email.errors.MessageDefect`` so that a strict caller may raise one.
"""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any

_PACKAGE = Path(__file__).resolve().parent
_EXCEPTION_STATE = frozenset({"__cause__", "__context__", "__traceback__", "__suppress_context__", "__notes__"})


class Defect(ValueError):
    """One violation found in the input. Immutable, hashable, comparable."""

    __slots__ = ("code", "message")
    code: str
    message: str

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "message", message)

    def __setattr__(self, name: str, value: object) -> None:
        # Exception machinery (raise ... from, tracebacks, and tblib's pickling, which distributed
        # installs process-wide) may set these; the defect's own data stays immutable.
        if name in _EXCEPTION_STATE:
            object.__setattr__(self, name, value)
            return
        raise AttributeError("Defect is immutable")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Defect):
            return NotImplemented
        return (self.code, self.message) == (other.code, other.message)

    def __hash__(self) -> int:
        return hash((self.code, self.message))

    def __repr__(self) -> str:
        return f"Defect({self.code!r}, {self.message!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Defect, (self.code, self.message))

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


def defects_to_list(defects: tuple[Defect, ...]) -> list[dict[str, str]]:
    return [d.to_dict() for d in defects]


def internal_error(exc: BaseException) -> Defect:
    """The defect ``mailtrace.internal_error`` for an unexpected exception: its type and where it arose.

    The place is the innermost frame of the traceback inside the mailtrace package, as
    ``mailtrace/path.py:line`` (the exception's text is left out: it may quote the message).
    """
    where = "outside mailtrace"
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        path = Path(frame.filename).resolve()
        if path.is_relative_to(_PACKAGE):
            where = f"mailtrace/{path.relative_to(_PACKAGE).as_posix()}:{frame.lineno}"
            break
    return Defect("mailtrace.internal_error", f"{type(exc).__name__} at {where}; the analysis stopped there")
