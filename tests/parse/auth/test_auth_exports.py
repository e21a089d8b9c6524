"""The public names of mailtrace.parse.auth are pinned: the verification and path code import them."""

from __future__ import annotations

import mailtrace.parse.auth as auth


def test_public_names_are_pinned_and_sorted() -> None:
    assert auth.__all__ == [
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
    assert auth.__all__ == sorted(auth.__all__)
    assert all(hasattr(auth, name) for name in auth.__all__)


def test_empty_authentication_serialises_with_every_key() -> None:
    assert auth.Authentication().to_dict() == {
        "dkim_signatures": [],
        "arc_sets": [],
        "authentication_results": [],
        "received_spf": [],
        "defects": [],
    }
