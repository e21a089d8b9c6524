"""The curated public API and the JSON schema's shape are pinned: changing them is a decision."""

from __future__ import annotations

import json

import mailtrace

EXPECTED_ALL = [
    "SCHEMA_VERSION",
    "ConfigurationError",
    "Defect",
    "EmptyInputError",
    "InputError",
    "Limits",
    "MailtraceError",
    "Policy",
    "Report",
    "UnreadableInputError",
    "UnsupportedFormatError",
    "__version__",
    "analyze",
    "analyze_bytes",
    "analyze_many",
]

TOP_KEYS = [
    "schema_version",
    "source",
    "message",
    "received",
    "headers",
    "authentication",
    "path",
    "verification",
    "findings",
    "verdict",
    "defects",
    "attachments",
]
HOP_KEYS = {
    "index", "header_index", "raw", "from", "by", "via", "with", "id", "for", "envelope_from",
    "tls", "authenticated", "auth", "timestamp", "software", "kind", "defects",
}  # fmt: skip


def test_all_is_pinned_in_isort_order() -> None:
    # constants, then classes, then functions, each sorted (ruff RUF022 keeps it so)
    assert mailtrace.__all__ == EXPECTED_ALL
    for name in mailtrace.__all__:
        assert hasattr(mailtrace, name)


def test_report_has_every_schema_key_even_for_empty_input() -> None:
    for raw in (b"", b"Subject: x\n\n", b"Received: from a by b; Mon, 13 May 2024 10:00:00 +0000\n\n"):
        doc = json.loads(mailtrace.analyze(raw).to_json())
        assert list(doc) == TOP_KEYS
        assert doc["schema_version"] == mailtrace.SCHEMA_VERSION
        for hop in doc["received"]:
            assert set(hop) >= HOP_KEYS
            assert set(hop["from"]) == {"helo", "rdns", "ip", "port", "ident"}
            assert set(hop["by"]) == {"host", "ip"}
        assert {"originator", "envelope", "resent", "list", "client"} <= set(doc["headers"])


def test_unknown_values_are_null_not_invented() -> None:
    doc = mailtrace.analyze(b"Received: by b\n\n").to_dict()
    hop = doc["received"][0]
    assert hop["timestamp"] is None
    assert hop["from"]["ip"] is None
    assert doc["headers"]["originator"]["from"] is None
