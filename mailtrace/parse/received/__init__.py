"""``Received:`` trace-field parser (RFC 5321 section 4.4), multi-dialect, linear time.

Pipeline for one value: :mod:`.scanner` cuts it into words, comments,
literals, paths and ``;`` in one pass; :mod:`.clauses` groups them into the
``from``/``by``/``via``/``with``/``id``/``for`` clauses and the date;
:mod:`.dialects` names the MTA family and hand-over; :mod:`.generic` reads
every clause (the dialect settling whether ``from NAME`` is a HELO or a reverse
name); :mod:`.comments` reads TLS, authentication and envelope facts; the
dialect module adds what only it knows. Bad input never raises: it yields
defects (``received.*``, see ``docs/dialects.md``).

Bounds: values longer than :data:`MAX_RECEIVED_CHARS` are cut (defect
``received.too_long``; ``raw`` keeps the cut text, the header field keeps the
bytes); each field value is cut to
:data:`~mailtrace.parse.received.draft.MAX_FIELD_CHARS`, and a hop keeps at
most :data:`~mailtrace.parse.received.draft.MAX_DEFECTS` defects. Every scanner
pattern is linear.
"""

from __future__ import annotations

from mailtrace.defects import Defect
from mailtrace.model.fields import HeaderField
from mailtrace.model.received import Received
from mailtrace.parse.received.clauses import scan_and_group
from mailtrace.parse.received.comments import read_comments
from mailtrace.parse.received.dialects import detect
from mailtrace.parse.received.draft import Draft, Line
from mailtrace.parse.received.generic import (
    read_by,
    read_date,
    read_from,
    read_kind,
    read_protocol_flags,
    read_simple,
    read_with,
)
from mailtrace.parse.received.shapes import split_simple

#: Characters of one ``Received:`` value parsed; the rest is ignored with ``received.too_long``.
MAX_RECEIVED_CHARS = 16 * 1024
#: Comment nesting deeper than this is recorded as ``received.deep_nesting``.
MAX_COMMENT_DEPTH = 8


def parse_received(field: HeaderField, index: int) -> Received:
    """Parse one ``Received:`` field; ``index`` counts ``Received:`` fields from the top (0 = newest)."""
    return parse_received_value(field.value, index=index, header_index=field.index, defects=field.defects)


def parse_received_value(
    value: str, *, index: int = 0, header_index: int = 0, defects: tuple[Defect, ...] = ()
) -> Received:
    """Parse a ``Received:`` value given as text (the field body, unfolded)."""
    draft = Draft()
    draft.defects.extend(defects)
    text = value
    if len(text) > MAX_RECEIVED_CHARS:
        text = text[:MAX_RECEIVED_CHARS]
        draft.defect("received.too_long", f"value cut to {MAX_RECEIVED_CHARS} characters")
    if "\x00" in text:
        text = text.replace("\x00", " ")
        draft.defect("received.nul_byte", "NUL characters in the value were read as spaces")
    # The common shape in one match; anything else token by token (same clauses, see .shapes).
    scanned, clauses = split_simple(text) or scan_and_group(text)
    line = Line(text, scanned, clauses)
    if scanned.truncated:
        draft.defect("received.truncated", "the value ends inside a comment, literal, path or quoted string")
    if scanned.unbalanced:
        draft.defect("received.unbalanced", "a bracket, parenthesis or angle bracket is not matched")
    if scanned.max_depth > MAX_COMMENT_DEPTH:
        draft.defect("received.deep_nesting", f"comments nest {scanned.max_depth} deep")

    family, handover = detect(line)
    if family is not None:
        draft.software = family.name
    elif handover is not None and handover.name != "local":
        draft.software = handover.name
    read_from(line, draft)
    read_by(line, draft)
    read_with(line, draft)
    read_simple(line, draft)
    read_comments(line.comments, draft)
    read_protocol_flags(draft)
    if family is not None:
        family.apply(line, draft)
    if handover is not None:
        handover.apply(line, draft)
    read_kind(line, draft)
    read_date(line, draft)
    _structure_defects(line, draft)
    return draft.build(index=index, header_index=header_index, raw=text if len(value) > MAX_RECEIVED_CHARS else value)


def _structure_defects(line: Line, draft: Draft) -> None:
    clauses = line.clauses
    has_by = "by" in clauses.by_keyword
    if not clauses.order:
        if clauses.lead.comments and draft.timestamp is not None:
            # A comment and a date: "(qmail 1234 invoked by uid 500); date", Yahoo "(EGP: mail-8_2_3_0); date".
            if draft.kind is None:
                draft.defect("received.no_by", "only a comment and a date (no 'by' clause)")
            return
        draft.defect("received.unparseable", "no 'from', 'by', 'with', 'id', 'via' or 'for' clause was found")
    elif not has_by and not (draft.software == "qmail" and draft.kind is not None):
        draft.defect("received.no_by", "no 'by' clause (RFC 5321 section 4.4 requires one)")


__all__ = ["MAX_RECEIVED_CHARS", "parse_received", "parse_received_value"]
