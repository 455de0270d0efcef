"""What the build cache holds, written as JSON: data that cannot run code when it is read back.

cmhub's cached values are frozen dataclasses of cmhub (article headers, rendered bodies, teasers,
the ledger) holding strings, numbers, dates, tuples and read-only mappings, and the YAML values of
a front matter's ``extra:``. Each is written as JSON with its exact type, so that what is read back
is equal to what was written *and* prints the same (digests of outputs are made from ``repr``):

- str, int, float, bool, None and lists are JSON's own;
- every other value is a JSON object ``{"@": kind, "v": ...}``: a tuple, a read-only mapping, a
  dict whose keys are not all text (or include "@"), a set, a date, a datetime with its time zone,
  a duration, a path, trusted HTML (``Markup``), bytes, or a dataclass of cmhub (its fields' values
  in order).

A dataclass is named by its module and class and a digest of its fields' names and types: it is
read back only into a class of cmhub's own modules already imported, with exactly those fields
(a cache written before a field was added is not used), made without running any code of its
own. Anything else in a file is refused (ValueError), which the cache treats as a miss.
"""

from __future__ import annotations

import binascii
import dataclasses
import datetime as dt
import hashlib
import json
import sys
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup

from cmhub.core.frozen import LATER


class Unencodable(TypeError):
    """A value the cache cannot keep (the entry is then not cached)."""


_TAGS: dict[type, str] = {}
"""By dataclass: its tag (module.Class#digest of its fields)."""
_CLASSES: dict[str, tuple[type, tuple[str, ...], bool]] = {}
"""By tag: the class, its field names in order, and whether it can be made without __init__."""


def dumps(value: Any) -> str:
    """Return ``value`` as JSON text (raises Unencodable for a value that cannot be kept)."""
    try:
        return json.dumps(_encode(value), ensure_ascii=False, separators=(",", ":"), allow_nan=True)
    except RecursionError as exc:
        raise Unencodable("value nested too deeply") from exc


def loads(text: str | bytes) -> Any:
    """Return the value of a JSON text written by ``dumps`` (raises ValueError for anything else)."""
    try:
        return _DECODER.decode(text if type(text) is str else text.decode("utf-8"))
    except (KeyError, TypeError, AttributeError, RecursionError, OverflowError, OSError) as exc:
        raise ValueError(f"not a cache value: {exc}") from exc


