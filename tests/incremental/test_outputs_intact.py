"""The check of the last build's outputs (cmhub/incremental/intact.py), with a share checked by a forked
process: a file written over in either share is seen, and the forked process never outlives the check."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

import cmhub.incremental.intact as intact
from cmhub.cli.verbs import main
from cmhub.incremental.freshness import load_stamp, written_folders
from cmhub.incremental.intact import OUTPUTS_NAME, check_outputs
from cmhub.settings.config import load_config
from tests.conftest import NOW, process_gone


def built(runner: CliRunner, site: Path) -> str:
    result = runner.invoke(main, ["build", "-C", str(site), "--now", NOW])
    assert result.exit_code == 0, result.output
    return result.stdout


def recorded_files(site: Path) -> list[Path]:
    """Every file the record lists, in its order (the forked process takes the first ones)."""
    body = (site / ".cmhub-cache" / OUTPUTS_NAME).read_bytes()
    folders = {"0": site / "site", "1": site / "social"}
    lines = body.split(b"\n")[2:-1]  # after the seal and the heading
    assert lines, "the record must list the outputs"
    return [folders[line.split(b"\t")[0].decode()] / line.split(b"\t", 3)[3].decode() for line in lines]


def start(site: Path, inputs_first: bool = False) -> intact.OutputsCheck:
    config = load_config(site)
    stamp = load_stamp(site)
    assert stamp is not None
    return check_outputs(site, stamp.build, written_folders(config, False), inputs_first)




@pytest.fixture
def shared(monkeypatch: pytest.MonkeyPatch) -> None:
    """Share the check with a forked process however few the files are."""
    monkeypatch.setattr(intact, "SHARED_FROM", 1)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this system")
@pytest.mark.parametrize("which", ["first", "last"])
def test_a_file_written_over_in_either_share_is_seen(basic_site: Path, runner: CliRunner, shared: None,
                                                     which: str) -> None:
    built(runner, basic_site)
    files = recorded_files(basic_site)
    check = start(basic_site)
    assert check.helper is not None and 0 < len(check.lines) < len(files)  # both processes have a share
    pid = check.helper
    assert check.intact() is True and process_gone(pid)
    victim = files[0] if which == "first" else files[-1]  # the first is the forked process's
    victim.write_bytes(victim.read_bytes() + b" ")
    check = start(basic_site)
    pid = check.helper
    assert pid is not None and check.intact() is False and process_gone(pid)
    assert "rien n’a changé" not in built(runner, basic_site)  # and the command builds again
    assert "rien n’a changé" in built(runner, basic_site)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this system")
def test_the_inputs_taken_first_give_the_forked_process_the_larger_share(basic_site: Path, runner: CliRunner,
                                                                        shared: None) -> None:
    built(runner, basic_site)
    alone, beside = start(basic_site), start(basic_site, inputs_first=True)
    assert len(beside.lines) < len(alone.lines)
    for check in (alone, beside):
        pid = check.helper
        assert pid is not None
        check.abandon()  # not needed: it is stopped and waited for
        assert check.helper is None and process_gone(pid)


def test_a_few_files_are_checked_here_and_a_damaged_line_means_a_new_build(basic_site: Path,
                                                                          runner: CliRunner) -> None:
    built(runner, basic_site)
    check = start(basic_site)
    assert check.helper is None and check.intact() is True  # the basic hub has fewer than SHARED_FROM
    prefixes = check.prefixes
    assert intact.files_intact(prefixes, [b"0\tnot a size\t1\tindex.html"]) is False
    assert intact.files_intact(prefixes, [b"7\t1\t1\tindex.html"]) is False  # no such folder
    assert intact.files_intact(prefixes, [b"0\t1\t1"]) is False


def test_the_nothing_changed_check_shares_its_work_in_the_command(basic_site: Path, runner: CliRunner,
                                                                 shared: None,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    built(runner, basic_site)
    forks = []
    fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or fork())
    assert "rien n’a changé" in built(runner, basic_site)
    assert forks == [1]
    page = basic_site / "site" / "troisieme" / "index.html"
    page.write_bytes(page.read_bytes().upper())
    assert "rien n’a changé" not in built(runner, basic_site)
