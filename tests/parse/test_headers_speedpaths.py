"""The fast paths of the header view give exactly what the general paths give.

- :func:`parse_address_list` reads a list without comments piece by piece (:func:`parse_mailbox`,
  cached); it must equal the whole-list reading it replaced (:func:`_reference_address_list`
  below: every piece through the ``_BARE``/``_NAMED`` patterns and ``_validated``, else the stdlib
  parser), over generated lists and over every field value of the real-mail corpus.
- The ``make_*`` constructors build objects equal to the dataclass constructors'.
- :func:`extract_headers` reports repeated one-instance fields only when a routed field repeats.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailtrace.defects import Defect
from mailtrace.model.addresses import Address, make_address
from mailtrace.model.headers import (
    AddressField,
    DateField,
    TextField,
    make_address_field,
    make_date_field,
    make_text_field,
)
from mailtrace.parse import addresses
from mailtrace.parse.encoded_words import decode_encoded_words
from mailtrace.parse.headers import _ONE_TEXT, _ROUTE, _SINGLETONS, extract_headers
from mailtrace.parse.message import parse_message

Result = tuple[tuple[Address, ...], tuple[Defect, ...]]


def _reference_pairs(text: str) -> list[tuple[str, str, bool]] | None:
    """The whole-list fast reading used before the per-piece cache: every piece or none.

    ``(name, addr-spec, loose)``; ``loose``: an unquoted name holding specials (``address.display_name_unquoted``).
    """
    if "(" in text:
        return None
    out: list[tuple[str, str, bool]] = []
    for part in addresses._split_list(text):
        if not part.strip():
            continue
        m = addresses._BARE.fullmatch(part)
        if m is not None:
            out.append(("", m.group(1), False))
            continue
        m = addresses._NAMED.fullmatch(part)
        if m is None:
            loose = addresses._NAMED_LOOSE.fullmatch(part.strip())
            if loose is None or not loose.group(1).strip():
                return None
            out.append((loose.group(1).strip(), loose.group(2), True))
            continue
        name = m.group(1) if m.group(1) is not None else (m.group(2) or "").strip()
        if m.group(1) is not None and "\\" in name:
            name = re.sub(r"\\(.)", r"\1", name)
        out.append((name, m.group(3), False))
    return out


def _reference_address_list(text: str) -> Result:
    defects: list[Defect] = []
    if len(text) > addresses.MAX_ADDRESS_LIST_CHARS:
        text = text[: addresses.MAX_ADDRESS_LIST_CHARS]
        defects.append(
            Defect("address.list_too_long", f"address list cut to {addresses.MAX_ADDRESS_LIST_CHARS} characters")
        )
    stripped = text.strip()
    if not stripped:
        return (), (Defect("address.empty", "the field holds no address"),)
    if stripped == "<>":
        return (addresses.parse_addr_spec("<>"),), ()
    pairs = _reference_pairs(stripped)
    if pairs is None:
        return addresses._parse_general(text, defects)
    out: list[Address] = []
    for name, spec, loose in pairs:
        if name:
            decoded, word_defects = decode_encoded_words(name)
            defects.extend(word_defects)
            out.append(addresses._validated(decoded, spec))
        else:
            out.append(addresses._validated(None, spec))
        if loose:
            defects.append(
                Defect(
                    "address.display_name_unquoted",
                    f"display name {name[:80]!r} holds characters that must be quoted; the address is <{spec[:80]}>",
                )
            )
    if not out:
        defects.append(Defect("address.unparseable", f"no address found in {text[:120]!r}"))
    return tuple(out), tuple(defects)


def _check(text: str) -> None:
    fast = addresses.parse_address_list.__wrapped__(text)
    assert fast == _reference_address_list(text), text
    assert repr(fast) == repr(_reference_address_list(text)), text


_LOCAL = st.sampled_from(["a", "Alice.Example", "bob+tag", "x_y", "a..b", ".a", "o'neil", "a" * 65, "ü", '"q q"'])
_DOMAIN = st.sampled_from(
    ["example.com", "Mail.Example.COM", "xn--bcher-kva.example", "bücher.de", "localhost", "[192.0.2.1]", "a_b.org"]
)
_NAME = st.sampled_from(
    [
        "Alice",
        "Alice   Example",
        "\tBob\t",
        '"Example, Alice"',
        '"Rob Herring (Arm)"',
        '"back\\"slash"',
        '"unclosed',
        "=?utf-8?q?Jos=C3=A9?=",
        "=?bogus?q?x?=",
        "David S. Miller",
        "a:b",
        "",
        "Ann (comment)",
    ]
)
_SPACE = st.sampled_from(["", " ", "  ", "\t", " \u00a0", "\u2003"])


@st.composite
def _pieces(draw: st.DrawFn) -> str:
    spec = f"{draw(_LOCAL)}@{draw(_DOMAIN)}"
    shape = draw(st.sampled_from(["bare", "angle", "named", "junk", "empty", "route", "null"]))
    if shape == "bare":
        return spec
    if shape == "angle":
        return f"<{spec}>"
    if shape == "named":
        return f"{draw(_NAME)}{draw(_SPACE)}<{spec}>"
    if shape == "route":
        return f"<@relay.example:{spec}>"
    if shape == "null":
        return "<>"
    if shape == "empty":
        return ""
    return draw(st.text(alphabet='ab@<>"(),;:\\ .[]', max_size=12))


@given(st.lists(st.tuples(_SPACE, _pieces(), _SPACE), max_size=6))
@settings(max_examples=600, deadline=None)
def test_piecewise_list_reading_equals_the_whole_list_reading(parts: list[tuple[str, str, str]]) -> None:
    _check(",".join(before + piece + after for before, piece, after in parts))


@given(st.text(alphabet='aé@<>"(),;:\\ \t.[]=?_xn-', max_size=40))
@settings(max_examples=600, deadline=None)
def test_piecewise_list_reading_equals_the_whole_list_reading_on_noise(text: str) -> None:
    _check(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        " , ,",
        "<>",
        "a@example.com, Bob <bob@example.org>,  , c@example.net",
        '"Example, Alice" <alice@example.com>, bob@example.org',
        'a@example.com, "Rob Herring (Arm)" <robh@kernel.org>',
        'a@example.com, "x" y <b@example.com>',
        "=?utf-8?q?Jos=C3=A9?= <jose@example.com>, =?bogus?q?x?= <x@example.com>",
        ", ".join(f"User {i} <user{i}@example.com>" for i in range(1500)),  # cut at the list bound
    ],
)
def test_piecewise_list_reading_examples(text: str) -> None:
    _check(text)


@pytest.mark.corpus
def test_piecewise_list_reading_on_real_mail(corpus_files: list[Path]) -> None:
    from mailtrace.errors import UnsupportedFormatError
    from mailtrace.load.sources import iter_messages

    values: set[str] = set()
    for path in corpus_files:
        try:
            for data, _source in iter_messages(path.read_bytes()):
                values.update(f.value for f in parse_message(data).fields if "@" in f.value or "<" in f.value)
        except UnsupportedFormatError:
            continue
    assert len(values) > 1000
    for value in sorted(values):
        _check(value)


def test_make_constructors_equal_the_dataclass_constructors() -> None:
    defects = (Defect("x.y", "z"),)
    assert make_address("N", "a@b.c", "a", "b.c", "b.c", False, True, ()) == Address(
        display_name="N", address="a@b.c", local_part="a", domain="b.c", domain_unicode="b.c"
    )
    assert make_address(None, "", None, None, None, True, False, defects) == Address(
        display_name=None, address="", local_part=None, domain=None, null=True, valid=False, defects=defects
    )
    assert make_address_field(3, "From", "v", (), defects) == AddressField(
        index=3, name="From", value="v", addresses=(), defects=defects
    )
    stamp = datetime(2024, 5, 13, tzinfo=UTC)
    assert make_date_field(1, "Date", "v", stamp, ()) == DateField(
        index=1, name="Date", value="v", timestamp=stamp, defects=()
    )
    assert make_text_field(2, "Subject", "v", "d", ("i",), defects) == TextField(
        index=2, name="Subject", value="v", decoded="d", ids=("i",), defects=defects
    )


def test_every_singleton_is_routed_to_a_one_instance_kind() -> None:
    # extract_headers looks for repeated singletons only when a one-instance field repeats.
    for name in _SINGLETONS:
        assert _ROUTE[name][0] <= _ONE_TEXT, name


def test_repeated_fields_are_reported_as_before() -> None:
    msg = b"From: a@example.com\r\nX-Mailer: one\r\nX-Mailer: two\r\nSubject: s\r\nDate: x\r\n\r\n"
    assert [d.code for d in extract_headers(parse_message(msg)).defects] == []
    msg = b"From: a@example.com\r\nSubject: s\r\nTo: b@example.com\r\nSubject: t\r\nFrom: c@example.com\r\n\r\n"
    assert [d.message for d in extract_headers(parse_message(msg)).defects] == [
        "2 from fields; RFC 5322 allows one (the topmost is used)",
        "2 subject fields; RFC 5322 allows one (the topmost is used)",
        "no Date field (RFC 5322 requires one)",
    ]


@given(st.lists(st.tuples(_SPACE, _pieces(), _SPACE), max_size=70))
@settings(max_examples=400, deadline=None)
def test_whole_list_fast_path_equals_the_piecewise_reading(parts: list[tuple[str, str, str]]) -> None:
    """``_plain_list`` (one ``findall`` for a list of plain mailboxes) gives what reading piece by piece gives."""
    text = ",".join(before + piece + after for before, piece, after in parts)
    fast = addresses.parse_address_list.__wrapped__(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(addresses, "_plain_list", lambda _text, _defects: None)
        addresses.clear_caches()
        slow = addresses.parse_address_list.__wrapped__(text)
    assert repr(fast) == repr(slow), text
