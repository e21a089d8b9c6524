"""Display-name deception in ``From:`` (issue 14): homoglyphs, invisible characters, brands.

Three findings, each naming the code points it rests on (``U+0430 CYRILLIC SMALL LETTER A``):

* ``header.display_name_invisible``: characters a reader cannot see (zero-width spaces and
  joiners, the byte-order mark, soft hyphens, word joiners, bidi embeddings, overrides, isolates
  and marks, variation selectors outside emoji, tags). A zero-width joiner between two emoji and
  a variation selector after one are how emoji are composed, not a trick, and are let through.
* ``header.display_name_homoglyph``: a word that mixes scripts with letters confusable with
  Latin ones (``PаyPal`` with a Cyrillic ``а``), or a brand spelled in another script or with
  styled letters (``Раураl``, ``𝐏𝐚𝐲𝐏𝐚𝐥``). Confusables come from Unicode's ``confusables.txt`` as
  packaged by ``confusable-homoglyphs`` (the ``homoglyphs`` extra); without it, a small table of
  the Cyrillic and Greek letters that look like Latin ones is used.
* ``header.display_name_brand``: the display name names a brand of :data:`.brands.BRANDS`
  while the authenticated ``From:`` domain is none of the brand's (``medium``), or a domain that
  borrows the brand's name (``paypa1-secure.example``, ``low``: scenario 11, a look-alike domain
  is authentic for itself, and the report names it for the analyst to judge).

Bounds: the first :data:`MAX_NAME_CHARS` characters of the display name are read; every step is
one pass over them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from mailtrace.trace.hosts import org_domain
from mailtrace.verdict.brands import BRANDS, Brand
from mailtrace.verdict.catalogue import Finding, Severity, finding
from mailtrace.verdict.from_identity import FromIdentity, from_evidence

#: Longest display name read (hostile-input bound).
MAX_NAME_CHARS = 512
#: Most code points listed in one finding.
MAX_LISTED = 6

#: Invisible or direction-changing code points (Unicode ``Cf`` format characters that render as
#: nothing, and the bidi controls of UAX #9).
INVISIBLE = frozenset(
    {
        0x00AD,  # SOFT HYPHEN
        0x034F,  # COMBINING GRAPHEME JOINER
        0x061C,  # ARABIC LETTER MARK
        0x115F, 0x1160, 0x3164, 0xFFA0,  # HANGUL FILLERS
        0x17B4, 0x17B5,  # KHMER VOWEL INHERENT
        0x180E,  # MONGOLIAN VOWEL SEPARATOR
        0x200B, 0x200C, 0x200D, 0x200E, 0x200F,  # ZERO WIDTH SPACE/NON-JOINER/JOINER, LRM, RLM
        0x202A, 0x202B, 0x202C, 0x202D, 0x202E,  # LRE, RLE, PDF, LRO, RLO
        0x2060, 0x2061, 0x2062, 0x2063, 0x2064,  # WORD JOINER, invisible operators
        0x2066, 0x2067, 0x2068, 0x2069,  # LRI, RLI, FSI, PDI
        0xFEFF,  # ZERO WIDTH NO-BREAK SPACE (BOM)
    }
)  # fmt: skip
_ZWJ = 0x200D
#: Digits written for the letters they look like in domain names (``paypa1``, ``micros0ft``).
_DIGIT_LETTERS = str.maketrans("013457", "oleast")
#: Blocks of invisible code points: variation selectors (outside emoji) and their supplement, tags.
_INVISIBLE_RANGES = ((0xFE00, 0xFE0F), (0xE0000, 0xE007F), (0xE0100, 0xE01EF))
#: One invisible character: :data:`INVISIBLE` and :data:`_INVISIBLE_RANGES` as a character class.
_INVISIBLE_CHAR = re.compile(
    "["
    + "".join(f"\\U{cp:08x}" for cp in sorted(INVISIBLE))
    + "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in _INVISIBLE_RANGES)
    + "]"
)
#: Scripts whose letters mixed with Latin in one word are ordinary writing, not look-alikes.
_ORDINARY_WITH_LATIN = frozenset({"CJK", "HIRAGANA", "KATAKANA", "HANGUL", "HALFWIDTH", "IDEOGRAPHIC"})

#: Without ``confusable-homoglyphs``: the Cyrillic and Greek letters most used for Latin ones.
_FALLBACK_CONFUSABLES = {
    **dict(zip("аеорсухіјѕԁԛԝһӏАВЕКМНОРСТХУІЈЅ", "aeopcyxijsdqwhlABEKMHOPCTXYIJS", strict=True)),
    **dict(zip("οαντικρυΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "oavtikpuABEZHIKMNOPTYX", strict=True)),
}


@lru_cache(maxsize=1)
def _package() -> Callable[[str], str | None] | None:
    """The Latin look-alike of one character from ``confusable-homoglyphs``, or ``None`` if absent."""
    try:
        from confusable_homoglyphs import confusables
    except ImportError:
        return None
    data: dict[str, list[dict[str, str]]] = confusables.confusables_data

    def latin(ch: str) -> str | None:
        for glyph in data.get(ch, ()):
            c = glyph.get("c", "")
            if c.isascii() and c.isalpha():
                return c
        return None

    return latin


def latin_lookalike(ch: str) -> str | None:
    """The ASCII letter ``ch`` (a non-Latin letter) is confusable with, or ``None``."""
    if ch.isascii():
        return None
    look = _package()
    return look(ch) if look is not None else _FALLBACK_CONFUSABLES.get(ch)


def _script(ch: str) -> str:
    """``LATIN``, ``CYRILLIC``, ``GREEK``... from the character name; ``COMMON`` for non-letters."""
    if not ch.isalpha():
        return "COMMON"
    name = unicodedata.name(ch, "")
    return name.split(" ", 1)[0] if name else "COMMON"


def _cp(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'UNNAMED')}"


def _plain_letter(ch: str) -> str | None:
    """The ASCII letter a non-ASCII letter shows as: its look-alike, or its NFKC form (``𝐏`` is ``P``)."""
    if ch.isascii():
        return None
    plain = unicodedata.normalize("NFKC", ch)
    return plain if plain.isascii() and plain.isalpha() else latin_lookalike(ch)


def visible_text(text: str) -> str:
    """``text`` as it shows: NFKC (styled letters to plain), invisible characters and combining marks dropped.

    ASCII text shows as written (NFKC keeps it, and it holds no invisible character or combining mark).
    """
    if text.isascii():
        return text
    category = unicodedata.category
    return "".join(ch for ch in _INVISIBLE_CHAR.sub("", unicodedata.normalize("NFKC", text)) if category(ch) != "Mn")


def skeleton(text: str) -> str:
    """``text`` reduced to what it reads as: :func:`visible_text`, then letters confusable with
    Latin ones replaced by them."""
    return "".join(latin_lookalike(ch) or ch for ch in visible_text(text))


def _invisible(name: str) -> list[str]:
    found: list[str] = []
    for m in _INVISIBLE_CHAR.finditer(name):
        i, ch = m.start(), m.group()
        if i > 0 and _emoji(name[i - 1]) and (ord(ch) != _ZWJ or (i < len(name) - 1 and _emoji(name[i + 1]))):
            continue  # an emoji sequence (🤸‍♂️) or an emoji's presentation selector (❗️)
        found.append(ch)
    return found


def _emoji(ch: str) -> bool:
    return unicodedata.category(ch) in ("So", "Sk") or 0xFE00 <= ord(ch) <= 0xFE0F or ord(ch) == _ZWJ


def _mixed_words(name: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Words that mix Latin with another script through letters confusable with Latin ones."""
    out: list[tuple[str, list[tuple[str, str]]]] = []
    if name.isascii():  # every ASCII letter is Latin: no word mixes scripts
        return out
    for word in name.split():
        scripts = {s for ch in word if (s := _script(ch)) != "COMMON"}
        if "LATIN" not in scripts or len(scripts) < 2:
            continue
        if scripts & _ORDINARY_WITH_LATIN:
            continue
        swaps = [(ch, look) for ch in word if _script(ch) != "LATIN" and (look := latin_lookalike(ch))]
        if swaps:
            out.append((word, swaps))
    return out


