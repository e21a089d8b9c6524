"""ZMailer (vger.kernel.org): ``from rdns ([ip]:port "EHLO name" rhost-flags-OK-OK-OK-OK) by host with ESMTP id S123``.

ZMailer writes the reverse-resolved name first, then the address and port, the
quoted HELO/EHLO argument and its ``rhost-flags`` (the reverse and forward
lookup results); the generic TCP-info reader takes all of them apart.
"""

from __future__ import annotations

from mailtrace.parse.received.dialects.base import Dialect
from mailtrace.parse.received.draft import Line


def _matches(line: Line) -> bool:
    return "rhost-flags" in line.low


DIALECT = Dialect(
    name="zmailer",
    title="ZMailer",
    matches=_matches,
    example=(
        'from mail.example.net ([192.0.2.90]:48608 "EHLO mail.example.net" rhost-flags-OK-OK-OK-OK)'
        " by vger.example.org with ESMTP id S234535AbiFZNID; Sun, 26 Jun 2022 09:08:03 -0400"
    ),
)
