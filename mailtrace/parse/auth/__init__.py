"""Parsed authentication headers: DKIM-Signature, ARC-*, Authentication-Results, Received-SPF.

Parsing only; re-verification lives in :mod:`mailtrace.auth`. Nothing here
raises on bad mail: every deviation is a :class:`~mailtrace.defects.Defect`
on the node it concerns (``dkim.*``, ``arc.*``, ``authres.*``,
``received_spf.*``; see ``docs/authentication-headers.md``).

Modules, one per grammar: :mod:`.taglist` (RFC 6376 section 3.2),
:mod:`.dkim_signature` (RFC 6376 section 3.5), :mod:`.arc` (RFC 8617),
:mod:`.authres` (RFC 8601), :mod:`.received_spf` (RFC 7208 section 9.1).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mailtrace.defects import Defect, defects_to_list
from mailtrace.model.fields import Message
from mailtrace.model.frozen import fast_init
from mailtrace.parse.auth.arc import (
    ArcMessageSignature,
    ArcSeal,
    ArcSet,
    group_arc_sets,
    parse_arc_authentication_results,
    parse_arc_message_signature,
    parse_arc_seal,
)
from mailtrace.parse.auth.authres import AuthenticationResults, AuthResult, parse_authentication_results
from mailtrace.parse.auth.dkim_signature import DkimSignature, parse_dkim_signature
from mailtrace.parse.auth.received_spf import ReceivedSPF, parse_received_spf

__all__ = [
    "ArcMessageSignature",
    "ArcSeal",
    "ArcSet",
    "AuthResult",
    "Authentication",
    "AuthenticationResults",
    "DkimSignature",
    "ReceivedSPF",
    "parse_authentication",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Authentication:
    """Every authentication header of a message, parsed, in header order (ARC sets oldest first).

    ``defects`` holds what concerns no single field (the ARC chain's shape).
    """

    dkim_signatures: tuple[DkimSignature, ...] = ()
    arc_sets: tuple[ArcSet, ...] = ()
    authentication_results: tuple[AuthenticationResults, ...] = ()
    received_spf: tuple[ReceivedSPF, ...] = ()
    defects: tuple[Defect, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "dkim_signatures": [s.to_dict() for s in self.dkim_signatures],
            "arc_sets": [s.to_dict() for s in self.arc_sets],
            "authentication_results": [r.to_dict() for r in self.authentication_results],
            "received_spf": [r.to_dict() for r in self.received_spf],
            "defects": defects_to_list(self.defects),
        }


fast_init(Authentication)


def parse_authentication(message: Message) -> Authentication:
    """Parse the authentication headers of ``message``; never raises on bad mail."""
    # Each kind is parsed on its own, top to bottom, so reading the message's name index (one
    # lookup per kind) gives the same lists as a walk over every field.
    get_all = message.get_all
    seals = get_all("arc-seal")
    signatures = get_all("arc-message-signature")
    arc_results = get_all("arc-authentication-results")
    arc_sets: tuple[ArcSet, ...] = ()
    chain_defects: tuple[Defect, ...] = ()
    if seals or signatures or arc_results:  # no ARC field: no set and no chain defect
        arc_sets, chain_defects = group_arc_sets(
            list(map(parse_arc_seal, seals)),
            list(map(parse_arc_message_signature, signatures)),
            list(map(parse_arc_authentication_results, arc_results)),
        )
    return Authentication(
        dkim_signatures=tuple(map(parse_dkim_signature, get_all("dkim-signature"))),
        arc_sets=arc_sets,
        authentication_results=tuple(map(parse_authentication_results, get_all("authentication-results"))),
        received_spf=tuple(map(parse_received_spf, get_all("received-spf"))),
        defects=chain_defects,
    )
