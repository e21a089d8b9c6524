"""Dialect detection through the trigger table (``dialects.detect``) equals asking every matcher.

Checked on every ``Received:`` value of the corpus, on every dialect's example, and on generated
lines that put trigger texts, near misses and the matchers' other inputs (``by`` domains and
comments, ``with`` words, ``id`` forms, the ``-0000`` zone) in every clause.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailtrace.parse.message import parse_message
from mailtrace.parse.received.clauses import scan_and_group
from mailtrace.parse.received.dialects import _ADMITS, _MAX_HITS, ALL, _trigger_index, detect, detect_all
from mailtrace.parse.received.dialects.base import Dialect
from mailtrace.parse.received.draft import Line
from mailtrace.parse.received.shapes import split_simple

_NOT_MESSAGES = {".tsv", ".yml", ".yaml", ".md", ".py", ".pem", ".key", ".pub", ".private", ".dat", ".dns", ".json"}


def _line(value: str) -> Line:
    return Line(value, *(split_simple(value) or scan_and_group(value)))


def _assert_same(value: str) -> None:
    line = _line(value)
    assert detect(line) == detect_all(line), value


@pytest.mark.corpus
def test_detect_equals_every_matcher_on_every_corpus_line(corpus: Path) -> None:
    count = 0
    for path in sorted(corpus.rglob("*")):
        if path.is_file() and path.suffix.lower() not in _NOT_MESSAGES:
            for field in parse_message(path.read_bytes()).get_all("Received"):
                _assert_same(field.value)
                count += 1
    assert count > 10_000


def test_detect_equals_every_matcher_on_the_examples() -> None:
    for dialect in ALL:
        assert dialect.example
        _assert_same(dialect.example)
        _assert_same(dialect.example.upper())


def test_trigger_texts_are_checked() -> None:
    def dialect(*triggers: str) -> Dialect:
        return Dialect(name="x", title="x", matches=lambda line: False, triggers=triggers)

    with pytest.raises(ValueError, match="prefix"):
        _trigger_index((dialect("mail", "mailer"),))
    with pytest.raises(ValueError, match="lower-case"):
        _trigger_index((dialect("Mail"),))
    with pytest.raises(ValueError, match="lower-case"):
        _trigger_index((dialect(""),))
    assert all(text == text.lower() for text in _ADMITS)


def test_many_triggers_ask_every_matcher() -> None:
    value = "from a (" + "postfix " * (_MAX_HITS + 5) + ") by b (Postfix) with ESMTP id x; Mon, 1 Jan 2024"
    _assert_same(value)
    assert detect(_line(value))[0] is not None


_EXTRA = ["Postfix", "8.15.2/8.15.2", "Exim 4.96", "helo=x", "HELO x", "EHLO y", "LHLO z", "Microsoft SMTP Server",
          "mapi", "MAPI", "SG", "PPS", "pps.filterd", "mx.google.com", "2002:a05:6000::1", "x.amazonses.com",
          "sendgrid.net", "mcsv.net", "yahoo.com", "aol.com", "me.com", "icloud.com", "pphosted.com",
          "ecelerity 4.7.0", "envelope-from <a@b>", "1s2Abc-000ABC-12", "1s2Abc-0001234567A-1234",
          "D4/52-37715-B44A9596",
          "qmail 1234 invoked from network", "invoked by uid 89", "192.0.2.1", "user@192.0.2.7", "smap", "csmap",
          "claiming to be", "amavisd-new, port 10024", "Lotus Domino", "CommuniGate Pro", "AUTH: LOGIN a", "courier",
          "rhost-flags-OK", "PowerMTA", "fetchmail", "POP3", "IMAP", "HTTP", "webmail", "LMTP", "local", "QMQP",
          "Frontend Transport", "Google Transport Security", "SimpleEmailService", "mandrill", "hermes", "barracuda",
          "spam firewall", "mimecast", "zimbra", "sogo", "-0000", "+0000", "x", "mail.example.org"]  # fmt: skip
_FRAGMENT = st.sampled_from([*sorted(_ADMITS), *_EXTRA])
_KEYWORD = st.sampled_from(["from", "by", "via", "with", "id", "for", ""])


@settings(max_examples=600, deadline=None)
@given(
    st.lists(st.tuples(_KEYWORD, _FRAGMENT, st.booleans()), min_size=1, max_size=8),
    st.sampled_from(["Mon, 1 Jan 2024 00:00:00 -0000", "1 Jan 2024 00:00:00 +0000 (UTC)", "", "x -0000"]),
    st.booleans(),
)
def test_detect_equals_every_matcher_on_generated_lines(
    parts: list[tuple[str, str, bool]], date: str, semi: bool
) -> None:
    body = " ".join(f"{kw} ({text})" if comment else f"{kw} {text}" for kw, text, comment in parts)
    _assert_same(body + ("; " + date if semi else " " + date))
