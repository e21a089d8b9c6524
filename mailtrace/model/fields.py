"""Header fields and the parsed message they belong to."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

from mailtrace.defects import Defect, defects_to_list
from mailtrace.model.frozen import blank_twin, fast_init

#: Longest field value read by default (:attr:`mailtrace.limits.Limits.max_field_bytes`).
DEFAULT_MAX_FIELD_BYTES = 64 * 1024


class HeaderField:
    """One header field, in the order it stands in the message.

    ``index`` is its position among all fields (0 = topmost), ``raw`` the
    bytes exactly as in the message (folding and line endings kept, no
    trailing line break), ``value`` the unfolded value without the name,
    ``decoded`` the value with RFC 2047 encoded words decoded, ``defects``
    what was wrong with it. ``value``, ``decoded`` and ``defects`` are
    computed on first access and cached (most fields of a message are never
    read), which keeps the split of a header block near the cost of a scan.
    Instances are immutable.

    Speed: a message has about thirty fields, so a field stores only four
    slots (``index``, ``name``, ``raw`` and the decode cache). The rest is
    derived: the value starts after ``name:``, and the rare fields with white
    space before the colon or a non-default ``max_bytes`` are
    :class:`_TunedHeaderField` instances, which store those settings.
    """

    __slots__ = ("_cache", "index", "name", "raw")

    index: int
    name: str
    raw: bytes
    _cache: FieldParts | None
    #: The value is read up to this many bytes (a class default; tuned fields store their own).
    max_bytes: int = DEFAULT_MAX_FIELD_BYTES
    #: White space stood between the name and the colon (obsolete syntax; tuned fields only).
    space_before_colon: bool = False

    def __new__(
        cls,
        *,
        index: int,
        name: str,
        raw: bytes,
        body_offset: int | None = None,
        max_bytes: int = DEFAULT_MAX_FIELD_BYTES,
        space_before_colon: bool = False,
    ) -> HeaderField:
        body = raw.find(b":") + 1 if body_offset is None else body_offset
        if body == len(name) + 1 and max_bytes == DEFAULT_MAX_FIELD_BYTES and not space_before_colon:
            return new_field(index, name, raw)
        self = object.__new__(_TunedHeaderField)
        _set(self, "index", index)
        _set(self, "name", name)
        _set(self, "raw", raw)
        _set(self, "_cache", None)
        _set(self, "_body", body)
        _set(self, "max_bytes", max_bytes)
        _set(self, "space_before_colon", space_before_colon)
        return self

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("HeaderField is immutable")

    def __reduce__(self) -> tuple[Callable[..., HeaderField], tuple[int, str, bytes, int, int, bool]]:
        # Pickle (a report sent between processes) by the constructor's arguments: ``__new__`` takes
        # keywords only, which the default protocol cannot give; the decode cache is rebuilt when read.
        body = self._body if isinstance(self, _TunedHeaderField) else len(self.name) + 1
        return _restore_field, (self.index, self.name, self.raw, body, self.max_bytes, self.space_before_colon)

    def __repr__(self) -> str:
        return f"HeaderField(index={self.index}, name={self.name!r}, value={self.value!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, HeaderField):
            return NotImplemented
        return (self.index, self.raw) == (other.index, other.raw)

    def __hash__(self) -> int:
        return hash((self.index, self.raw))

    def _compute(self) -> tuple[str, str, tuple[Defect, ...]]:
        # The usual field needs no defect bookkeeping: unfold (delete the line breaks, keep the
        # white space after them), strip, decode as UTF-8; when that value holds no encoded word
        # and no NUL and the field is plain, it is the whole result. Everything else, including
        # every defect, is :func:`mailtrace.parse.message.decode_field`'s.
        # A plain field: the value starts right after ``name:`` and is read up to the default
        # limit (:class:`_TunedHeaderField` runs this with its own settings, see below).
        body = self.raw[len(self.name) + 1 :]
        return _unfold(self, body if len(body) <= DEFAULT_MAX_FIELD_BYTES else None)

    @property
    def _body(self) -> int:
        """Where the value starts in ``raw``: just after ``name:``."""
        return len(self.name) + 1

    @property
    def body_bytes(self) -> bytes:
        """The raw bytes after the colon (folded, with line endings)."""
        return self.raw[self._body :]

    @property
    def value(self) -> str:
        return (self._cache or self._compute())[0]

    @property
    def decoded(self) -> str:
        return (self._cache or self._compute())[1]

    @property
    def defects(self) -> tuple[Defect, ...]:
        return (self._cache or self._compute())[2]

    @property
    def parts(self) -> tuple[str, str, tuple[Defect, ...]]:
        """``(value, decoded, defects)`` in one read, for parsers that need all three."""
        return self._cache or self._compute()

    @property
    def key(self) -> str:
        return self.name.lower()

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "name": self.name,
            "value": self.value,
            "decoded": self.decoded,
            "defects": defects_to_list(self.defects),
        }


class _TunedHeaderField(HeaderField):
    """A field whose value does not start right after ``name:`` or that has its own ``max_bytes``."""

    __slots__ = ("_body", "max_bytes", "space_before_colon")

    def _compute(self) -> tuple[str, str, tuple[Defect, ...]]:
        # The plain field's fast path, with this field's settings.
        body = self.raw[self._body :]
        return _unfold(self, body if len(body) <= self.max_bytes and not self.space_before_colon else None)


def _restore_field(index: int, name: str, raw: bytes, body: int, max_bytes: int, space: bool) -> HeaderField:
    """A pickled :class:`HeaderField` back (see ``HeaderField.__reduce__``)."""
    return HeaderField(index=index, name=name, raw=raw, body_offset=body, max_bytes=max_bytes, space_before_colon=space)


def _unfold(field: HeaderField, body: bytes | None) -> tuple[str, str, tuple[Defect, ...]]:
    """Cache and return ``(value, decoded, defects)``: ``body`` unfolded when it is a plain field's
    (``None``: it is not, or it is too long), else :func:`mailtrace.parse.message.decode_field`'s."""
    if body is not None:
        try:
            value = body.translate(None, b"\r\n").strip(b" \t").decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            if "=?" not in value and "\x00" not in value:
                cache: tuple[str, str, tuple[Defect, ...]] = (value, value, ())
                _set_cache(field, cache)
                return cache
    cache = _decoder()(field)
    _set_cache(field, cache)
    return cache


