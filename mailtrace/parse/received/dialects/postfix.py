"""Postfix: ``by host (Postfix)``, ``(Postfix, from userid N)`` local submissions.

``from HELO (rdns [ip])`` with ``unknown`` for a missing reverse name,
``(using TLSv1.3 with cipher ...)``, ``(Authenticated sender: user)``.
"""

from __future__ import annotations

from mailtrace.parse.received.dialects.base import Dialect
from mailtrace.parse.received.draft import Draft, Line


def _matches(line: Line) -> bool:
    return line.by_comment.startswith("postfix")


def _apply(line: Line, draft: Draft) -> None:
    if line.from_value.lower() == "userid" or "from userid" in line.by_comment:
        # "from userid 1000 by host (Postfix, from userid 1000) id X": the local sendmail(1) command.
        clause = line.by_keyword.get("from")
        uid = clause.values[1][1] if clause is not None and len(clause.values) > 1 else None
        draft.helo = None
        draft.ident = draft.ident or (f"uid {uid}" if uid else None)
        draft.kind = "local"


DIALECT = Dialect(
    name="postfix",
    title="Postfix",
    matches=_matches,
    apply=_apply,
    example=(
        "from mail.example.net (mail.example.net [192.0.2.25]) (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384"
        " (256/256 bits)) by mx.example.org (Postfix) with ESMTPS id 4ABC123 for <bob@example.org>;"
        " Wed, 15 May 2024 10:00:03 +0000 (UTC)"
    ),
)
