"""Property: no input makes the authentication-header parsers raise."""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from mailtrace.parse.auth import parse_authentication
from mailtrace.parse.auth.arc import parse_arc_authentication_results, parse_arc_message_signature, parse_arc_seal
from mailtrace.parse.auth.authres import parse_authentication_results
from mailtrace.parse.auth.dkim_signature import parse_dkim_signature
from mailtrace.parse.auth.received_spf import parse_received_spf
from mailtrace.parse.message import parse_message

# Text biased towards the grammars' special characters, so the parsers' branches are reached.
_ALPHABET = st.sampled_from([*';=()"\\.@/ \t\r\nabcdeilnopsvx019-', "pass", "none", "i=1", "dkim", "header.d"])
grammar_text = st.lists(_ALPHABET, max_size=80).map("".join)
any_text = st.one_of(grammar_text, st.text(max_size=200))

_PARSERS = (
    parse_dkim_signature,
    parse_authentication_results,
    parse_received_spf,
    parse_arc_seal,
    parse_arc_message_signature,
    parse_arc_authentication_results,
)


@settings(max_examples=300, deadline=None)
@given(value=any_text)
def test_every_field_parser_never_raises_and_serialises(value: str) -> None:
    # A stand-in with the three attributes the parsers read, so any str (lone surrogates included) reaches them.
    field = SimpleNamespace(index=0, name="X", value=value)
    for parser in _PARSERS:
        parsed = parser(field)  # type: ignore[operator]
        parsed.to_dict()


_NAMES = st.sampled_from(
    [
        "DKIM-Signature",
        "ARC-Seal",
        "ARC-Message-Signature",
        "ARC-Authentication-Results",
        "Authentication-Results",
        "Received-SPF",
    ]
)


@settings(max_examples=150, deadline=None)
@given(fields=st.lists(st.tuples(_NAMES, grammar_text), max_size=8), tail=st.binary(max_size=60))
def test_parse_authentication_never_raises_on_header_blocks(fields: list[tuple[str, str]], tail: bytes) -> None:
    head = b"".join(
        f"{name}: {value}".replace("\r", " ").replace("\n", " ").encode() + b"\r\n" for name, value in fields
    )
    auth = parse_authentication(parse_message(head + tail))
    auth.to_dict()
