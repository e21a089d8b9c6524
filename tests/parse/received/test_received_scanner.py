"""The linear scanner and clause grouping (RFC 5321 section 4.4 clause structure)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from mailtrace.parse.received.clauses import group, scan_and_group
from mailtrace.parse.received.dialects import ALL
from mailtrace.parse.received.scanner import ANGLE, COMMENT, LITERAL, QUOTED, SEMI, WORD, scan

REPO = Path(__file__).resolve().parents[3]


def test_tokens_of_each_kind() -> None:
    tokens = scan('from a (b (nested) \\) c) [192.0.2.1] <x@y> "q \\" s";d').tokens
    assert tokens == [
        (WORD, "from"),
        (WORD, "a"),
        (COMMENT, "b (nested) \\) c"),
        (LITERAL, "192.0.2.1"),
        (ANGLE, "x@y"),
        (QUOTED, 'q \\" s'),
        (SEMI, ";"),
        (WORD, "d"),
    ]


def test_unclosed_comment_is_truncated() -> None:
    result = scan("from a (b [c]")
    assert result.truncated and result.tokens[-1] == (COMMENT, "b [c]")


def test_stray_closer_is_unbalanced() -> None:
    assert scan("from a) by b").unbalanced


def test_clauses_keep_comments_and_date() -> None:
    clauses = group(scan("FROM a (x) BY b (y) WITH esmtp ID 1 FOR <c@d>; Mon, 3 Jun 2024 10:00:00 +0000").tokens)
    assert [c.keyword for c in clauses.order] == ["from", "by", "with", "id", "for"]
    assert clauses.get("from").comments == ["x"]  # type: ignore[union-attr]
    assert [t for _, t in clauses.date_tokens][:2] == ["Mon,", "3"]


def test_repeated_keyword_goes_to_extra() -> None:
    clauses = group(scan("from a by b by uid 89 with qmail-scanner").tokens)
    assert clauses.get("by").values == [(WORD, "b")]  # type: ignore[union-attr]
    assert [c.keyword for c in clauses.extra] == ["by"]


def _shape(text: str) -> object:
    c = group(scan(text).tokens)
    return (
        [(x.keyword, x.values, x.comments) for x in c.order],
        [(x.keyword, x.values, x.comments) for x in c.extra],
        (c.lead.values, c.lead.comments),
        c.date_tokens,
        c.has_semi,
    )


_PIECES = [
    "from ",
    "by ",
    "with ",
    "id ",
    " ",
    ";",
    "(",
    ")",
    "[",
    "]",
    "<",
    ">",
    '"',
    "\\",
    "a",
    "1",
    "[1.2.3.4]",
    "(x)",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=60).map("".join))
def test_one_pass_grouping_equals_two_step(text: str) -> None:
    _, clauses = scan_and_group(text)
    got = (
        [(x.keyword, x.values, x.comments) for x in clauses.order],
        [(x.keyword, x.values, x.comments) for x in clauses.extra],
        (clauses.lead.values, clauses.lead.comments),
        clauses.date_tokens,
        clauses.has_semi,
    )
    assert got == _shape(text)


def test_docs_list_every_dialect_example() -> None:
    page = REPO / "docs" / "dialects.md"
    text = page.read_text(encoding="utf-8")
    for dialect in ALL:
        assert dialect.example in text, dialect.name
