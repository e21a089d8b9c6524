"""Exceptions for programmer and configuration errors and unreadable input, and the error result.

Bad mail never raises: it yields defects (:mod:`mailtrace.defects`) and
findings. These classes are for the caller's mistakes and for inputs that
cannot be read at all or are not mail. ``analyze_many(..., errors="report")``
turns each input problem into an :class:`InputError` result instead of raising,
and goes on with the next input (``docs/inputs.md``, "Error codes").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: Every input error code, with what it means (``docs/inputs.md`` lists the same).
INPUT_ERROR_CODES: dict[str, str] = {
    "input.unreadable": "the input could not be read: missing, permission denied, I/O error, dangling symlink",
    "input.not_mail": "the input is another format (its magic bytes name it: PNG, PDF, ZIP...)",
    "input.empty": "the input holds no byte at all",
    "input.no_mail_in_folder": "a folder holds no file to read",
    "input.symlink_outside": "a symlink in a folder points outside the folder (not followed)",
    "input.special_file": "a FIFO, device or socket in a folder (skipped, never opened)",
}


class MailtraceError(Exception):
    """Base class of every exception mailtrace raises on purpose."""


class ConfigurationError(MailtraceError, ValueError):
    """A policy, option or resolver setting is invalid."""


class InputProblem(MailtraceError):
    """An input that cannot be analysed; ``code`` is one of :data:`INPUT_ERROR_CODES`."""

    code = "input.unreadable"

    def __init__(self, message: str, *, source: str | None = None, position: int | None = None, code: str = "") -> None:
        super().__init__(message)
        self.source = source
        self.position = position
        if code:
            self.code = code

    def result(self) -> InputError:
        """This problem as an :class:`InputError` result."""
        return InputError(source=self.source or "<input>", position=self.position, code=self.code, message=str(self))


class UnreadableInputError(InputProblem, OSError):
    """A source could not be read (missing file, permission, I/O error, special file, symlink out)."""


class UnsupportedFormatError(InputProblem, ValueError):
    """A source is a file format mailtrace does not analyse (PDF, image, archive...); see :func:`not_mail`."""

    code = "input.not_mail"


class EmptyInputError(InputProblem, ValueError):
    """A source holds no message: an empty file, or a folder with no file to read."""

    code = "input.empty"


@dataclass(frozen=True, slots=True, kw_only=True)
class InputError:
    """One input that could not be analysed, yielded by ``analyze_many(..., errors="report")``.

    ``source`` names the file (or ``<stdin>``, ``<bytes>``); ``position`` is the message's index
    inside an mbox or Maildir when the problem is there, else ``None``.
    """

    source: str
    position: int | None = None
    code: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        """``{"source": {"name", "position"}, "error": {"code", "message"}}`` (``docs/schema.md``)."""
        return {
            "source": {"name": self.source, "position": self.position},
            "error": {"code": self.code, "message": self.message},
        }

    def exception(self) -> InputProblem:
        """The exception ``errors="raise"`` raises for this result."""
        kind = _EXCEPTIONS.get(self.code, UnreadableInputError)
        return kind(self.message, source=self.source, position=self.position, code=self.code)


_EXCEPTIONS: dict[str, type[InputProblem]] = {
    "input.not_mail": UnsupportedFormatError,
    "input.empty": EmptyInputError,
    "input.no_mail_in_folder": EmptyInputError,
}


def not_mail(source: str, format_name: str, *, hint: str = "", position: int | None = None) -> InputError:
    """The error for ``source``, which is ``format_name`` (e.g. "a PNG image"), not a message."""
    advice = hint or "export it as .eml (or mbox) and analyse that"
    return InputError(
        source=source,
        position=position,
        code="input.not_mail",
        message=f"{source}: this is {format_name}, not an RFC 5322 message; {advice}",
    )
