"""mailtrace: email header forensics.

Where did this message really come from, who handled it, and is it forged or
just forwarded? ::

    import mailtrace
    from pathlib import Path
    report = mailtrace.analyze(Path("message.eml"))  # a str is the message's text, never a path
    print(report.to_json())
"""

import sys as _sys
from importlib.machinery import EXTENSION_SUFFIXES as _EXTENSION_SUFFIXES

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
from mailtrace.model.frozen import settle_compiled as _settle_compiled
from mailtrace.policy import Policy
from mailtrace.report import SCHEMA_VERSION, Report

# The optional compiled build (``MAILTRACE_MYPYC=1 pip install .``, see setup.py) puts C
# extensions made by mypyc beside some modules; Python imports them instead of the ``.py`` files.
_COMPILED_MODULES = [
    module
    for name, module in list(_sys.modules.items())
    if name.startswith("mailtrace.") and str(getattr(module, "__file__", "")).endswith(tuple(_EXTENSION_SUFFIXES))
]
_settle_compiled(_COMPILED_MODULES)
#: True when this is the compiled build (modules of the analysis compiled by mypyc), False for pure Python.
__compiled__: bool = bool(_COMPILED_MODULES)

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
