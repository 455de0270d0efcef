"""A build forks only as many processes as the memory left can hold, each counted as a whole copy of it
(cmhub/incremental/workers.py): without room it works in one process, and makes the same bytes."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cmhub.cli.verbs import main
from cmhub.incremental import workers
from cmhub.incremental.workers import WorkerPool, forks_memory_allows
from cmhub.output.files import OutputFile
from cmhub.pipeline import syndication
from tests.conftest import NOW, tree_digest

PAGE = os.sysconf("SC_PAGE_SIZE")
GIB = 2**30


def _system(tmp_path: Path, resident: int, available: int, cgroup: tuple[str, int] | None = None,
            v1: bool = False) -> Path:
    """A /proc (and /sys/fs/cgroup) as this process would see it: ``resident`` bytes, ``available`` left."""
    root = tmp_path / "system"
    (root / "proc" / "self").mkdir(parents=True)
    (root / "proc" / "self" / "statm").write_text(f"{resident * 3 // PAGE} {resident // PAGE} 100 1 0 50 0\n",
                                                   encoding="ascii")
    (root / "proc" / "meminfo").write_text(f"MemTotal:       {32 * GIB // 1024} kB\nMemFree:        1000 kB\n"
                                           f"MemAvailable:   {available // 1024} kB\n", encoding="ascii")
    if cgroup is not None:
        limit, usage = cgroup
        folder = root / "sys" / "fs" / "cgroup" / ("memory" if v1 else "")
        folder.mkdir(parents=True)
        (folder / ("memory.limit_in_bytes" if v1 else "memory.max")).write_text(f"{limit}\n", encoding="ascii")
        (folder / ("memory.usage_in_bytes" if v1 else "memory.current")).write_text(f"{usage}\n", encoding="ascii")
    return root


def test_each_fork_needs_room_for_a_whole_copy(tmp_path: Path) -> None:
    assert forks_memory_allows(2, _system(tmp_path / "a", resident=GIB, available=10 * GIB)) == 2
    assert forks_memory_allows(2, _system(tmp_path / "b", resident=4 * GIB, available=6 * GIB)) == 1
    assert forks_memory_allows(1, _system(tmp_path / "c", resident=4 * GIB, available=3 * GIB)) == 0


def test_a_control_group_s_limit_counts_when_lower(tmp_path: Path) -> None:
    plenty = 20 * GIB
    assert forks_memory_allows(2, _system(tmp_path / "v2", GIB, plenty, (3 * GIB, int(1.5 * GIB)))) == 1
    assert forks_memory_allows(2, _system(tmp_path / "v1", GIB, plenty, (3 * GIB, int(2.5 * GIB)), v1=True)) == 0
    unlimited = _system(tmp_path / "max", GIB, plenty, (0, GIB))
    (unlimited / "sys" / "fs" / "cgroup" / "memory.max").write_text("max\n", encoding="ascii")
    assert forks_memory_allows(2, unlimited) == 2


def test_a_system_that_does_not_say_leaves_the_count_as_it_is(tmp_path: Path) -> None:
    assert forks_memory_allows(2, tmp_path / "nothing") == 2


def make(number: int) -> list[OutputFile]:
    return [OutputFile(f"{number}/a.txt", f"a{number}".encode())]


def test_workers_without_room_make_every_batch_here_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "worker_count", lambda: 2)
    monkeypatch.setattr(workers, "_available_memory", lambda root: 0)
    forked: list[Any] = []
    monkeypatch.setattr(workers, "forked_pool", lambda *args, **kwargs: forked.append(args))
    pool = WorkerPool()
    first = pool.add(list(range(50)), make, parallel_from=1)
    second = pool.add(list(range(7)), make, parallel_from=1)
    assert list(second) == [f for n in range(7) for f in make(n)]
    assert list(first) == [f for n in range(50) for f in make(n)]
    assert forked == []


def test_a_build_without_room_for_a_fork_makes_the_same_output(basic_site: Path, runner: CliRunner,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(syndication, "worker_count", lambda: 2)
    monkeypatch.setattr(syndication, "APART_FROM", 1)  # the sample hub is small
    for threshold in ("cmhub.site.builtin.engine.PARALLEL_PAGES_FROM", "cmhub.markdown.bodies.PARALLEL_FROM"):
        monkeypatch.setattr(threshold, 1)
    with (basic_site / "site.yml").open("a", encoding="utf-8") as handle:
        handle.write('networks:\n  x: "@voix"\n  mastodon: "@voix@piaille.example"\n')
    twin = basic_site.parent / "twin"
    shutil.copytree(basic_site, twin)
    apart: list[int] = []
    made_apart = syndication.SyndicationApart
    monkeypatch.setattr(syndication, "SyndicationApart", lambda *args: apart.append(1) or made_apart(*args))
    pools: list[int] = []
    real_pool = workers.forked_pool
    for module in ("cmhub.incremental.workers", "cmhub.markdown.bodies"):
        monkeypatch.setattr(f"{module}.forked_pool", lambda count, **kw: pools.append(count) or real_pool(count, **kw))
    assert runner.invoke(main, ["build", "-C", str(basic_site), "--now", NOW, "-q"]).exit_code == 0
    assert apart == [1] and pools == [2, 2]  # the bodies, then the pages and feeds

    monkeypatch.setattr(workers, "_available_memory", lambda root: 0)
    result = runner.invoke(main, ["build", "-C", str(twin), "--now", NOW, "-q"])
    assert result.exit_code == 0, result.output
    assert apart == [1] and pools == [2, 2]  # made here
    for name in ("site", "social"):
        assert tree_digest(basic_site / name) == tree_digest(twin / name), name
    assert (basic_site / "plan.lock").read_bytes() == (twin / "plan.lock").read_bytes()
