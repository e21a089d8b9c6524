"""Address lists in originator and envelope fields (RFC 5322 section 3.4).

Syntax only: email-validator with ``check_deliverability=False`` (no DNS),
cached. The null sender ``<>``, domain literals, quoted local parts, SRS and
VERP addresses are valid inputs. Special-use names that email-validator
refuses (``.local``, ``.test``, ``localhost``) are accepted here too: they are
real in traces, and a forensic tool must read them. Domains are IDNA-normalised.
"""

from __future__ import annotations

import re
import time
from contextvars import ContextVar

from email_validator import EmailNotValidError, validate_email

from mailtrace.defects import Defect
from mailtrace.memo import bounded_cache
from mailtrace.model.addresses import Address, make_address
from mailtrace.parse.address_list import read_address_list
from mailtrace.parse.encoded_words import decode_encoded_words

#: Longest address-list text read; longer text is cut (hostile input bound).
MAX_ADDRESS_LIST_CHARS = 16 * 1024

_ANGLE = re.compile(r"<([^<>]*)>")
#: Longest text whose result is cached (longer ones are parsed every time: the caches stay small).
_MAX_CACHED_CHARS = 1024
_BUDGET_SPENT = "the message's address time budget (Limits.address_time_budget) was spent"


class _Budget:
    __slots__ = ("deadline", "spent")

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.spent = False


_BUDGET: ContextVar[_Budget | None] = ContextVar("mailtrace_address_budget", default=None)


class address_budget:  # a context manager used like a function: ``with address_budget(seconds):``
    """Bound the CPU time the address parsers spend on one message (``Limits.address_time_budget``).

    CPU time of the calling thread, not wall time: a loaded machine never changes a result.

    Once spent, addresses are still read (linear, C-level patterns and the general reader)
    but not validated (defect ``address.not_checked``), and the general reader stops
    (defect ``address.time_limit``). Results made past the deadline are incomplete, so the
    address caches are emptied on exit: another message never reuses them.

    A class rather than a ``contextmanager`` generator: it is entered once per analysed message,
    and the generator's frame and wrapper cost more than the budget's own work.
    """

    __slots__ = ("_budget", "_seconds", "_token")

    def __init__(self, seconds: float) -> None:
        self._seconds = seconds

    def __enter__(self) -> None:
        self._budget = _Budget(time.thread_time() + self._seconds)
        self._token = _BUDGET.set(self._budget)

    def __exit__(self, *_exc: object) -> None:
        _BUDGET.reset(self._token)
        if self._budget.spent:
            clear_caches()


def over_budget() -> bool:
    """Whether the current message's address budget is spent (``False`` outside :func:`address_budget`)."""
    budget = _BUDGET.get()
    if budget is None:
        return False
    if not budget.spent and time.thread_time() > budget.deadline:
        budget.spent = True
    return budget.spent


def clear_caches() -> None:
    """Empty the address caches."""
    parse_addr_spec.cache_clear()
    parse_address_list.cache_clear()
    parse_mailbox.cache_clear()


