"""Opening a large cache checks each shard's seal once: a shard whose file is the one checked (same
status, same seal) is not read through its seal again, and a shard written over is checked again."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from cmhub.incremental import cache as cache_module
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
    real = cache_module.is_sealed

    def counted(data: bytes, context: str, mac: str | bytes) -> bool:
        seen.append(context)
        return real(data, context, mac)

    monkeypatch.setattr(cache_module, "is_sealed", counted)
    return seen


def test_a_shard_already_checked_is_not_checked_again(tmp_path: Path, checks: list[str]) -> None:
    _filled(tmp_path)
    first = open_render_cache(tmp_path)
    assert first.get("key-7") == "value 7" and checks  # its files are read (and checked) on first use
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
