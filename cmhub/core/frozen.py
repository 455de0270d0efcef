"""Copies of frozen dataclass instances with some fields changed, made without running __init__ again.

``dataclasses.replace`` builds the copy through ``__init__``, which sets each field of a frozen class
through ``object.__setattr__``: ~8 µs for an article header. A build makes such copies tens of
thousands of times on a large hub (every teaser given its picture, every cached header given its
body back, every page given its key), and the copy of the fields' values does the same in ~1 µs.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

T = TypeVar("T")

LATER = "_later"
"""The entry of an instance's ``__dict__`` that fills fields it does not hold yet, on first use (a teaser
read back from the build cache gets its texts so: cmhub.social.teaser). A copy keeps it, so that it
fills them the same way."""


def later_field(obj: object, name: str, names: frozenset[str]) -> object:
    """Return the field ``name`` (one of ``names``) of an instance whose ``__dict__`` holds LATER, after
    filling every such field from it; AttributeError for any other name, or when nothing is to be filled
    (for a class's ``__getattr__``, which Python calls only for a name the instance does not hold).

    LATER then holds an object whose ``fields()`` returns the values by name (decoded once, shared by copies).
    """
    state = obj.__dict__
    if name not in names or LATER not in state:
        raise AttributeError(name)
    later = state.pop(LATER)
    for key, value in later.fields().items():
        state.setdefault(key, value)
    return state[name]


_PLAIN: dict[type, frozenset[str]] = {}
"""By class: its field names if its __init__ only stores them (else empty: dataclasses.replace is used)."""


def replaced(obj: T, **changes: Any) -> T:
    """Return ``dataclasses.replace(obj, **changes)``, faster for a plain dataclass.

    A plain dataclass is one whose __init__ only stores its fields: no __post_init__, no field left
    out of __init__, no __slots__. Only the fields are copied (not what a cached_property stored).
    """
    cls = type(obj)
    names = _PLAIN.get(cls)
    if names is None:
        names = _PLAIN[cls] = _field_names(cls)
    if not names or not names.issuperset(changes):
        return dataclasses.replace(obj, **changes)  # type: ignore[type-var]
    values = obj.__dict__
    copy = object.__new__(cls)
    state = copy.__dict__
    if LATER in values:  # some fields are still to be filled: the copy fills them the same way
        state.update({name: value for name, value in values.items() if name in names})
        state[LATER] = values[LATER]
    else:
        for name in names:
            state[name] = values[name]
    state.update(changes)
    return copy


def _field_names(cls: type) -> frozenset[str]:
    if not dataclasses.is_dataclass(cls) or hasattr(cls, "__post_init__") or "__slots__" in cls.__dict__:
        return frozenset()
    fields = dataclasses.fields(cls)
    return frozenset(f.name for f in fields) if all(f.init for f in fields) else frozenset()
