"""Proofpoint: ``*.pphosted.com``, ``by host (PPS)``, and its ``pps.filterd`` / ``pps.reinject`` internal hops.

``from pps.filterd (host [127.0.0.1]) by host (8.17.1.19/8.17.1.19) with ESMTP
id 4abc-1`` records the message passing Proofpoint's filter inside one host.
"""

from __future__ import annotations

from mailtrace.parse.received.dialects.base import Dialect, two_label_domains
from mailtrace.parse.received.draft import Draft, Line

_DOMAINS = two_label_domains("pphosted.com", "ppe-hosted.com")


def _matches(line: Line) -> bool:
    if line.by_comment == "pps" or line.from_value.lower().startswith("pps."):
        return True
    return line.by_tail in _DOMAINS


def _apply(line: Line, draft: Draft) -> None:
    if line.from_value.lower().startswith("pps."):
        draft.kind = "internal"


DIALECT = Dialect(
    name="proofpoint",
    title="Proofpoint",
    matches=_matches,
    apply=_apply,
    example=(
        "from pps.filterd (m0001234.ppops.net [127.0.0.1]) by mx0a-00123401.pphosted.com (8.17.1.19/8.17.1.19)"
        " with ESMTP id 4ABCdef-1 for <bob@example.org>; Mon, 3 Jun 2024 10:00:00 -0700"
    ),
)
