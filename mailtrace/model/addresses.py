"""Addresses as written in originator and envelope fields."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mailtrace.defects import Defect, defects_to_list
from mailtrace.model.frozen import fast_init, fast_maker


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Address:
    """One mailbox: ``display_name`` (decoded), ``address`` as written, and its parts.

    ``domain`` is IDNA-normalised to lower-case ASCII (punycode) so it can be
    compared and looked up; ``domain_unicode`` is the readable form. The null
    sender ``<>`` has ``address == ""`` and ``null == True``.
    """

    display_name: str | None
    address: str
    local_part: str | None
    domain: str | None
    domain_unicode: str | None = None
    null: bool = False
    valid: bool = True
    defects: tuple[Defect, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "display_name": self.display_name,
            "address": self.address,
            "local_part": self.local_part,
            "domain": self.domain,
            "domain_unicode": self.domain_unicode,
            "null": self.null,
            "valid": self.valid,
            "defects": defects_to_list(self.defects),
        }


#: ``Address(...)`` with every field given positionally, in field order, built without the dataclass
#: ``__init__`` (:func:`mailtrace.model.frozen.fast_maker`): the same object, field for field (no field
#: has a ``__post_init__`` or validation to skip), for less than half the cost of the frozen ``__init__``'s
#: slot descriptor calls. Arguments: display_name, address, local_part, domain, domain_unicode, null, valid,
#: defects.
make_address: Callable[
    [str | None, str, str | None, str | None, str | None, bool, bool, tuple[Defect, ...]], Address
] = fast_maker(Address)
