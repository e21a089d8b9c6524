"""The actor-path shorthand parser (docs/actor-model.md)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailtrace.errors import ConfigurationError
from mailtrace.testing.notation import Arrow, parse_path

PATHS = [
    "Author ==> MSA/Transmitter --> / --> Receiver/MDA ==> Recipient",
    "Author ==> MSA --> Transmitter --> / --> Receiver/MDA ==> Recipient",
    "Author ==> MSA/Transmitter --> / --> Receiver/Forwarder ~~> / ~~> Receiver/MDA ==> Recipient",
    "Author ==> MSA/Transmitter/Receiver/MDA ==> Recipient",
    "Author --> Transmitter --> OpenRelay --> / --> Receiver/MDA ==> Recipient",
]


@pytest.mark.parametrize("text", PATHS)
def test_parse_path_scenario_paths_round_trip_to_same_text(text: str) -> None:
    assert parse_path(text).notation == text


def test_parse_path_forwarded_has_two_crossings_with_forwarding_arrows() -> None:
    spec = parse_path(PATHS[2])
    assert [str(a) for a in spec.actors] == [
        "Author",
        "MSA/Transmitter",
        "Receiver/Forwarder",
        "Receiver/MDA",
        "Recipient",
    ]
    assert spec.crossings == 2
    assert [(link.arrow, link.crossing) for link in spec.links] == [
        (Arrow.RELATIONSHIP, False),
        (Arrow.FLOW, True),
        (Arrow.FORWARDING, True),
        (Arrow.RELATIONSHIP, False),
    ]


def test_parse_path_extra_whitespace_is_normalised() -> None:
    assert parse_path("  Author   ==>  MSA/Transmitter -->  /  --> Receiver/MDA ==> Recipient ").notation == PATHS[0]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("Author ==> Postmaster ==> Recipient", "unknown role 'Postmaster'"),
        ("Author ==> MSA/Transmitter --> / ~~> Receiver/MDA ==> Recipient", "two equal arrows"),
        ("Author ==> MSA/Transmitter -->", "ends with an arrow"),
        ("MSA/Transmitter --> / --> Receiver/MDA ==> Recipient", "first actor must be the Author"),
        ("Author ==> MSA/Transmitter --> / --> Receiver/MDA", "last actor must be the Recipient"),
        ("Author ==> MSA/Transmitter --> / --> MDA ==> Recipient", "must be a Receiver"),
        ("Author ==> MSA/MSA --> / --> Receiver/MDA ==> Recipient", "repeats a role"),
        ("Author => MSA ==> Recipient", "expected an arrow"),
        ("Author ==> Recipient", "at least one relaying actor"),
    ],
)
def test_parse_path_malformed_raises_configuration_error(text: str, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        parse_path(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="AuthorMSAT/-=~> \t", max_size=120))
def test_parse_path_arbitrary_text_parses_or_raises_configuration_error(text: str) -> None:
    try:
        spec = parse_path(text)
    except ConfigurationError:
        return
    assert parse_path(spec.notation) == spec


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["==>", "-->", "--> / -->", "~~> / ~~>"]),
            st.sampled_from(["MSA", "Transmitter", "MSA/Transmitter", "Receiver/Forwarder", "Receiver/MDA"]),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_parse_path_valid_paths_format_back_to_themselves(steps: list[tuple[str, str]]) -> None:
    text = "Author" + "".join(f" {arrow} {actor}" for arrow, actor in steps) + " ==> Recipient"
    try:
        spec = parse_path(text)
    except ConfigurationError:
        return
    assert spec.notation == text
    assert len(spec.actors) == len(steps) + 2
