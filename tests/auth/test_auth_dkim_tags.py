"""The signature's tag list is read as dkimpy's ``parse_tag_value`` reads it, and the signed header names
as the byte-wise reading gave them (``not_checked_dkim`` reads every signature without a resolver)."""

from __future__ import annotations

from dkim.util import parse_tag_value
from hypothesis import given, settings
from hypothesis import strategies as st

from mailtrace.auth.dkim import _static, tag_list
from mailtrace.auth.results import DkimResult

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
