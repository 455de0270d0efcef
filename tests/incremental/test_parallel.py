"""Work done in forked processes gives the very bytes, in the very order, that one process gives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cmhub.cli.verbs import main
from cmhub.incremental import workers as parallel
from cmhub.incremental.workers import WorkerPool
from cmhub.output.files import OutputFile
from cmhub.pipeline import story as build_module
from tests.conftest import NOW, tree_digest


def make(number: int) -> list[OutputFile]:
    return [OutputFile(f"{number}/a.txt", f"a{number}".encode()), OutputFile(f"{number}/b.txt", b"b" * number)]


def test_files_come_back_in_order_from_the_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cmhub.incremental.workers.os.cpu_count", lambda: 2)
    items = list(range(1000))  # many slices, more than the few kept in flight
    assert list(WorkerPool().add(items, make, parallel_from=1)) == [f for n in items for f in make(n)]


def other(number: int) -> list[OutputFile]:
    return [OutputFile(f"other/{number}.txt", str(number * 3).encode())]


def test_batches_of_one_workshop_share_its_processes_and_each_keeps_its_order(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cmhub.incremental.workers.os.cpu_count", lambda: 2)
    pools = []
    real_pool = parallel.forked_pool

    def counted_pool(count: int) -> Any:
        pools.append(count)
        return real_pool(count)

    monkeypatch.setattr(parallel, "forked_pool", counted_pool)
    workers = WorkerPool()
    first = workers.add(list(range(300)), make, parallel_from=1)
    small = workers.add([7, 8], other, parallel_from=10)  # made here, as it is read
    second = workers.add(list(range(50)), other, parallel_from=1)
    assert list(first) == [f for n in range(300) for f in make(n)]
    assert list(small) == other(7) + other(8)
    assert list(second) == [f for n in range(50) for f in other(n)]
    assert pools == [2]  # one pool of two processes for both forked batches


def test_an_empty_batch_is_made_at_once_beside_forked_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cmhub.incremental.workers.os.cpu_count", lambda: 2)
    workers = WorkerPool()
    empty = workers.add([], make, parallel_from=0)
    full = workers.add(list(range(20)), other, parallel_from=1)
    assert list(empty) == []
    assert list(full) == [f for n in range(20) for f in other(n)]


def test_a_batch_read_before_the_one_added_first_still_gets_its_own_files(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cmhub.incremental.workers.os.cpu_count", lambda: 2)
    workers = WorkerPool()
    first = workers.add(list(range(120)), make, parallel_from=1)
    second = workers.add(list(range(40)), other, parallel_from=1)
    assert list(second) == [f for n in range(40) for f in other(n)]
    assert list(first) == [f for n in range(120) for f in make(n)]


def test_work_cannot_be_added_once_the_processes_have_started(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cmhub.incremental.workers.os.cpu_count", lambda: 2)
    workers = WorkerPool()
    files = workers.add(list(range(10)), make, parallel_from=1)
    assert next(files) == make(0)[0]
    with pytest.raises(RuntimeError, match="started"):
        workers.add([1], other, parallel_from=1)
    assert list(files) == [f for n in range(10) for f in make(n)][1:]


def test_a_build_made_in_parallel_is_the_build_made_in_one_process(basic_site: Path, runner: CliRunner,
                                                                   tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    def build(output: Path) -> dict[str, str]:
        result = runner.invoke(main, ["build", "-C", str(basic_site), "--now", NOW, "--no-cache",
                                      "--output", str(output)])
        assert result.exit_code == 0, result.output
        return tree_digest(output)

    alone = build(tmp_path / "alone")
    monkeypatch.setattr("cmhub.incremental.workers.os.cpu_count", lambda: 2)
    for threshold in ("cmhub.site.builtin.engine.PARALLEL_PAGES_FROM", "cmhub.site.feeds.PARALLEL_FEEDS_FROM",
                      "cmhub.markdown.bodies.PARALLEL_FROM"):
        monkeypatch.setattr(threshold, 1)
    assert build(tmp_path / "parallel") == alone


def test_a_broken_template_is_reported_alike_when_templates_are_compiled_ahead(
        basic_site: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    # bodies rendered in processes: the templates are compiled while they render, and a broken one
    # must then fail as it does when first used, with its file and line
    (basic_site / "theme" / "templates").mkdir(parents=True, exist_ok=True)
    (basic_site / "theme" / "templates" / "404.html").write_text("{% extends 'base.html' %}\n{% block main %}\n"
                                                                 "{% if %}\n{% endblock %}\n")
    expected = "theme/templates/404.html:3: template syntax error: Expected an expression, got 'end of statement block'"

    def build() -> str:
        result = runner.invoke(main, ["build", "-C", str(basic_site), "--now", NOW, "--no-cache"])
        assert result.exit_code == 1, result.output
        return result.output

    assert expected in build()
    monkeypatch.setattr("cmhub.incremental.workers.os.cpu_count", lambda: 2)
    monkeypatch.setattr("cmhub.markdown.bodies.PARALLEL_FROM", 1)
    compiled = []
    real = build_module.compile_templates

    def compile_templates(theme: Any) -> None:
        compiled.append(theme)
        real(theme)

    monkeypatch.setattr(build_module, "compile_templates", compile_templates)
    assert expected in build()
    assert compiled  # the templates were compiled ahead: the broken one was met there first


def test_cmhub_jobs_caps_the_processes_and_a_wrong_value_is_reported_before_any_work(
        basic_site: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    """CMHUB_JOBS=1 keeps a build in one process (the least memory, e.g. on a small CI runner); the cores
    counted are those this process may run on (taskset, cpusets), not the machine's."""
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    monkeypatch.delenv("CMHUB_JOBS", raising=False)
    assert parallel.worker_count() == 4
    monkeypatch.setenv("CMHUB_JOBS", "2")
    assert parallel.worker_count() == 2
    monkeypatch.setenv("CMHUB_JOBS", "1")
    assert parallel.worker_count() == 1
    monkeypatch.delenv("CMHUB_JOBS")
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda pid: {3})  # taskset -c 3
    assert parallel.worker_count() == 1
    for wrong in ("0", "-2", "two", "1.5"):
        monkeypatch.setenv("CMHUB_JOBS", wrong)
        result = runner.invoke(main, ["build", "-C", str(basic_site), "--now", NOW, "-q"])
        assert result.exit_code == 1
        assert result.output.startswith(f"CMHUB_JOBS: must be a whole number of processes, 1 or more "
                                        f"(1: one process, the least memory); it is '{wrong}'")
        assert "Traceback" not in result.output
        assert not (basic_site / "site").exists()  # nothing was made
