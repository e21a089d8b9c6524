"""Gmail / Google Workspace / Google Groups.

``by 2002:a05:6000:1a8f:b0:21f:f0a1:1234 with SMTP id x`` (an internal hop:
no ``from``, an IPv6 ``by``), ``by mail-wr1-f74.google.com with SMTP id``
(created inside Google), ``from helo (rdns. [ip]) by mx.google.com with ESMTPS
id x for <rcpt> (Google Transport Security)``, ``gmr-mx.google.com`` (Groups),
``smtp.gmail.com with ESMTPSA`` (authenticated submission), ``with HTTPREST``.
"""

from __future__ import annotations

from mailtrace.parse.received.dialects.base import Dialect, two_label_domains
from mailtrace.parse.received.draft import Draft, Line

_DOMAINS = two_label_domains("google.com", "gmail.com", "googlemail.com")


def _matches(line: Line) -> bool:
    if line.by_tail in _DOMAINS:
        return True
    if line.by_host.startswith("2002:") and line.by_keyword.get("from") is None:
        return True
    return "google transport security" in line.low


def _apply(line: Line, draft: Draft) -> None:
    if line.by_keyword.get("from") is None and draft.ip is None:
        draft.kind = "http" if (draft.with_ or "").startswith("HTTP") else "internal"


DIALECT = Dialect(
    name="gmail",
    title="Gmail / Google",
    matches=_matches,
    apply=_apply,
    example=(
        "from mail-wr1-f54.google.com (mail-wr1-f54.google.com. [209.85.221.54]) by mx.google.com with ESMTPS"
        " id ffacd0b85a97d-34c1234 for <bob@example.org> (Google Transport Security);"
        " Thu, 20 Nov 2025 07:02:53 -0800 (PST)"
    ),
)
