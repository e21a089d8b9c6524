"""The dialect-independent reading of each clause (RFC 5321 section 4.4).

``from`` gives the client (:func:`read_from`), ``by`` the receiving host,
``with`` the protocol keyword, ``id``, ``for`` and ``via`` their values, the
text after the last ``;`` the date. ``software`` (set by the dialect detector
before this runs) settles the one ambiguity the generic rules cannot: in
``from NAME ([ip])`` Exim and qmail write the verified reverse name as
``NAME`` and omit a HELO equal to it, while Sendmail and Exchange write the
HELO argument and had no reverse name.
"""

from __future__ import annotations

import re

from mailtrace.parse.dates import parse_date, usual_date
from mailtrace.parse.received.clauses import Clause
from mailtrace.parse.received.comments import read_comments
from mailtrace.parse.received.draft import Draft, Line
from mailtrace.parse.received.ipaddr import canonical_ip, split_port
from mailtrace.parse.received.keywords import implies_auth, implies_tls, kind_of, normalise_with
from mailtrace.parse.received.scanner import ANGLE, COMMENT, LITERAL, QUOTED, WORD
from mailtrace.parse.received.tcpinfo import NOT_TCPINFO, TcpInfo, bare_ip, read_tcpinfo

#: Software whose ``from NAME ([ip])`` means NAME is the verified reverse name.
_NAME_IS_RDNS = frozenset({"exim", "qmail"})
_MAX_VALUE = 512
_DATE_START = frozenset("0123456789")
#: ``rdns [ipv4]`` with a name :func:`read_tcpinfo` reads as a plain word (see :func:`_from_name_v4`).
_NAME_V4 = re.compile(r'([^\s()\[\]"@=:]++) \[([0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3})\]')
_NOT_NAME_V4 = (*NOT_TCPINFO, "account ")
#: A comment of address characters only (Exchange's ``from NAME (2603:10a6::18)``, see :func:`_from_name_ip`).
_ADDRESS_ONLY = re.compile(r"[0-9A-Fa-f:.]++")
_HELO_WORDS = frozenset({"helo", "ehlo", "lhlo"})
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: Go's time.Time String() form that SendGrid writes without a ";": 2018-04-26 13:39:20.563478155 +0000 UTC
_GO_TIME = re.compile(r"(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,9}))? ([+-]\d\d)(\d\d)\b")


def _clean_host(text: str) -> str | None:
    text = text.strip().rstrip(";,")
    if text.endswith(".") and len(text) > 1:
        text = text.rstrip(".")
    return text[:_MAX_VALUE] or None


def _rdns(text: str | None) -> str | None:
    if text is None:
        return None
    value = _clean_host(text)
    if value is None or value.lower() == "unknown" or value.startswith("["):
        return None
    return value


def read_from(line: Line, draft: Draft) -> None:
    """Client identity from the ``from`` clause: HELO claim, reverse name, IP, port, ident."""
    clause = line.by_keyword.get("from")
    if clause is None:
        return
    values, comments = clause.values, clause.comments
    if len(comments) == 1 and len(values) == 1 and values[0][0] == WORD:
        value, comment = values[0][1], comments[0]
        if _from_name_v4(value, comment, draft) or _from_name_ip(value, comment, draft):
            return
    read_from_clause(line, clause, draft)


