"""The authentication-header parsers on every message of the real-mail corpus: no exception, sensible rates."""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from mailtrace.errors import MailtraceError
from mailtrace.load.sources import iter_messages
from mailtrace.model.fields import HeaderField
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
def parsed_with_fields(corpus: Path) -> list[tuple[str, Authentication, tuple[HeaderField, ...]]]:
    out = []
    for label, raw in _messages(corpus):
        head = raw[:200_000].lower()
        if any(name in head for name in _AUTH_NAMES):
            message = parse_message(raw)
            out.append((label, parse_authentication(message), message.fields))
    return out


@pytest.fixture(scope="module")
def parsed(
    parsed_with_fields: list[tuple[str, Authentication, tuple[HeaderField, ...]]],
) -> list[tuple[str, Authentication]]:
    return [(label, auth) for label, auth, _ in parsed_with_fields]


#: An authserv-id as written first in an Authentication-Results value: leading white space and flat
#: comments, a word without ``=`` (a first ``method=result`` means no authserv-id), then an optional
#: version, comments, and ``;`` or the end.
_WRITTEN_AUTHSERV_ID = re.compile(r'\s*(?:\([^()]*\)\s*)*([^\s;=()"]+)\s*(?:\d+\s*)?(?:\([^()]*\)\s*)*(?:;|$)')
_WRITTEN_CLIENT_IP = re.compile(r'(?:^|[\s;])client-ip\s*=\s*([^\s;()"]+)', re.IGNORECASE)


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


def test_corpus_authentication_results_yield_results(
    parsed_with_fields: list[tuple[str, Authentication, tuple[HeaderField, ...]]],
) -> None:
    """Properties of each header, not of the corpus's mix (Microsoft 365 writes no authserv-id)."""
    headers = [(label, r, fields) for label, auth, fields in parsed_with_fields for r in auth.authentication_results]
    assert len(headers) >= 800
    written = 0
    for label, header, fields in headers:
        value = fields[header.header_index].value
        codes = {d.code for d in header.defects}
        for result in header.results:
            assert (result.method and result.result) or "authres.syntax" in codes, label
        if not header.results:  # "none" (RFC 8601 no-result), or a defect says why nothing was read
            assert header.defects or value.rstrip().lower().endswith("none") or not value.strip(), label
        found = _WRITTEN_AUTHSERV_ID.match(value)
        if found is not None:
            written += 1
            assert header.authserv_id == found.group(1), (label, value[:120])
        if header.authserv_id is None:
            assert "authres.no_authserv_id" in codes or not header.results, label
    assert written >= 800  # the property was checked on many headers, not vacuously
    syntax = sum(1 for _, r, _ in headers if any(d.code == "authres.syntax" for d in r.defects))
    assert syntax / len(headers) < 0.02
    methods = Counter(result.method for _, r, _ in headers for result in r.results)
    assert {"dkim", "spf", "dmarc", "arc"} <= set(methods)


def test_corpus_received_spf_yields_a_result_word(
    parsed_with_fields: list[tuple[str, Authentication, tuple[HeaderField, ...]]],
) -> None:
    """Each field: a known result word or a defect saying why not; a written ``client-ip=`` is kept."""
    fields = [(label, r, all_fields) for label, auth, all_fields in parsed_with_fields for r in auth.received_spf]
    assert len(fields) >= 300
    with_ip = 0
    for label, spf, all_fields in fields:
        value = all_fields[spf.header_index].value
        if spf.result not in {"pass", "fail", "softfail", "neutral", "none", "permerror", "temperror", "policy"}:
            assert spf.defects, (label, value[:120])
        written = _WRITTEN_CLIENT_IP.search(value)
        if written is not None and value.lower().count("client-ip") == 1 and '"' not in value:
            with_ip += 1
            assert spf.client_ip == written.group(1), (label, value[:160])
    assert with_ip >= 300  # checked on many fields, not vacuously


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
