"""The one-match clause split (``shapes.split_simple``) gives exactly the tokeniser's clauses.

Checked on every ``Received:`` value of the corpus and on generated lines built to hit the
places where a pattern and a tokeniser could part ways: keywords written as values and in
upper case, empty and nested constructs, extra ``;``, white space the tokeniser does not
split on, quoted pairs, long ``with`` phrases.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailtrace.parse.message import parse_message
from mailtrace.parse.received import parse_received_value
from mailtrace.parse.received.clauses import Clauses, scan_and_group
from mailtrace.parse.received.scanner import COMMENT, ScanResult
from mailtrace.parse.received.shapes import split_simple


def _dump(scanned: ScanResult, clauses: Clauses) -> object:
    def clause(c: object) -> object:
        return (c.keyword, c.values, c.comments)  # type: ignore[attr-defined]

    return (
        scanned.truncated,
        scanned.unbalanced,
        scanned.max_depth,
        [clause(c) for c in clauses.order],
        [clause(c) for c in clauses.extra],
        sorted(clauses.by_keyword),
        clause(clauses.lead),
        clauses.date_tokens,
        clauses.has_semi,
        clauses.all_comments(),  # the splitter's precomputed list equals the general one
        clauses.date_words if clauses.date_words is not None else [t for k, t in clauses.date_tokens if k != COMMENT],
    )


def _assert_same(value: str) -> bool:
    fast = split_simple(value)
    if fast is None:
        return False
    assert _dump(*fast) == _dump(*scan_and_group(value)), value
    return True


@pytest.mark.corpus
def test_split_simple_equals_tokeniser_on_every_corpus_line(corpus_files: list[Path]) -> None:
    values: list[str] = []
    for path in corpus_files:
        values.extend(f.value for f in parse_message(path.read_bytes()).get_all("Received"))
    hits = sum(_assert_same(value) for value in values)
    assert len(values) > 10_000
    assert hits > len(values) * 0.6  # the common shape really is common (76% when written)


def test_split_simple_takes_the_usual_lines_and_leaves_the_rest() -> None:
    taken = [
        "from mail.example.net (mail.example.net [192.0.2.25]) by mx.example.org (Postfix) with ESMTP id 4AB"
        " for <bob@example.org>; Wed, 15 May 2024 10:00:03 +0000 (UTC)",
        "by 2002:a05:6000:1a8f::1 with SMTP id x1;        Fri, 4 Oct 2024 17:48:26 -0700 (PDT)",
        "from [192.0.2.7] (helo=x) by mx with esmtps (Exim 4.96) (envelope-from <a@b>) id 1s; Mon, 1 Jan 2024",
        "FROM a BY b WITH Microsoft SMTP Server (version=TLS1_2) ID 15.20.1; Mon, 1 Jan 2024 00:00:00 +0000",
        "from by by with with id id for for for; Mon, 1 Jan 2024 00:00:00 +0000",  # keywords as first values
        "from a (b (c)) by d; Mon, 1 Jan 2024",  # a comment nested one level
        "from a (u [1.2.3.4]) (using TLSv1.3 with cipher X (256/256 bits)) by d (Exim 4.9 #3 (Linux)) id 1; x",
        "from a (b () c) by d; Mon, 1 Jan 2024",  # an empty comment inside one
        "from A (2603:10a6::18) by B (2603:10a6::9) with Microsoft SMTP Server (version=TLS1_2, cipher=X) id"
        " 15.20.7544.41 via Frontend Transport; Tue, 7 May 2024 01:39:47 +0000",  # Exchange: via after id
        "by b with x id y via p q r s for <a@b>; Mon, 1 Jan 2024",
    ]
    left = [
        "from a by b; Mon, 1 Jan 2024; extra",  # two ";"
        "from a (b (c (d))) by d; Mon, 1 Jan 2024",  # a comment nested two levels
        "from a (b (c) by d; Mon, 1 Jan 2024",  # an unclosed comment around a nested one
        "from a () by d; Mon, 1 Jan 2024",  # empty comment
        "from a b by d; Mon, 1 Jan 2024",  # two values
        "by d from a; Mon, 1 Jan 2024",  # out of order
        "from a by d with one two three four five; Mon, 1 Jan 2024",  # five with words
        "from a by d via x id y via z; Mon, 1 Jan 2024",  # via twice
        "from a by d id y via z for b via w; Mon, 1 Jan 2024",  # a keyword out of order
        "from a (x\\)y) by d; Mon, 1 Jan 2024",  # quoted pair
        "from caf\u00e9 by d; Mon, 1 Jan 2024",  # not ASCII
        "(qmail 1 invoked by uid 2); Mon, 1 Jan 2024",  # no clause first
        "from a by d; Mon, 1 Jan 2024 <x>",  # a path in the date
    ]
    for value in taken:
        assert _assert_same(value), value
    for value in left:
        assert split_simple(value) is None, value
        parse_received_value(value)  # and the general path still reads it


_WORD = st.sampled_from(
    ["from", "FROM", "by", "By", "via", "VIA", "with", "WITH", "id", "for", "For", "fro", "byx", "mx.example.org",
     "ESMTPS", "SMTP", "192.0.2.1", "a\x0bb", "a\x0cb", "x\x1cy", "Postfix", "8.15.2/8.15.2", "x=y", "u@h"]
)  # fmt: skip
_PIECE = st.one_of(
    _WORD,
    st.sampled_from(
        ["(c)", "(Postfix)", "(h [192.0.2.1])", "()", "(a (b))", "(a (b) (c))", "(a (b (c)))", "(()", "(a", "a)",
         "[192.0.2.1]", "[]", "[a", "<r@x>", "<>", "<a", '"q"', '"', "\\", ";", "(x;y)", "(\u00e9)",
         "(a [b] <c> \"d\")"]
    ),
)  # fmt: skip
_SPACE = st.sampled_from([" ", "  ", "\t", "\r\n\t", "", "\x0b", "\xa0"])
_DATE = st.sampled_from(
    ["Mon, 1 Jan 2024 00:00:00 +0000", "Mon, 1 Jan 2024 00:00:00 -0700 (PDT)", "", "  ", "1 Jan 2024 (a) (b)",
     "x (a (b))", "x ()", "x (", "x [y]", "Mon,\x0b1 Jan 2024", "x\xa0y"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(_SPACE, _PIECE), min_size=1, max_size=14), st.booleans(), _DATE)
def test_split_simple_equals_tokeniser_on_generated_lines(pieces: list[tuple[str, str]], semi: bool, date: str) -> None:
    value = "".join(space + piece for space, piece in pieces) + (";" + date if semi else "")
    _assert_same(value)


_CLAUSE_VALUE = st.sampled_from(["mx.example.org", "[192.0.2.1]", "<a@b>", "by", "with", "ESMTP", "x"])
_COMMENTS = st.lists(st.sampled_from(["(c)", "(h [192.0.2.1])", "(version=TLS1_2 cipher=x)"]), max_size=2)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(["from", "by", "via", "with", "id", "for"]), _CLAUSE_VALUE, _COMMENTS),
             min_size=1, max_size=7),
    _DATE,
)  # fmt: skip
def test_generated_clause_sequences(clauses: list[tuple[str, str, list[str]]], date: str) -> None:
    value = " ".join(f"{kw} {val} {' '.join(cs)}" for kw, val, cs in clauses) + "; " + date
    _assert_same(value)
