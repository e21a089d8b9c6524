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
from collections.abc import Callable, Iterable
from types import ModuleType
from typing import Any, TypeVar

T = TypeVar("T")

#: Fields from which :func:`fast_init` fills an object through its twin class.
_TWIN_FIELDS = 4
_FACTORY = object()  # marks "no value given" for a field with a default factory


def fast_init(cls: type[T]) -> type[T]:
    """Replace the ``__init__`` of ``cls`` (a frozen, slotted, keyword-only dataclass); returns ``cls``.

    Called after the class statement (``fast_init(Address)``), not as a class decorator: mypyc
    (the optional compiled build) compiles a class with any decorator but ``dataclass`` as a plain
    Python class, whose attributes compiled code cannot read directly.

    For a Python class whose ``__slots__`` are its fields in order, the object is filled as
    :func:`fast_maker` fills it: turned into its :func:`blank_twin` (the ``__class__`` descriptor's
    ``__set__``, past the frozen ``__setattr__``), given each field by a plain store, then turned back
    (a plain store costs about a twentieth of a slot descriptor's ``__set__`` call; the two class
    changes pay off from :data:`_TWIN_FIELDS` fields on: a 4-field ``Evidence`` 6.0k -> 5.5k
    instructions, a 12-field ``FromIdentity`` 15.3k -> 10.5k). An object of a subclass, and a
    class compiled by mypyc, get each field through its slot descriptor's ``__set__``.
    """
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    params: list[str] = []
    body: list[str] = []
    plain: list[str] = []
    namespace: dict[str, Any] = {"__FACTORY": _FACTORY, "__cls": cls}
    for number, f in enumerate(fields):
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
        plain.append(f"        self.{f.name} = {value}")
    twin = (
        "__mypyc_attrs__" not in vars(cls)
        and len(fields) >= _TWIN_FIELDS
        and all(f.name.isidentifier() for f in fields)
        and tuple(vars(cls).get("__slots__", ())) == tuple(f.name for f in fields)
    )
    if twin:
        namespace["__twin"] = blank_twin(cls)
        namespace["__set_class"] = _SET_CLASS
        # ``__set_class``: the ``__class__`` descriptor's setter, which the frozen ``__setattr__`` does not see
        body = [
            "    if type(self) is __cls:",
            "        __set_class(self, __twin)",
            *plain,
            "        self.__class__ = __cls",
            "    else:",
            *("    " + line for line in body),
        ]
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


#: The setter of ``object.__class__``: changes an object's class without its own ``__setattr__``.
_SET_CLASS: Callable[[object, type], None] = object.__dict__["__class__"].__set__


_Replacer = Callable[[Any, dict[str, Any]], Any]
_REPLACERS: dict[type, _Replacer] = {}


def _replacer(cls: type) -> _Replacer:
    """A function ``(obj, changes) -> copy`` written out for ``cls``: one line per field.

    Each field is read as a plain attribute (a specialised ``LOAD_ATTR``) and stored through its
    slot descriptor; then the changed fields are stored over their copies. Straight-line code
    instead of a loop asking ``name in changes`` per field.
    """
    fields = dataclasses.fields(cls)
    if hasattr(cls, "__post_init__") or not all(f.init for f in fields):
        raise TypeError(f"fast_replace needs a dataclass without __post_init__ or init=False fields: {cls.__name__}")
    # the class's own __new__: object.__new__ for a Python class; a class compiled by mypyc (the
    # optional compiled build) has its own and refuses object.__new__
    namespace: dict[str, Any] = {"__new": cls.__new__, "__cls": cls}
    setters: dict[str, Callable[[object, object], None]] = {}
    body: list[str] = []
    for number, f in enumerate(fields):
        descriptor = vars(cls).get(f.name)
        if descriptor is None or not hasattr(descriptor, "__set__") or not f.name.isidentifier():
            raise TypeError(f"fast_replace needs a slotted dataclass: {cls.__name__}.{f.name}")
        namespace[f"__set{number}"] = setters[f.name] = descriptor.__set__
        body.append(f"    __set{number}(new, obj.{f.name})")
    namespace["__setters"] = setters
    namespace["__names"] = frozenset(setters)
    source = (
        "def replace(obj, changes):\n"
        "    if not changes.keys() <= __names:\n"
        "        return None\n"
        "    new = __new(__cls)\n" + "\n".join(body) + "\n"
        "    for name, value in changes.items():\n"
        "        __setters[name](new, value)\n"
        "    return new\n"
    )
    exec(source, namespace)
    _REPLACERS[cls] = out = namespace["replace"]
    return out  # type: ignore[no-any-return]


