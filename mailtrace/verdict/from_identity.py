"""``From:`` as receivers read it: the mailbox a receiver authenticates, and what a reader sees.

RFC 5322 parsing (:mod:`mailtrace.parse.addresses`) reads ``From:`` as an address list and takes
its first mailbox. Receivers that apply DMARC do not: they look for the mailbox that holds an
address and authenticate its domain (RFC 7489 section 6.6.1). On a malformed field the two
readings part. ``From: Fgehen69, jehd <service@stayfriends.de>`` is, for the RFC parser, the
invalid mailbox ``Fgehen69`` then ``jehd <service@stayfriends.de>``; Microsoft 365 stamps
``header.from=stayfriends.de``, and a mail client shows the whole text as the sender's name.

:func:`from_identity` reads the raw field once, left to right (linear, bounded by
:data:`MAX_FROM_CHARS`), splitting it at the commas outside quotes, comments and angle brackets.
Each piece is one of:

* a *mailbox*: an address in ``<...>`` (outside quotes and comments), or a bare ``local@domain``;
* a *fragment*: text that holds no address (a display name cut off by an unquoted comma, a quoted
  string, an address inside a comment: receivers do not read those, and Microsoft stamps an empty
  ``header.from=`` for ``Name,(<a@b.example>)``).

The authenticated domain is the domain of the valid mailboxes. When none is valid, the domain
after the last ``@`` of an invalid one is used if it is a host name (``<a@b.example.>``,
``<mailto:a@b.example>``, ``<x@y@b.example>``: receivers read the domain there too). Choices
for the cases RFC 7489 section 6.6.1 leaves to the receiver:

* **several mailboxes, one domain**: that domain (DMARC evaluates one domain);
* **several mailboxes at different domains**: ``ambiguous``. Receivers may reject the message or
  evaluate every domain and apply the strictest result; mailtrace names the *first* mailbox's
  domain as ``domain``, lists them all in ``domains``, and reports ``header.from_ambiguous``, so
  that nothing rests on the choice silently;
* **several ``From:`` fields**: the topmost is read (as everywhere in mailtrace), and the message
  is ``ambiguous`` too;
* **no address at all**: ``domain`` is ``None``; nothing can authenticate the ``From:`` domain.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mailtrace.model.addresses import Address, make_address
from mailtrace.model.frozen import fast_init, fast_maker
from mailtrace.model.headers import AddressField, Headers
from mailtrace.parse.addresses import parse_addr_spec
from mailtrace.parse.encoded_words import decode_encoded_words
from mailtrace.trace.model import Evidence
from mailtrace.verdict.catalogue import Finding, Severity, finding

#: Longest ``From:`` text read (hostile-input bound); the rest is ignored.
MAX_FROM_CHARS = 4096
#: Most pieces (comma-separated parts) read from one ``From:``.
MAX_PIECES = 64
#: Longest ``displayed`` text kept.
MAX_DISPLAYED = 300

#: A host name: LDH labels, at least two, the last starting with a letter (linear: labels are
#: separated by a mandatory dot and cannot overlap).
#: Underscores are let in: receivers read ``a@x__y.example.br`` (Microsoft stamps that domain).
_HOST = re.compile(r"(?:[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.)+[A-Za-z][A-Za-z0-9-]{0,62}")
#: The domain of a valid address: LDH labels (one or more; ``localhost`` and other special names
#: are real in traces), so that text the address parser let through (``a@b,com``) is not a domain.
_LABELS = re.compile(r"(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_SPACES = re.compile(r"\s+")


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class FromIdentity:
    """``From:`` as a receiver authenticates it and as a mail client displays it.

    ``address`` and ``domain`` are the mailbox a receiver authenticates (``domain`` in lower-case
    ASCII, the DMARC ``RFC5322.From`` domain); ``displayed`` is what a mail client shows, the
    display name and address as written; ``display_name`` its name part (every fragment and the
    mailbox's own name). ``malformed`` is true when the field is not one clean list of mailboxes,
    ``ambiguous`` when it names several domains (or the message several ``From:`` fields);
    ``reason`` says what is wrong in words. ``mailbox`` is the authenticated mailbox (its
    ``domain`` is ``domain``, also when read from an invalid address); ``mailboxes`` are the
    pieces that hold an address, in field order, valid or not; ``fragments`` the pieces that
    hold none.
    """

    address: str | None
    domain: str | None
    displayed: str
    mailbox: Address | None = None
    display_name: str | None = None
    malformed: bool = False
    ambiguous: bool = False
    domains: tuple[str, ...] = ()
    mailboxes: tuple[Address, ...] = ()
    fragments: tuple[str, ...] = ()
    reason: str | None = None
    header_index: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "address": self.address,
            "domain": self.domain,
            "displayed": self.displayed,
            "display_name": self.display_name,
            "malformed": self.malformed,
            "ambiguous": self.ambiguous,
            "domains": list(self.domains),
            "fragments": list(self.fragments),
            "reason": self.reason,
        }


@dataclass(slots=True)
class _Piece:
    text: str  #: the piece as written (stripped)
    name: str  #: its text outside ``<...>`` and comments, quotes removed
    spec: str | None  #: the address in ``<...>``, or a bare ``local@domain``


#: The characters that end a run of plain text: at the top level, inside a quoted string, inside a comment.
_TOP_SPECIAL = re.compile(r'[,;"(<]')
_QUOTED_SPECIAL = re.compile(r'["\\]')
_COMMENT_SPECIAL = re.compile(r"[()\\]")


def _split(value: str) -> list[_Piece]:
    """The pieces of ``value`` between top-level commas; one pass over the text (linear).

    Runs of plain text are taken whole (each ``search`` starts where the last one ended): a piece's
    text is the slice of ``value`` it spans, its name the plain text outside ``<...>`` and comments
    (a quoted string's content without the quotes and escaping backslashes), its spec the first
    ``<...>``'s content (to the end of the value when unclosed).
    """
    pieces: list[_Piece] = []
    name: list[str] = []
    spec: str | None = None
    begin = 0  # where the current piece's text begins
    i = 0
    n = len(value)
    top, quoted_special, comment_special = _TOP_SPECIAL.search, _QUOTED_SPECIAL.search, _COMMENT_SPECIAL.search

    def close(end: int) -> None:
        raw = value[begin:end].strip()
        if raw:
            shown = "".join(name).strip()
            if spec is None and " " not in shown and "@" in shown and '"' not in raw:
                # a bare addr-spec: the whole piece is the address, there is no name
                pieces.append(_Piece(raw, "", shown))
            else:
                pieces.append(_Piece(raw, shown, spec))
        name.clear()

    while i < n:
        m = top(value, i)
        if m is None:
            name.append(value[i:])
            break
        j = m.start()
        if j > i:
            name.append(value[i:j])
        ch = value[j]
        i = j + 1
        if ch == "," or (ch == ";" and spec is not None):
            close(j)
            spec = None
            begin = i
            if len(pieces) >= MAX_PIECES:
                return pieces
        elif ch == ";":
            name.append(ch)
        elif ch == '"':  # a quoted string: its text, backslashes dropped, is part of the name
            while i < n:
                q = quoted_special(value, i)
                if q is None:
                    name.append(value[i:])
                    i = n
                    break
                k = q.start()
                if k > i:
                    name.append(value[i:k])
                if value[k] == '"':
                    i = k + 1
                    break
                name.append(value[k + 1 : k + 2])  # the escaped character
                i = k + 2
        elif ch == "(":  # a comment (nested, with escapes): text, never name
            depth = 1
            while depth and i < n:
                q = comment_special(value, i)
                if q is None:
                    i = n
                    break
                k = q.start()
                c = value[k]
                i = k + 2 if c == "\\" else k + 1
                depth += 1 if c == "(" else -1 if c == ")" else 0
        else:  # "<": the first <...> of a piece is its spec; unclosed, the rest of the value
            k = value.find(">", i)
            if k < 0:
                if spec is None:
                    spec = value[i:].strip() or None
                i = n
            else:
                if spec is None:
                    spec = value[i:k].strip()
                i = k + 1
    close(n)
    return pieces


def _mailbox(piece: _Piece) -> Address | None:
    if piece.spec is None:
        return None
    spec = piece.spec
    base = parse_addr_spec(spec)
    name = _decoded(piece.name) or None
    if base.null:
        return Address(display_name=name, address="", local_part=None, domain=None, null=True, valid=False)
    domain = base.domain
    valid = (
        base.valid
        and domain is not None
        and not spec.endswith(".")  # a trailing dot: invalid in a header address (RFC 5322 dot-atom)
        and (domain.startswith("[") or _LABELS.fullmatch(domain) is not None)
    )
    if not valid:
        # Receivers read the domain of an invalid address with one "@", a local part and a host
        # name after it (a trailing dot, a "mailto:" prefix); not of "<@host>" or "a@b@host".
        local, at, host = spec.partition("@")
        host = host.strip().rstrip(".")
        domain = host.lower() if at and local.strip() and _HOST.fullmatch(host) else None
    return make_address(
        name,
        base.address,
        base.local_part,
        domain,
        base.domain_unicode if valid else domain,
        False,
        valid,
        base.defects,
    )


def _decoded(text: str) -> str:
    decoded, _ = decode_encoded_words(text) if "=?" in text else (text, ())
    return _SPACES.sub(" ", decoded).strip()


def _duplicate_from(headers: Headers) -> bool:
    defects = headers.defects
    if not defects:  # the usual message: no generator to start
        return False
    return any(d.code == "header.duplicate" and " from fields" in d.message for d in defects)


#: The last ``(headers, identity)`` read: ``verify`` (the DMARC domain) and ``judge`` read the same message's
#: ``From:`` one after the other. One entry; ``Headers`` is immutable and held, so ``is`` cannot be fooled.
_last: list[tuple[Headers, FromIdentity]] = []


def from_identity(headers: Headers) -> FromIdentity:
    """Read ``headers.from_`` as receivers do (see the module docstring); never raises.

    The reading of the last ``headers`` object is kept: the pipeline asks twice per message.
    """
    last = _last[:1]
    if last and last[0][0] is headers:
        return last[0][1]
    identity = _read(headers)
    _last[:] = [(headers, identity)]
    return identity


#: The usual ``From:``: one ``Name <spec>`` (or ``<spec>``), no comma, quote or comment, only white space after
#: it; ``_split`` reads it as one piece, the text before ``<`` its name, the first ``<...>`` its spec.
_ONE_NAMED = re.compile(r'([^,;"(<]*)<([^>]*)>[ \t\r\n]*')
#: The other usual one: a bare ``local@domain``, which ``_split`` reads as one piece that is all address.
_ONE_BARE = re.compile(r'[ \t\r\n]*([^\s,;"(<]*@[^\s,;"(<]*)[ \t\r\n]*')


def _one_piece(value: str) -> _Piece | None:
    """``_split(value)``'s one piece when ``value`` is a single plain mailbox, else ``None``."""
    one = _ONE_NAMED.fullmatch(value)
    if one is not None:
        return _Piece(value.strip(), one.group(1).strip(), one.group(2).strip())
    one = _ONE_BARE.fullmatch(value)
    if one is not None:
        return _Piece(one.group(1), "", one.group(1))
    return None


def _read(headers: Headers) -> FromIdentity:
    field: AddressField | None = headers.from_
    if field is None:
        return FromIdentity(address=None, domain=None, displayed="", malformed=True, reason="no From: field")
    value = field.value[:MAX_FROM_CHARS]
    piece = _one_piece(value)
    if piece is not None:
        mailbox = _mailbox(piece)
        if mailbox is not None and mailbox.valid and mailbox.domain and mailbox.address:
            return _one_valid(field, mailbox, mailbox.domain, _duplicate_from(headers))
    pieces = [piece] if piece is not None else _split(value)
    boxes = [(p, m) for p in pieces if (m := _mailbox(p)) is not None]
    loose = [p for p in pieces if p.spec is None]
    fragments = tuple(_decoded(p.text) for p in loose)
    valid = [m for _, m in boxes if m.valid and m.domain]
    pool = valid or [m for _, m in boxes if m.domain]
    domains = tuple(dict.fromkeys(m.domain for m in pool if m.domain))
    chosen = pool[0] if pool else None
    names = [n for p in loose if (n := _decoded(p.name) or _decoded(p.text))]
    if chosen is not None and chosen.display_name:
        names.append(chosen.display_name)
    display_name = ", ".join(names)[:MAX_DISPLAYED] or None
    if chosen is not None and chosen.address:
        displayed = f"{display_name} <{chosen.address}>" if display_name else chosen.address
    else:
        displayed = _decoded(field.value)
    displayed = displayed[:MAX_DISPLAYED]
    problems: list[str] = []
    if fragments:
        shown = "; ".join(repr(f[:60]) for f in fragments[:3])
        problems.append(f"text without an address before or between the mailboxes ({shown})")
    invalid = [m for _, m in boxes if not m.valid]
    if invalid:
        shown = ", ".join(repr(m.address[:80]) if m.address else "the empty address <>" for m in invalid[:3])
        problems.append(f"an invalid address ({shown})")
    if not boxes:
        problems.append("no address at all")
    elif not valid and chosen is not None:
        problems.append(f"no valid address; receivers read the domain {chosen.domain}")
    duplicate = _duplicate_from(headers)
    ambiguous = len(domains) > 1 or duplicate
    if len(domains) > 1:
        problems.append("mailboxes at several domains (" + ", ".join(domains[:4]) + ")")
    if duplicate:
        problems.append("several From: fields (the topmost is read)")
    return FromIdentity(
        address=chosen.address if chosen is not None else None,
        mailbox=chosen,
        domain=chosen.domain if chosen is not None else None,
        displayed=displayed,
        display_name=display_name,
        malformed=bool(fragments or invalid or not boxes),
        ambiguous=ambiguous,
        domains=domains,
        mailboxes=tuple(m for _, m in boxes),
        fragments=fragments,
        reason="; ".join(problems) or None,
        header_index=field.index,
    )


def _one_valid(field: AddressField, mailbox: Address, domain: str, duplicate: bool) -> FromIdentity:
    """:func:`_read` of a field that is one valid mailbox (``tests/verdict/test_verdict_speedpaths.py``)."""
    display_name = (mailbox.display_name or "")[:MAX_DISPLAYED] or None
    displayed = f"{display_name} <{mailbox.address}>" if display_name else mailbox.address
    return _make_identity(
        mailbox.address,
        domain,
        displayed[:MAX_DISPLAYED],
        mailbox,
        display_name,
        False,
        duplicate,
        (domain,),
        (mailbox,),
        (),
        "several From: fields (the topmost is read)" if duplicate else None,
        field.index,
    )


#: ``FromIdentity(...)`` with every field given in order (address, domain, displayed, mailbox, display_name,
#: malformed, ambiguous, domains, mailboxes, fragments, reason, header_index): the usual ``From:``'s reading.
_make_identity: Callable[..., FromIdentity] = fast_maker(FromIdentity)


def from_evidence(identity: FromIdentity) -> list[Evidence]:
    """The evidence of a finding about ``From:``: the field as a mail client shows it (160 characters)."""
    return [Evidence(text=f"From: {identity.displayed[:160]}", header="From", header_index=identity.header_index)]


def from_findings(identity: FromIdentity) -> list[Finding]:
    """``header.from_malformed`` / ``header.from_ambiguous``: what a reader sees and what is authenticated."""
    if not identity.malformed and not identity.ambiguous:
        return []
    if identity.header_index is None:
        return [
            finding(
                "header.from_malformed",
                "The message has no From: field: nothing names the author, and receivers find no domain to "
                "authenticate.",
            )
        ]
    ev = from_evidence(identity)
    shown = f'a mail client displays "{identity.displayed}"'
    if identity.domain is None:
        checked = "receivers find no domain to authenticate"
    else:
        checked = f"receivers authenticate {identity.domain} ({identity.address})"
    if identity.ambiguous:
        return [
            finding(
                "header.from_ambiguous",
                f"From: is ambiguous ({identity.reason}): {shown}. DMARC receivers may reject such a message or "
                f"check every domain (RFC 7489 section 6.6.1); mailtrace judges the first, "
                f"{identity.domain or 'none'}.",
                ev,
            )
        ]
    # Only an invalid address whose domain receivers still read, nothing else shown: a sloppy sender, low.
    minor = not identity.fragments and identity.domain is not None
    return [
        finding(
            "header.from_malformed",
            f"From: is malformed ({identity.reason}): {shown}; {checked}.",
            ev,
            severity=Severity.LOW if minor else None,
        )
    ]
