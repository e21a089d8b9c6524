"""The verdict's fast paths give exactly what the general paths they replaced give.

- :func:`from_identity._split` takes runs of plain text whole; it must equal the one-character-at-a-time
  reading it replaced (:func:`_reference_split` below).
- Display names: the ASCII shortcuts and the invisible-character class equal the per-character
  readings (:func:`_reference_visible`, :func:`_reference_invisible`); :func:`_brand` checks ASCII
  names for the brands' words first and must name the brand the plain pattern loop names.
- ``from_identity`` keeps the reading of the last ``Headers``: the same object gives the same
  reading, another object its own.
"""

from __future__ import annotations

import importlib
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from mailtrace.model.headers import Headers
from mailtrace.parse.headers import extract_headers
from mailtrace.parse.message import parse_message
from mailtrace.trace.model import Evidence
from mailtrace.verdict import display_name as dn
from mailtrace.verdict.brands import BRANDS, Brand
from mailtrace.verdict.catalogue import CATALOGUE, Finding, Severity, finding

fi = importlib.import_module("mailtrace.verdict.from_identity")  # the package exports the function of that name


def _reference_split(value: str) -> list[tuple[str, str, str | None]]:
    """The character-by-character reading ``_split`` replaced (as ``(text, name, spec)``)."""
    pieces: list[tuple[str, str, str | None]] = []
    text: list[str] = []
    name: list[str] = []
    spec: str | None = None
    angle: list[str] | None = None
    depth = 0
    quoted = escaped = False

    def close() -> None:
        nonlocal spec
        raw = "".join(text).strip()
        shown = "".join(name).strip()
        if raw:
            if spec is None and " " not in shown and "@" in shown and '"' not in raw:
                pieces.append((raw, "", shown))
            else:
                pieces.append((raw, shown, spec))
        text.clear()
        name.clear()
        spec = None

    for ch in value:
        if len(pieces) >= fi.MAX_PIECES:
            break
        if escaped:
            escaped = False
            text.append(ch)
            if angle is not None:
                angle.append(ch)
            elif depth == 0:
                name.append(ch)
            continue
        if ch == "\\" and (quoted or depth):
            escaped = True
            text.append(ch)
            continue
        if quoted:
            text.append(ch)
            if ch == '"':
                quoted = False
            elif angle is not None:
                angle.append(ch)
            else:
                name.append(ch)
            continue
        if depth:
            text.append(ch)
            depth += 1 if ch == "(" else -1 if ch == ")" else 0
            continue
        if angle is not None:
            text.append(ch)
            if ch == ">":
                if spec is None:
                    spec = "".join(angle).strip()
                angle = None
            else:
                angle.append(ch)
            continue
        if ch == "," or (ch == ";" and spec is not None):
            close()
            continue
        text.append(ch)
        if ch == '"':
            quoted = True
        elif ch == "(":
            depth = 1
        elif ch == "<":
            angle = []
        else:
            name.append(ch)
    if angle is not None and spec is None:
        spec = "".join(angle).strip() or None
    close()
    return pieces


def _split(value: str) -> list[tuple[str, str, str | None]]:
    return [(p.text, p.name, p.spec) for p in fi._split(value)]


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet='ab@. ,;"()<>\\\t', max_size=60))
def test_split_equals_the_character_reading(value: str) -> None:
    assert _split(value) == _reference_split(value)


def test_split_stops_at_the_piece_bound() -> None:
    for n in (fi.MAX_PIECES - 1, fi.MAX_PIECES, fi.MAX_PIECES + 3):
        for sep in (",", ";"):
            value = sep.join(["<a@b.example>"] * n) + sep + "tail"
            assert _split(value) == _reference_split(value)


def _reference_invisible_char(ch: str) -> bool:
    cp = ord(ch)
    return cp in dn.INVISIBLE or any(lo <= cp <= hi for lo, hi in dn._INVISIBLE_RANGES)


