"""A faster ``__init__`` for the frozen, slotted, keyword-only dataclasses of the model.

A frozen dataclass's generated ``__init__`` stores each field with
``object.__setattr__(self, "name", value)``, a name lookup per field. The parsers
build tens of these objects per message (addresses, typed header views, parsed
authentication results), so :func:`fast_init` replaces that ``__init__`` with one
that stores each field through its slot descriptor directly: the same
signature, defaults, default factories and ``__post_init__`` call, the same
object, about a third less time. Equality, hashing, ``repr`` and immutability
(``__setattr__`` still refuses) are the dataclass's own.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

T = TypeVar("T")

_FACTORY = object()  # marks "no value given" for a field with a default factory


def fast_init(cls: type[T]) -> type[T]:
    """Replace the ``__init__`` of ``cls`` (a frozen, slotted, keyword-only dataclass); returns ``cls``."""
    params: list[str] = []
    body: list[str] = []
    namespace: dict[str, Any] = {"__FACTORY": _FACTORY}
    for number, f in enumerate(dataclasses.fields(cls)):  # type: ignore[arg-type]
        descriptor = vars(cls).get(f.name)
        if descriptor is None or not hasattr(descriptor, "__set__") or not (f.kw_only or not f.init):
            raise TypeError(f"fast_init needs a slotted, keyword-only dataclass: {cls.__name__}.{f.name}")
        setter, default, factory = f"__set{number}", f"__default{number}", f"__factory{number}"
        namespace[setter] = descriptor.__set__
        if f.default is not dataclasses.MISSING:
            namespace[default] = f.default
            value = f.name if f.init else default
            if f.init:
                params.append(f"{f.name}={default}")
        elif f.default_factory is not dataclasses.MISSING:
            namespace[factory] = f.default_factory
            value = f"({factory}() if {f.name} is __FACTORY else {f.name})" if f.init else f"{factory}()"
            if f.init:
                params.append(f"{f.name}=__FACTORY")
        else:
            if not f.init:  # pragma: no cover - dataclasses refuses this already
                raise TypeError(f"{cls.__name__}.{f.name}: init=False without a default")
            value = f.name
            params.append(f.name)
        body.append(f"    {setter}(self, {value})")
    if hasattr(cls, "__post_init__"):
        body.append("    self.__post_init__()")
    source = f"def __init__(self, *, {', '.join(params)}):\n" + "\n".join(body or ["    pass"]) + "\n"
    exec(source, namespace)
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__doc__ = cls.__init__.__doc__
    cls.__init__ = init  # type: ignore[method-assign]
    return cls
