"""Outlook ``.msg`` files through the optional ``extract-msg`` package (``pip install 'mailtrace[msg]'``).

A ``.msg`` is an OLE2 compound file, not the message that travelled: Outlook keeps the transport
headers it received (``PR_TRANSPORT_MESSAGE_HEADERS``) and the body converted to its own
properties. mailtrace analyses those headers as a header-only message, so the trace, the
``Authentication-Results`` and the header checks work; the original body bytes are gone, so a
DKIM body hash cannot be re-checked (defect ``msg.no_original_body``). A ``.msg`` without
transport headers (a draft, a message composed in Outlook) has nothing to trace: ``input.not_mail``.
"""

from __future__ import annotations

import logging
from typing import Any

from mailtrace.defects import Defect
from mailtrace.errors import InputError, not_mail

#: The defect every message read from a .msg carries.
NO_ORIGINAL_BODY = Defect(
    "msg.no_original_body",
    "read from an Outlook .msg: only the transport headers are original; the body bytes that were "
    "sent are not kept, so DKIM body hashes cannot be re-checked",
)


#: The smallest OLE2 compound file (olefile's MINIMAL_OLEFILE_SIZE: a header and two sectors).
_MINIMAL_OLE2 = 1536


def read_msg(data: bytes, label: str, position: int | None = None) -> bytes | InputError:
    """The transport headers of the Outlook message in ``data`` as a header-only RFC 5322 message."""
    try:
        import extract_msg
    except ImportError:
        return not_mail(
            label,
            "an Outlook .msg file (OLE2)",
            hint="install the msg extra to read it: pip install 'mailtrace[msg]'",
            position=position,
        )
    if len(data) < _MINIMAL_OLE2:
        # olefile takes bytes shorter than this for a file *name*: never hand it such bytes.
        return not_mail(label, f"an OLE2 header in {len(data)} bytes, too short for an Outlook .msg", position=position)
    # extract-msg logs every oddity of a file it reads at WARNING; the caller sees the result instead.
    logging.getLogger("extract_msg").setLevel(logging.ERROR)
    try:
        msg: Any = extract_msg.openMsg(data, strict=False, delayAttachments=True)
    except Exception as exc:  # any failure of a third-party parser on hostile bytes
        return not_mail(
            label, f"an OLE2 file that cannot be read as an Outlook .msg ({type(exc).__name__})", position=position
        )
    try:
        text = getattr(msg, "headerText", None)
    except Exception:  # a property read may fail on a broken file too
        text = None
    finally:
        msg.close()
    if not isinstance(text, str) or not text.strip():
        return not_mail(
            label,
            "an Outlook .msg with no transport headers (a draft, or a message never received over SMTP)",
            hint="there is no trace to analyse",
            position=position,
        )
    raw = text.encode("utf-8", "surrogateescape").rstrip(b"\r\n")
    newline = b"\r\n" if b"\r\n" in raw[:4096] else b"\n"
    return raw + newline + newline
