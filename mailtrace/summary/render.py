"""A :class:`~mailtrace.summary.Summary` as text, JSON or CSV (every string from mail made safe)."""

from __future__ import annotations

from typing import Any

from mailtrace.render.csv import csv_lines
from mailtrace.render.safe import visible
from mailtrace.render.stream import dumps
from mailtrace.summary.counts import TABLES
from mailtrace.summary.summary import Summary

CSV_COLUMNS = ("section", "key", "count", "share", "first", "last", "verdicts", "providers", "examples")
TEXT_TOP = 15


def summary_json(summary: Summary, *, top: int | None = None) -> str:
    return dumps(summary.to_dict(top=top), indent=2) + "\n"


def _share(count: int, total: int) -> str:
    return f"{100 * count / total:.1f}%" if total else ""


def _verdicts(verdicts: dict[str, int]) -> str:
    return ", ".join(f"{name} {count}" for name, count in verdicts.items())


def _span(first: str | None, last: str | None) -> str:
    if not first or not last:
        return "no dates"
    return first[:10] if first[:10] == last[:10] else f"{first[:10]} .. {last[:10]}"


def summary_text(summary: Summary, *, top: int | None = TEXT_TOP) -> str:
    doc = summary.to_dict(top=top)
    total = doc["messages"]
    lines = [f"mailtrace summary: {total} messages, {doc['errors']} inputs failed"]
    for name, title in TABLES.items():
        table: dict[str, int] = doc["counts"][name]
        lines += ["", title]
        width = max((len(visible(k)) for k in table), default=0)
        for key, count in table.items():
            lines.append(f"  {visible(key):<{width}}  {count:>7}  {_share(count, total):>6}")
    clusters: list[dict[str, Any]] = doc["clusters"]
    lines += ["", "Campaign clusters (messages sharing sending infrastructure)"]
    if not clusters:
        lines.append("  (none: no two messages share an origin network, identity, HELO or Message-ID pattern)")
    for c in clusters:
        via = f"; via {visible(', '.join(c['providers']))}" if c["providers"] else ""
        lines.append(
            f"  {c['dimension']} {visible(c['key'])}: {c['count']} messages, {_span(c['first'], c['last'])}; "
            f"{visible(_verdicts(c['verdicts']))}{via}"
        )
        lines.append(f"      e.g. {visible(', '.join(c['examples']))}")
    if doc["failed_inputs"]:
        lines += ["", "Failed inputs"]
        for record in doc["failed_inputs"]:
            source: Any = record.get("source")
            label = source.get("name") if isinstance(source, dict) else source
            lines.append(f"  {visible(str(label))}: {visible(str(record.get('error', {}).get('code')))}")
    return "\n".join(lines) + "\n"


def summary_csv(summary: Summary, *, top: int | None = None) -> str:
    doc = summary.to_dict(top=top)
    total = doc["messages"]
    rows: list[list[object]] = [list(CSV_COLUMNS)]
    for name in TABLES:
        for key, count in doc["counts"][name].items():
            rows.append([name, key, count, _share(count, total), "", "", "", "", ""])
    for c in doc["clusters"]:
        rows.append(
            [
                f"cluster:{c['dimension']}",
                c["key"],
                c["count"],
                _share(c["count"], total),
                c["first"] or "",
                c["last"] or "",
                _verdicts(c["verdicts"]),
                _verdicts(c["providers"]),
                " ".join(c["examples"]),
            ]
        )
    return csv_lines(rows)


RENDERERS = {"text": summary_text, "json": summary_json, "csv": summary_csv}
