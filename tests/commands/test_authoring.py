"""Authoring as a user does it: init, new, check, serve (a real server on localhost), output safety."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from cmhub.cli.verbs import main
from tests.conftest import NOW


def test_init_then_build_makes_a_site(tmp_path: Path, runner: CliRunner) -> None:
    hub = tmp_path / "hub"
    result = runner.invoke(main, ["init", str(hub), "--title", "L’asso du quartier", "--now", NOW])
    assert result.exit_code == 0, result.output
    workflow = (hub / ".github" / "workflows" / "cmhub.yml").read_text(encoding="utf-8")
    assert "schedule:" in workflow and "60 days" in workflow and "--locked" in workflow
    assert "social/" in workflow and "deploy-pages" in workflow
    steps = yaml.safe_load(workflow)["jobs"]["build"]["steps"]
    cache = next(step for step in steps if step.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"].split() == [".cmhub-cache", "!.cmhub-cache/trees"]
    assert cache["with"]["restore-keys"] == "cmhub-"
    assert steps.index(cache) < next(i for i, step in enumerate(steps) if "cmhub build" in step.get("run", ""))
    built = runner.invoke(main, ["build", "-C", str(hub), "--now", NOW])
    assert built.exit_code == 0, built.output
    assert (hub / "site" / "index.html").is_file()
    assert (hub / "site" / "bienvenue-sur-notre-hub").exists() is False  # slug comes from the file name
    assert (hub / "site" / "bienvenue" / "index.html").is_file()


def test_init_dates_the_welcome_article_by_the_one_clock(tmp_path: Path, runner: CliRunner,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # 2026-11-21T23:30Z is already the 22nd in Paris: the day is the hub's, not UTC's
    assert runner.invoke(main, ["init", str(tmp_path / "a"), "--now", "2026-11-21T23:30:00Z"]).exit_code == 0
    assert "date: 2026-11-22T09:00:00" in (tmp_path / "a" / "content" / "bienvenue.md").read_text(encoding="utf-8")
    assert "start: 2026-11-22" in (tmp_path / "a" / "site.yml").read_text(encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    assert runner.invoke(main, ["init", str(tmp_path / "b"), "--language", "en"]).exit_code == 0
    assert "date: 2026-01-01T09:00:00" in (tmp_path / "b" / "content" / "welcome.md").read_text(encoding="utf-8")
    broken = runner.invoke(main, ["init", str(tmp_path / "c"), "--now", "mardi"])
    assert broken.exit_code == 1 and "--now:" in broken.stderr and not (tmp_path / "c" / "site.yml").exists()


def test_init_refuses_an_existing_hub(tmp_path: Path, runner: CliRunner) -> None:
    assert runner.invoke(main, ["init", str(tmp_path)]).exit_code == 0
    again = runner.invoke(main, ["init", str(tmp_path)])
    assert again.exit_code == 1
    assert "site.yml: already exists" in again.stderr


def test_new_article_builds_and_is_never_overwritten(tmp_path: Path, runner: CliRunner) -> None:
    assert runner.invoke(main, ["init", str(tmp_path), "--now", NOW]).exit_code == 0
    first = runner.invoke(main, ["new", "-C", str(tmp_path), "L’été : nos « bénévoles »",
                                 "--date", "2026-11-01T10:00:00", "--tags", "été,bénévolat"])
    assert first.exit_code == 0, first.output
    article = tmp_path / "content" / "lete-nos-benevoles.md"
    original = article.read_text(encoding="utf-8")
    assert "title: \"L’été : nos « bénévoles »\"" in original and "tags: [été, bénévolat]" in original
    second = runner.invoke(main, ["new", "-C", str(tmp_path), "L’été : nos « bénévoles »"])
    assert second.exit_code == 1
    assert "already exists; nothing was overwritten" in second.stderr
    assert article.read_text(encoding="utf-8") == original
    preview = runner.invoke(main, ["build", "-C", str(tmp_path), "--now", NOW, "--drafts"])
    assert preview.exit_code == 0, preview.output
    assert (tmp_path / "preview" / "lete-nos-benevoles" / "index.html").is_file()


def test_new_article_is_dated_by_the_one_clock(tmp_path: Path, runner: CliRunner,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    assert runner.invoke(main, ["init", str(tmp_path), "--now", NOW]).exit_code == 0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z, 01:00 in Paris
    assert runner.invoke(main, ["new", "-C", str(tmp_path), "Bonne année"]).exit_code == 0
    assert "date: 2026-01-01T01:00:00" in (tmp_path / "content" / "bonne-annee.md").read_text(encoding="utf-8")


def test_check_reports_a_planted_error_as_text_and_json(basic_site: Path, runner: CliRunner) -> None:
    clean = runner.invoke(main, ["check", "-C", str(basic_site), "--now", NOW])
    assert clean.exit_code == 0, clean.output
    assert not (basic_site / "site").exists()
    (basic_site / "content" / "faute.md").write_text("---\ntitle: Faute\ndate: bientôt\n---\n", encoding="utf-8")
    text = runner.invoke(main, ["check", "-C", str(basic_site), "--now", NOW])
    assert text.exit_code == 1
    assert "content/faute.md:3: 'date' must be an ISO 8601" in text.stderr
    as_json = runner.invoke(main, ["check", "-C", str(basic_site), "--now", NOW, "--format", "json"])
    assert as_json.exit_code == 1
    report = json.loads(as_json.stdout)
    assert report["errors"] == 1
    errors = [p for p in report["problems"] if p["severity"] == "error"]
    assert [(p["file"], p["line"]) for p in errors] == [("content/faute.md", 3)]
    assert not (basic_site / "site").exists()


@pytest.mark.parametrize("output", [".", "content", "theme", "content/sub"])
def test_output_folders_that_hold_the_project_are_refused(basic_site: Path, runner: CliRunner,
                                                          output: str) -> None:
    (basic_site / "theme").mkdir(exist_ok=True)
    before = sorted(p.relative_to(basic_site) for p in basic_site.rglob("*"))
    result = runner.invoke(main, ["build", "-C", str(basic_site), "--now", NOW, "--output",
                                  str(basic_site / output)])
    assert result.exit_code == 1
    assert "output folder" in result.stderr and "Traceback" not in result.output
    assert sorted(p.relative_to(basic_site) for p in basic_site.rglob("*")) == before


def test_a_folder_cmhub_did_not_make_is_refused(basic_site: Path, runner: CliRunner) -> None:
    mine = basic_site / "public"
    mine.mkdir()
    (mine / "precious.txt").write_text("keep me", encoding="utf-8")
    result = runner.invoke(main, ["build", "-C", str(basic_site), "--now", NOW, "--output", str(mine)])
    assert result.exit_code == 1
    assert "exists and was not made by cmhub" in result.stderr
    assert (mine / "precious.txt").read_text(encoding="utf-8") == "keep me"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def _wait_for(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_serve_answers_reloads_edits_and_survives_errors(basic_site: Path, tmp_path: Path) -> None:
    port = _free_port()
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    server = subprocess.Popen([sys.executable, "-m", "cmhub", "serve", "-C", str(basic_site), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "SOURCE_DATE_EPOCH": "1795262400", "TMPDIR": str(temporary)})
    base = f"http://127.0.0.1:{port}"
    try:
        assert _wait_for(lambda: _safe(lambda: _get(base + "/")[0] == 200), 60), "server did not start"
        assert "Brouillon secret" in _get(base + "/secret-brouillon/")[1]  # previews show drafts
        article = basic_site / "content" / "troisieme.md"
        article.write_text(article.read_text(encoding="utf-8").replace("Un été", "Un été MODIFIÉ"),
                           encoding="utf-8")
        # the server rebuilds on its own after the edit; the bound only ends a hung test (no wall-time check)
        assert _wait_for(lambda: "MODIFIÉ" in _get(base + "/troisieme/")[1], 60), "the edit was never served"
        (basic_site / "content" / "casse.md").write_text("---\ntitle: Casse\ndate: jamais\n---\n",
                                                          encoding="utf-8")
        assert _wait_for(lambda: "the last build failed" in _get(base + "/")[1], 60)
        status, page = _get(base + "/troisieme/")
        assert status == 200 and "content/casse.md:3:" in page
        assert server.poll() is None
    finally:
        server.terminate()
        log = server.communicate(timeout=10)[1]
    assert "content/casse.md:3: 'date' must be an ISO 8601" in log
    assert list(temporary.iterdir()) == []  # SIGTERM removed the preview's temporary folder


def _safe(check) -> bool:
    try:
        return bool(check())
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@pytest.mark.parametrize(("given", "written"), [
    ("2026-12-18", "date: 2026-12-18\n"),
    ("2026-12-18T09:30", "date: 2026-12-18T09:30:00\n"),
    ("2026-12-18 09:30", "date: 2026-12-18T09:30:00\n"),
    ("2026-12-18T09:30:00+01:00", "date: 2026-12-18T09:30:00+01:00\n"),
    ("2026-12-18T08:30:00Z", "date: 2026-12-18T08:30:00+00:00\n"),
    ("18/12/2026", "date: 2026-12-18\n"),
    ("18/12/2026 09:30", "date: 2026-12-18T09:30:00\n"),
    (" 8/1/2027 9:05 ", "date: 2027-01-08T09:05:00\n"),
])
def test_new_accepts_iso_dates_and_the_day_first_form(tmp_path: Path, runner: CliRunner, given: str,
                                                      written: str) -> None:
    assert runner.invoke(main, ["init", str(tmp_path), "--now", NOW]).exit_code == 0
    result = runner.invoke(main, ["new", "-C", str(tmp_path), "Assemblée", "--date", given])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "content" / "assemblee.md").read_text(encoding="utf-8")
    assert written in text
    built = runner.invoke(main, ["build", "-C", str(tmp_path), "--now", NOW, "--drafts"])
    assert built.exit_code == 0, built.output


@pytest.mark.parametrize("given", ["18/12/26", "31/02/2026", "12/18/2026", "2026-13-01", "mardi", "18/12/2026 25:00",
                                   "2026-12-18T09:30:00+25:00", "18/12/2026\n2026"])
def test_new_refuses_a_date_it_cannot_read_and_writes_nothing(tmp_path: Path, runner: CliRunner, given: str) -> None:
    assert runner.invoke(main, ["init", str(tmp_path), "--now", NOW]).exit_code == 0
    result = runner.invoke(main, ["new", "-C", str(tmp_path), "Assemblée", "--date", given])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"--date: must be an ISO 8601 date or datetime (2026-12-18 or 2026-12-18T09:30), or day first "
        f"(18/12/2026 or 18/12/2026 09:30); got {given!r}")
    assert not (tmp_path / "content" / "assemblee.md").exists()


def test_new_refuses_the_slash_form_in_a_hub_written_for_the_united_states(tmp_path: Path, runner: CliRunner) -> None:
    assert runner.invoke(main, ["init", str(tmp_path), "--now", NOW, "--language", "en-US"]).exit_code == 0
    result = runner.invoke(main, ["new", "-C", str(tmp_path), "Meeting", "--date", "03/04/2027"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "--date: '03/04/2027' is read day first (3 April) by cmhub but month first in this hub's language "
        "(en-US): write 2027-04-03 or 2027-03-04")
    assert not (tmp_path / "content" / "meeting.md").exists()


def test_new_says_which_day_it_understood(tmp_path: Path, runner: CliRunner) -> None:
    assert runner.invoke(main, ["init", str(tmp_path), "--now", NOW]).exit_code == 0
    result = runner.invoke(main, ["new", "-C", str(tmp_path), "Assemblée", "--date", "03/04/2027 18:00"])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"created {tmp_path / 'content' / 'assemblee.md'}, dated samedi 3 avril 2027 18:00\n"


def test_new_writes_its_placeholders_in_the_hubs_language(tmp_path: Path, runner: CliRunner) -> None:
    for language in ("fr", "en"):
        hub = tmp_path / language
        assert runner.invoke(main, ["init", str(hub), "--now", NOW, "--language", language]).exit_code == 0
        assert runner.invoke(main, ["new", "-C", str(hub), "Charte", "--date", "2026-12-01"]).exit_code == 0
        text = (hub / "content" / "charte.md").read_text(encoding="utf-8")
        if language == "fr":
            assert "enlevez cette ligne quand l’article est prêt" in text and "## Une première partie" in text
            assert "First paragraph" not in text and "remove this line" not in text
        else:
            assert "remove this line when the article is ready" in text and "## A first section" in text


def test_check_warns_about_what_init_and_new_left_to_fill_in(tmp_path: Path, runner: CliRunner) -> None:
    assert runner.invoke(main, ["init", str(tmp_path), "--now", NOW]).exit_code == 0
    assert runner.invoke(main, ["new", "-C", str(tmp_path), "Charte", "--date", "2026-11-01"]).exit_code == 0
    article = tmp_path / "content" / "charte.md"
    article.write_text(article.read_text(encoding="utf-8").replace("draft: true", "draft: false"), encoding="utf-8")
    result = runner.invoke(main, ["check", "-C", str(tmp_path), "--now", NOW])
    assert result.exit_code == 0, result.output
    site_lines = (tmp_path / "site.yml").read_text(encoding="utf-8").splitlines()

    def line_of(text: str) -> int:
        return next(n for n, line in enumerate(site_lines, 1) if text in line)

    you, hub = line_of('mastodon: "@you'), line_of("mastodon: {")
    article_lines = article.read_text(encoding="utf-8").splitlines()
    body_line = next(n for n, line in enumerate(article_lines, 1) if line.startswith("Premier paragraphe"))
    expected = [
        f"site.yml:{line_of('url:')}: warning: 'url' is https://example.org/, a reserved example address: feeds, "
        "sitemap and teasers would link there; set the address where site/ is published",
        f"site.yml:{line_of('description:')}: warning: 'description' is still the text 'cmhub init' wrote; "
        "describe your hub",
        f"site.yml:{line_of('name:')}: warning: 'authors.me.name' is still the text 'cmhub init' wrote; "
        "put your name",
        f"site.yml:{you}: warning: 'authors.me.social.mastodon' is an example handle "
        "('@you@example.social'); put yours, or remove it",
        f"site.yml:{hub}: warning: 'networks.mastodon.handle' is an example handle "
        "('@hub@example.social'); put the hub's account, or remove the network",
        f"site.yml:{line_of('linkedin:')}: warning: 'networks.linkedin.handle' is an example handle ('Your page'); "
        "put the hub's account, or remove the network",
        f"content/charte.md:{body_line}: warning: still holds the text 'cmhub new' wrote "
        "('Premier paragraphe : le résumé affiché dans les listes et les teasers.'); write the article",
    ]
    for line in expected:
        assert line in result.stderr.splitlines(), line
    assert result.stdout.strip() == "cmhub: no errors, 7 warnings"


def test_new_keeps_quotes_and_backslashes_of_a_title(tmp_path: Path, runner: CliRunner) -> None:
    from cmhub.ledgers.permalinks_reading import load_ledger
    from cmhub.pipeline.project import open_project
    from cmhub.pipeline.story import load_site
    from cmhub.settings.request import BuildRequest, Preview

    assert runner.invoke(main, ["init", str(tmp_path), "--now", NOW]).exit_code == 0
    title = 'Le "vrai" guide \\ des modérateurs'
    assert runner.invoke(main, ["new", "-C", str(tmp_path), title, "--date", "2026-11-01"]).exit_code == 0
    project = open_project(tmp_path, BuildRequest(now=NOW, preview=Preview(drafts=True)))
    site, _, _ = load_site(project, load_ledger(tmp_path)[0])
    assert title in {a.title for a in site.articles}


def test_new_page_writes_a_dateless_page_that_builds_as_a_page(tmp_path: Path, runner: CliRunner) -> None:
    assert runner.invoke(main, ["init", str(tmp_path), "--now", NOW]).exit_code == 0
    created = runner.invoke(main, ["new", "-C", str(tmp_path), "--page", "Mentions légales"])
    assert created.exit_code == 0, created.output
    page = tmp_path / "content" / "mentions-legales.md"
    text = page.read_text(encoding="utf-8")
    assert "type: page\n" in text and "date:" not in text and "tags:" not in text
    assert runner.invoke(main, ["new", "-C", str(tmp_path), "--page", "Mentions légales"]).exit_code == 1
    assert page.read_text(encoding="utf-8") == text  # never overwritten
    refused = runner.invoke(main, ["new", "-C", str(tmp_path), "--page", "Contact", "--date", "2026-12-01"])
    assert refused.exit_code == 1 and "--page makes a page, which has no date" in refused.stderr
    assert not (tmp_path / "content" / "contact.md").exists()
    page.write_text(text.replace("draft: true", "# draft: true"), encoding="utf-8")
    checked = runner.invoke(main, ["check", "-C", str(tmp_path), "--now", NOW])
    assert "content/mentions-legales.md:7: warning: still holds the text 'cmhub new' wrote" in checked.stderr
    assert checked.stderr.count("write the page") == 1
    assert runner.invoke(main, ["build", "-C", str(tmp_path), "--now", NOW]).exit_code == 0
    built = (tmp_path / "site" / "mentions-legales" / "index.html").read_text(encoding="utf-8")
    assert 'class="article page-body"' in built and "dt-published" not in built
