"""Addresses as written in originator and envelope fields."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from mailtrace.defects import Defect, defects_to_list
from mailtrace.model.frozen import fast_init


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


fast_init(Address)


# Fast construction for the address parser (one Address per mailbox read): filling the slots
# directly (the slot descriptors' __set__, which frozen does not intercept) gives an object equal
# to the dataclass constructor's, field for field, without the keyword-argument __init__; no field
# has a __post_init__ or validation to skip. Same pattern as mailtrace.model.received.make_received.
_new_address = Address.__new__  # object.__new__, or a compiled class's own (which refuses object.__new__)
(
    _set_display_name,
    _set_address,
    _set_local_part,
    _set_domain,
    _set_domain_unicode,
    _set_null,
    _set_valid,
    _set_defects,
) = (getattr(Address, f.name).__set__ for f in fields(Address))


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
    """``Address(...)`` with every field given in field order, built without the dataclass __init__."""
    obj: Address = _new_address(Address)
    _set_display_name(obj, display_name)
    _set_address(obj, address)
    _set_local_part(obj, local_part)
    _set_domain(obj, domain)
    _set_domain_unicode(obj, domain_unicode)
    _set_null(obj, null)
    _set_valid(obj, valid)
    _set_defects(obj, defects)
    return obj
