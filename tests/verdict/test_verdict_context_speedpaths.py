"""Round 7's verdict fast paths give exactly what the general paths give.

- ``from_identity._read`` reads a ``From:`` that is one plain mailbox (``Name <spec>``, ``<spec>``, a bare
  ``local@domain``) without ``_split`` and, when that mailbox is valid, without the list plumbing
  (:func:`from_identity._one_valid`); it must equal the general reading for any text.
"""

from __future__ import annotations

import importlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailtrace.model.headers import Headers
from mailtrace.parse.headers import extract_headers
from mailtrace.parse.message import parse_message

fi = importlib.import_module("mailtrace.verdict.from_identity")  # the package exports the function of that name


def _headers(from_values: list[str]) -> Headers:
    lines = "".join(f"From: {v}\r\n" for v in from_values)
    raw = f"{lines}To: a@b.example\r\n\r\nbody\r\n".encode()
    return extract_headers(parse_message(raw))


def _general(headers: Headers, monkeypatch: pytest.MonkeyPatch) -> object:
    with monkeypatch.context() as m:
        m.setattr(fi, "_one_piece", lambda value: None)
        return fi._read(headers)


_FROM_TEXT = st.text(alphabet='ab@.xy-_ ,;"()<>\\\t=?', max_size=40) | st.sampled_from(
    [
        "Alice <alice@a.example>",
        "<alice@a.example>",
        "alice@a.example",
        " alice@a.example \t",
        '"Alice" <alice@a.example>',
        "=?utf-8?q?Al=C3=AFce?= <alice@a.example>",
        "Alice <alice@a.example> ",
        "Alice <alice@a.example.>",
        "Alice <>",
        "Alice < >",
        "Alice <a@b@c.example>",
        "Alice <mailto:a@b.example>",
        "Alice> <a@b.example>",
        "A\u00efce <a@xn--bcher-kva.example>",
        "Alice <a@b\u00fccher.example>",
        "Alice <a@b.example> tail",
        "@",
    ]
)


@settings(max_examples=1500, deadline=None)
@given(_FROM_TEXT, st.booleans())
def test_one_mailbox_reading_equals_the_general_reading(value: str, twice: bool) -> None:
    headers = _headers([value, value] if twice else [value])
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert fi._read(headers) == _general(headers, monkeypatch)
