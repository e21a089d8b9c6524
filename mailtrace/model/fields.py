"""Header fields and the parsed message they belong to."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mailtrace.defects import Defect, defects_to_list


@dataclass(frozen=True, slots=True, kw_only=True)
class HeaderField:
    """One header field, in the order it stands in the message.

    ``index`` is its position among all fields (0 = topmost), ``raw`` the
    bytes exactly as in the message (folding and line endings kept, no
    trailing line break), ``value`` the unfolded value without the name,
    ``decoded`` the value with RFC 2047 encoded words decoded.
    """

    index: int
    name: str
    raw: bytes
    value: str
    decoded: str
    defects: tuple[Defect, ...] = ()

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
            index.setdefault(f.key, []).append(f)
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
