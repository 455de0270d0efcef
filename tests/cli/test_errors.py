"""Every user mistake: exit code 1, one exact `file:line: message`, no traceback, output untouched."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cmhub.cli.verbs import main
from tests.conftest import NOW, tree_digest

GOOD_SITE = "title: Mon hub\nurl: https://hub.example.org/\nlanguage: fr\ntimezone: Europe/Paris\n" \
            "authors:\n  marie: Marie Curie\n"
GOOD_ARTICLE = "---\ntitle: \"Premier : article\"\ndate: 2026-10-01\nauthors: [marie]\n---\nBonjour.\n"

CASES = {
    "invalid-yaml": (
        {"content/b.md": "---\ntitle: Un titre: avec deux-points\ndate: 2026-10-02\n---\nTexte.\n"},
        "content/b.md:2: invalid YAML: mapping values are not allowed in this context "
        "(a value containing ': ' must be quoted)",
    ),
    "bad-date": (
        {"content/b.md": "---\ntitle: Deux\ndate: mardi prochain\n---\nTexte.\n"},
        "content/b.md:3: 'date' must be an ISO 8601 date or datetime (2026-12-01 or 2026-12-01T09:00:00), "
        "got 'mardi prochain'",
    ),
    "unknown-key": (
        {"content/b.md": "---\ntitle: Deux\ndate: 2026-10-02\ntagz: [a]\n---\nTexte.\n"},
        "content/b.md:4: unknown key 'tagz' (did you mean 'tags'?)",
    ),
    "missing-title": (
        {"content/b.md": "---\ndate: 2026-10-02\n---\nTexte.\n"},
        "content/b.md:1: missing required key 'title'",
    ),
    "duplicate-slug": (
        {"content/b.md": "---\ntitle: Deux\ndate: 2026-10-02\nslug: a\n---\nTexte.\n"},
        "content/b.md:4: slug 'a' gives the URL /a/, already used by content/a.md; set another 'slug:'",
    ),
    "link-to-missing-article": (
        {"content/b.md": "---\ntitle: Deux\ndate: 2026-10-02\n---\nVoir\n[ceci](absent.md).\n"},
        "content/b.md:6: link to missing article 'absent.md'",
    ),
    "missing-image": (
        {"content/b.md": "---\ntitle: Deux\ndate: 2026-10-02\nimage: images/absente.jpg\n"
                         "image_alt: Une photo\n---\nTexte.\n"},
        "content/b.md:4: image 'images/absente.jpg' not found (looked beside the article and under content/)",
    ),
    "unknown-author": (
        {"content/b.md": "---\ntitle: Deux\ndate: 2026-10-02\nauthors: [mari]\n---\nTexte.\n"},
        "content/b.md:4: unknown author 'mari' (did you mean 'marie'?); authors come from site.yml (marie)",
    ),
    "config-unknown-key": (
        {"site.yml": GOOD_SITE + "paginat: 5\n"},
        "site.yml:7: unknown key 'paginat' (did you mean 'paginate'?)",
    ),
    "config-bad-timezone": (
        {"site.yml": GOOD_SITE.replace("Europe/Paris", "Paris")},
        "site.yml:4: 'timezone' must be an IANA time zone such as 'Europe/Paris', got 'Paris'",
    ),
}


def make_site(root: Path, files: dict[str, str]) -> None:
    """Write a small valid hub, then the given files over it."""
    for name, text in {"site.yml": GOOD_SITE, "content/a.md": GOOD_ARTICLE, **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("case", sorted(CASES), ids=sorted(CASES))
def test_mistake_gives_exact_message_and_keeps_previous_site(tmp_path: Path, runner: CliRunner,
                                                              case: str) -> None:
    make_site(tmp_path, {})
    first = runner.invoke(main, ["build", "-C", str(tmp_path), "--now", NOW])
    assert first.exit_code == 0, first.output
    before = tree_digest(tmp_path / "site")

    files, message = CASES[case]
    make_site(tmp_path, files)
    result = runner.invoke(main, ["build", "-C", str(tmp_path), "--now", NOW])

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [message, "cmhub: 1 error; nothing was written"]
    assert "Traceback" not in result.output
    assert tree_digest(tmp_path / "site") == before


def test_every_broken_file_is_reported_in_one_run(tmp_path: Path, runner: CliRunner) -> None:
    make_site(tmp_path, {
        "content/b.md": "---\ntitle: Deux\ndate: demain\n---\n",
        "content/c.md": "---\ntitel: Trois\ndate: 2026-10-02\n---\n",
    })
    result = runner.invoke(main, ["build", "-C", str(tmp_path), "--now", NOW])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert [line.split(":")[0] for line in lines[:-1]] == ["content/b.md", "content/c.md", "content/c.md"]
    assert lines[-1] == "cmhub: 3 errors; nothing was written"


def test_missing_site_yml_is_a_clear_error(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["build", "-C", str(tmp_path), "--now", NOW])
    assert result.exit_code == 1
    assert result.stderr.startswith("site.yml: not found")


def test_bad_now_is_a_clear_error(tmp_path: Path, runner: CliRunner) -> None:
    make_site(tmp_path, {})
    result = runner.invoke(main, ["build", "-C", str(tmp_path), "--now", "hier"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "--now: must be an ISO 8601 date or datetime (2026-12-01 or 2026-12-01T09:00:00), got 'hier'")


def test_strict_turns_warnings_into_errors(tmp_path: Path, runner: CliRunner) -> None:
    make_site(tmp_path, {"content/b.md": "---\ntitle: Deux\ndate: 2026-10-02\nimage: a.png\n---\n"})
    from PIL import Image

    Image.new("RGB", (40, 30), (200, 80, 20)).save(tmp_path / "content" / "a.png")
    relaxed = runner.invoke(main, ["build", "-C", str(tmp_path), "--now", NOW])
    assert relaxed.exit_code == 0
    assert "content/b.md:4: warning: 'image' has no 'image_alt'" in relaxed.stderr
    strict = runner.invoke(main, ["build", "-C", str(tmp_path), "--now", NOW, "--strict"])
    assert strict.exit_code == 1


def test_a_command_run_inside_the_hub_finds_it_above(basic_site: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["build", "-C", str(basic_site / "content" / "guides"), "--now", NOW])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == (
        f"cmhub: using the hub in {basic_site.resolve()} (site.yml found above {basic_site / 'content' / 'guides'})")
    assert (basic_site / "site" / "index.html").is_file() and not (basic_site / "content" / "site").exists()


def test_a_command_run_inside_the_hub_as_a_process_finds_it(basic_site: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "cmhub", "build", "--now", NOW], cwd=basic_site / "content",
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"cmhub: using the hub in {basic_site.resolve()}" in done.stderr
    assert (basic_site / "site" / "index.html").is_file()


def test_the_search_for_a_hub_stops_at_the_top_of_a_repository(tmp_path: Path, runner: CliRunner) -> None:
    make_site(tmp_path, {})
    inner = tmp_path / "autre-depot" / "docs"
    inner.mkdir(parents=True)
    (tmp_path / "autre-depot" / ".git").mkdir()
    result = runner.invoke(main, ["build", "-C", str(inner), "--now", NOW])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"site.yml: not found in {inner.resolve()} or the folders above it: run cmhub in a hub folder (or give it "
        "with -C), or create one with 'cmhub init'")
