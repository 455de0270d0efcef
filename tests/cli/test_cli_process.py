"""The `cmhub` command as a process: what it prints reaches the pipe, its exit code is the command's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cmhub.cli import verbs as cli
from tests.conftest import NOW, tree_digest


def cmhub(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cmhub", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120)


def test_a_build_run_as_a_process_prints_its_summary_and_writes_the_site(basic_site: Path, runner: CliRunner,
                                                                       tmp_path: Path) -> None:
    done = cmhub("build", "-C", str(basic_site), "--now", NOW, "--no-cache")
    assert done.returncode == 0, done.stderr
    # the summary reaches the pipe (block-buffered, unlike a terminal) before the process ends
    assert "publiés" in done.stdout and "prochaine publication programmée" in done.stdout  # a French hub
    assert "Traceback" not in done.stderr
    in_process = runner.invoke(cli.main, ["build", "-C", str(basic_site), "--now", NOW, "--no-cache",
                                          "--output", str(tmp_path / "in-process")])
    assert in_process.exit_code == 0, in_process.output
    assert tree_digest(basic_site / "site") == tree_digest(tmp_path / "in-process")


def test_a_user_mistake_run_as_a_process_exits_1_with_its_message(basic_site: Path) -> None:
    (basic_site / "content" / "casse.md").write_text("---\ntitle: Casse\ndate: jamais\n---\n", encoding="utf-8")
    done = cmhub("build", "-C", str(basic_site), "--now", NOW)
    assert done.returncode == 1
    assert "content/casse.md:3: 'date' must be an ISO 8601" in done.stderr
    assert "Traceback" not in done.stderr


def test_help_and_version_reach_the_pipe() -> None:
    assert cmhub("--version").stdout.strip().startswith("cmhub, version ")
    usage = cmhub("build", "--help")
    assert usage.returncode == 0 and "--no-cache" in usage.stdout


class Ended(Exception):
    """What the stand-in for os._exit raises, with the code the process would have ended with."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


@pytest.mark.parametrize(("raised", "code", "printed"), [
    (SystemExit(0), 0, ""), (SystemExit(None), 0, ""), (SystemExit(3), 3, ""),
    (SystemExit("cmhub: stopped"), 1, "cmhub: stopped\n"),
])
def test_entry_ends_with_the_commands_exit_code(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                                raised: SystemExit, code: int, printed: str) -> None:
    def command() -> None:
        raise raised

    def end(code: int) -> None:
        raise Ended(code)

    monkeypatch.setattr(cli, "main", command)
    monkeypatch.setattr(cli.os, "_exit", end)
    with pytest.raises(Ended) as ended:
        cli.entry()
    assert ended.value.code == code
    assert capsys.readouterr().err == printed


def test_a_bug_is_not_hidden_by_the_quick_ending(monkeypatch: pytest.MonkeyPatch) -> None:
    def command() -> None:
        raise ZeroDivisionError("a bug of ours")

    def end(code: int) -> None:
        raise AssertionError("a bug must end the ordinary way, with its traceback")

    monkeypatch.setattr(cli, "main", command)
    monkeypatch.setattr(cli.os, "_exit", end)
    with pytest.raises(ZeroDivisionError, match="a bug of ours"):
        cli.entry()
