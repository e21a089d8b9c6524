"""Exceptions for programmer and configuration errors and unreadable input.

Bad mail never raises: it yields defects (:mod:`mailtrace.defects`) and
findings. These classes are for the caller's mistakes and for files that
cannot be read at all.
"""

from __future__ import annotations


class MailtraceError(Exception):
    """Base class of every exception mailtrace raises on purpose."""


class ConfigurationError(MailtraceError, ValueError):
    """A policy, option or resolver setting is invalid."""


class UnreadableInputError(MailtraceError, OSError):
    """A source could not be read (missing file, permission, I/O error)."""


class UnsupportedFormatError(MailtraceError, ValueError):
    """A source is a file format mailtrace does not analyse (Outlook .msg, PDF, ...)."""

    def __init__(self, source: str, format_name: str) -> None:
        self.source = source
        self.format_name = format_name
        super().__init__(
            f"{source}: this is {format_name}, not an RFC 5322 message; export it as .eml (or mbox) and analyse that"
        )