_set = object.__setattr__
# The slot descriptors, called directly: the cheapest way to fill one immutable slotted object
# outside the parser's bulk constructor (``__setattr__`` refuses).
_set_cache = vars(HeaderField)["_cache"].__set__


_BlankField = blank_twin(HeaderField)


_DECODER: list[Callable[[HeaderField], tuple[str, str, tuple[Defect, ...]]]] = []


def _decoder() -> Callable[[HeaderField], tuple[str, str, tuple[Defect, ...]]]:
    """:func:`mailtrace.parse.message.decode_field`, imported once (the parser imports this module)."""
    if not _DECODER:
        from mailtrace.parse.message import decode_field

        _DECODER.append(decode_field)
    return _DECODER[0]


def new_field(index: int, name: str, raw: bytes) -> HeaderField:
    """A :class:`HeaderField` whose value starts right after ``name:`` (the parser's fast constructor)."""
    field: Any = _BlankField()
    field.index = index
    field.name = name
    field.raw = raw
    field._cache = None
    field.__class__ = HeaderField
    return field  # type: ignore[no-any-return]


#: What a field caches behind ``value``, ``decoded`` and ``defects`` (:attr:`HeaderField.parts`).
FieldParts = tuple[str, str, tuple[Defect, ...]]


def new_fields(
    names: list[str], raws: Sequence[bytes], caches: Sequence[FieldParts | None] | None = None
) -> list[HeaderField]:
    """``[new_field(i, names[i], raws[i]) ...]`` for the whole header block at once (the loop inlined).

    ``caches``, when given, are the fields' ``(value, decoded, defects)`` read ahead by the parser
    (:func:`mailtrace.parse.message.plain_parts`), ``None`` for a field to read on first access.
    """
    fields: list[HeaderField] = []
    append = fields.append
    blank, cls = _BlankField, HeaderField
    # No ``strict=``: the lengths are equal by construction (and the keyword slows ``zip`` down).
    for index, name, raw, cache in zip(range(len(raws)), names, raws, caches or repeat(None)):  # noqa: B905
        field: Any = blank()
        field.index = index
        field.name = name
        field.raw = raw
        field._cache = cache
        field.__class__ = cls
        append(field)
    return fields


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Message:
    """A message's header block split into fields, with the raw bytes kept.

    ``raw`` is the whole message as read (DKIM is verified on it, never on a
    re-serialised copy). ``body_offset`` is where the body starts in ``raw``
    (``len(raw)`` for header-only input).
    """

    raw: bytes
    fields: tuple[HeaderField, ...]
    body_offset: int
    newline: str
    mbox_from: str | None = None
    defects: tuple[Defect, ...] = ()
    _by_key: dict[str, tuple[HeaderField, ...]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self._by_key or not self.fields:
            return  # the parser passes the index it built while splitting
        index: dict[str, list[HeaderField]] = {}
        for f in self.fields:
            key = f.name.lower()
            if key in index:
                index[key].append(f)
            else:
                index[key] = [f]
        self._by_key.update({k: tuple(v) for k, v in index.items()})

    def get_all(self, name: str) -> tuple[HeaderField, ...]:
        """Every field called ``name`` (case-insensitive), top to bottom."""
        return self._by_key.get(name.lower(), ())

    def get(self, name: str) -> HeaderField | None:
        """The topmost field called ``name``, or ``None``."""
        found = self._by_key.get(name.lower())
        return found[0] if found else None

    @property
    def header_only(self) -> bool:
        return self.body_offset >= len(self.raw)

    @property
    def body(self) -> bytes:
        return self.raw[self.body_offset :]


_BlankMessage = blank_twin(Message)


def new_message(
    raw: bytes,
    fields: tuple[HeaderField, ...],
    body_offset: int,
    newline: str,
    mbox_from: str | None,
    defects: tuple[Defect, ...],
    by_key: dict[str, tuple[HeaderField, ...]],
) -> Message:
    """``Message(...)`` with every field given in order and the index by key built (the parser's constructor).

    The object the dataclass constructor makes (its ``__post_init__`` only builds the index, which
    the parser gives), filled through a layout-identical blank class as :func:`new_field` does.
    """
    message: Any = _BlankMessage()
    message.raw = raw
    message.fields = fields
    message.body_offset = body_offset
    message.newline = newline
    message.mbox_from = mbox_from
    message.defects = defects
    message._by_key = by_key
    message.__class__ = Message
    return message  # type: ignore[no-any-return]
