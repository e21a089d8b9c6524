"""Exim: ``from rdns ([ip]:port helo=name ident=user) by host with esmtps (TLS1.3) tls CIPHER (Exim 4.96)``.

Exim writes the verified reverse name first (or ``[ip]`` without one) and
``helo=`` only when the HELO argument differs from it; ``id`` has the
``XXXXXX-XXXXXX-XX`` form (``XXXXXX-XXXXXXXXXXX-XXXX`` since 4.97).
"""

from __future__ import annotations

import re

from mailtrace.parse.received.dialects.base import Dialect
from mailtrace.parse.received.draft import Draft, Line

_ID = re.compile(r"[0-9A-Za-z]{6}-(?:[0-9A-Za-z]{6}-[0-9A-Za-z]{2}|[0-9A-Za-z]{11}-[0-9A-Za-z]{4})")


def _matches(line: Line) -> bool:
    if "(exim " in line.low or "helo=" in line.low:
        return True
    ident = line.first_word("id")
    return ident is not None and len(ident) in (16, 23) and _ID.fullmatch(ident) is not None


def _apply(line: Line, draft: Draft) -> None:
    if draft.with_ is not None and draft.with_.startswith("LOCAL"):
        draft.kind = "local"


DIALECT = Dialect(
    name="exim",
    title="Exim",
    matches=_matches,
    apply=_apply,
    example=(
        "from mail.example.com ([203.0.113.50]:41234 helo=smtp.example.com) by mx.example.org with esmtps"
        " (TLS1.3) tls TLS_AES_256_GCM_SHA384 (Exim 4.96) (envelope-from <carol@example.com>)"
        " id 1s6xyz-000ABC-2D for dave@example.org; Wed, 15 May 2024 10:00:03 +0000"
    ),
)
