"""Opening a large cache checks each shard's seal once: a shard whose file is the one checked (same
status, same seal) is not read through its seal again, and a shard written over is checked again."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from cmhub.incremental import vouched as vouched_module
from cmhub.incremental.cache import RenderCache, open_render_cache, shard_of, shard_path


def _filled(root: Path) -> RenderCache:
    cache = open_render_cache(root)
    for n in range(200):
        cache.put(f"key-{n}", f"value {n}")
    cache.save()
    return cache


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The contexts of the seals checked in full."""
    seen: list[str] = []
    real = vouched_module.is_sealed

    def counted(data: bytes, context: str, mac: str | bytes) -> bool:
        seen.append(context)
        return real(data, context, mac)

    monkeypatch.setattr(vouched_module, "is_sealed", counted)
    return seen


def test_a_shard_already_checked_is_not_checked_again(tmp_path: Path, checks: list[str]) -> None:
    _filled(tmp_path)
    (tmp_path / ".cmhub-cache" / "bodies-shards.json").unlink()  # as on a machine that never read them
    first = open_render_cache(tmp_path)
    assert first.get("key-7") == "value 7" and checks  # its file is read (and checked) on first use
    assert all(first.get(f"key-{n}") == f"value {n}" for n in range(200))  # every entry used: none dropped
    first.save()  # as every build saves its caches: what it checked is remembered
    checks.clear()
    second = open_render_cache(tmp_path)
    assert second.get("key-7") == "value 7" and checks == []


def test_a_shard_written_over_keeping_its_seal_line_and_size_is_checked_again_and_refused(
        tmp_path: Path, checks: list[str]) -> None:
    _filled(tmp_path)
    assert open_render_cache(tmp_path).get("key-7") == "value 7"  # reading it vouches for every shard
    target = shard_path(tmp_path / ".cmhub-cache" / "bodies", shard_of("key-7"))
    data = target.read_bytes()
    info = os.stat(target)
    crafted = data.replace(b'"value 7"', b'"VALUE 7"')  # as many bytes, the same seal line
    assert crafted != data and len(crafted) == len(data)
    time.sleep(0.02)  # the file's change time moves on, whatever the clock's grain
    target.write_bytes(crafted)
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns))  # its date put back
    checks.clear()
    reopened = open_render_cache(tmp_path)
    assert reopened.get("key-7") is None  # the whole shard is refused
    assert f"cache:{target.name}" in checks
    assert reopened.get(next(f"key-{n}" for n in range(200) if shard_of(f"key-{n}") != shard_of("key-7"))) \
        is not None


@pytest.fixture
def files_read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the cache's files read from now on."""
    read: list[str] = []
    real = vouched_module.read_regular

    def counted(path: Path):  # noqa: ANN202 - read_regular's
        read.append(path.name)
        return real(path)

    monkeypatch.setattr(vouched_module, "read_regular", counted)
    return read


def _indexed(root: Path) -> list[str]:
    """A cache of 200 entries whose every file was read (and so indexed) by a build that used them all."""
    _filled(root)
    keys = [f"key-{n}" for n in range(200)]
    reader = open_render_cache(root)
    assert all(reader.get(key) is not None for key in keys)
    reader.save()
    return keys


def test_whether_a_file_holds_a_key_is_told_by_its_index_without_reading_it(tmp_path: Path,
                                                                           files_read: list[str]) -> None:
    keys = _indexed(tmp_path)
    files_read.clear()
    cache = open_render_cache(tmp_path)
    assert all(cache.holds(key) for key in keys) and not cache.holds("key-200")
    assert [name for name in files_read if name.endswith(".data")] == []
    assert cache.raw("key-7") == b'"value 7"'  # a value: its file is read then, and only it
    assert [name for name in files_read if name.endswith(".data")] == [f"bodies-{shard_of('key-7'):02d}.data"]


def test_a_file_changed_or_lost_since_its_index_is_read_to_tell(tmp_path: Path, files_read: list[str]) -> None:
    keys = _indexed(tmp_path)
    changed = shard_path(tmp_path / ".cmhub-cache" / "bodies", shard_of("key-7"))
    writer = open_render_cache(tmp_path)
    assert writer.get("key-7") == "value 7"
    writer.put("key-7", "another value")
    writer.save()  # its file is written again (and indexed as written): the others of its shard are dropped,
    lost = shard_path(tmp_path / ".cmhub-cache" / "bodies", shard_of("key-8"))  # as this build did not use them
    assert lost != changed
    lost.unlink()
    files_read.clear()
    cache = open_render_cache(tmp_path)
    told = {key: cache.holds(key) for key in keys}
    assert [name for name in files_read if name.endswith(".data")] == [lost.name]
    changed.write_bytes(changed.read_bytes())  # the same bytes written over: its file's status changed
    files_read.clear()
    again = open_render_cache(tmp_path)
    assert {key: again.holds(key) for key in keys} == told
    assert sorted(name for name in files_read if name.endswith(".data")) == sorted([changed.name, lost.name])
    assert told == {key: key == "key-7" or shard_of(key) not in (shard_of("key-7"), shard_of("key-8"))
                    for key in keys}
    assert cache.get("key-7") == "another value"