#: What may open a top-level alternative of a brand pattern before its first word: ``^``, ``\\b``, ``\\W*``.
_ANCHORS = re.compile(r"(?:\^|\\b|\\W\*)*")
#: A run of literal pattern text: letters, digits and escaped punctuation (``n\\.e\\.t``).
_LITERAL = re.compile(r"(?:[A-Za-z0-9]|\\[^A-Za-z0-9])+")


def _alternatives(pattern: str) -> list[str]:
    """``pattern`` split at its top-level ``|`` (escapes skipped, groups kept whole; no character classes)."""
    out: list[str] = []
    depth = start = i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and not depth:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    out.append(pattern[start:])
    return out


def required_words(pattern: str) -> tuple[str, ...] | None:
    """Lower-case words one of which every match of ``pattern`` holds, or ``None`` when that cannot be read.

    Each top-level alternative must open (after ``^``, ``\\b`` or ``\\W*``) with a literal word not followed by
    a quantifier; a pattern with a character class is not read.
    """
    if "[" in pattern:
        return None
    words: list[str] = []
    for alternative in _alternatives(pattern):
        start = _ANCHORS.match(alternative)
        m = _LITERAL.match(alternative, start.end() if start else 0)
        if m is None or alternative[m.end() : m.end() + 1] in ("*", "?", "{"):
            return None
        words.append(re.sub(r"\\(.)", r"\1", m.group()).lower())
    return tuple(dict.fromkeys(words))


