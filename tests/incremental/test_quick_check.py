"""`cmhub build` with nothing changed: answered from file dates, without site.yml's parser while
site.yml, the options and the folders' links are those of the last build."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cmhub.cli.verbs import main
from tests.conftest import NOW

PROBE = """
import sys
from cmhub.cli.verbs import main
try:
    main(sys.argv[1:], standalone_mode=False)
finally:
    print(sorted(name for name in ("cmhub.settings.config", "yaml", "jinja2", "markdown") if name in sys.modules))
"""


def build(runner: CliRunner, site: Path, *extra: str) -> str:
    result = runner.invoke(main, ["build", "-C", str(site), "--now", NOW, *extra])
    assert result.exit_code == 0, result.output
    return result.stdout


def probe(site: Path, *args: str) -> tuple[str, str]:
    """Run `cmhub build` in a new process; return what it printed and the heavy modules it loaded."""
    done = subprocess.run([sys.executable, "-c", PROBE, "build", "-C", str(site), *args],
                          capture_output=True, text=True, check=True)
    *said, loaded = done.stdout.strip().splitlines()
    return "\n".join(said), loaded


def test_nothing_changed_is_answered_without_the_settings_or_the_renderers(basic_site: Path,
                                                                           runner: CliRunner) -> None:
    build(runner, basic_site)
    index = basic_site / "site" / "index.html"
    before = index.stat().st_mtime_ns
    said, loaded = probe(basic_site, "--now", NOW)
    assert said.endswith("rien n’a changé") and loaded == "[]"
    assert index.stat().st_mtime_ns == before
    # a --now without offset is read in the hub's time zone, which the last build kept (Europe/Paris: 13:00)
    said, loaded = probe(basic_site, "--now", "2026-11-21T13:00:00")
    assert said.endswith("rien n’a changé") and loaded == "[]"


def test_a_changed_site_yml_is_read_again(basic_site: Path, runner: CliRunner) -> None:
    build(runner, basic_site)
    settings = basic_site / "site.yml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("Les Voix du Quartier", "Les Voix du Port"),
                        encoding="utf-8")
    said, loaded = probe(basic_site, "--now", NOW)
    assert "rien n’a changé" not in said and "cmhub.settings.config" in loaded
    assert "Les Voix du Port" in (basic_site / "site" / "index.html").read_text(encoding="utf-8")


def test_other_options_are_not_answered_from_the_last_build(basic_site: Path, runner: CliRunner,
                                                           tmp_path: Path) -> None:
    build(runner, basic_site)
    elsewhere = tmp_path / "elsewhere"
    said = build(runner, basic_site, "--output", str(elsewhere))
    assert "rien n’a changé" not in said and (elsewhere / "index.html").is_file()
    strict = runner.invoke(main, ["build", "-C", str(basic_site), "--now", NOW, "--strict"])
    assert strict.exit_code == 1 and "errors in strict mode" in strict.stderr  # the basic hub has warnings


def test_a_content_link_pointed_elsewhere_is_followed(basic_site: Path, runner: CliRunner) -> None:
    first, second = basic_site / "content-a", basic_site / "content-b"
    (basic_site / "content").rename(first)
    shutil.copytree(first, second)
    (basic_site / "content").symlink_to(first.name)
    build(runner, basic_site)
    article = second / "troisieme.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nÉcrit dans l’autre dossier.\n", encoding="utf-8")
    pointer = basic_site / "content.new"
    pointer.symlink_to(second.name)
    os.replace(pointer, basic_site / "content")  # site.yml, its options and the first folder are unchanged
    said = build(runner, basic_site)
    assert "rien n’a changé" not in said
    page = basic_site / "site" / "troisieme" / "index.html"
    assert "Écrit dans l’autre dossier." in page.read_text(encoding="utf-8")


def test_an_article_saved_while_the_build_runs_is_built_by_the_next_one(basic_site: Path, runner: CliRunner,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import cmhub.pipeline.story as story

    article = basic_site / "content" / "troisieme.md"
    read = story.load_site

    def saved_meanwhile(*args: object, **kwargs: object) -> object:
        found = read(*args, **kwargs)  # the content is read: the author saves again now
        article.write_text(article.read_text(encoding="utf-8") + "\nAjouté pendant la construction.\n",
                           encoding="utf-8")
        return found

    monkeypatch.setattr(story, "load_site", saved_meanwhile)
    build(runner, basic_site)
    page = basic_site / "site" / "troisieme" / "index.html"
    assert "Ajouté pendant la construction." not in page.read_text(encoding="utf-8")
    monkeypatch.undo()
    said = build(runner, basic_site)
    assert "rien n’a changé" not in said
    assert "Ajouté pendant la construction." in page.read_text(encoding="utf-8")


def command(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the `cmhub` command itself (its console script's entry) in a new process, with the import log."""
    return subprocess.run([sys.executable, "-X", "importtime", "-c", "from cmhub.cli import entry; entry()",
                           "build", "-C", str(site), *args], capture_output=True, text=True)


def imported(stderr: str) -> set[str]:
    return {line.rsplit("|", 1)[1].strip() for line in stderr.splitlines() if line.startswith("import time:")}


def said_to_user(stderr: str) -> str:
    return "\n".join(line for line in stderr.splitlines() if not line.startswith("import time:"))


