from __future__ import annotations

import pytest

from mailtrace.parse.addresses import addresses_in_text, parse_addr_spec, parse_address_list


def test_display_name_holding_another_address_is_kept_as_written() -> None:
    (addr,), defects = parse_address_list('"PayPal Security <service@paypal.com>" <x@attacker.example>')
    assert addr.address == "x@attacker.example"
    assert addr.domain == "attacker.example"
    assert addr.display_name == "PayPal Security <service@paypal.com>"
    assert addresses_in_text(addr.display_name) == ("service@paypal.com",)
    assert defects == ()


def test_an_unquoted_display_name_holding_an_address_is_the_name_not_a_second_mailbox() -> None:
    # mail readers show "purchasing@supplier.example" and reply to the address in <>; so does the parser
    (addr,), defects = parse_address_list("purchasing@supplier.example <do-not-reply@relay.example>")
    assert addr.address == "do-not-reply@relay.example"
    assert addr.display_name == "purchasing@supplier.example"
    assert [d.code for d in defects] == ["address.display_name_unquoted"]
    two, _ = parse_address_list("a@b.example <c@d.example>, e@f.example")
    assert [(a.display_name, a.address) for a in two] == [("a@b.example", "c@d.example"), (None, "e@f.example")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Team: Ann <ann@example.com>;", [("Ann", "ann@example.com")]),  # a group: the stdlib parser's reading
        ('"Ann @ Home" <ann@example.com>', [("Ann @ Home", "ann@example.com")]),  # quoted: no defect
    ],
)
def test_groups_and_quoted_names_keep_their_reading(text: str, expected: list[tuple[str, str]]) -> None:
    addrs, defects = parse_address_list(text)
    assert [(a.display_name, a.address) for a in addrs] == expected
    assert "address.display_name_unquoted" not in [d.code for d in defects]


def test_null_sender_is_valid() -> None:
    addr = parse_addr_spec("<>")
    assert addr.null and addr.valid and addr.address == "" and addr.domain is None
    (listed,), _ = parse_address_list("<>")
    assert listed.null


@pytest.mark.parametrize(
    "text",
    [
        "SRS0=HHH=TT=example.com=alice@forwarder.example",
        "bounce-mc.us1_123-abc=example.com@mail123.mcsv.net",  # VERP
        "prvs=1234abcd=alice@example.com",
        "bob@[192.0.2.7]",
        '"john smith"@example.com',
        "root@mail.local",
        "user@host.test",
    ],
)
def test_real_envelope_forms_are_valid(text: str) -> None:
    addr = parse_addr_spec(f"<{text}>")
    assert addr.valid, addr.defects
    assert addr.defects == ()


def test_idn_domain_is_normalised_to_punycode() -> None:
    (addr,), _ = parse_address_list("=?utf-8?q?J=C3=B6rg?= <jorg@Bücher.DE>")
    assert addr.display_name == "Jörg"
    assert addr.domain == "xn--bcher-kva.de"
    assert addr.domain_unicode == "bücher.de"


def test_invalid_address_is_a_defect_not_an_exception() -> None:
    (addr,), _ = parse_address_list("not an address")
    assert not addr.valid
    assert addr.defects[0].code == "address.invalid"


def test_deeply_nested_comments_do_not_recurse() -> None:
    addrs, _ = parse_address_list("(" * 5000 + "x" + ")" * 5000 + " a@example.com")
    assert [a.address for a in addrs] == ["a@example.com"]


@pytest.mark.parametrize(
    "text",
    [
        "alice@example.com",
        "Alice Example <alice@example.com>",
        '"Example, Alice" <alice@example.com>',
        "=?utf-8?q?Jos=C3=A9?= <jose@example.com>",
        "  Alice   Example   <Alice.Example+tag@Mail.Example.COM>",
        "bob@xn--bcher-kva.example",
        '"Rob Herring (Arm)" <robh@kernel.org>',
        "a" * 65 + "@example.com",
    ],
)
def test_one_plain_address_fast_path_equals_the_general_path(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from mailtrace.parse import addresses

    fast = addresses.parse_address_list.__wrapped__(text)
    monkeypatch.setattr(addresses, "_one_plain_address", lambda _text: None)
    assert addresses.parse_address_list.__wrapped__(text) == fast


@pytest.mark.parametrize(
    "text",
    [
        "a@example.com, Bob <bob@example.org>,  , c@example.net",
        ", ".join(f"User {i} <user{i}@example.com>" for i in range(1500)),  # cut at the list bound
        "x" * 16_000 + " <a@example.com>" + " " * 1_000,
    ],
)
def test_plain_list_fast_path_keeps_every_defect(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from mailtrace.parse import addresses

    fast = addresses.parse_address_list.__wrapped__(text)
    monkeypatch.setattr(addresses, "_one_plain_address", lambda _text: None)
    assert addresses.parse_address_list.__wrapped__(text) == fast
    if len(text) > addresses.MAX_ADDRESS_LIST_CHARS:
        assert fast[1][0].code == "address.list_too_long"