# Fast paths for the common forms; anything else goes to the general reader (address_list.py).
# Each pattern is linear: no quantified group can match the same text two ways, and a display
# name (which may end in white space) is read possessively, so white space before a missing "<"
# is not re-read from every position (16 kB of spaces took 2.5 s).
_SPEC = r"[^<>\s\"(),;:\\@\[\]]+@[^<>\s\"(),;:\\@]+"
_BARE = re.compile(rf"\s*({_SPEC})\s*")
_NAMED = re.compile(rf'\s*(?:"((?:[^"\\]|\\.)*+)"|([^"<>,;:()\[\]\\@]*+))\s*<({_SPEC})>\s*')
#: ``name <addr-spec>`` whose unquoted name holds an ``@`` or brackets, specials that RFC 5322 wants quoted
#: (``support@bank.example <x@elsewhere.example>``): mail readers show the text as the name and send to the
#: address in ``<>``, and so does this parser (defect ``address.display_name_unquoted``). No ``"``, ``:`` or
#: ``;`` (quoted names and groups stay with the general reader); possessive, so linear.
_NAMED_LOOSE = re.compile(rf'([^"<>,;:()\\]*+)<({_SPEC})>\s*')
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
#: RFC 5322 dot-atom local part at an LDH domain whose last label starts with a letter.
_PLAIN_ADDRESS = re.compile(rf"{_ATEXT}+(?:\.{_ATEXT}+)*@(?:{_LABEL}\.)+[A-Za-z](?:[A-Za-z0-9-]{{0,61}}[A-Za-z0-9])?")
#: The same, capturing (local part, domain), alone or as ``name <address>``: the one-address fields
#: of nearly all mail, read in one match (see :func:`_one_plain_address`).
_PLAIN_PARTS = rf"({_ATEXT}+(?:\.{_ATEXT}+)*)@((?:{_LABEL}\.)+[A-Za-z](?:[A-Za-z0-9-]{{0,61}}[A-Za-z0-9])?)"
_ONE_PLAIN = re.compile(_PLAIN_PARTS)
_ONE_NAMED_PLAIN = re.compile(rf'(?:"([^"\\]*+)"|([^"<>,;:()\[\]\\@]*+))\s*<({_PLAIN_PARTS})>')
_SPECIAL_TLDS = ("local", "test", "invalid", "example", "localhost", "internal", "lan", "localdomain", "home", "corp")


def _idna(domain: str) -> tuple[str, str, tuple[Defect, ...]]:
    if domain.startswith("["):
        return domain, domain, ()
    lower = domain.rstrip(".").lower()
    if lower.isascii():
        if "xn--" in lower:
            try:
                return lower, lower.encode("ascii").decode("idna"), ()
            except UnicodeError:
                return lower, lower, (Defect("address.bad_idna", f"cannot decode {lower!r}"),)
        return lower, lower, ()
    try:
        return lower.encode("idna").decode("ascii"), lower, ()
    except UnicodeError:
        return lower, lower, (Defect("address.bad_idna", f"cannot IDNA-encode {lower!r}"),)


@bounded_cache(maxsize=8192, max_len=_MAX_CACHED_CHARS)
def parse_addr_spec(text: str) -> Address:
    """Parse one bare address (``a@b``, ``<a@b>``, ``<>``)."""
    spec = text.strip()
    if spec.startswith("<") and spec.endswith(">"):
        spec = spec[1:-1].strip()
    if spec.startswith("@") and ":" in spec:
        spec = spec.split(":", 1)[1]  # RFC 5321 source route
    if not spec:
        return Address(display_name=None, address="", local_part=None, domain=None, null=True)
    return _validated(None, spec)


def _validated(display: str | None, spec: str) -> Address:
    plain = _ONE_PLAIN.fullmatch(spec) if len(spec) <= 254 else None
    if plain is not None and len(plain.group(1)) <= 64 and "xn--" not in spec.lower():
        # Plain ASCII dot-atom at an LDH domain (the check below, in one match): valid as it stands.
        lower = plain.group(2).lower()
        return make_address(display, spec, plain.group(1), lower, lower, False, True, ())
    local, at, domain = spec.rpartition("@")
    if not at or not local or not domain:
        return Address(
            display_name=display,
            address=spec,
            local_part=local or None,
            domain=domain or None if at else None,
            valid=False,
            defects=(Defect("address.invalid", f"{spec[:120]!r} is not an address: missing local part or domain"),),
        )
    if over_budget():
        # The message's address budget is spent: IDNA and email-validator (up to 2 ms per
        # address) are skipped; the parts are kept as written.
        lower = domain.lower()
        defect = Defect("address.not_checked", f"{spec[:120]!r} not validated: {_BUDGET_SPENT}")
        return make_address(display, spec, local, lower, lower, False, False, (defect,))
    ascii_domain, unicode_domain, defects = _idna(domain)
    # A plain ASCII dot-atom at an LDH domain is valid by construction: no need for email-validator.
    dot_atom = len(local) <= 64 and len(spec) <= 254 and _PLAIN_ADDRESS.fullmatch(spec) is not None
    reason = None if dot_atom else _validator_reason(local, spec, ascii_domain)
    if reason is not None:
        defects = (*defects, Defect("address.invalid", f"{spec[:120]!r}: {reason}"))
    return make_address(display, spec, local, ascii_domain, unicode_domain, False, reason is None, defects)


