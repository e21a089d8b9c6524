"""Addresses as written in originator and envelope fields."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mailtrace.defects import Defect, defects_to_list
from mailtrace.model.frozen import blank_twin, fast_init


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


_BlankAddress = blank_twin(Address)  # filled by make_address


def make_address(
    display_name: str | None,
    address: str,
    local_part: str | None,
    domain: str | None,
    domain_unicode: str | None,
    null: bool,
    valid: bool,
    defects: tuple[Defect, ...],
) -> Address:
    """``Address(...)`` with every field given in field order, built without the dataclass __init__.

    The same object, field for field (no field has a ``__post_init__`` or validation to skip), for
    less than half the cost: a plain slot store is specialised by the interpreter, where a call of a
    slot descriptor's ``__set__`` (what the frozen ``__init__`` amounts to) costs about 800 instructions.
    """
    obj: Any = _BlankAddress()
    obj.display_name = display_name
    obj.address = address
    obj.local_part = local_part
    obj.domain = domain
    obj.domain_unicode = domain_unicode
    obj.null = null
    obj.valid = valid
    obj.defects = defects
    obj.__class__ = Address
    return obj  # type: ignore[no-any-return]
