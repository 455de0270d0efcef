"""Exports as downloaded (.zip) or unpacked (a folder), read without trusting them.

A zip is refused as a whole when any entry is an absolute path, climbs out with '..', is a
symbolic link, is encrypted or appears twice: cmhub never extracts an archive as it is (it reads
the entries it needs and writes copies under names of its own), but an archive built like that is
hostile or broken, and the user should know. An entry is read only up to its size, refused above
the size limits, and refused when it expands far more than any photo, video or JSON does (a "zip
bomb"). In a folder, symbolic links are never followed.
"""

from __future__ import annotations

import os
import re
import stat
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from cmhub.core.errors import CmhubError, Problem, error

MiB = 1024 * 1024
MAX_DATA_BYTES = 256 * MiB
"""Largest JSON or XML file read into memory."""
MAX_MEDIA_BYTES = 4096 * MiB
"""Largest picture or video copied out of an export."""
MAX_RATIO = 200
"""An entry of more than 1 MiB that expands more than this many times is refused (JSON expands ~20x)."""
_CHUNK = MiB
_IGNORED = re.compile(r"(?:^|/)(?:__MACOSX/|\._[^/]*$|\.DS_Store$)")
_DRIVE = re.compile(r"^[A-Za-z]:")


class Archive:
    """One or more parts of an export (Meta splits large ones into several zips), read as one tree.

    ``names`` are the '/'-separated paths of the regular files; a name found in several parts is
    read from the first.
    """

    def __init__(self, parts: Iterable[Path], displays: Iterable[str]):
        self._parts: list[_Part] = []
        self._owner: dict[str, _Part] = {}
        problems: list[Problem] = []
        for path, display in zip(parts, displays, strict=True):
            try:
                part: _Part = _Folder(path, display) if path.is_dir() else _Zip(path, display)
            except CmhubError as exc:
                problems.extend(exc.problems)
                continue
            self._parts.append(part)
            for name in part.names:
                self._owner.setdefault(name, part)
        if problems:
            self.close()
            raise CmhubError(problems)
        self.names: tuple[str, ...] = tuple(sorted(self._owner))
        self.display = ", ".join(p.display for p in self._parts)

    def where(self, name: str) -> str:
        """Return how messages show an entry: 'export.zip/content/posts_1.json'."""
        part = self._owner.get(name)
        return f"{part.display if part else self.display}/{name}"

    def read_bytes(self, name: str, limit: int | None = None) -> bytes:
        """Return the bytes of an entry (at most MAX_DATA_BYTES); raises CmhubError when too large or unreadable."""
        limit = limit or MAX_DATA_BYTES
        with self._open(name, limit) as handle:
            data = self._read(handle, name, limit + 1)
        if len(data) > limit:
            raise CmhubError([error(self.where(name), None, _too_large(len(data), limit))])
        return data

    def copy(self, name: str, target: Path, limit: int | None = None) -> None:
        """Copy an entry to a new file ``target`` (which must not exist), at most MAX_MEDIA_BYTES."""
        limit = limit or MAX_MEDIA_BYTES
        written = 0
        with self._open(name, limit) as source, target.open("xb") as sink:
            while chunk := self._read(source, name, _CHUNK):
                written += len(chunk)
                if written > limit:
                    raise CmhubError([error(self.where(name), None, _too_large(written, limit))])
                sink.write(chunk)

    def _read(self, handle: BinaryIO, name: str, size: int) -> bytes:
        try:
            return handle.read(size)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise CmhubError([error(self.where(name), None, f"cannot be read ({exc})")]) from exc

    def close(self) -> None:
        """Close the zip files."""
        for part in self._parts:
            part.close()

    @contextmanager
    def _open(self, name: str, limit: int) -> Iterator[BinaryIO]:
        part = self._owner.get(name)
        if part is None:
            raise CmhubError([error(self.where(name), None, "not found in the export")])
        with part.open(name, limit) as handle:
            yield handle


class _Part:
    display: str
    names: list[str]

    def open(self, name: str, limit: int):  # pragma: no cover - abstract
        """Open an entry for reading, refusing it above ``limit`` bytes."""
        raise NotImplementedError

    def close(self) -> None:
        """Release what the part holds open."""