def fast_replace(obj: T, /, **changes: Any) -> T:
    """``dataclasses.replace(obj, **changes)`` for a frozen, slotted dataclass with no ``__post_init__``.

    The same new object, its fields stored through their slot descriptors instead of
    through the generic ``replace`` machinery (about 28k instructions for a copy of the 25 fields
    of a ``HopView``, against 37k for the per-field loop this replaced). An unknown field name
    raises ``TypeError`` as ``replace`` does.
    """
    cls = type(obj)
    new: T | None = (_REPLACERS.get(cls) or _replacer(cls))(obj, changes)
    if new is None:
        unknown = sorted(set(changes) - {f.name for f in dataclasses.fields(cls)})  # type: ignore[arg-type]
        raise TypeError(f"{cls.__name__} has no field(s) {', '.join(unknown)}")
    return new


def blank_twin(cls: type) -> type:
    """A class with ``cls``'s slots, in the same order, and no immutability guard.

    The fastest way to build a frozen slotted object in pure Python: fill a twin with plain
    attribute stores (specialised by the interpreter; a slot descriptor's ``__set__`` called as a
    function costs about 20 times one) and then assign ``__class__ = cls``, which CPython accepts
    between classes of the same slots in the same order (the same memory layout). The object is
    the one the dataclass constructor makes, field for field, for classes without ``__post_init__``.
    A class compiled by mypyc cannot take the ``__class__`` assignment: the modules that build
    objects this way stay Python in the compiled build (``[tool.mailtrace.mypyc]``).
    """
    return type(f"_Blank{cls.__name__}", (), {"__slots__": vars(cls)["__slots__"], "__module__": cls.__module__})


def fast_maker(cls: type[T]) -> Callable[..., T]:
    """A function that builds ``cls`` (a frozen, slotted dataclass without ``__post_init__``) from
    every field given positionally, in field order: the object the dataclass constructor makes.

    For a Python class, written out as plain stores into a :func:`blank_twin` and a ``__class__``
    assignment (about half the cost of a call of each slot descriptor's ``__set__``, a third of the
    keyword constructor's); for a class compiled by mypyc (the optional compiled build), which
    cannot take the assignment, as ``cls.__new__`` and the slot descriptors' ``__set__``.
    Annotate the result with its signature where it is kept (``make_x: Callable[[int, str], X]``).
    """
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    names = [f.name for f in fields]
    if hasattr(cls, "__post_init__") or not all(f.init and f.name.isidentifier() for f in fields):
        raise TypeError(f"fast_maker needs a dataclass without __post_init__ or init=False fields: {cls.__name__}")
    namespace: dict[str, Any] = {"__cls": cls}
    params = ", ".join(names)
    if "__mypyc_attrs__" in vars(cls):
        namespace["__new"] = cls.__new__
        body = [f"    __set{n}(obj, {name})" for n, name in enumerate(names)]
        namespace.update({f"__set{n}": vars(cls)[name].__set__ for n, name in enumerate(names)})
        source = f"def make({params}):\n    obj = __new(__cls)\n" + "\n".join(body) + "\n    return obj\n"
    else:
        if tuple(vars(cls).get("__slots__", ())) != tuple(names):
            raise TypeError(f"fast_maker needs a slotted dataclass: {cls.__name__}")
        namespace["__blank"] = blank_twin(cls)
        body = [f"    obj.{name} = {name}" for name in names]
        source = (
            f"def make({params}):\n    obj = __blank()\n"
            + "\n".join(body)
            + "\n    obj.__class__ = __cls\n    return obj\n"
        )
    exec(source, namespace)
    make = namespace["make"]
    make.__qualname__ = make.__name__ = f"make_{cls.__name__}"
    make.__module__ = cls.__module__
    return make  # type: ignore[no-any-return]


def _frozen_setstate(self: object, state: dict[str, Any]) -> None:
    """``__setstate__`` of a compiled frozen dataclass: each field stored past the frozen ``__setattr__``."""
    for name, value in state.items():
        object.__setattr__(self, name, value)


def settle_compiled(modules: Iterable[ModuleType]) -> int:
    """Give the frozen dataclasses that mypyc compiled in ``modules`` a ``__setstate__`` that works.

    A class compiled by mypyc (the optional compiled build, ``setup.py``) pickles through its own
    ``__getstate__``/``__setstate__``, and that ``__setstate__`` stores each attribute with
    ``setattr``, which a frozen dataclass refuses; the Python class's dataclass-made
    ``__setstate__`` stores them with ``object.__setattr__``, as this one does. Reports are
    pickled by ``--jobs`` and ``mailtrace.dask``. Returns the number of classes changed.
    """
    count = 0
    for module in modules:
        for value in list(vars(module).values()):
            if (
                isinstance(value, type)
                and value.__module__ == module.__name__
                and "__mypyc_attrs__" in vars(value)
                and "__setstate__" in vars(value)
                and dataclasses.is_dataclass(value)
                and value.__dataclass_params__.frozen  # type: ignore[attr-defined]
            ):
                value.__setstate__ = _frozen_setstate  # type: ignore[attr-defined]
                count += 1
    return count