def read_from_clause(line: Line, clause: Clause, draft: Draft) -> None:
    """The general reading of the ``from`` clause (every shape)."""
    value: str | None = None
    value_is_literal = False
    second_literal: str | None = None
    for kind, text in clause.values:
        if value is None:
            if kind == LITERAL:
                value, value_is_literal = text, True
            elif kind in (WORD, QUOTED) or kind == ANGLE:
                value = text
        elif kind == LITERAL and second_literal is None:
            second_literal = text
    info: TcpInfo | None = None
    helo_claim: str | None = None
    for comment in clause.comments:
        low = comment[:24].lower().lstrip()
        if low.startswith(NOT_TCPINFO):
            continue
        got = read_tcpinfo(comment)
        if low.startswith("account "):
            # CommuniGate "(account user@example.org HELO name)": only the HELO is TCP-info.
            helo_claim = helo_claim or got.helo
            continue
        if got.helo and helo_claim is None:
            helo_claim = got.helo
        if got.ident and draft.ident is None:
            draft.ident = got.ident[:_MAX_VALUE]
        if got.ip is not None and info is None:
            info = got
    if any("may be forged" in c for c in clause.comments):
        # Sendmail: the reverse name does not resolve back to the address.
        draft.defect("received.rdns_unverified", "the server marked the reverse name '(may be forged)'")
    shown = f"[{value}]" if value_is_literal and value is not None else value
    if info is not None:
        draft.ip = info.ip
        draft.port = info.port
        if info.rdns is not None:
            # Postfix / Sendmail / Courier: from HELO (rdns [ip])
            draft.rdns = _rdns(info.rdns)
            draft.helo = _clean_host(shown) if shown else None
        elif helo_claim is not None and not _is_qmail_helo(clause.comments):
            # Exim: from rdns ([ip]:port helo=name)
            draft.rdns = None if value_is_literal else _rdns(value)
            draft.helo = helo_claim
        elif helo_claim is not None:
            # qmail: from rdns (HELO name) (ip)
            draft.rdns = None if value_is_literal else _rdns(value)
            draft.helo = helo_claim
        elif draft.software in _NAME_IS_RDNS and not value_is_literal:
            # The HELO is written only when it differs from the reverse name, so it equals
            # that name; with no reverse name ("unknown") it is not known.
            draft.rdns = _rdns(value)
            draft.helo = draft.rdns
        else:
            draft.helo = _clean_host(shown) if shown else None
    else:
        if value_is_literal and value is not None:
            literal, draft.port = split_port(value)
            draft.ip = canonical_ip(literal)
        elif second_literal is not None:
            # "from name [192.0.2.1]": Exim 3 writes the verified reverse name there,
            # fetchmail and others the HELO.
            literal, draft.port = split_port(second_literal)
            draft.ip = canonical_ip(literal)
            if draft.software in _NAME_IS_RDNS and helo_claim is None and value is not None:
                draft.rdns = _rdns(value)
        elif value is not None and value[:1].isdigit() and canonical_ip(value) is not None:
            # "from 192.0.2.1 by ..." / qmail "from 192.0.2.1 (HELO name)": the MTA wrote the
            # client address where it had no reverse name.
            draft.ip = canonical_ip(value)
            draft.helo = helo_claim
            _check_helo(draft)
            return
        else:
            for extra in line.clauses.extra:
                if extra.keyword == "from" and extra.values and extra.values[0][0] == LITERAL:
                    draft.ip = canonical_ip(extra.values[0][1])
                    break
        if helo_claim is None and value_is_literal:
            # "from (helo.name) [192.0.2.1]": the HELO written as a lone comment.
            helo_claim = next((c.strip() for c in clause.comments if _is_bare_name(c)), None)
        if helo_claim is not None:
            draft.helo = helo_claim
            if not value_is_literal and value is not None:
                draft.rdns = _rdns(value)
        elif shown is not None and not value_is_literal:
            # "from name by ...": the only name given is the client's HELO.
            # "from [192.0.2.1] by ...": an address and no HELO at all.
            draft.helo = _clean_host(shown)
    _check_helo(draft)


def _from_name_v4(value: str, comment: str, draft: Draft) -> bool:
    """``from HELO (rdns [192.0.2.1])`` (Postfix, Sendmail, Gmail: a third of all lines) read directly.

    Gives what the general reading gives for this one shape and answers ``False`` for
    anything else: the name has none of the characters that make :func:`read_tcpinfo`
    read it as a ``key=value``, an ident (``user@``, ``IDENT:``), a quoted word or an
    address; the comment is not one that is never TCP-info; the literal is an address.
    """
    m = _NAME_V4.fullmatch(comment)
    if m is None or comment[:24].lower().startswith(_NOT_NAME_V4):
        return False
    name, literal = m.groups()
    if name.lower() in _HELO_WORDS or bare_ip(name) is not None:
        return False
    ip = canonical_ip(literal)
    if ip is None:
        return False
    draft.ip = ip
    draft.rdns = _rdns(name)
    draft.helo = _clean_host(value)
    _check_helo(draft)
    return True


