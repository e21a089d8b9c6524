"""render/safe.py: every control, bidi and invisible character is shown as an escape, in text and JSON."""

from __future__ import annotations

import json
import sys
import unicodedata

from hypothesis import example, given
from hypothesis import strategies as st

from mailtrace.render import safe
from mailtrace.render.safe import UNSAFE, json_safe, visible, visible_text


def test_every_control_format_and_surrogate_character_is_escaped() -> None:
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            assert UNSAFE.fullmatch(char), hex(code)
            assert visible(char) != char and visible(char).isprintable(), hex(code)


def test_escapes_are_readable() -> None:
    assert visible("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert visible("\u202egnp.exe") == "\\u202egnp.exe"
    assert visible("x\ty\r\nz") == "x\\ty\\r\\nz"
    assert visible("\x9b31m\x7f") == "\\x9b31m\\x7f"
    assert visible("tag\U000e0041") == "tag\\U000e0041"
    assert visible("Ünïcödé, 漢字, emoji 🙂") == "Ünïcödé, 漢字, emoji 🙂"  # printable text untouched


def test_visible_text_keeps_only_the_line_breaks() -> None:
    assert visible_text("line 1\nline\r2\x1b\n") == "line 1\nline\\r2\\x1b\n"


@given(
    st.recursive(
        st.text() | st.integers() | st.none(), lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner)
    )
)
def test_json_safe_round_trips_and_leaves_no_raw_control(data: object) -> None:
    for indent in (None, 2):
        document = json_safe(json.dumps(data, indent=indent, ensure_ascii=False))
        assert json.loads(document) == data
        assert not UNSAFE.search(document.replace("\n", ""))


_EDGES = st.sampled_from(
    [
        *("\x00", "\x09", "\n", "\r", "\x1b", "\x1f", " ", "~", "\x7f", "\x80", "\x9b", "\xad", "é", "’", "漢", "🙂"),
        *("\u202e", "\u2028", "\ufeff", "\U000e0041", "\ud83d", "\ude00", "\udfff"),
    ]
)


@given(st.lists(st.text(max_size=12) | _EDGES, max_size=30).map("".join))
@example("é\n")
def test_the_shortcut_gives_what_the_tables_give(text: str) -> None:
    # a text the table would leave as it is comes back without a str.translate of the whole: the same text
    assert visible(text) == text.translate(safe._VISIBLE)
    assert visible_text(text) == text.translate(safe._VISIBLE_TEXT)
    assert json_safe(text) == text.translate(safe._JSON)


def test_the_shortcut_leaves_only_what_the_tables_leave() -> None:
    assert visible("plain text, 100% ASCII ~") == "plain text, 100% ASCII ~"
    assert visible("a\nb") == "a\\nb" and visible("é\nb") == "é\\nb"  # visible escapes the line feed
    assert visible_text("a\nb") == "a\nb" and json_safe('{\n  "a": 1\n}') == '{\n  "a": 1\n}'
    assert visible_text("a\x7fb") == "a\\x7fb" and json_safe('"a\x7fb"') == '"a\\u007fb"'
    assert visible("Ünïcödé ’漢字’ 🙂") == "Ünïcödé ’漢字’ 🙂" and visible("a\u202eb") == "a\\u202eb"
    assert json_safe('"\ud83d"') == '"\\ud83d"'  # a lone surrogate: through the encoding, then escaped
