"""The whole-field fast paths of the auth parsers read exactly what the step-by-step readers read."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from mailtrace.model.fields import new_field
from mailtrace.parse.auth import authres, received_spf, taglist

_NEVER = re.compile(r"(?!)")
_WS = st.sampled_from(["", " ", "  ", "\t", "\r\n "])
_WORD = st.sampled_from(
    ["spf", "dkim", "DMARC", "x-foo", "compauth", "none", "reason", "Reason", "header.d", "smtp.mailfrom", "action",
     "pass", "Fail", "1", "@x", "a@b", "é"]
)  # fmt: skip
_VALUE = st.one_of(_WORD, st.sampled_from(["", '""', '"q s"', '"a;b"', '"a(b"', "x=y", "a/b"]))
_COMMENT = st.sampled_from(["()", "(c)", "( c ;d )", "(1024-bit key; x)", "(a=b)", "(é)"])
_JUNK = st.sampled_from(["", ";", "(", ")", '"', "\\", "=", "/", "(x(y))", "\\)", " 1", "none", "; none", ";;", "\xa0"])


@st.composite
def _payloads(draw: st.DrawFn) -> str:
    parts: list[str] = []
    no_id = draw(st.booleans())
    if not no_id:
        parts += [draw(_WS), draw(_WORD)]
        if draw(st.booleans()):
            parts += [" ", draw(st.sampled_from(["1", "2", "01", "1234567"]))]
    for i in range(draw(st.integers(1, 4))):
        if not (no_id and i == 0):
            parts += [draw(_WS), ";"]
        parts += [draw(_WS), draw(_WORD), draw(_WS), "=", draw(_WS), draw(_WORD)]
        for _ in range(draw(st.integers(0, 4))):
            if draw(st.integers(0, 3)) == 0:
                parts += [draw(_WS), draw(_COMMENT)]
            else:
                parts += [draw(_WS), draw(_WORD), draw(_WS), "=", draw(_WS), draw(_VALUE)]
    if draw(st.booleans()):
        parts += [draw(_WS), ";"]
    parts.append(draw(_WS))
    for _ in range(draw(st.integers(0, 2))):
        parts.insert(draw(st.integers(0, len(parts))), draw(_JUNK))
    return "".join(parts)


def _payload(text: str) -> tuple[object, ...]:
    return authres.read_payload(text)


@settings(max_examples=600, deadline=None)
@given(_payloads())
@example('spf=spf;spf=spf;spf=spf spf=spfspf=""')  # a token glued to a quoted string: one value, not two
@example('spf=spf spf=spf spf=""')  # an empty-value lookahead here made CPython 3.11's re raise SystemError
def test_plain_payloads_read_like_the_reader(text: str) -> None:
    fast = _payload(text)
    with pytest.MonkeyPatch.context() as patch:
        for name in ("_PLAIN_HEAD", "_PLAIN_FIRST", "_PLAIN_METHODSPEC", "_PLAIN_PROPERTY"):
            patch.setattr(authres, name, _NEVER)
        assert _payload(text) == fast


@st.composite
def _spf_values(draw: st.DrawFn) -> str:
    parts = [draw(_WS), draw(st.sampled_from(["pass", "Fail", "none", "weird", "error"]))]
    if draw(st.booleans()):
        parts += [draw(_WS), draw(st.sampled_from(["(c)", "( google.com: x )", "()", "(a;b)"]))]
    for i in range(draw(st.integers(0, 4))):
        parts += [draw(_WS), draw(st.sampled_from([";", "", ";;"] if i else ["", ";"])), draw(_WS)]
        parts += [draw(st.sampled_from(["client-ip", "helo", "Envelope-From", "x", "helo"])), draw(_WS), "="]
        parts += [draw(_WS), draw(st.sampled_from(["1.2.3.4", "a@b", '"q s"', '""', "", 'a"b', "x=y", "é"]))]
    if draw(st.booleans()):
        parts += [draw(_WS), ";"]
    for _ in range(draw(st.integers(0, 2))):
        parts.insert(draw(st.integers(0, len(parts))), draw(_JUNK))
    return "".join(parts)


@settings(max_examples=600, deadline=None)
@given(_spf_values())
def test_plain_received_spf_reads_like_the_reader(text: str) -> None:
    field = new_field(3, "Received-SPF", ("Received-SPF:" + text).encode())
    fast = received_spf.parse_received_spf(field)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(received_spf, "_PLAIN_HEAD", _NEVER)
        assert received_spf.parse_received_spf(field) == fast


_TAG_TOKENS = st.sampled_from(
    ["v", "a", "b", "bh", "=", ";", " ", "\t", "\r\n ", "rsa-sha256", "ab+/=", "1", "_", "é", "\x7f", "\x0b"]
)


@settings(max_examples=600, deadline=None)
@given(st.lists(_TAG_TOKENS, max_size=20))
def test_tag_lists_read_like_the_loop(tokens: list[str]) -> None:
    text = "".join(tokens)
    fast = taglist.read_tag_list(text, "dkim")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(taglist, "_WELL_FORMED", _NEVER)
        assert taglist.read_tag_list(text, "dkim") == fast


def test_objects_built_through_a_blank_twin_equal_the_dataclass_constructors() -> None:
    """``AuthResult``, ``DkimSignature``, ``AuthenticationResults`` and ``ReceivedSPF`` are filled
    through a layout-identical blank class, then given their ``__class__``: the same type, fields,
    equality, hash and repr as the dataclass constructor's, and still frozen."""
    import dataclasses

    from mailtrace.parse.auth.dkim_signature import DkimSignature, parse_dkim_signature

    payload = authres.parse_payload("mx.example; spf=pass (ok) smtp.mailfrom=a@b.example; dkim=fail reason=x")
    signature = parse_dkim_signature(
        new_field(3, "DKIM-Signature", b"DKIM-Signature: v=1; a=rsa-sha256; d=b.example; s=s; h=from; bh=x=; b=y=")
    )
    results = authres.parse_authentication_results(
        new_field(
            1, "Authentication-Results", b"Authentication-Results: mx.example; spf=pass smtp.mailfrom=a@b.example"
        )
    )
    spf = received_spf.parse_received_spf(
        new_field(2, "Received-SPF", b"Received-SPF: pass (ok) client-ip=192.0.2.1; envelope-from=a@b.example")
    )
    for built in (*payload.results, signature, results, spf):
        cls = type(built)
        assert cls in (authres.AuthResult, DkimSignature, authres.AuthenticationResults, received_spf.ReceivedSPF)
        again = cls(**{f.name: getattr(built, f.name) for f in dataclasses.fields(cls)})  # type: ignore[arg-type]
        assert built == again
        assert hash(built) == hash(again)
        assert repr(built) == repr(again)
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(built, dataclasses.fields(cls)[0].name, None)
