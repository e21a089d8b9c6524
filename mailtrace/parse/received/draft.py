"""The working state of one ``Received:`` parse: the scanned line and the fields found so far.

:class:`Line` is what dialect modules read (the clauses, the comments, a
lower-cased copy of the text for cheap substring tests); :class:`Draft` is
what they write. :func:`Draft.build` freezes the draft into the
:class:`~mailtrace.model.received.Received` model.
"""

from __future__ import annotations

from datetime import datetime

from mailtrace.defects import Defect
from mailtrace.model.received import Received, make_endpoint, make_received, make_receiving_host, make_tls
from mailtrace.parse.received.clauses import Clause, Clauses
from mailtrace.parse.received.scanner import LITERAL, ScanResult


def _first(clause: Clause) -> str | None:
    if not clause.values:
        return None
    kind, text = clause.values[0]
    return f"[{text}]" if kind == LITERAL else text


class Line:
    """One scanned ``Received:`` value."""

    __slots__ = (
        "_comments",
        "by_comment",
        "by_host",
        "by_keyword",
        "by_tail",
        "clauses",
        "from_value",
        "low",
        "scan",
        "text",
        "with_word",
    )

    def __init__(self, text: str, scan: ScanResult, clauses: Clauses) -> None:
        self.text = text
        self.low = text.lower()
        self.scan = scan
        self.clauses = clauses
        #: the clauses by keyword (``clauses.by_keyword``)
        self.by_keyword = by_keyword = clauses.by_keyword
        self._comments: list[str] | None = clauses.comments  # the splitter's list, when it made one
        by = by_keyword.get("by")
        #: the ``by`` name, lower-case ("" when absent)
        self.by_host = ""
        #: the ``by`` clause's comments joined, lower-case
        self.by_comment = ""
        #: the last two labels of ``by_host`` (all of it when it has fewer)
        self.by_tail = ""
        if by is not None:
            host = self.by_host = (_first(by) or "").lower()
            if by.comments:
                self.by_comment = " ".join(by.comments).lower()
            dot = host.rfind(".")
            self.by_tail = host[host.rfind(".", 0, dot) + 1 :] if dot > 0 else host
        with_ = by_keyword.get("with")
        #: the first ``with`` word, lower-case
        self.with_word = (_first(with_) or "").lower() if with_ is not None else ""
        from_ = by_keyword.get("from")
        #: the first ``from`` word or literal, as written
        self.from_value = (_first(from_) or "") if from_ is not None else ""

    @property
    def comments(self) -> list[str]:
        """Every comment of the line, in order (inner text, nested comments kept as text)."""
        if self._comments is None:
            self._comments = self.clauses.all_comments()
        return self._comments

    def clause(self, keyword: str) -> Clause | None:
        return self.clauses.by_keyword.get(keyword)

    def first_word(self, keyword: str) -> str | None:
        """The first word or literal of clause ``keyword`` (literals keep their brackets)."""
        clause = self.clauses.by_keyword.get(keyword)
        return None if clause is None else _first(clause)

    def by_comments(self) -> list[str]:
        clause = self.clauses.by_keyword.get("by")
        return clause.comments if clause is not None else []


#: Longest value kept in any single field of a hop (hostile-input bound).
MAX_FIELD_CHARS = 512
#: Most defects kept on one hop.
MAX_DEFECTS = 32


def _cap(value: str | None) -> str | None:
    return value if value is None or len(value) <= MAX_FIELD_CHARS else value[:MAX_FIELD_CHARS]


class Draft:
    """Mutable field values while a line is interpreted."""

    __slots__ = (
        "auth",
        "authenticated",
        "by_host",
        "by_ip",
        "defects",
        "envelope_from",
        "for_",
        "helo",
        "id",
        "ident",
        "ip",
        "kind",
        "port",
        "rdns",
        "software",
        "timestamp",
        "tls",
        "tls_bits",
        "tls_cipher",
        "tls_details",
        "tls_version",
        "via",
        "with_",
    )

    def __init__(self) -> None:
        self.helo: str | None = None
        self.rdns: str | None = None
        self.ip: str | None = None
        self.port: int | None = None
        self.ident: str | None = None
        self.by_host: str | None = None
        self.by_ip: str | None = None
        self.via: str | None = None
        self.with_: str | None = None
        self.id: str | None = None
        self.for_: str | None = None
        self.envelope_from: str | None = None
        self.tls = False
        self.tls_version: str | None = None
        self.tls_cipher: str | None = None
        self.tls_bits: int | None = None
        self.tls_details: list[tuple[str, str]] = []
        self.authenticated = False
        self.auth: str | None = None
        self.timestamp: datetime | None = None
        self.software: str | None = None
        self.kind: str | None = None
        self.defects: list[Defect] = []

    def defect(self, code: str, message: str) -> None:
        self.defects.append(Defect(code, message))

    def build(self, *, index: int, header_index: int, raw: str) -> Received:
        tls = None
        if self.tls or self.tls_version or self.tls_cipher:
            details = self.tls_details
            tls = make_tls(
                self.tls_version,
                self.tls_cipher,
                self.tls_bits,
                tuple([(k, v[:MAX_FIELD_CHARS]) for k, v in details[:16]]) if details else (),
            )
        if len(raw) <= MAX_FIELD_CHARS:
            # No field can be longer than the value it was read from: skip the caps.
            return make_received(
                index,
                header_index,
                raw,
                make_endpoint(self.helo, self.rdns, self.ip, self.port, self.ident),
                make_receiving_host(self.by_host, self.by_ip),
                self.via,
                self.with_,
                self.id,
                self.for_,
                self.envelope_from,
                tls,
                self.authenticated,
                self.auth,
                self.timestamp,
                self.software,
                self.kind,
                tuple(self.defects[:MAX_DEFECTS]),
            )
        return make_received(
            index,
            header_index,
            raw,
            make_endpoint(_cap(self.helo), _cap(self.rdns), self.ip, self.port, _cap(self.ident)),
            make_receiving_host(_cap(self.by_host), self.by_ip),
            _cap(self.via),
            _cap(self.with_),
            _cap(self.id),
            _cap(self.for_),
            _cap(self.envelope_from),
            tls,
            self.authenticated,
            _cap(self.auth),
            self.timestamp,
            self.software,
            self.kind,
            tuple(self.defects[:MAX_DEFECTS]),
        )
