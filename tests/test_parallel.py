"""Work done in forked processes gives the very bytes, in the very order, that one process gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cmhub.cli import main
from cmhub.models import OutputFile
from cmhub.parallel import made_in_order
from tests.conftest import NOW, tree_digest


def make(number: int) -> list[OutputFile]:
    return [OutputFile(f"{number}/a.txt", f"a{number}".encode()), OutputFile(f"{number}/b.txt", b"b" * number)]


def test_files_come_back_in_order_from_the_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cmhub.parallel.os.cpu_count", lambda: 2)
    items = list(range(1000))  # many slices, more than the few kept in flight
    assert list(made_in_order(items, make, parallel_from=1)) == [f for n in items for f in make(n)]


def test_a_build_made_in_parallel_is_the_build_made_in_one_process(basic_site: Path, runner: CliRunner,
                                                                   tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    def build(output: Path) -> dict[str, str]:
        result = runner.invoke(main, ["build", "-C", str(basic_site), "--now", NOW, "--no-cache",
                                      "--output", str(output)])
        assert result.exit_code == 0, result.output
        return tree_digest(output)

    alone = build(tmp_path / "alone")
    monkeypatch.setattr("cmhub.parallel.os.cpu_count", lambda: 2)
    for threshold in ("cmhub.render.PARALLEL_PAGES_FROM", "cmhub.feeds.PARALLEL_FEEDS_FROM",
                      "cmhub.bodies.PARALLEL_FROM"):
        monkeypatch.setattr(threshold, 1)
    assert build(tmp_path / "parallel") == alone
