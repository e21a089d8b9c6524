"""What a batch holds, counted from rows (:mod:`mailtrace.render.row`), one row at a time."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from mailtrace.summary.patterns import network

#: The tables of a summary, in the order they are shown, with their titles.
TABLES = {
    "verdict": "Verdicts",
    "origin_network": "Origin networks (/24, /48)",
    "origin_provider": "Origin providers",
    "dkim_domain": "Authenticated identities: DKIM d= that pass",
    "spf_domain": "Authenticated identities: SPF domains that pass",
    "from_domain": "From: domains",
    "return_path_domain": "Return-Path domains",
}
NONE = "(none)"


def identities(row: Mapping[str, str], method: str | None = None) -> list[str]:
    """The domains of the row's ``authenticated_as`` column (``dkim:d.example spf:s.example``)."""
    out: list[str] = []
    for pair in row.get("authenticated_as", "").split():
        kind, _, domain = pair.partition(":")
        if domain and (method is None or kind == method) and domain not in out:
            out.append(domain)
    return out


def row_keys(row: Mapping[str, str]) -> dict[str, list[str]]:
    """The keys this row counts under, per table."""
    return_path = row.get("return_path", "")
    return {
        "verdict": [row.get("verdict") or NONE],
        "origin_network": [network(row.get("origin_ip", "")) or NONE],
        "origin_provider": [row.get("origin_provider") or NONE],
        "dkim_domain": identities(row, "dkim") or [NONE],
        "spf_domain": identities(row, "spf") or [NONE],
        "from_domain": [row.get("from_domain") or NONE],
        "return_path_domain": [return_path.rpartition("@")[2].lower() if "@" in return_path else return_path or NONE],
    }


class Counts:
    """One counter per table."""

    def __init__(self) -> None:
        self.tables: dict[str, Counter[str]] = {name: Counter() for name in TABLES}

    def add(self, row: Mapping[str, str]) -> None:
        for name, keys in row_keys(row).items():
            self.tables[name].update(keys)
