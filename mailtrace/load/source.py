"""Where a message came from: the ``source`` of its report (``docs/schema.md``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mailtrace.defects import Defect
from mailtrace.model.frozen import fast_init

if TYPE_CHECKING:
    from mailtrace.load.nested import Attachment


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    """Where a message came from."""

    name: str  #: the path, ``<stdin>``, ``<bytes>``, ``<text>`` or a caller-given name
    format: str  #: ``eml``, ``mbox``, ``maildir``, ``msg``, ``bytes``
    position: int | None = None  #: 0-based index of the message in an mbox or Maildir
    offset: int | None = None  #: byte offset of the message in an mbox
    part: str | None = None  #: MIME section of an attached message (``"2"``, ``"2.1"``), else ``None``
    mbox_variant: str | None = None  #: ``mboxo``, ``mboxrd``, ``mboxcl``, ``mboxcl2`` (mbox only)
    attachments: tuple[Attachment, ...] = ()  #: the messages attached to this one
    defects: tuple[Defect, ...] = ()  #: what reading found (mbox quoting, a cut message...)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "format": self.format,
            "position": self.position,
            "offset": self.offset,
            "part": self.part,
            "mbox_variant": self.mbox_variant,
        }
