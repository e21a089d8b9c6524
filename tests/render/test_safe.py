"""render/safe.py: every control, bidi and invisible character is shown as an escape, in text and JSON."""

from __future__ import annotations

import json
import sys
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

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
