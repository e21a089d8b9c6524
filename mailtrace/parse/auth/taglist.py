"""DKIM and ARC tag lists (RFC 6376 section 3.2, reused by RFC 8617 section 4.1).

::

    tag-list  =  tag-spec *( ";" tag-spec ) [ ";" ]
    tag-spec  =  [FWS] tag-name [FWS] "=" [FWS] tag-value [FWS]
    tag-name  =  ALPHA *ALNUMPUNC          ; ALNUMPUNC = ALPHA / DIGIT / "_"
    tag-value =  [ tval *( 1*(WSP / FWS) tval ) ]
    tval      =  1*VALCHAR                 ; VALCHAR = %x21-3A / %x3C-7E

Every tag is kept, in order, duplicates included; the value is stripped of
surrounding white space, and for the base64 tags (``b=``, ``bh=``) all folding
white space is removed, as section 3.5 says it is to be ignored. Deviations
become defects with the caller's prefix (``dkim.`` or ``arc.``):
``tag_syntax`` (a piece with no ``=``, an empty piece, a bad tag name),
``tag_duplicate`` (section 3.2: "Tags with duplicate names MUST NOT occur"),
``tag_value_chars`` (characters outside VALCHAR/WSP) and ``too_many_tags``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mailtrace.defects import Defect
from mailtrace.model.frozen import fast_init

#: Tags kept per tag list; a real DKIM-Signature has about fifteen.
MAX_TAGS = 128
#: Tags whose value is base64, in which white space is ignored (RFC 6376 section 3.5).
BASE64_TAGS = frozenset({"b", "bh"})

_WS = " \t\r\n"


@dataclass(frozen=True, slots=True, kw_only=True)
class TagList:
    """A parsed tag list: every ``(name, value)`` pair in order, the first value of each name, the defects."""

    tags: tuple[tuple[str, str], ...]
    first: dict[str, str]
    defects: tuple[Defect, ...]

    def get(self, name: str) -> str | None:
        """The first value of tag ``name`` (tag names are case-sensitive, section 3.2), or ``None``."""
        return self.first.get(name)


fast_init(TagList)


#: tag-name = ALPHA *ALNUMPUNC (RFC 6376 section 3.2)
_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
#: tag-value characters: VALCHAR (%x21-3A / %x3C-7E) and folding white space
_VALUE_RE = re.compile(r"[\t\n\r !-:<-~]*")


def _valid_name(name: str) -> bool:
    return _NAME_RE.fullmatch(name) is not None


def _valid_value(value: str) -> bool:
    return _VALUE_RE.fullmatch(value) is not None


def remove_whitespace(value: str) -> str:
    """``value`` with every space, tab and line break removed (for base64 and ``h=`` lists)."""
    return "".join(value.split())


#: One tag of a tag list with nothing to report but duplicates (every piece ``name=value`` with a valid
#: name and a VALCHAR/WSP value, no empty piece, an optional trailing ``;``): the name and the value
#: up to the ``;`` that ends the piece, or up to the end of the text for the last piece. ``findall``
#: with the two other alternatives covers the whole text with no gap: white space after a final
#: ``;`` is one item ``("", "", "")``; at the first place where no tag starts, the third alternative
#: takes the rest of the text as ``("", "", rest)``, which sends the text to the general loop. So a
#: text is read here exactly when it is ``(tag ";")* [tag] [white space]``, the well-formed grammar
#: (the value class holds the white space, so a last tag takes the trailing white space).
#: Possessive quantifiers and one scan: linear.
_WELL_FORMED = re.compile(
    r"[ \t\r\n]*+([A-Za-z][A-Za-z0-9_]*+)[ \t\r\n]*+=([\t\n\r !-:<-~]*+)(?:;|\Z)|[ \t\r\n]++\Z|(?s:(.+))"
)


#: What :func:`read_tag_list` returns: the fields of a :class:`TagList`, in order.
TagParts = tuple[tuple[tuple[str, str], ...], dict[str, str], tuple[Defect, ...]]


def _parse_well_formed(text: str, prefix: str) -> TagParts | None:
    """The tags of a well-formed list (one C-level pass, see :data:`_WELL_FORMED`), else ``None``."""
    found = _WELL_FORMED.findall(text)
    if not found:
        return None  # the empty text (the general loop reads it as cheaply)
    if not found[-1][0]:
        if found[-1][2]:
            return None  # something that is not a tag
        found.pop()  # white space after the last ";"
    if len(found) > MAX_TAGS:
        return None
    # A well-formed value holds no white space but " \t\r\n", so for the base64 tags "".join(split())
    # is remove_whitespace(value.strip(_WS)), what the general loop does.
    tags = [(name, "".join(value.split()) if name in BASE64_TAGS else value.strip(_WS)) for name, value, _ in found]
    first = dict(tags)
    if len(first) == len(tags):  # no duplicate: dict(tags) kept every tag, in order
        return tuple(tags), first, ()
    first = {}
    defects: list[Defect] = []
    for name, value in tags:
        if name in first:
            defects.append(Defect(f"{prefix}.tag_duplicate", f"tag {name[:40]}= appears more than once"))
        else:
            first[name] = value
    return tuple(tags), first, tuple(defects)


def parse_tag_list(text: str, prefix: str) -> TagList:
    """Split ``text`` into tags; never raises. ``prefix`` names the defect family (``dkim`` or ``arc``)."""
    tags, first, defects = read_tag_list(text, prefix)
    return TagList(tags=tags, first=first, defects=defects)


def read_tag_list(text: str, prefix: str) -> TagParts:
    """:func:`parse_tag_list` as a plain tuple ``(tags, first, defects)``, for the parsers (no object to build)."""
    well_formed = _parse_well_formed(text, prefix)
    if well_formed is not None:
        return well_formed
    tags: list[tuple[str, str]] = []
    first: dict[str, str] = {}
    defects: list[Defect] = []
    pieces = text.split(";")
    if len(pieces) > 1 and not pieces[-1].strip(_WS):
        pieces.pop()  # the optional trailing ";"
    reported: set[str] = set()
    for number, piece in enumerate(pieces, start=1):
        if number > MAX_TAGS:
            defects.append(Defect(f"{prefix}.too_many_tags", f"more than {MAX_TAGS} tags; the rest are ignored"))
            break
        spec = piece.strip(_WS)
        if not spec:
            if len(pieces) > 1 or text.strip(_WS):
                defects.append(Defect(f"{prefix}.tag_syntax", f"tag {number} is empty (two ';' in a row)"))
            continue
        name, equals, value = spec.partition("=")
        name = name.strip(_WS)
        value = value.strip(_WS)
        if not equals:
            defects.append(Defect(f"{prefix}.tag_syntax", f"tag {number} has no '=': {spec[:40]!r}"))
            continue
        if not _valid_name(name):
            defects.append(Defect(f"{prefix}.tag_syntax", f"invalid tag name {name[:40]!r}"))
        if name in BASE64_TAGS:
            value = remove_whitespace(value)
        if not _valid_value(value) and name not in reported:
            defects.append(Defect(f"{prefix}.tag_value_chars", f"tag {name[:40]}= holds characters outside VALCHAR"))
            reported.add(name)
        if name in first:
            defects.append(Defect(f"{prefix}.tag_duplicate", f"tag {name[:40]}= appears more than once"))
        else:
            first[name] = value
        tags.append((name, value))
    return tuple(tags), first, tuple(defects)
