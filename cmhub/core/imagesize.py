"""Pictures: their MIME type from their name, their size from the first bytes of PNG, GIF, JPEG and
WebP files (Pillow for the rest).

A cold build needs the size of every cover for <img width height>; opening each one with Pillow
costs more than reading the few bytes that hold it.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import BinaryIO

Size = tuple[int | None, int | None]
_JPEG_FRAMES = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
"""Start-of-frame markers: the segment that holds a JPEG's height and width."""


_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif",
          "webp": "image/webp", "avif": "image/avif", "svg": "image/svg+xml"}


def image_type(path: str, unknown: str = "") -> str:
    """Return the MIME type of a picture from its file name ('cover.JPG' -> 'image/jpeg'), else ``unknown``."""
    return _TYPES.get(path.rsplit(".", 1)[-1].lower(), unknown)


def image_size(path: Path) -> Size:
    """Return (width, height) of a picture, as Pillow reports it; (None, None) when it is unreadable."""
    try:
        with path.open("rb") as handle:
            head = handle.read(32)
            found = _png(head) or _gif(head) or _webp(head)
            if found is None and head[:2] == b"\xff\xd8":
                found = _jpeg(handle)
    except (OSError, struct.error):
        found = None
    return found if found is not None else _with_pillow(path)


def _png(head: bytes) -> Size | None:
    if head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR":
        return struct.unpack(">II", head[16:24])
    return None


def _gif(head: bytes) -> Size | None:
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return struct.unpack("<HH", head[6:10])
    return None


def _webp(head: bytes) -> Size | None:
    if head[:4] != b"RIFF" or head[8:12] != b"WEBP":
        return None
    chunk = head[12:16]
    if chunk == b"VP8 " and head[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", head[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and head[20:21] == b"\x2f":
        bits = int.from_bytes(head[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X":
        return int.from_bytes(head[24:27], "little") + 1, int.from_bytes(head[27:30], "little") + 1
    return None


def _jpeg(handle: BinaryIO) -> Size | None:
    handle.seek(2)
    while True:
        byte = handle.read(1)
        while byte == b"\xff":  # fill bytes before a marker
            marker = handle.read(1)
            if marker != b"\xff":
                break
        else:
            return None
        if not marker:  # the file ends
            return None
        code = marker[0]
        if code == 0xD9:  # end of image before any frame
            return None
        if 0xD0 <= code <= 0xD7 or code == 0x01:  # markers without a segment
            continue
        (length,) = struct.unpack(">H", handle.read(2))
        if code in _JPEG_FRAMES:
            height, width = struct.unpack(">xHH", handle.read(5))
            return width, height
        handle.seek(length - 2, 1)


def _with_pillow(path: Path) -> Size:
    from PIL import Image, UnidentifiedImageError  # only here: for the formats read above it is not needed

    try:
        with Image.open(path) as picture:
            return picture.size
    except (OSError, UnidentifiedImageError):
        return None, None