def test_the_command_answers_nothing_changed_without_click_and_says_what_click_says(basic_site: Path,
                                                                                 runner: CliRunner) -> None:
    build(runner, basic_site)
    through_click = runner.invoke(main, ["build", "-C", str(basic_site), "--now", NOW])
    assert through_click.exit_code == 0 and "rien n’a changé" in through_click.stdout
    assert through_click.stderr.count("warning:") >= 1  # the basic hub's warnings are said again
    done = command(basic_site, "--now", NOW)
    assert done.returncode == 0
    assert done.stdout == through_click.stdout
    assert said_to_user(done.stderr) == through_click.stderr.rstrip("\n")
    assert "click" not in imported(done.stderr) and "cmhub.cli.quick" in imported(done.stderr)
    assert "cmhub.output.manifest" not in imported(done.stderr)  # the record of the outputs is enough
    quiet = command(basic_site, f"--now={NOW}", "--quiet")
    assert quiet.returncode == 0 and quiet.stdout == ""
    assert said_to_user(quiet.stderr) == through_click.stderr.rstrip("\n")  # -q prints problems still


def test_the_command_hands_other_builds_to_click(basic_site: Path, runner: CliRunner) -> None:
    build(runner, basic_site)
    article = basic_site / "content" / "troisieme.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nUne phrase de plus.\n", encoding="utf-8")
    done = command(basic_site, "--now", NOW)  # something to build: click runs the build
    assert done.returncode == 0 and "rien n’a changé" not in done.stdout and "click" in imported(done.stderr)
    assert "Une phrase de plus." in (basic_site / "site" / "troisieme" / "index.html").read_text(encoding="utf-8")
    strict = command(basic_site, "--now", NOW, "--strict")  # an option it does not answer: click does
    assert strict.returncode == 1 and "errors in strict mode" in strict.stderr
    below = command(basic_site / "content", "--now", NOW)  # click says which hub it found above
    assert below.returncode == 0 and "site.yml found above" in below.stderr and "click" in imported(below.stderr)


@pytest.mark.parametrize(("argv", "plain"), [
    (["build"], (Path("."), None, False)),
    (["build", "-C", "hub", "--now", NOW, "-q"], (Path("hub"), NOW, True)),
    (["build", "--project=hub", f"--now={NOW}", "--quiet"], (Path("hub"), NOW, True)),
    (["build", "--strict"], None),
    (["build", "--output", "x"], None),
    (["build", "-C=hub"], None),
    (["build", "--now"], None),
    (["build", "--now", "--quiet"], None),
    (["build", "--help"], None),
    (["check"], None),
    ([], None),
])
def test_only_a_plain_build_is_answered_before_click(argv: list[str], plain: object) -> None:
    from cmhub.cli.quick import _plain_build

    assert _plain_build(argv) == plain


def test_the_check_made_before_click_is_not_made_again(basic_site: Path, runner: CliRunner,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import cmhub.incremental.freshness as freshness
    from cmhub.cli.quick import answer, taken
    from cmhub.settings.request import BuildRequest

    build(runner, basic_site)
    article = basic_site / "content" / "troisieme.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nEncore une phrase.\n", encoding="utf-8")
    checks = []
    check = freshness.quick_check
    monkeypatch.setattr(freshness, "quick_check", lambda *a: checks.append(a) or check(*a))
    assert answer(["build", "-C", str(basic_site), "--now", NOW]) is False  # something to build
    said = build(runner, basic_site)  # click runs it, with the check made before
    assert len(checks) == 1 and "rien n’a changé" not in said
    assert "Encore une phrase." in (basic_site / "site" / "troisieme" / "index.html").read_text(encoding="utf-8")
    assert taken(basic_site, BuildRequest(now=NOW)) is None  # handed once
    assert "rien n’a changé" in build(runner, basic_site) and len(checks) == 2


def test_a_terminal_that_cannot_show_every_character_gets_question_marks_not_a_traceback(basic_site: Path,
                                                                                         runner: CliRunner) -> None:
    build(runner, basic_site)
    for args in (["--now", NOW], ["--now", NOW, "--strict"]):  # answered before click, and by click
        done = subprocess.run([sys.executable, "-X", "importtime", "-c", "from cmhub.cli import entry; entry()",
                               "build", "-C", str(basic_site), *args],
                              capture_output=True, env={**os.environ, "PYTHONIOENCODING": "latin-1"})
        said = done.stdout.decode("latin-1") + done.stderr.decode("latin-1")
        assert b"Traceback" not in done.stderr and "\u2019" not in said
        if args == ["--now", NOW]:
            assert done.returncode == 0 and "rien n?a chang\xe9" in said
            assert "click" not in imported(done.stderr.decode("latin-1"))
        else:
            assert done.returncode == 1 and "errors in strict mode" in said
            assert "click" in imported(done.stderr.decode("latin-1"))


def test_no_process_to_spare_checks_every_output_here(basic_site: Path, runner: CliRunner,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import cmhub.incremental.intact as intact

    build(runner, basic_site)
    monkeypatch.setattr(intact, "SHARED_FROM", 1)

    def no_fork() -> int:
        raise BlockingIOError("Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    assert "rien n’a changé" in build(runner, basic_site)
    page = basic_site / "site" / "troisieme" / "index.html"
    page.write_bytes(page.read_bytes().upper())
    assert "rien n’a changé" not in build(runner, basic_site)