class _Zip(_Part):
    def __init__(self, path: Path, display: str):
        self.display = display
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise CmhubError([error(display, None, f"is neither a folder nor a readable zip file ({reason})")]) from exc
        problems: list[Problem] = []
        self.names = []
        seen: set[str] = set()
        for info in self.zip.infolist():
            name = info.filename
            parts = re.split(r"[/\\]", name)
            if name.startswith(("/", "\\")) or _DRIVE.match(name):
                problems.append(_hostile(display, name, "is an absolute path"))
            elif ".." in parts:
                problems.append(_hostile(display, name, "climbs out of the export folder with '..'"))
            elif stat.S_ISLNK(info.external_attr >> 16):
                problems.append(_hostile(display, name, "is a symbolic link"))
            elif info.flag_bits & 0x1:
                problems.append(error(display, None, f"entry '{name}' is encrypted: download the export again "
                                                     "without a password"))
            elif name in seen:
                problems.append(_hostile(display, name, "appears twice"))
            elif not info.is_dir() and not _IGNORED.search(name):
                self.names.append(name)
            seen.add(name)
        if problems:
            self.zip.close()
            raise CmhubError(problems)

    @contextmanager
    def open(self, name: str, limit: int) -> Iterator[BinaryIO]:
        """Open a zip entry for reading, refusing it above ``limit`` bytes or when it looks like a zip bomb."""
        where = f"{self.display}/{name}"
        info = self.zip.getinfo(name)
        if info.file_size > limit:
            raise CmhubError([error(where, None, _too_large(info.file_size, limit))])
        if info.file_size > MiB and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise CmhubError([error(where, None, f"expands {info.file_size // max(info.compress_size, 1)} times "
                                                 f"when unpacked: refusing what looks like a zip bomb")])
        try:
            handle = self.zip.open(info)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
            raise CmhubError([error(where, None, f"cannot be read from the zip ({exc})")]) from exc
        with handle:
            yield handle

    def close(self) -> None:
        """Close the zip file."""
        self.zip.close()


class _Folder(_Part):
    def __init__(self, path: Path, display: str):
        self.display = display
        self.root = path
        self.names = []
        for folder, dirs, files in os.walk(path):  # never descends into linked folders
            dirs.sort()
            base = Path(folder).relative_to(path).as_posix()
            for file in sorted(files):
                name = file if base == "." else f"{base}/{file}"
                if not _IGNORED.search(name):
                    self.names.append(name)

    @contextmanager
    def open(self, name: str, limit: int) -> Iterator[BinaryIO]:
        """Open a file of the folder for reading, never through a symbolic link."""
        where = f"{self.display}/{name}"
        path = self.root / name
        try:
            if path.is_symlink():
                raise CmhubError([error(where, None, "is a symbolic link: cmhub does not follow links in an export")])
            size = path.stat().st_size
            if size > limit:
                raise CmhubError([error(where, None, _too_large(size, limit))])
            descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError as exc:
            raise CmhubError([error(where, None, f"cannot be read: {exc.strerror}")]) from exc
        with os.fdopen(descriptor, "rb") as handle:
            yield handle


def read_file(path: Path, display: str) -> bytes:
    """Return the bytes of a plain file given on the command line, refusing one above MAX_DATA_BYTES."""
    limit = MAX_DATA_BYTES
    try:
        size = path.stat().st_size
        if size > limit:
            raise CmhubError([error(display, None, _too_large(size, limit))])
        return path.read_bytes()
    except OSError as exc:
        raise CmhubError([error(display, None, f"cannot be read: {exc.strerror}")]) from exc


def _hostile(display: str, name: str, what: str) -> Problem:
    return error(display, None, f"entry '{name}' {what}: refusing this archive, which could write outside "
                                "the folder it is unpacked in")


def _too_large(size: int, limit: int) -> str:
    return f"is too large ({size / MiB:.0f} MiB; cmhub reads at most {limit // MiB} MiB)"
