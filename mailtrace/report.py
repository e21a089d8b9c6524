"""The analysis report and its versioned JSON form (``docs/schema.md``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mailtrace.defects import Defect, defects_to_list
from mailtrace.load.sources import Source
from mailtrace.model.fields import Message
from mailtrace.model.frozen import fast_init
from mailtrace.model.headers import Headers
from mailtrace.model.received import Received

if TYPE_CHECKING:
    from mailtrace.auth.results import Verification
    from mailtrace.enrich.run import EnrichmentReport
    from mailtrace.indicators.model import Indicators
    from mailtrace.parse.auth import Authentication
    from mailtrace.trace.model import Path
    from mailtrace.verdict.catalogue import Finding
    from mailtrace.verdict.classify import Verdict

#: Bumped on any change of the JSON shape: major for removals/renames, minor for additions.
SCHEMA_VERSION = "1.1"


@dataclass(frozen=True, slots=True, kw_only=True)
class Report:
    """Everything mailtrace found out about one message."""

    source: Source
    message: Message
    headers: Headers
    received: tuple[Received, ...]
    authentication: Authentication | None = None
    path: Path | None = None
    verification: Verification | None = None
    findings: tuple[Finding, ...] = ()
    verdict: Verdict | None = None
    defects: tuple[Defect, ...] = ()
    enrichment: EnrichmentReport | None = None  #: only when ``Policy.enrichment`` asked (``docs/enrichment.md``)
    indicators: Indicators | None = None  #: only when ``Policy.indicators`` asked (``docs/indicators.md``)

    def to_dict(self) -> dict[str, Any]:
        return self._doc(row=False)

    def _doc(self, *, row: bool) -> dict[str, Any]:
        """The JSON form; with ``row``, only what :func:`~mailtrace.render.row.row_from_dict` reads of it.

        The row reads no authentication header, enrichment or indicator, and of the path only its border:
        those sections are left out (``None``; the path as ``{"border": ...}``), which spares about a third of
        the JSON form's cost, the path's hops and actors most of it.
        """
        msg = self.message
        path: dict[str, Any] | None = None
        if self.path is not None:
            border = self.path.border
            path = {"border": None if border is None else border.to_dict()} if row else self.path.to_dict()
        doc: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "source": self.source.to_dict(),
            "message": {
                "size": len(msg.raw),
                "header_bytes": msg.body_offset,
                "fields": len(msg.fields),
                "header_only": msg.header_only,
                "newline": "CRLF" if msg.newline == "\r\n" else "LF",
                "mbox_from": msg.mbox_from,
            },
            "received": [r.to_dict() for r in self.received],
            "headers": self.headers.to_dict(),
            "authentication": None if row or self.authentication is None else self.authentication.to_dict(),
            "path": path,
            "verification": None if self.verification is None else self.verification.to_dict(),
            "findings": [f.to_dict() for f in self.findings],
            "verdict": None if self.verdict is None else self.verdict.to_dict(),
            "defects": defects_to_list(self.defects),
            "attachments": [a.to_dict() for a in self.source.attachments],
        }
        if row:
            return doc
        if self.enrichment is not None:
            doc["enrichment"] = self.enrichment.to_dict()
        if self.indicators is not None:
            doc["indicators"] = self.indicators.to_dict()
        return doc

    def to_json(self, *, indent: int | None = 2) -> str:
        """The JSON text; C1, bidi and invisible characters are ``\\uXXXX`` escapes (``render/safe.py``)."""
        from mailtrace.render.stream import dumps

        return dumps(self.to_dict(), indent=indent)

    def to_row(self) -> dict[str, str]:
        """One flat row: the columns of ``--format csv`` (``docs/cli.md``), values unescaped; the row
        ``row_from_dict(self.to_dict())`` gives, read from the parts of the JSON form it needs."""
        from mailtrace.render.row import row_from_dict

        return row_from_dict(self._doc(row=True))


# one Report per message: its fields stored through their slots, not by name through object.__setattr__
fast_init(Report)
