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


# --- the organisational-domain precheck (mailtrace.verdict.orgs) --------------------------------------------------

_LABEL = st.sampled_from(
    ["mail", "MX1", "co", "uk", "com", "github", "io", "blogspot", "xn--bcher-kva", "ch", "example", "ac", "jp", "a-b"]
)
_HOSTS = st.lists(_LABEL, min_size=1, max_size=5).map(".".join) | st.text(
    alphabet="abcoukmx.-[]()<>: 9IPv6", max_size=30
)
_DECOR = st.sampled_from(["", ".", " ", "[", "]", "<", ">", "IPv6:"])


@settings(max_examples=1500, deadline=None)
@given(_DECOR, _HOSTS, _DECOR)
def test_the_organisational_domain_of_an_ascii_name_is_in_the_name(before: str, host: str, after: str) -> None:
    from mailtrace.trace.hosts import org_domain

    name = before + host + after
    org = org_domain(name)
    assert org is None or org in name.lower()


@settings(max_examples=1500, deadline=None)
@given(_DECOR, _HOSTS, _HOSTS, st.booleans())
def test_aligned_equals_the_plain_comparison(decor: str, a: str, b: str, same: bool) -> None:
    from mailtrace.trace.hosts import org_domain
    from mailtrace.verdict.from_auth import aligned

    domain, from_domain = decor + a, (decor + a if same else b)

    def reference(domain: str | None, from_domain: str | None) -> bool:
        if not domain or not from_domain:
            return False
        x, y = domain.lower().rstrip("."), from_domain.lower().rstrip(".")
        return x == y or (org_domain(x) or x) == (org_domain(y) or y)

    assert aligned(domain, from_domain) == reference(domain, from_domain)
    assert aligned(domain.upper(), from_domain) == reference(domain.upper(), from_domain)
