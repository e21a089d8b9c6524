"""``Received:`` trace-field parser (provisional: the multi-dialect parser replaces it)."""

from __future__ import annotations

import re

from mailtrace.defects import Defect
from mailtrace.model.fields import HeaderField
from mailtrace.model.received import Endpoint, Received, ReceivingHost
from mailtrace.parse.dates import parse_date

_CLAUSE = re.compile(r"(?:^|\s)(from|by|with|id|for|via)\s+(\S+)", re.IGNORECASE)
_IP = re.compile(r"\[(?:IPv6:)?([0-9A-Fa-f:.]+)\]")


def parse_received(field: HeaderField, index: int) -> Received:
    value = field.value
    body, sep, date_text = value.rpartition(";")
    if not sep:
        body, date_text = value, ""
    clauses: dict[str, str] = {}
    for m in _CLAUSE.finditer(body):
        clauses.setdefault(m.group(1).lower(), m.group(2))
    defects: list[Defect] = list(field.defects)
    stamp, date_defects = parse_date(date_text) if date_text.strip() else (None, ())
    if not date_text.strip():
        defects.append(Defect("received.date_missing", "no date after ';'"))
    defects.extend(date_defects)
    if "by" not in clauses:
        defects.append(Defect("received.no_by", "no 'by' clause"))
    ip = _IP.search(body.split(" by ", 1)[0]) if "from" in clauses else None
    return Received(
        index=index,
        header_index=field.index,
        raw=value,
        from_=Endpoint(helo=clauses.get("from"), ip=ip.group(1) if ip else None),
        by=ReceivingHost(host=clauses.get("by")),
        with_=clauses["with"].upper() if "with" in clauses else None,
        id=clauses.get("id"),
        for_=clauses.get("for", "").strip("<>;") or None,
        timestamp=stamp,
        defects=tuple(defects),
    )
