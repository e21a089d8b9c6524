"""mailtrace: email header forensics.

Where did this message really come from, who handled it, and is it forged or
just forwarded? ::

    import mailtrace
    from pathlib import Path
    report = mailtrace.analyze(Path("message.eml"))  # a str is the message's text, never a path
    print(report.to_json())
"""

from mailtrace._version import __version__
from mailtrace.analyze import analyze, analyze_bytes, analyze_many
from mailtrace.defects import Defect
from mailtrace.errors import (
    ConfigurationError,
    EmptyInputError,
    InputError,
    MailtraceError,
    UnreadableInputError,
    UnsupportedFormatError,
)
from mailtrace.limits import Limits
from mailtrace.policy import Policy
from mailtrace.report import SCHEMA_VERSION, Report

__all__ = [
    "SCHEMA_VERSION",
    "ConfigurationError",
    "Defect",
    "EmptyInputError",
    "InputError",
    "Limits",
    "MailtraceError",
    "Policy",
    "Report",
    "UnreadableInputError",
    "UnsupportedFormatError",
    "__version__",
    "analyze",
    "analyze_bytes",
    "analyze_many",
]
