"""The authentication-header parsers on every message of the real-mail corpus: no exception, sensible rates."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from mailtrace.errors import MailtraceError
from mailtrace.load.sources import iter_messages
from mailtrace.parse.auth import Authentication, parse_authentication
from mailtrace.parse.message import parse_message

pytestmark = pytest.mark.corpus

_AUTH_NAMES = (b"dkim-signature", b"arc-", b"authentication-results", b"received-spf")


def _messages(corpus: Path) -> Iterator[tuple[str, bytes]]:
    for root, dirs, files in os.walk(corpus):
        dirs.sort()
        for name in sorted(files):
            path = Path(root) / name
            try:
                found = list(iter_messages(path))
            except MailtraceError:
                continue  # an unsupported format (e.g. the Outlook .msg sample): the loader's business
            for raw, source in found:
                yield f"{source.name}#{source.position}", raw


@pytest.fixture(scope="module")
def parsed(corpus: Path) -> list[tuple[str, Authentication]]:
    out = []
    for label, raw in _messages(corpus):
        head = raw[:200_000].lower()
        if any(name in head for name in _AUTH_NAMES):
            out.append((label, parse_authentication(parse_message(raw))))
    return out


def test_corpus_every_dkim_signature_yields_domain_and_selector_or_a_defect(
    parsed: list[tuple[str, Authentication]],
) -> None:
    signatures = [(label, s) for label, auth in parsed for s in auth.dkim_signatures]
    assert len(signatures) >= 1000
    for label, sig in signatures:
        if not (sig.domain and sig.selector):
            assert any(d.code in ("dkim.tag_missing", "dkim.empty") for d in sig.defects), label
    complete = sum(1 for _, s in signatures if s.domain and s.selector and s.signature and s.body_hash)
    assert complete / len(signatures) > 0.95
    clean = sum(1 for _, s in signatures if not s.defects)
    assert clean / len(signatures) > 0.9


def test_corpus_authentication_results_yield_results(parsed: list[tuple[str, Authentication]]) -> None:
    headers = [(label, r) for label, auth in parsed for r in auth.authentication_results]
    assert len(headers) >= 800
    with_results = sum(1 for _, r in headers if r.results)
    assert with_results / len(headers) > 0.9
    with_id = sum(1 for _, r in headers if r.authserv_id)
    assert with_id / len(headers) > 0.9
    for label, header in headers:
        if header.authserv_id is None:
            assert "authres.no_authserv_id" in {d.code for d in header.defects} or not header.results, label
        for result in header.results:
            assert result.method and result.result, label
    syntax = sum(1 for _, r in headers if any(d.code == "authres.syntax" for d in r.defects))
    assert syntax / len(headers) < 0.02
    methods = Counter(result.method for _, r in headers for result in r.results)
    assert {"dkim", "spf", "dmarc", "arc"} <= set(methods)


def test_corpus_received_spf_yields_a_result_word(parsed: list[tuple[str, Authentication]]) -> None:
    fields = [(label, r) for label, auth in parsed for r in auth.received_spf]
    assert len(fields) >= 300
    known = sum(1 for _, r in fields if r.result in {"pass", "fail", "softfail", "neutral", "none", "permerror"})
    assert known / len(fields) > 0.97
    assert sum(1 for _, r in fields if r.client_ip) / len(fields) > 0.9


def test_corpus_arc_sets_are_complete_and_gapless(parsed: list[tuple[str, Authentication]]) -> None:
    sets = [(label, s) for label, auth in parsed for s in auth.arc_sets]
    assert len(sets) >= 400
    complete = sum(1 for _, s in sets if s.seal and s.message_signature and s.authentication_results)
    assert complete / len(sets) > 0.98
    chains = [auth for _, auth in parsed if auth.arc_sets]
    gapless = sum(1 for auth in chains if "arc.instance_gap" not in {d.code for d in auth.defects})
    assert gapless / len(chains) > 0.98


def test_corpus_reports_serialise_to_json(parsed: list[tuple[str, Authentication]]) -> None:
    for label, auth in parsed:
        assert json.loads(json.dumps(auth.to_dict())).keys() == auth.to_dict().keys(), label