def _probe(local: str, spec: str, ascii_domain: str) -> str:
    tld = ascii_domain.rsplit(".", 1)[-1]
    if tld in _SPECIAL_TLDS or "." not in ascii_domain.strip("[]"):
        return f"{local}@example.com"  # email-validator refuses special-use names
    return spec


def _validator_reason(local: str, spec: str, ascii_domain: str) -> str | None:
    """email-validator's objection to the address, or ``None`` when it accepts it (syntax only)."""
    try:
        validate_email(
            _probe(local, spec, ascii_domain),
            check_deliverability=False,
            allow_domain_literal=True,
            allow_quoted_local=True,
            allow_smtputf8=True,
            allow_empty_local=False,
        )
    except EmailNotValidError as exc:
        return str(exc)
    return None


@bounded_cache(maxsize=4096, max_len=_MAX_CACHED_CHARS)
def parse_address_list(text: str) -> tuple[tuple[Address, ...], tuple[Defect, ...]]:
    """Parse an address list (``From``, ``To``, ``Reply-To``...); never raises."""
    defects: list[Defect] = []
    if len(text) > MAX_ADDRESS_LIST_CHARS:
        text = text[:MAX_ADDRESS_LIST_CHARS]
        defects.append(Defect("address.list_too_long", f"address list cut to {MAX_ADDRESS_LIST_CHARS} characters"))
    stripped = text.strip()
    if not stripped:
        return (), (Defect("address.empty", "the field holds no address"),)
    if stripped == "<>":
        return (parse_addr_spec("<>"),), ()
    one = _one_plain_address(stripped)
    if one is not None:
        return one[0], (*defects, *one[1])
    if "(" not in stripped:
        listed = _plain_list(stripped, defects)
        if listed is not None:
            return listed
        # Each piece between the list's commas, read alone and cached (the same mailboxes recur
        # across the lists of a mailing list). The same result as reading the whole list's pieces in
        # turn, which this path did before: each piece's reading never depended on the others. A
        # piece that is neither a bare addr-spec nor ``name <addr-spec>`` sends the whole list to
        # the general reader, as before (tests/parse/test_headers_speedpaths.py compares the two).
        out: list[Address] = []
        piece_defects: list[Defect] = []
        for count, part in enumerate(_split_list(stripped), 1):
            if count % 64 == 0 and over_budget():
                defects.extend(piece_defects)
                defects.append(Defect("address.time_limit", f"the rest of the list is not read: {_BUDGET_SPENT}"))
                return tuple(out), tuple(defects)
            piece = part.strip()
            if not piece:
                continue
            mailbox = parse_mailbox(piece)
            if mailbox is None:
                break
            out.append(mailbox[0])
            piece_defects.extend(mailbox[1])
        else:
            defects.extend(piece_defects)
            if not out:
                defects.append(Defect("address.unparseable", f"no address found in {text[:120]!r}"))
            return tuple(out), tuple(defects)
    return _parse_general(text, defects)


def _parse_general(text: str, defects: list[Defect]) -> tuple[tuple[Address, ...], tuple[Defect, ...]]:
    """The general path of :func:`parse_address_list`: the general reader, then each address validated."""
    out: list[Address] = []
    pairs, complete = read_address_list(text, over_budget)
    if not complete:
        defects.append(Defect("address.time_limit", f"the rest of the list is not read: {_BUDGET_SPENT}"))
    for name, spec in pairs:
        if not name and not spec:
            continue
        display, word_defects = decode_encoded_words(name) if name else (None, ())
        defects.extend(word_defects)
        if not spec:
            out.append(
                Address(
                    display_name=display,
                    address="",
                    local_part=None,
                    domain=None,
                    valid=False,
                    defects=(Defect("address.invalid", f"no address in {name[:120]!r}"),),
                )
            )
            continue
        base = parse_addr_spec(spec)
        if display is None:
            out.append(base)
        else:
            out.append(
                Address(
                    display_name=display,
                    address=base.address,
                    local_part=base.local_part,
                    domain=base.domain,
                    domain_unicode=base.domain_unicode,
                    null=base.null,
                    valid=base.valid,
                    defects=base.defects,
                )
            )
    if not out:
        defects.append(Defect("address.unparseable", f"no address found in {text[:120]!r}"))
    return tuple(out), tuple(defects)