#: Each brand with the words one of which its pattern needs (``None``: always searched).
_BRAND_WORDS = tuple((brand, required_words(brand.pattern.pattern)) for brand in BRANDS)
#: Any of those words: a display name with none of them names no brand (when every brand's words are known).
_ANY_WORD = (
    re.compile("|".join(re.escape(w) for w in sorted({w for _, ws in _BRAND_WORDS for w in ws or ()}, key=len)))
    if all(ws for _, ws in _BRAND_WORDS)
    else None
)


def _brand(text: str) -> Brand | None:
    """The first brand of :data:`.brands.BRANDS` whose pattern ``text`` matches.

    ASCII text is first checked for the brands' words (lower case holds them exactly as the patterns'
    case-insensitive matching does; other scripts hold letters that fold onto ASCII ones, U+017F LONG S onto ``s``):
    without one of a brand's words its pattern cannot match.
    """
    if text.isascii():
        low = text.lower()
        if _ANY_WORD is not None and _ANY_WORD.search(low) is None:
            return None
        for brand, words in _BRAND_WORDS:
            if (words is None or any(w in low for w in words)) and brand.pattern.search(text):
                return brand
        return None
    for brand in BRANDS:
        if brand.pattern.search(text):
            return brand
    return None


def _under(domain: str, suffixes: tuple[str, ...]) -> bool:
    return any(domain == d or domain.endswith("." + d) for d in suffixes)


def _owner(brand: Brand, domain: str) -> str:
    """``own`` (a domain of the brand's), ``borrowed`` (its registrable name carries the brand's
    name, maybe in look-alike digits: ``paypa1-secure``, ``secure-paypal-login``: scenario 11, the
    analyst judges the domain) or ``unrelated``."""
    domain = domain.lower().rstrip(".")
    if _under(domain, brand.foreign):
        return "unrelated"
    if _under(domain, brand.domains):
        return "own"
    label = (org_domain(domain) or domain).split(".", 1)[0]
    first = label.split("-", 1)[0]
    if first in brand.keys:
        return "own"
    plain = label.translate(_DIGIT_LETTERS).replace("-", "")
    return "borrowed" if any(len(k) >= 5 and k in plain for k in brand.keys) else "unrelated"


def display_name_findings(identity: FromIdentity, list_rewrite: bool = False) -> list[Finding]:
    """Deception in the display name of the authenticated ``From:`` mailbox (see the module doc).

    ``list_rewrite``: a list rewrote ``From:`` to its own address (``Name via List``); the brand
    check then does not apply (the list's domain is expected).
    """
    name = (identity.display_name or "")[:MAX_NAME_CHARS]
    if not name or identity.header_index is None:
        return []
    out: list[Finding] = []
    hidden = _invisible(name) if not name.isascii() else []  # every invisible character is outside ASCII
    ev = from_evidence(identity) if hidden else []
    if hidden:
        listed = ", ".join(_cp(ch) for ch in dict.fromkeys(hidden))
        out.append(
            finding(
                "header.display_name_invisible",
                f"From: display name {visible_text(name)!r} holds {len(hidden)} invisible character(s) a reader "
                f"does not see: {listed}.",
                ev,
            )
        )
    shown = name if name.isascii() else visible_text(name)
    plain = shown if shown.isascii() else skeleton(name)
    brand = _brand(plain)
    mixed = _mixed_words(name)
    # the brand shows only once look-alike or styled letters are mapped (invisible ones aside)
    disguised = brand is not None and not name.isascii() and _brand(_INVISIBLE_CHAR.sub("", name)) is None
    if mixed or disguised:
        swaps = [(ch, look) for _, s in mixed for ch, look in s]
        if not swaps:
            swaps = [(ch, look) for ch in name if ch.isalpha() and (look := _plain_letter(ch))]
        listed = ", ".join(f"{_cp(ch)} for '{look}'" if look else _cp(ch) for ch, look in dict.fromkeys(swaps))
        where = f"mixes scripts in {mixed[0][0]!r}" if mixed else f"spells {brand.name if brand else ''} in look-alikes"
        ev = ev or from_evidence(identity)
        out.append(
            finding(
                "header.display_name_homoglyph",
                f"From: display name {name!r} {where}: {_limit(listed)}; it reads {plain!r}.",
                ev,
            )
        )
    owner = _owner(brand, identity.domain) if brand is not None and identity.domain and not list_rewrite else "own"
    if brand is not None and owner != "own":
        borrowed = owner == "borrowed"
        ev = ev or from_evidence(identity)
        out.append(
            finding(
                "header.display_name_brand",
                f"From: display name {plain!r} names {brand.name}, but the mail is from {identity.domain}, "
                + (
                    f"a domain that borrows the name: authentication there speaks for {identity.domain}, "
                    f"not for {brand.name}; judge the domain."
                    if borrowed
                    else f"not a domain of {brand.name}."
                ),
                ev,
                severity=Severity.LOW if borrowed else None,
            )
        )
    return out


def _limit(listed: str) -> str:
    parts = listed.split(", ")
    return ", ".join(parts[:MAX_LISTED]) + (f" and {len(parts) - MAX_LISTED} more" if len(parts) > MAX_LISTED else "")