def _encode(value: Any) -> Any:
    kind = type(value)
    if kind is str or kind is int or kind is bool or kind is float or value is None:
        return value
    if kind is list:
        return [_encode(item) for item in value]
    if kind is tuple:
        return {"@": "t", "v": [_encode(item) for item in value]}
    if kind is dict:
        if all(type(k) is str for k in value) and "@" not in value:
            return {k: _encode(v) for k, v in value.items()}
        return {"@": "d", "v": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if kind is MappingProxyType:
        return {"@": "m", "v": _encode(dict(value))}
    if kind is Markup:
        return {"@": "h", "v": str(value)}
    if kind is dt.datetime:
        return _datetime(value)
    if kind is dt.date:
        return {"@": "date", "v": value.isoformat()}
    if kind is dt.timedelta:
        return {"@": "td", "v": [value.days, value.seconds, value.microseconds]}
    if kind is frozenset or kind is set:
        return {"@": "fs" if kind is frozenset else "s", "v": [_encode(item) for item in sorted(value, key=repr)]}
    if kind is bytes:
        return {"@": "b", "v": binascii.b2a_base64(value, newline=False).decode("ascii")}
    if isinstance(value, PurePosixPath) and kind in (Path(".").__class__, PurePosixPath):
        return {"@": "p" if kind is PurePosixPath else "P", "v": str(value)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        tag = _tag(kind)
        names = _CLASSES[tag][1]
        state = value.__dict__
        if LATER in state:  # fields still to be filled on first use: filled now
            state = {name: getattr(value, name) for name in names}
        return {"@": tag, "v": [_encode(state[name]) for name in names]}
    raise Unencodable(f"the cache cannot keep a {kind.__module__}.{kind.__qualname__}")


def _datetime(value: dt.datetime) -> dict[str, Any]:
    zone = value.tzinfo
    found: dict[str, Any] = {"@": "dt", "v": value.replace(tzinfo=None).isoformat()}
    if value.fold:
        found["f"] = 1
    if type(zone) is ZoneInfo:
        if zone.key is None:
            raise Unencodable("a time zone read from a file")
        found["z"] = zone.key
    elif type(zone) is dt.timezone:
        offset = zone.utcoffset(None)
        found["o"] = [offset.days, offset.seconds, offset.microseconds]
        if zone is not dt.UTC and zone.tzname(None) != dt.timezone(offset).tzname(None):
            found["n"] = zone.tzname(None)
    elif zone is not None:
        raise Unencodable(f"the time zone {zone!r}")
    return found


def type_tag(cls: type) -> str:
    """Return how the cache names a dataclass of cmhub: its module, class and a digest of its fields' names and
    types (a value kept by a cmhub whose class had other fields is named otherwise)."""
    return _tag(cls)


def _tag(cls: type) -> str:
    tag = _TAGS.get(cls)
    if tag is None:
        if not cls.__module__.startswith("cmhub.") or "<" in cls.__qualname__:
            raise Unencodable(f"{cls.__module__}.{cls.__qualname__} is not a class of cmhub")
        fields = dataclasses.fields(cls)
        shape = "\0".join(f"{f.name}:{f.type}" for f in fields)
        tag = f"{cls.__module__}:{cls.__qualname__}#{hashlib.sha256(shape.encode()).hexdigest()[:12]}"
        plain = all(f.init for f in fields) and not hasattr(cls, "__post_init__") and "__slots__" not in cls.__dict__
        _TAGS[cls] = tag
        _CLASSES[tag] = (cls, tuple(f.name for f in fields), plain)
    return tag


def _model(tag: str) -> tuple[type, tuple[str, ...], bool]:
    """Return the dataclass of cmhub a tag names (only one already imported: nothing is imported here)."""
    found = _CLASSES.get(tag)
    if found is None:
        module_name, _, rest = tag.partition(":")
        qualname = rest.partition("#")[0]
        module = sys.modules.get(module_name)
        cls = getattr(module, qualname, None) if module_name.startswith("cmhub.") and "." not in qualname \
            else None
        if not isinstance(cls, type) or not dataclasses.is_dataclass(cls) or _tag(cls) != tag:
            raise ValueError(f"unknown cached type {tag!r}")
        found = _CLASSES[tag]
    return found


def _decode(item: dict[str, Any]) -> Any:
    kind = item.get("@")
    if kind is None:
        return item
    value = item.get("v")
    if kind == "t":
        return tuple(value)
    if kind == "h":
        return Markup(_text(value))
    if kind == "dt":
        return _read_datetime(item)
    if kind == "m":
        return MappingProxyType(_mapping(value))
    if kind == "d":
        return {_hashable(k): v for k, v in value}
    if kind == "date":
        return dt.date.fromisoformat(_text(value))
    if kind == "td":
        return dt.timedelta(*value)
    if kind in ("fs", "s"):
        return (frozenset if kind == "fs" else set)(_hashable(v) for v in value)
    if kind == "b":
        return binascii.a2b_base64(_text(value), strict_mode=True)
    if kind in ("p", "P"):
        return (PurePosixPath if kind == "p" else Path)(_text(value))
    if ":" not in kind:
        raise ValueError(f"unknown cached kind {kind!r}")
    cls, names, plain = _model(kind)
    if type(value) is not list or len(value) != len(names):
        raise ValueError(f"cached {cls.__qualname__} has other fields")
    if not plain:
        return cls(**dict(zip(names, value, strict=True)))
    made = object.__new__(cls)
    made.__dict__.update(zip(names, value, strict=True))
    return made


_DECODER = json.JSONDecoder(object_hook=_decode)
"""One decoder for every value (json.loads with a hook makes one a call: a snapshot reads 10,000 values)."""


def _read_datetime(item: dict[str, Any]) -> dt.datetime:
    if len(item) == 3 and "z" in item:  # the common case (an instant in the hub's zone), read once an instant:
        return zoned(item["v"], item["z"])  # the teasers of an article share theirs
    return _new_datetime(item)


_ZONED: dict[tuple[str, str], dt.datetime] = {}
"""The instants read so far with their zone, by their text (a datetime cannot change: one object is shared)."""


def zoned_text(value: dt.datetime) -> tuple[str, str] | None:
    """Return an instant in a named zone as its text and zone (what ``zoned`` reads back); None for any other
    (no zone, a fixed offset, a zone read from a file, the second of two same wall-clock times)."""
    zone = value.tzinfo
    if type(zone) is not ZoneInfo or zone.key is None or value.fold:
        return None
    return value.replace(tzinfo=None).isoformat(), zone.key


def zoned(text: str, zone: str) -> dt.datetime:
    """Return the instant ``zoned_text`` gave as ``text`` and ``zone``, as the codec reads it back (one object for
    one instant; raises ValueError when they are not one)."""
    found = _ZONED.get((text, zone))
    if found is None:
        found = _ZONED[(text, zone)] = _new_datetime({"v": text, "z": zone})
    return found


def _new_datetime(item: dict[str, Any]) -> dt.datetime:
    value = dt.datetime.fromisoformat(_text(item["v"]))
    if value.tzinfo is not None:
        raise ValueError("a cached datetime carries its zone apart")
    if "z" in item:
        value = value.replace(tzinfo=ZoneInfo(_text(item["z"])))
    elif "o" in item:
        offset = dt.timedelta(*item["o"])
        value = value.replace(tzinfo=dt.timezone(offset, _text(item["n"])) if "n" in item else dt.timezone(offset))
    return value.replace(fold=1) if item.get("f") else value


def _text(value: Any) -> str:
    if type(value) is not str:
        raise ValueError("expected text in the cache")
    return value


def _mapping(value: Any) -> dict[Any, Any]:
    if type(value) is not dict:
        raise ValueError("expected a mapping in the cache")
    return value


def _hashable(value: Any) -> Any:
    if type(value) is list:
        raise ValueError("a list cannot be a key")
    return value
