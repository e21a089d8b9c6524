"""The signature's tag list is read as dkimpy's ``parse_tag_value`` reads it, and the signed header names
as the byte-wise reading gave them (``not_checked_dkim`` reads every signature without a resolver)."""

from __future__ import annotations

from dkim.util import parse_tag_value
from hypothesis import given, settings
from hypothesis import strategies as st

from mailtrace.auth.dkim import _int, _static, _text, tag_list
from mailtrace.auth.results import DkimCheck, DkimResult

_TAG_BYTES = st.lists(
    st.sampled_from([b"a", b"b1", b"_", b" ", b"=", b";", b":", b"\t", b"\r\n", b"\x0b", b"\x0c", b"\x1c", b"h", b"d",
                     b"\xc3\xa9", b"\x85", b" v=1", b"1"]),
    max_size=16,
).map(b"".join)  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(st.one_of(_TAG_BYTES, st.binary(max_size=30)))
def test_tag_list_equals_dkimpy(data: bytes) -> None:
    try:
        expected = parse_tag_value(data)
    except Exception:
        expected = None
    assert tag_list(data) == expected


@settings(max_examples=1000, deadline=None)
@given(st.one_of(_TAG_BYTES, st.binary(max_size=40)))
def test_signed_header_names_equal_the_bytewise_reading(h: bytes) -> None:
    expected = tuple(n.decode("ascii", "replace").lower() for n in (x.strip() for x in h.split(b":")) if n)
    assert _static(0, {b"h": h}, DkimResult.NOT_CHECKED, "r").signed_headers == expected


_TAG_VALUES = st.one_of(
    st.binary(max_size=12), st.sampled_from([b"", b" 12 ", b"123", b"x.example", b"From:To", b"\xff"])
)


@settings(max_examples=800, deadline=None)
@given(
    st.none()
    | st.dictionaries(st.sampled_from([b"d", b"s", b"a", b"c", b"h", b"l", b"i", b"t", b"x", b"v"]), _TAG_VALUES),
    st.integers(min_value=0, max_value=50),
)
def test_static_reading_equals_the_keyword_constructor(sig: dict[bytes, bytes] | None, index: int) -> None:
    """``_static`` (built by a maker, every field in order) equals ``DkimCheck(...)`` built by keyword from
    the same tag readings, as ``_static`` built it before the maker."""
    tags = sig or {}
    domain = _text(tags.get(b"d"))
    h = tags.get(b"h")
    signed = tuple(n.decode("ascii", "replace").lower() for n in (x.strip() for x in h.split(b":")) if n) if h else ()
    expected = DkimCheck(
        result=DkimResult.NOT_CHECKED,
        header_index=index,
        domain=domain.lower() if domain else domain,
        selector=_text(tags.get(b"s")),
        algorithm=_text(tags.get(b"a")),
        canonicalization=_text(tags.get(b"c")) or ("simple/simple" if tags else None),
        signed_headers=signed,
        body_length=_int(tags.get(b"l")),
        identity=_text(tags.get(b"i")),
        timestamp=_int(tags.get(b"t")),
        expiration=_int(tags.get(b"x")),
        key_type="rsa",
        key_bits=2048,
        key_fingerprint="sha256:00",
        reason="no resolver: DKIM not re-checked",
        defects=(),
    )
    made = _static(
        index,
        sig,
        DkimResult.NOT_CHECKED,
        "no resolver: DKIM not re-checked",
        key_type="rsa",
        key_bits=2048,
        key_fingerprint="sha256:00",
    )
    assert type(made) is DkimCheck
    assert made == expected
    assert made.to_dict() == expected.to_dict()
