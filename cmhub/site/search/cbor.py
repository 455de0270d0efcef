"""The part of CBOR (RFC 8949) that Pagefind's index files use: integers, strings, arrays and maps.

cmhub reads and writes Pagefind's filter and meta files to put them in a stable order
(cmhub/site/search/index.py): Pagefind writes the values of a filter in the order of a Rust hash map, which
changes from one run to the next. Items are written in their shortest form, as Pagefind writes them.
"""

from __future__ import annotations

import struct
from typing import Any

_SIMPLE = {20: False, 21: True, 22: None}


def loads(data: bytes) -> Any:
    """Return the one item that ``data`` holds; raise ValueError when it is not such CBOR."""
    try:
        item, end = _read(data, 0)
    except (IndexError, struct.error) as exc:
        raise ValueError("truncated CBOR") from exc
    if end != len(data):
        raise ValueError("bytes after the CBOR item")
    return item


def dumps(item: Any) -> bytes:
    """Return ``item`` (int, str, bytes, bool, None, list, tuple or dict) as CBOR."""
    out = bytearray()
    _write(item, out)
    return bytes(out)


def _argument(data: bytes, at: int, info: int) -> tuple[int, int]:
    if info < 24:
        return info, at
    size = {24: 1, 25: 2, 26: 4, 27: 8}.get(info)
    if size is None:
        raise ValueError(f"unsupported CBOR length {info}")
    return int.from_bytes(data[at:at + size], "big"), at + size


def _read(data: bytes, at: int) -> tuple[Any, int]:
    head = data[at]
    major, info = head >> 5, head & 0x1F
    if major == 7:
        if info in _SIMPLE:
            return _SIMPLE[info], at + 1
        if info == 25:
            return _half(data[at + 1:at + 3]), at + 3
        if info == 26:
            return struct.unpack(">f", data[at + 1:at + 5])[0], at + 5
        if info == 27:
            return struct.unpack(">d", data[at + 1:at + 9])[0], at + 9
        raise ValueError(f"unsupported CBOR simple value {info}")
    value, at = _argument(data, at + 1, info)
    if major == 0:
        return value, at
    if major == 1:
        return -1 - value, at
    if major in (2, 3):
        raw = data[at:at + value]
        if len(raw) != value:
            raise ValueError("truncated CBOR string")
        return (raw if major == 2 else raw.decode("utf-8")), at + value
    if major == 4:
        items = []
        for _ in range(value):
            item, at = _read(data, at)
            items.append(item)
        return items, at
    if major == 5:
        mapping = {}
        for _ in range(value):
            key, at = _read(data, at)
            mapping[key], at = _read(data, at)
        return mapping, at
    raise ValueError(f"unsupported CBOR major type {major}")


def _half(raw: bytes) -> float:
    return struct.unpack(">e", raw)[0]


def _head(major: int, value: int, out: bytearray) -> None:
    if value < 24:
        out.append(major << 5 | value)
    elif value < 1 << 8:
        out += bytes((major << 5 | 24, value))
    elif value < 1 << 16:
        out.append(major << 5 | 25)
        out += value.to_bytes(2, "big")
    elif value < 1 << 32:
        out.append(major << 5 | 26)
        out += value.to_bytes(4, "big")
    else:
        out.append(major << 5 | 27)
        out += value.to_bytes(8, "big")


def _write(item: Any, out: bytearray) -> None:
    if item is False or item is True or item is None:
        out.append(0xE0 | {False: 20, True: 21, None: 22}[item])
    elif isinstance(item, int):
        _head(0, item, out) if item >= 0 else _head(1, -1 - item, out)
    elif isinstance(item, float):
        out.append(0xFB)
        out += struct.pack(">d", item)
    elif isinstance(item, str):
        raw = item.encode("utf-8")
        _head(3, len(raw), out)
        out += raw
    elif isinstance(item, bytes):
        _head(2, len(item), out)
        out += item
    elif isinstance(item, (list, tuple)):
        _head(4, len(item), out)
        for part in item:
            _write(part, out)
    elif isinstance(item, dict):
        _head(5, len(item), out)
        for key, value in item.items():
            _write(key, out)
            _write(value, out)
    else:
        raise TypeError(f"cannot write {type(item).__name__} as CBOR")