def _reference_visible(text: str) -> str:
    return "".join(
        ch
        for ch in unicodedata.normalize("NFKC", text)
        if not _reference_invisible_char(ch) and unicodedata.category(ch) != "Mn"
    )


def test_invisible_class_is_the_table() -> None:
    for cp in [*dn.INVISIBLE, *(c for lo, hi in dn._INVISIBLE_RANGES for c in (lo - 1, lo, hi, hi + 1)), 0x41, 0x200A]:
        ch = chr(cp)
        assert (dn._INVISIBLE_CHAR.fullmatch(ch) is not None) == _reference_invisible_char(ch), hex(cp)


_NAME_TEXT = st.lists(
    st.sampled_from(
        [*"PayPl ,.-aо𝐏", "\u200b", "\u200d", "\u202e", "\ufe0f", "\u0301", "\U000e0041", "❗", "🤸", "Microsoft"]
    ),
    max_size=30,
).map("".join)


@settings(max_examples=1500, deadline=None)
@given(_NAME_TEXT)
def test_visible_text_and_invisible_equal_the_character_readings(name: str) -> None:
    assert dn.visible_text(name) == _reference_visible(name)
    reference = [
        ch
        for i, ch in enumerate(name)
        if _reference_invisible_char(ch)
        and not (
            i > 0 and dn._emoji(name[i - 1]) and (ord(ch) != dn._ZWJ or (i < len(name) - 1 and dn._emoji(name[i + 1])))
        )
    ]
    assert dn._invisible(name) == reference
    if name.isascii():
        assert dn._mixed_words(name) == []


def _reference_brand(text: str) -> Brand | None:
    return next((b for b in BRANDS if b.pattern.search(text)), None)


def test_every_brand_has_its_words() -> None:
    # a brand without words is searched for every name: the pre-check would be lost
    assert all(words for _, words in dn._BRAND_WORDS)
    assert dn.required_words(r"\bfoo?bar") is None  # a quantified last letter is not required
    assert dn.required_words(r"[a-z]+x") is None
    assert dn.required_words(r"^\W*ab\.c\b|\bdef\s+g") == ("ab.c", "def")


_BRAND_TEXT = st.lists(
    st.sampled_from(
        [
            *(w for _, ws in dn._BRAND_WORDS for w in ws or ()),
            *(b.name for b in BRANDS),
            " ",
            ",",
            "-",
            "x",
            "Team",
            "support",
            "UPS",
            "Ups",
            "365",
            "office 365",
            "\u017f",
        ]
    ),
    max_size=6,
).map("".join)


@settings(max_examples=1500, deadline=None)
@given(_BRAND_TEXT)
def test_brand_precheck_names_the_brand_the_patterns_name(text: str) -> None:
    assert dn._brand(text) is _reference_brand(text)
    assert dn._brand(text.upper()) is _reference_brand(text.upper())


def _headers(from_value: str) -> Headers:
    raw = f"From: {from_value}\r\nTo: a@b.example\r\n\r\nbody\r\n".encode()
    return extract_headers(parse_message(raw))


def test_from_identity_keeps_the_reading_of_the_last_headers_only() -> None:
    a, b = _headers("Alice <alice@a.example>"), _headers("Bob <bob@b.example>")
    first = fi.from_identity(a)
    assert fi.from_identity(a) is first
    assert fi.from_identity(b).domain == "b.example"
    assert fi.from_identity(a) == first and fi.from_identity(a).domain == "a.example"


def test_finding_equals_the_dataclass_constructor() -> None:
    ev = Evidence(text="t", header="From", header_index=2)
    for code, spec in CATALOGUE.items():
        for severity in (None, Severity.LOW):
            made = finding(code, "a message", [ev], severity=severity)
            assert made == Finding(
                code=code,
                severity=severity or spec.severity,
                indicates=spec.indicates,
                title=spec.title,
                message="a message",
                evidence=(ev,),
            )
            assert type(made) is Finding and made.to_dict()["code"] == code