def _from_name_ip(value: str, comment: str, draft: Draft) -> bool:
    """``from NAME (address)`` (Exchange, a quarter of all lines) read directly.

    For a comment of address characters only that :func:`bare_ip` reads, :func:`read_tcpinfo`
    gives that address and nothing else (no name, HELO, ident or port; no such comment starts
    like one that is never TCP-info), so the general reading keeps ``NAME`` as the HELO, or as
    the reverse name and the HELO for the software that writes the reverse name there.
    Answers ``False`` for anything else.
    """
    if _ADDRESS_ONLY.fullmatch(comment) is None:
        return False
    ip = bare_ip(comment)
    if ip is None:
        return False
    draft.ip = ip
    draft.port = None
    if draft.software in _NAME_IS_RDNS:
        draft.rdns = _rdns(value)
        draft.helo = draft.rdns
    else:
        draft.helo = _clean_host(value)
    _check_helo(draft)
    return True


def _is_bare_name(comment: str) -> bool:
    text = comment.strip()
    return 0 < len(text) <= 255 and "." in text and not any(ch in text for ch in " =@[]:\t")


def _is_qmail_helo(comments: list[str]) -> bool:
    return any(c[:5].upper() in ("HELO ", "EHLO ", "LHLO ") for c in comments)


def _check_helo(draft: Draft) -> None:
    helo = draft.helo
    if not helo or draft.ip is None:
        return
    if helo.startswith("[") or helo[:1].isdigit():
        claimed = canonical_ip(helo)
        if claimed is not None and claimed != draft.ip:
            draft.defect(
                "received.helo_ip_mismatch",
                f"HELO names the address {claimed} but the client connected from {draft.ip}",
            )


def read_by(line: Line, draft: Draft) -> None:
    clause = line.by_keyword.get("by")
    if clause is None:
        return
    for kind, text in clause.values:
        if kind == LITERAL:
            draft.by_ip = canonical_ip(split_port(text)[0])
            draft.by_host = f"[{text}]"[:_MAX_VALUE]
        else:
            draft.by_host = _clean_host(text)
            if draft.by_host and (draft.by_host[0].isdigit() or ":" in draft.by_host):
                draft.by_ip = canonical_ip(draft.by_host)
        break
    if draft.by_ip is None:
        for comment in clause.comments:
            c = comment.strip()
            if c[:1] == "[" and c.endswith("]"):
                c = c[1:-1]
            if c[:1].isdigit() or c[:1] in ":fF" or c[:5].lower() == "ipv6:":
                ip = canonical_ip(c)
                if ip is not None:
                    draft.by_ip = ip
                    break


def read_with(line: Line, draft: Draft) -> None:
    clause = line.by_keyword.get("with")
    if clause is None:
        return
    values = clause.values
    if len(values) == 1 and values[0][0] == WORD:
        # The usual one keyword ("with ESMTPS"): what read_with_words gives for one word.
        word = values[0][1]
        if not word.upper().startswith("ESMTP/TLS/"):
            draft.with_ = normalise_with([word])
            if word[:6].lower().startswith("x=tls"):
                read_comments([word[2:]], draft)
            return
    read_with_words([text for kind, text in values if kind == WORD], draft)


def read_with_words(words: list[str], draft: Draft) -> None:
    """The general reading of the ``with`` clause's words (every shape)."""
    if words and words[0].upper().startswith("ESMTP/TLS/"):
        # Cisco IronPort/Secure Email: "with ESMTP/TLS/ECDHE-RSA-AES256-GCM-SHA384"
        draft.tls = True
        draft.tls_cipher = words[0][10:130] or None
        words[0] = "ESMTPS"
    draft.with_ = normalise_with(words)
    # Exim 4.9x: "with esmtps  (TLS1.3) tls TLS_AES_256_GCM_SHA384"; Exim log style "X=TLS1.3:CIPHER:256"
    for i, word in enumerate(words):
        low = word[:6].lower()
        if low == "tls" and i + 1 < len(words):
            draft.tls = True
            draft.tls_cipher = draft.tls_cipher or words[i + 1][:120]
            break
        if low.startswith("x=tls"):
            read_comments([word[2:]], draft)
            break