#: Tokens of an address list: quoted strings, <paths>, (comments) and plain runs; linear.
#: An unclosed quote runs to the end (a piece holding it is read by the general reader anyway):
#: retrying it from every later '"' made 16 kB of '\"' quadratic.
_LIST_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*+(?:"|\Z)|<[^<>]*>|\([^()]*\)|[^",<(]+|,|.', re.DOTALL)


def _split_list(text: str) -> list[str]:
    """Split an address list at the commas outside quotes, angle brackets and comments."""
    if "," not in text:
        return [text]
    if '"' not in text and "(" not in text and "<@" not in text:
        return text.split(",")
    parts: list[str] = []
    current: list[str] = []
    for token in _LIST_TOKEN.findall(text):
        if token == ",":
            parts.append("".join(current))
            current = []
        else:
            current.append(token)
    parts.append("".join(current))
    return parts


def _one_plain_address(text: str) -> tuple[tuple[Address, ...], tuple[Defect, ...]] | None:
    """The result of :func:`parse_address_list` for one plain address, bare or ``name <address>``, else ``None``.

    The same result as the general path (the ``_BARE``/``_NAMED`` patterns of :func:`parse_mailbox`,
    then :func:`_validated`), without its intermediate steps: ``text`` (stripped) is one RFC 5322
    dot-atom address at an LDH domain with no ``xn--`` label, alone or after a display name that is an
    unquoted phrase or a quoted string without quoted-pairs or parentheses (text with ``(`` goes to
    the general reader, as before).
    """
    display: str | None = None
    word_defects: tuple[Defect, ...] = ()
    if text[-1:] != ">":  # a bare address never ends with ">", the named form always does
        found = _ONE_PLAIN.fullmatch(text)
        if found is None:
            return None
        spec, local, domain = text, found.group(1), found.group(2)
    else:
        found = _ONE_NAMED_PLAIN.fullmatch(text) if "(" not in text else None  # "(": the full parser's
        if found is None:
            return None
        quoted, phrase, spec, local, domain = found.groups()
        name = quoted if quoted is not None else phrase.strip()
        if "=?" in name:
            display, word_defects = decode_encoded_words(name)
        elif name:
            display = name  # what decode_encoded_words gives for text without an encoded word
    lower = domain.lower()
    if len(local) > 64 or len(spec) > 254 or "xn--" in lower:
        return None
    return (make_address(display, spec, local, lower, lower, False, True, ()),), word_defects


#: One piece of a list whose every piece :func:`_one_plain_address` reads: white space, then a plain
#: address, bare (group 1) or in ``<>`` (4) after a display name quoted without quoted-pairs (2) or
#: unquoted (3), or nothing (an empty piece); then white space and the ``,`` that ends the piece
#: (5), or the end of the text. At the first place where no such piece starts, the last
#: alternative takes the rest of the text (6), so ``findall`` covers the text with no gap and
#: :func:`_plain_list` declines it. The address and name patterns are those of
#: :func:`_one_plain_address`, the white space around them what ``str.strip`` removes (``\s`` is
#: Unicode white space in both). Possessive, one attempt per piece: linear.
_PLAIN_PIECE = re.compile(
    rf'\s*+(?:({_PLAIN_ADDRESS.pattern})|(?:"([^"\\]*+)"|([^"<>,;:()\[\]\\@]*+))\s*<({_PLAIN_ADDRESS.pattern})>)?+'
    r"\s*+(?:(,)|\Z)|(?s:(.+))"
)


def _plain_list(text: str, defects: list[Defect]) -> tuple[tuple[Address, ...], tuple[Defect, ...]] | None:
    """:func:`parse_address_list`'s piece-by-piece reading of ``text`` (stripped, no ``(``) when every
    piece between its commas is empty or one :func:`_one_plain_address` reads, else ``None``.

    The same result from one ``findall``: the pieces of :data:`_PLAIN_PIECE` end at the commas
    :func:`_split_list` splits at (a piece holds a comma only inside a quoted name, where the
    split does not cut either), and each is read as :func:`_one_plain_address` reads it. The
    address budget is asked at the same piece counts as in the piece-by-piece loop, which
    counts the empty piece after a final comma too.
    """
    out: list[Address] = []
    piece_defects: list[Defect] = []
    count = 0
    comma = ","
    for bare, quoted, phrase, spec, comma_after, rest in _PLAIN_PIECE.findall(text):
        if rest:
            return None
        if not (bare or spec or comma_after or comma):
            break  # the empty match at the end of the text, after its last piece
        count += 1
        comma = comma_after
        if count % 64 == 0 and over_budget():
            defects.extend(piece_defects)
            defects.append(Defect("address.time_limit", f"the rest of the list is not read: {_BUDGET_SPENT}"))
            return tuple(out), tuple(defects)
        display: str | None = None
        if bare:
            spec = bare
        elif not spec:
            continue  # an empty piece
        else:
            name = quoted or phrase.strip()
            if "=?" in name:
                display, word_defects = decode_encoded_words(name)
                piece_defects.extend(word_defects)
            elif name:
                display = name
        local, _, domain = spec.rpartition("@")
        lower = domain.lower()
        if len(local) > 64 or len(spec) > 254 or "xn--" in lower:
            return None
        out.append(make_address(display, spec, local, lower, lower, False, True, ()))
    if not out:
        return None
    defects.extend(piece_defects)
    return tuple(out), tuple(defects)


@bounded_cache(maxsize=8192, max_len=_MAX_CACHED_CHARS)
def parse_mailbox(text: str) -> tuple[Address, tuple[Defect, ...]] | None:
    """One list piece (stripped, no comment), bare ``a@b`` or ``name <a@b>``, with its name's defects.

    ``None`` when ``text`` is neither: :func:`parse_address_list` then reads the whole list with the
    general reader. The fast patterns give a bare addr-spec (no space, no angle bracket, no source
    route), which :func:`parse_addr_spec` would validate as it stands: it is validated with its
    display name. :func:`_one_plain_address` is the same result for the commonest pieces, sooner.
    """
    one = _one_plain_address(text)
    if one is not None:
        return one[0][0], one[1]
    m = _BARE.fullmatch(text)
    if m is not None:
        return _validated(None, m.group(1)), ()
    m = _NAMED.fullmatch(text)
    if m is None:
        return _loosely_named(text)
    name = m.group(1) if m.group(1) is not None else (m.group(2) or "").strip()
    if m.group(1) is not None and "\\" in name:
        name = re.sub(r"\\(.)", r"\1", name)
    if not name:
        return _validated(None, m.group(3)), ()
    decoded_name, word_defects = decode_encoded_words(name)
    return _validated(decoded_name, m.group(3)), word_defects


def _loosely_named(text: str) -> tuple[Address, tuple[Defect, ...]] | None:
    """``name <addr-spec>`` with specials in the unquoted name (see :data:`_NAMED_LOOSE`), else ``None``."""
    m = _NAMED_LOOSE.fullmatch(text)
    if m is None:
        return None
    name = m.group(1).strip()
    if not name:
        return None
    decoded, word_defects = decode_encoded_words(name)
    defect = Defect(
        "address.display_name_unquoted",
        f"display name {name[:80]!r} holds characters that must be quoted; the address is <{m.group(2)[:80]}>",
    )
    return _validated(decoded, m.group(2)), (*word_defects, defect)


def addresses_in_text(text: str) -> tuple[str, ...]:
    """Addresses written inside free text (for display names that hold an address)."""
    found = [m.group(1).strip() for m in _ANGLE.finditer(text) if "@" in m.group(1)]
    for token in text.replace("<", " ").replace(">", " ").replace('"', " ").split():
        if "@" in token and token.strip(".,;:()[]'") not in found:
            local, _, domain = token.strip(".,;:()[]'").rpartition("@")
            if local and "." in domain:
                found.append(token.strip(".,;:()[]'"))
    return tuple(found)
