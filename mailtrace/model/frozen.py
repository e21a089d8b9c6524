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
from collections.abc import Callable
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


_Setters = tuple[tuple[str, Callable[[object, object], None]], ...]
_REPLACE_SETTERS: dict[type, _Setters] = {}


def _replace_setters(cls: type) -> _Setters:
    fields = dataclasses.fields(cls)
    if hasattr(cls, "__post_init__") or not all(f.init for f in fields):
        raise TypeError(f"fast_replace needs a dataclass without __post_init__ or init=False fields: {cls.__name__}")
    setters: list[tuple[str, Callable[[object, object], None]]] = []
    for f in fields:
        descriptor = vars(cls).get(f.name)
        if descriptor is None or not hasattr(descriptor, "__set__"):
            raise TypeError(f"fast_replace needs a slotted dataclass: {cls.__name__}.{f.name}")
        setters.append((f.name, descriptor.__set__))
    _REPLACE_SETTERS[cls] = out = tuple(setters)
    return out


def fast_replace(obj: T, /, **changes: Any) -> T:
    """``dataclasses.replace(obj, **changes)`` for a frozen, slotted dataclass with no ``__post_init__``.

    The same new object, its fields stored through their slot descriptors instead of
    through the generic ``replace`` machinery (half the time for the 26 fields of a ``HopView``).
    An unknown field name raises ``TypeError`` as ``replace`` does.
    """
    cls = type(obj)
    setters = _REPLACE_SETTERS.get(cls) or _replace_setters(cls)
    new = object.__new__(cls)
    taken = 0
    for name, store in setters:
        if name in changes:
            store(new, changes[name])
            taken += 1
        else:
            store(new, getattr(obj, name))
    if taken != len(changes):
        unknown = sorted(set(changes) - {name for name, _ in setters})
        raise TypeError(f"{cls.__name__} has no field(s) {', '.join(unknown)}")
    return new
