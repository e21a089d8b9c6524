"""Header fields and the parsed message they belong to."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mailtrace.defects import Defect, defects_to_list


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
    """

    __slots__ = ("_body", "_decoded", "_defects", "_value", "index", "max_bytes", "name", "raw", "space_before_colon")

    index: int
    name: str
    raw: bytes
    max_bytes: int
    space_before_colon: bool
    _body: int
    _value: str | None
    _decoded: str | None
    _defects: tuple[Defect, ...] | None

    def __init__(
        self,
        *,
        index: int,
        name: str,
        raw: bytes,
        body_offset: int | None = None,
        max_bytes: int = 64 * 1024,
        space_before_colon: bool = False,
    ) -> None:
        set_ = object.__setattr__
        set_(self, "index", index)
        set_(self, "name", name)
        set_(self, "raw", raw)
        set_(self, "_body", raw.find(b":") + 1 if body_offset is None else body_offset)
        set_(self, "max_bytes", max_bytes)
        set_(self, "space_before_colon", space_before_colon)
        set_(self, "_value", None)
        set_(self, "_decoded", None)
        set_(self, "_defects", None)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("HeaderField is immutable")

    def __repr__(self) -> str:
        return f"HeaderField(index={self.index}, name={self.name!r}, value={self.value!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, HeaderField):
            return NotImplemented
        return (self.index, self.raw) == (other.index, other.raw)

    def __hash__(self) -> int:
        return hash((self.index, self.raw))

    def _compute(self) -> None:
        from mailtrace.parse.message import decode_field

        value, decoded, defects = decode_field(self)
        object.__setattr__(self, "_value", value)
        object.__setattr__(self, "_decoded", decoded)
        object.__setattr__(self, "_defects", defects)

    @property
    def body_bytes(self) -> bytes:
        """The raw bytes after the colon (folded, with line endings)."""
        return self.raw[self._body :]

    @property
    def value(self) -> str:
        if self._value is None:
            self._compute()
        assert self._value is not None
        return self._value

    @property
    def decoded(self) -> str:
        if self._decoded is None:
            self._compute()
        assert self._decoded is not None
        return self._decoded

    @property
    def defects(self) -> tuple[Defect, ...]:
        if self._defects is None:
            self._compute()
        assert self._defects is not None
        return self._defects

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