def read_simple(line: Line, draft: Draft) -> None:
    """``id``, ``for`` and ``via`` clauses."""
    clause = line.by_keyword.get("id")
    if clause is not None and clause.values:
        kind, text = clause.values[0]
        draft.id = (f"<{text}>" if kind == ANGLE else text.rstrip(";,"))[:_MAX_VALUE] or None
    clause = line.by_keyword.get("for")
    if clause is not None and clause.values:
        kind, text = clause.values[0]
        value = text.strip().rstrip(";,")
        if kind == WORD:
            value = value.strip("<>")
        draft.for_ = value[:_MAX_VALUE] or None
    clause = line.by_keyword.get("via")
    if clause is not None and clause.values:
        words = [text for kind, text in clause.values[:4] if kind == WORD]
        draft.via = " ".join(words)[:_MAX_VALUE] or None


def read_protocol_flags(draft: Draft) -> None:
    if implies_tls(draft.with_):
        draft.tls = True
    if implies_auth(draft.with_):
        draft.authenticated = True
        draft.auth = draft.auth or draft.with_
    if draft.with_ == "ESMTP" and draft.tls and (draft.tls_version or draft.tls_cipher):
        draft.with_ = "ESMTPS" if not draft.authenticated else "ESMTPSA"


def read_kind(line: Line, draft: Draft) -> None:
    """Default ``kind``: from the protocol keyword, else from the clause shape."""
    if draft.kind is not None:
        return
    kind = kind_of(draft.with_)
    if kind is None and draft.ip is not None:
        kind = "smtp"
    if line.by_keyword.get("from") is None and draft.ip is None:
        # Nothing recorded about a client: the message entered the system at this host,
        # from another of its own components (SMTP keyword) or a local program (none).
        if kind == "smtp":
            kind = "internal"
        elif kind is None and line.by_keyword.get("by") is not None:
            kind = "local"
    draft.kind = kind


def read_date(line: Line, draft: Draft) -> None:
    """The ``;`` date-time (RFC 5322 section 3.3), or a trailing date with no ``;`` (SendGrid)."""
    clauses = line.clauses
    if not clauses.has_semi:
        words = _trailing_date(line)
    elif clauses.date_words is not None:
        words = clauses.date_words
    else:
        words = [text for kind, text in clauses.date_tokens if kind != COMMENT]
    if not words:
        draft.defect("received.date_missing", "no date-time after ';'")
        return
    text = " ".join(words[:16])
    # The Go form starts "YYYY-": test that character before running the pattern.
    go = _GO_TIME.match(text) if text[4:5] == "-" else None
    if go is not None:
        frac = f".{(go.group(3) or '0')[:6]:0<6}"
        text = f"{go.group(1)}T{go.group(2)}{frac}{go.group(4)}:{go.group(5)}"
    stamp, defects = usual_date(text) or parse_date(text)
    if stamp is None and not clauses.has_semi:
        draft.defect("received.date_missing", "no date-time after ';'")
        return
    draft.timestamp = stamp
    draft.defects.extend(defects)
    if stamp is None:
        draft.defect("received.date_unparseable", f"cannot read the date {text[:80]!r}")


def _trailing_date(line: Line) -> list[str]:
    """Words after the last clause value that look like a date (no ``;``)."""
    order = line.clauses.order
    if not order:
        return []
    last = order[-1]
    values = last.values
    for start in range(1, len(values)):
        kind, text = values[start]
        if kind != WORD:
            continue
        head = text[:3].lower()
        if text[:1] in _DATE_START or head in _WEEKDAYS:
            return [t for k, t in values[start:] if k == WORD]
    return []
