"""The fast split of a well-formed header block equals the careful one (mailtrace.parse.message)."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailtrace.limits import Limits
from mailtrace.model.fields import HeaderField, Message
from mailtrace.model.frozen import fast_init
from mailtrace.parse.message import _blank_line, parse_message

_LINES = st.sampled_from(
    [b"From: a@example.com", b"Subject: hi", b"\tfolded", b" more", b"X-A :b", b"bad line", b"", b"\r", b"To:", b":x"]
)


def _shape(message: Message) -> tuple[object, ...]:
    fields = tuple(
        (f.index, f.name, f.raw, f.value, f.decoded, f.defects, f.space_before_colon, f.max_bytes)
        for f in message.fields
    )
    index = {key: tuple(f.index for f in found) for key, found in message._by_key.items()}
    return fields, index, message.body_offset, message.defects


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINES, max_size=12), st.sampled_from([b"\n", b"\r\n"]))
def test_fast_and_careful_paths_agree(lines: list[bytes], newline: bytes) -> None:
    raw = newline.join(lines) + newline + newline + b"body" + newline
    fast = parse_message(raw)
    # A field limit other than the default sends every block through the careful path.
    careful = parse_message(raw, Limits(max_field_bytes=64 * 1024 + 1))
    assert _shape(fast)[1:] == _shape(careful)[1:]
    assert [f[:6] for f in _shape(fast)[0]] == [f[:6] for f in _shape(careful)[0]]  # type: ignore[index]


def test_blank_line_search_matches_the_rule() -> None:
    def rule(raw: bytes, start: int, limit: int) -> int:
        lf = raw.find(b"\n\n", start, limit)
        crlf = raw.find(b"\n\r\n", start, limit if lf < 0 else lf)
        found = [i for i in (lf, crlf) if i >= 0]
        return min(found) if found else -1

    for raw in (b"a\r\n\r\nb", b"a\n\r\n\nb", b"a\n\nb\r\n\r\n", b"\na\r\n\r\n\n\n", b"no end", b"a\r\nb\n\n"):
        for limit in range(len(raw) + 1):
            for newline in ("\n", "\r\n"):
                assert _blank_line(raw, 0, limit, newline) == rule(raw, 0, limit)


def test_header_field_stores_tuned_settings_only_when_needed() -> None:
    plain = HeaderField(index=0, name="Subject", raw=b"Subject: hi")
    spaced = HeaderField(index=1, name="Subject", raw=b"Subject : hi", body_offset=10, space_before_colon=True)
    assert type(plain) is HeaderField and (plain.value, plain.defects) == ("hi", ())
    assert isinstance(spaced, HeaderField) and spaced.value == "hi"
    assert [d.code for d in spaced.defects] == ["header.space_before_colon"]
    with pytest.raises(AttributeError):
        plain.index = 3  # type: ignore[misc]


def test_fast_init_keeps_the_dataclass_contract() -> None:
    @fast_init
    @dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
    class Sample:
        name: str
        items: tuple[int, ...] = ()
        extra: dict[str, int] = dataclasses.field(default_factory=dict, compare=False)

    one = Sample(name="a")
    assert one == Sample(name="a", items=()) and one.extra == {} and one.extra is not Sample(name="a").extra
    assert Sample(name="b", extra={"x": 1}).extra == {"x": 1}
    with pytest.raises(dataclasses.FrozenInstanceError):
        one.name = "c"  # type: ignore[misc]
    with pytest.raises(TypeError):
        Sample()  # type: ignore[call-arg]
