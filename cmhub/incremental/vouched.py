"""The files of the build cache vouched for: a single file kept as it is (a teaser picture, sealed in a sidecar),
and the shards of a cache (their status, seal and keys when last read or written: VouchedShards).

A file whose status (size, dates, inode) is the one recorded when it was last checked is not read through
its seal again; a file written over, touched or restored from elsewhere has another status, and is read
and checked in full.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from cmhub.output.seals import is_sealed, read_regular, read_sealed, seal, write_sealed


def seal_file(path: Path) -> None:
    """Seal a file the cache keeps as it is (a teaser picture), so that trusted_file can vouch for it."""
    data = path.read_bytes()
    _seal_stat(path, os.lstat(path), seal(data, f"file:{path.name}"))


def trusted_file(path: Path) -> bool:
    """Tell whether a file of the cache is the one cmhub made and sealed, byte for byte.

    The file's status (size, dates, inode) as it was when last vouched for spares reading it
    again; a file restored from elsewhere, or touched, is read and checked against its seal.
    """
    sidecar = path.with_name(path.name + ".seal")
    body = read_sealed(sidecar, f"seal:{path.name}")
    try:
        info = os.lstat(path)
        record = json.loads(body) if body is not None else None
        if not isinstance(record, dict) or not stat.S_ISREG(info.st_mode):
            return False
        if record.get("stat") == _status(info):
            return True
        data = path.read_bytes()
        mac = record.get("mac")
        if not isinstance(mac, str) or not is_sealed(data, f"file:{path.name}", mac):
            return False
        _seal_stat(path, os.lstat(path), mac)
    except (OSError, ValueError):
        return False
    return True


def _status(info: os.stat_result) -> list[int]:
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev]


def _seal_stat(path: Path, info: os.stat_result, mac: str) -> None:
    record = {"stat": _status(info), "mac": mac}
    try:
        write_sealed(path.with_name(path.name + ".seal"), json.dumps(record).encode(), f"seal:{path.name}")
    except OSError:
        pass  # the file is checked again next time


class VouchedShards:
    """The shards of a cache whose seal was checked, each with its file's status then (size, dates,
    inode), its seal and the keys it holds, in one sealed file (``<name>-shards.json``): a shard whose file
    has the same status and seal is not read through its seal again (most of a large cache's opening), and
    whether it holds a key is told without reading it. A shard written over or replaced has another
    status, and is read and checked again, as are all shards of a cache restored on another machine (as
    trusted_file does for single files)."""

    def __init__(self, path: Path):
        self.path = path.with_name(f"{path.stem}-shards.json")
        found = read_sealed(self.path, f"shards:{self.path.name}")
        try:
            known = json.loads(found) if found is not None else {}
        except ValueError:
            known = {}
        self.known: dict[str, list[object]] = known if isinstance(known, dict) else {}
        self.seen: dict[str, list[object]] = {}
        self._listed: dict[str, set[str]] = {}

    def lines(self, target: Path, context: str) -> list[bytes] | None:
        """Return the lines of a shard's body (without its seal) when it is sealed with this machine's key,
        else None (the file is split once: a large cache's bodies are not copied on the way)."""
        found = read_regular(target)
        if found is None:
            return None
        info, data = found
        lines = data.split(b"\n")
        mac = lines[0]
        record: list[object] = [*_status(info), mac.decode("ascii", "replace")]
        known = self.known.get(target.name)
        if not (isinstance(known, list) and known[:6] == record):
            if len(lines) < 2 or not is_sealed(data[len(mac) + 1:], context, mac):
                return None
        self.seen[target.name] = record
        return lines[1:]

    def index(self, target: Path, entries: dict[str, bytes]) -> None:
        """Remember the keys of a shard just read through ``lines`` (none: it holds nothing cmhub can use)."""
        record = self.seen.get(target.name)
        if record is not None:
            self.seen[target.name] = [*record[:6], sorted(entries)]

    def written(self, target: Path, keys: list[str]) -> None:
        """Index a shard this process just wrote (and sealed) with ``keys``."""
        try:
            info = os.lstat(target)
            with open(target, "rb") as handle:
                mac = handle.readline().rstrip(b"\n").decode("ascii", "replace")
        except OSError:
            return
        self.seen[target.name] = [*_status(info), mac, sorted(keys)]
        self._listed.pop(target.name, None)

    def keys(self, target: Path) -> set[str] | None:
        """Return the keys of a shard as indexed when its file was last read, if the file has the status it
        had then (None: it must be read)."""
        record = self.seen.get(target.name) or self.known.get(target.name)
        if not (isinstance(record, list) and len(record) == 7 and isinstance(record[6], list)):
            return None
        try:
            info = os.lstat(target)
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode) or record[:5] != _status(info):
            return None
        listed = self._listed.get(target.name)
        if listed is None:
            listed = self._listed[target.name] = {k for k in record[6] if isinstance(k, str)}
        return listed

    def save(self) -> None:
        """Remember the shards read so far, beside those read before (a cache that cannot be written only
        costs time)."""
        if not self.seen:
            return
        merged = {**self.known, **self.seen}
        if merged == self.known:
            return
        try:
            write_sealed(self.path, json.dumps(merged, sort_keys=True).encode(), f"shards:{self.path.name}")
        except OSError:
            return
        self.known, self.seen = merged, {}
