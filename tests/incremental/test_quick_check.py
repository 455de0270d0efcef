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
