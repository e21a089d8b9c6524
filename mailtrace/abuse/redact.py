"""RFC 6590 redaction: the recipients' local-parts replaced by a keyed hash.

RFC 6590 section 3 lets a report keep the domain of a recipient address and
replace its local-part with a string derived from it by a secret: the
receiver of the report can match two reports about one mailbox without
learning the mailbox. Here that string is ``redacted-`` and the first 16
hex digits of HMAC-SHA256(key, local-part). Every spelling of each
recipient address in the text is replaced, wherever it stands (``To:``,
``Delivered-To:``, a ``Received:`` line's ``for`` clause, ``X-`` fields).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable


def redacted_local(local: str, key: bytes) -> str:
    return "redacted-" + hmac.new(key, local.lower().encode("utf-8"), hashlib.sha256).hexdigest()[:16]


def redact_headers(text: str, recipients: Iterable[str], key: bytes) -> str:
    """``text`` with each recipient address's local-part replaced (case-insensitive, every occurrence)."""
    for address in sorted({r.lower() for r in recipients if "@" in r}, key=len, reverse=True):
        local, _, domain = address.rpartition("@")
        if not local:
            continue
        pattern = re.compile(re.escape(local) + "@" + re.escape(domain), re.IGNORECASE)
        text = pattern.sub(f"{redacted_local(local, key)}@{domain}", text)
    return text
