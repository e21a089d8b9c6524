"""The seeds' shorthand: rendering actors and parsing notation back."""

from __future__ import annotations

import pytest

from mailtrace.trace.model import Actor, Evidence, Role, RoleAssignment
from mailtrace.trace.notation import parse, render


def actor(*roles: Role, network: int = 0, related: bool = False) -> Actor:
    rel = Evidence(text="authenticated hand-off") if related else None
    return Actor(name="x", roles=tuple(RoleAssignment(role=r) for r in roles), network=network, relationship=rel)


A, MSA, TX, RX, FWD, MDA, RCPT = (
    Role.AUTHOR,
    Role.MSA,
    Role.TRANSMITTER,
    Role.RECEIVER,
    Role.FORWARDER,
    Role.MDA,
    Role.RECIPIENT,
)


def test_render_plain_delivery() -> None:
    actors = [actor(A), actor(MSA, TX), actor(RX, MDA, network=1), actor(RCPT, network=1)]
    assert render(actors) == "Author ==> MSA/Transmitter --> / --> Receiver/MDA ==> Recipient"


def test_render_forwarded_message_uses_forwarding_arrows_around_the_second_border() -> None:
    actors = [
        actor(A),
        actor(MSA, TX),
        actor(RX, FWD, network=1),
        actor(RX, MDA, network=2),
        actor(RCPT, network=2),
    ]
    want = "Author ==> MSA/Transmitter --> / --> Receiver/Forwarder ~~> / ~~> Receiver/MDA ==> Recipient"
    assert render(actors) == want


def test_render_relationship_between_msa_and_transmitter_only_with_evidence() -> None:
    plain = [actor(A), actor(MSA), actor(TX), actor(RX, MDA, network=1), actor(RCPT, network=1)]
    assert render(plain) == "Author ==> MSA --> Transmitter --> / --> Receiver/MDA ==> Recipient"
    related = [actor(A), actor(MSA), actor(TX, related=True), actor(RX, MDA, network=1), actor(RCPT, network=1)]
    assert render(related) == "Author ==> MSA ==> Transmitter --> / --> Receiver/MDA ==> Recipient"


def test_render_internal_and_author_transmitter() -> None:
    assert render([actor(A), actor(MSA, TX, RX, MDA), actor(RCPT)]) == (
        "Author ==> MSA/Transmitter/Receiver/MDA ==> Recipient"
    )
    assert render([actor(A, TX), actor(RX, MDA, network=1), actor(RCPT, network=1)]) == (
        "Author/Transmitter --> / --> Receiver/MDA ==> Recipient"
    )


def test_render_local_pickup_gateway_and_resend() -> None:
    """An author on the MSA host keeps the MSA's relationship with a separate Transmitter; a gateway in front
    of a mailbox provider is related to it; a resending user is Recipient of one leg and Author of the next."""
    pickup = [actor(A, MSA), actor(TX, related=True), actor(RX, MDA, network=1), actor(RCPT, network=1)]
    assert render(pickup) == "Author/MSA ==> Transmitter --> / --> Receiver/MDA ==> Recipient"
    unrelated = [actor(A, MSA), actor(TX), actor(RX, MDA, network=1), actor(RCPT, network=1)]
    assert render(unrelated) == "Author/MSA --> Transmitter --> / --> Receiver/MDA ==> Recipient"
    gateway = [
        actor(A),
        actor(MSA, TX),
        actor(RX, network=1),
        actor(MDA, network=1, related=True),
        actor(RCPT, network=1),
    ]
    assert render(gateway) == "Author ==> MSA/Transmitter --> / --> Receiver ==> MDA ==> Recipient"
    assert render([actor(A), actor(TX), actor(RX, MDA, network=1), actor(RCPT, network=1)]) == (
        "Author --> Transmitter --> / --> Receiver/MDA ==> Recipient"
    )
    resent = [
        actor(A),
        actor(MSA, TX),
        actor(RX, MDA, network=1),
        actor(RCPT, A, network=1),
        actor(MSA, TX, network=1),
        actor(RX, MDA, network=2),
        actor(RCPT, network=2),
    ]
    assert render(resent) == (
        "Author ==> MSA/Transmitter --> / --> Receiver/MDA ==> Recipient/Author ==> MSA/Transmitter --> / --> "
        "Receiver/MDA ==> Recipient"
    )
    parse(render(resent))


@pytest.mark.parametrize(
    "text",
    [
        "Author ==> MSA/Transmitter --> / --> Receiver/MDA ==> Recipient",
        "Author ==> MSA/Transmitter --> / --> Receiver/Forwarder ~~> / ~~> Receiver/MDA ==> Recipient",
        "Author --> Transmitter --> OpenRelay --> / --> Receiver/MDA ==> Recipient",
    ],
)
def test_parse_splits_actors_and_links(text: str) -> None:
    actors, links = parse(text)
    assert len(links) == len(actors) - 1
    assert actors[0] == ("Author",)
    assert any(link.endswith("|") for link in links)


def test_parse_marks_the_border_links() -> None:
    actors, links = parse("Author ==> MSA/Transmitter --> / --> Receiver/MDA ==> Recipient")
    assert actors == (("Author",), ("MSA", "Transmitter"), ("Receiver", "MDA"), ("Recipient",))
    assert links == ("==>", "-->|", "==>")


@pytest.mark.parametrize("bad", ["Author ==>", "Author ==> Wizard", "Author ==> ==> Recipient"])
def test_parse_rejects_malformed_notation(bad: str) -> None:
    with pytest.raises(ValueError):
        parse(bad)


def test_every_corpus_like_path_renders_to_notation_that_parses_back() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    agents = st.sampled_from([(MSA, TX), (TX,), (MSA,), (RX, FWD), (RX, MDA), (TX, RX, MDA)])

    @settings(max_examples=60, deadline=None)
    @given(middle=st.lists(agents, min_size=1, max_size=5))
    def check(middle: list[tuple[Role, ...]]) -> None:
        actors = [actor(A)]
        net = 0
        for roles in middle:
            if RX in roles and TX not in roles:
                net += 1
            actors.append(actor(*roles, network=net))
        actors.append(actor(RCPT, network=net))
        text = render(actors)
        parsed, links = parse(text)
        assert parsed == tuple(tuple(r.value for r in a.role_names) for a in actors)
        assert sum(link.endswith("|") for link in links) == net

    check()
