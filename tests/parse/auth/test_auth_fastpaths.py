"""The one-match fast paths of the auth parsers read exactly what the step-by-step readers read."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailtrace.parse.auth import _scan, authres, taglist

_NEVER = re.compile(r"(?!)")
_AUTHRES_TOKENS = st.sampled_from(
    ["example.com", ";", " ", "\r\n ", "(", ")", "(c)", '"', '"q s"', "\\", "=", "/", "1", "none", "spf", "dkim",
     "pass", "Fail", "header.d", "smtp.mailfrom", "reason", "a@b.c", "x-foo", ".", "@", "action", "i", "\xa0"]
)  # fmt: skip
_TAG_TOKENS = st.sampled_from(["v", "a", "b", "bh", "=", ";", " ", "\t", "\r\n ", "rsa-sha256", "ab+/=", "1", "_", "é"])


def _payload(text: str) -> tuple[object, ...]:
    found = authres.parse_payload(text)
    return found.authserv_id, found.version, found.results, found.defects


@settings(max_examples=400, deadline=None)
@given(st.lists(_AUTHRES_TOKENS, max_size=25))
def test_authres_plain_specs_read_like_the_reader(tokens: list[str]) -> None:
    text = "".join(tokens)
    fast = _payload(text)
    with pytest.MonkeyPatch.context() as patch:
        # Every fast path off: the whole-payload match and the per-spec matches.
        patch.setattr(authres, "_parse_plain_payload", lambda _text: None)
        patch.setattr(authres, "_PLAIN_METHODSPEC", _NEVER)
        patch.setattr(authres, "_PLAIN_PROPERTY", _NEVER)
        assert _payload(text) == fast


@settings(max_examples=400, deadline=None)
@given(st.lists(_TAG_TOKENS, max_size=20))
def test_well_formed_tag_lists_read_like_the_loop(tokens: list[str]) -> None:
    text = "".join(tokens)
    fast = taglist.parse_tag_list(text, "dkim")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(taglist, "_WELL_FORMED", _NEVER)
        assert taglist.parse_tag_list(text, "dkim") == fast


def _comment_by_hand(text: str, pos: int) -> tuple[int, str, bool]:
    """The character loop the scanner replaced, kept here as the reference."""
    depth, out = 0, []
    while pos < len(text):
        char = text[pos]
        if char == "\\" and pos + 1 < len(text):
            out.append(text[pos + 1])
            pos += 2
            continue
        if char == "(":
            depth += 1
            if depth > 1:
                out.append(char)
        elif char == ")":
            depth -= 1
            if depth == 0:
                return pos + 1, "".join(out).strip(), True
            out.append(char)
        else:
            out.append(char)
        pos += 1
    return len(text), "".join(out).strip(), False


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="()\\ ab\t", max_size=16))
def test_comment_scan_matches_the_character_loop(rest: str) -> None:
    text = "(" + rest
    assert _scan.read_comment(text, 0) == _comment_by_hand(text, 0)


def test_ten_thousand_open_parentheses_are_linear() -> None:
    text = "(" * 10_000
    assert _scan.read_comment(text, 0) == (10_000, "(" * 9_999, False)
