"""The syndication step kept whole (cmhub/social/kept.py): an edit that changes no teaser takes social/ and
what the step adds to site/ from the last build; anything else the step reads makes it in full again,
and the output is always the one a build without cache makes."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cmhub.cli.verbs import main
from cmhub.content.digests import ArticleDigests
from cmhub.content.model import Article
from cmhub.core.locations import CACHE_FOLDER
from cmhub.incremental.cache import open_render_cache
from cmhub.pipeline import syndication
from cmhub.pipeline.project import load_ledgers, open_project
from cmhub.pipeline.site_files import published_calendar
from cmhub.pipeline.story import load_site
from cmhub.settings.request import BuildRequest
from cmhub.social.kept import BODY, FACE, KEPT
from cmhub.social.step import syndicate
from cmhub.theming.loader import load_theme
from tests.conftest import NOW, recording_articles, same_as_a_build_without_cache

NETWORKS = 'networks:\n  x: "@voix"\n  mastodon: "@voix@piaille.example"\n  linkedin: voix\n'


def _build(root: Path, now: str = NOW) -> None:
    result = CliRunner().invoke(main, ["build", "-C", str(root), "--now", now, "-q"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


def _record(root: Path) -> tuple[int, int] | None:
    """The record's status: it changes when a build makes the step in full (and keeps it again)."""
    path = root / CACHE_FOLDER / KEPT
    if not path.exists():
        return None
    info = path.stat()
    return info.st_ino, info.st_mtime_ns


@pytest.fixture
def hub(basic_site: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sample hub with three networks, its step made apart (as on two cores), built, edited and built
    again: the first build writes plan.lock, the second leaves it as it is and keeps the record."""
    monkeypatch.setattr(syndication, "worker_count", lambda: 2)
    monkeypatch.setattr(syndication, "APART_FROM", 1)  # the sample hub is small
    with (basic_site / "site.yml").open("a", encoding="utf-8") as handle:
        handle.write(NETWORKS)
    _build(basic_site)
    _append(basic_site / "content" / "ancien.md", "\nUne mise à jour.\n")  # the next build has work to do
    _build(basic_site)
    assert _record(basic_site) is not None
    return basic_site


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_an_edit_of_a_body_keeps_the_step(hub: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _record(hub)
    _append(hub / "content" / "troisieme.md", "\nUne phrase de plus, à la fin.\n")
    _build(hub)
    assert _record(hub) == before  # taken from the record, which stays as it was
    assert "Une phrase de plus" in (hub / "site" / "troisieme" / "index.html").read_text(encoding="utf-8")
    same_as_a_build_without_cache(hub, tmp_path)
    _append(hub / "content" / "premier-article.md", "\nEt une autre.\n")  # a second article since the record
    _build(hub)
    assert _record(hub) == before
    same_as_a_build_without_cache(hub, tmp_path)

    # the teaser cache still holds every article's teasers: a step made in full (here, on one core) after
    # a new title makes those of the retitled article only
    from cmhub.social.teasers import TeaserWriter

    made: list[str] = []
    real = TeaserWriter._article_teasers
    monkeypatch.setattr(TeaserWriter, "_article_teasers",
                        lambda self, article, networks: made.append(article.source) or real(self, article, networks))
    monkeypatch.setattr(syndication, "worker_count", lambda: 1)
    _retitle(hub)
    _build(hub)
    assert made == ["content/troisieme.md"]
    same_as_a_build_without_cache(hub, tmp_path)


def test_a_new_draft_keeps_the_step(hub: Path, tmp_path: Path) -> None:
    """A draft started (with a new picture for its cover) gives the step nothing to make: social/ and what
    the step adds to site/ are kept, as after an edit of a body; the draft edited afterwards keeps them too."""
    before = _record(hub)
    shutil.copy(hub / "content" / "images" / "couverture.png", hub / "content" / "images" / "esquisse.png")
    draft = hub / "content" / "esquisse.md"
    draft.write_text("---\ntitle: Esquisse\ndate: 2026-12-12T09:00:00\ndraft: true\nimage: images/esquisse.png\n"
                     "image_alt: Un croquis\ntags: [Modération]\n---\nUne idée à creuser.\n", encoding="utf-8")
    _build(hub)
    assert _record(hub) == before
    same_as_a_build_without_cache(hub, tmp_path)
    _append(draft, "\nUne deuxième idée.\n")
    _build(hub)
    assert _record(hub) == before
    same_as_a_build_without_cache(hub, tmp_path)


def _recorded_with_every_article(root: Path) -> tuple[int, int]:
    """Make the step in full with every article of the hub as it is now, and recorded (a new scheduled
    article changes plan.lock, so the build after records it); return the record's status."""
    if _record(root) is not None:
        _damaged_record(root)
    for number in (1, 2):
        _append(root / "content" / "ancien.md", f"\nUne note de plus ({number}).\n")
        _build(root)
    found = _record(root)
    assert found is not None
    return found


def test_a_draft_given_up_keeps_the_step(hub: Path, tmp_path: Path) -> None:
    """A draft the last step made in full knew, deleted with its picture, gives the step nothing to make."""
    picture = hub / "content" / "images" / "esquisse.png"
    shutil.copy(hub / "content" / "images" / "couverture.png", picture)
    draft = hub / "content" / "esquisse.md"
    draft.write_text("---\ntitle: Esquisse\ndate: 2026-12-12T09:00:00\ndraft: true\nimage: images/esquisse.png\n"
                     "image_alt: Un croquis\n---\nUne idée abandonnée.\n", encoding="utf-8")
    before = _recorded_with_every_article(hub)
    draft.unlink()
    picture.unlink()
    _build(hub)
    assert _record(hub) == before
    same_as_a_build_without_cache(hub, tmp_path)


@pytest.mark.parametrize("name", ["scheduled", "expired", "translating draft"])
def test_an_article_given_up_that_the_step_made_something_of_makes_it_in_full(hub: Path, tmp_path: Path,
                                                                              name: str) -> None:
    # the expired article went live once: permalinks.lock keeps its feed id, which the step's key reads, so
    # its case makes the step in full by its key too, whatever the record says of hidden drafts
    change = {"scheduled": _new_scheduled, "expired": _new_expired, "translating draft": _new_translating_draft}[name]
    known = set((hub / "content").glob("*.md"))
    change(hub)
    (added,) = set((hub / "content").glob("*.md")) - known
    before = _recorded_with_every_article(hub)
    added.unlink()
    _build(hub)
    assert _record(hub) != before  # made in full: recorded again
    same_as_a_build_without_cache(hub, tmp_path)


def _new_scheduled(root: Path) -> None:
    (root / "content" / "annonce.md").write_text("---\ntitle: Annonce\ndate: 2026-12-12T09:00:00\n---\nBientôt.\n",
                                                 encoding="utf-8")


def _new_expired(root: Path) -> None:
    # not a draft: no teaser and no page either, but only a draft is taken as the step's to leave out
    (root / "content" / "clos.md").write_text("---\ntitle: Clos\ndate: 2026-03-01\nexpires: 2026-04-01\n---\n"
                                              "Fini.\n", encoding="utf-8")


def _new_translating_draft(root: Path) -> None:
    # whether any article is a translation tells which account a teaser goes to
    (root / "content" / "summer.md").write_text("---\ntitle: Summer\ndate: 2026-08-16T10:00:00+02:00\nlang: en\n"
                                                "draft: true\ntranslation_of: troisieme\n---\nVolunteers.\n",
                                                encoding="utf-8")


def _planned_then_draft(root: Path) -> None:
    # a scheduled article that plan.lock planned, gone, then back as a draft: its plan entries are the step's
    article = root / "content" / "annonce.md"
    _new_scheduled(root)
    _build(root)
    text = article.read_text(encoding="utf-8")
    article.unlink()
    _build(root)  # plan.lock changed: no record
    _append(root / "content" / "ancien.md", "\nEncore une mise à jour.\n")
    _build(root)  # the step in full again, plan.lock as it found it: recorded
    assert _record(root) is not None and "annonce.md" in (root / "plan.lock").read_text(encoding="utf-8")
    article.write_text(text.replace("title:", "draft: true\ntitle:", 1), encoding="utf-8")


@pytest.mark.parametrize("change", [_new_scheduled, _new_expired, _new_translating_draft, _planned_then_draft])
def test_a_new_article_the_step_makes_something_of_makes_it_in_full(hub: Path, tmp_path: Path,
                                                                    change) -> None:  # noqa: ANN001
    change(hub)
    before = _record(hub)
    _build(hub)
    assert _record(hub) != before  # made in full: recorded again
    same_as_a_build_without_cache(hub, tmp_path)


def _retitle(root: Path) -> None:
    article = root / "content" / "troisieme.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("title: ", "title: Nouveau titre — ", 1), encoding="utf-8")


def _new_cover(root: Path) -> None:
    """The same name and size in pixels, other colours: the article's fields stay as they were, its
    pictures are made from the new bytes."""
    from PIL import Image, ImageOps

    path = root / "content" / "images" / "couverture.png"
    with Image.open(path) as picture:
        ImageOps.invert(picture.convert("RGB")).save(path)


def _site_yml(root: Path) -> None:
    path = root / "site.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("description: \"", "description: \"Nouveau. "),
                    encoding="utf-8")


def _social_template(root: Path) -> None:
    folder = root / "theme" / "social"
    folder.mkdir(parents=True)
    (folder / "mastodon.txt").write_text("{{ title }} — à lire\n\n{{ link }}\n", encoding="utf-8")


def _plan_lock(root: Path) -> None:
    _append(root / "plan.lock", "# a note written by hand\n")


def _social_file_lost(root: Path) -> None:
    (root / "social" / "teasers.json").unlink()


def _damaged_record(root: Path) -> None:
    path = root / CACHE_FOLDER / KEPT
    path.write_bytes(path.read_bytes()[:-40] + b"x" * 40)


def _damaged_picture(root: Path) -> None:
    # the share pictures of site/ are links to the cache's files: spoil one that social/ does not show
    shown = {path.stat().st_ino for path in (root / "social").rglob("*.jpg")}
    pictures = [path for path in sorted((root / "site" / "_social").rglob("*.jpg")) if path.stat().st_ino not in shown]
    assert pictures
    with pictures[0].open("r+b") as handle:  # the same inode as the cache's file
        handle.seek(200)
        handle.write(b"\0" * 64)


@pytest.mark.parametrize("change", [_retitle, _new_cover, _site_yml, _social_template, _plan_lock, _social_file_lost,
                                    _damaged_record, _damaged_picture])
def test_what_the_step_reads_makes_it_in_full_again(hub: Path, tmp_path: Path, change) -> None:  # noqa: ANN001
    before = _record(hub)
    change(hub)
    _build(hub)
    assert _record(hub) != before  # made in full: recorded again
    same_as_a_build_without_cache(hub, tmp_path)


def test_a_later_clock_past_a_teaser_makes_the_step_in_full(hub: Path, tmp_path: Path) -> None:
    before = _record(hub)
    later = "2026-12-30T12:00:00Z"  # teasers and reminders went out meanwhile
    _build(hub, later)
    assert _record(hub) != before
    fresh = tmp_path / "fresh"
    shutil.copytree(hub, fresh, ignore=lambda folder, names: {".cmhub-cache", "site", "social"} & set(names)
                    if Path(folder) == hub else set())
    result = CliRunner().invoke(main, ["build", "-C", str(fresh), "--now", later, "-q", "--no-cache"])
    assert result.exit_code == 0, result.output
    for name in ("site", "social"):
        assert sorted(p.relative_to(hub / name) for p in (hub / name).rglob("*")) == \
            sorted(p.relative_to(fresh / name) for p in (fresh / name).rglob("*")), name
        for path in (hub / name).rglob("*"):
            if path.is_file():
                assert path.read_bytes() == (fresh / name / path.relative_to(hub / name)).read_bytes(), path


def test_a_record_made_while_a_build_failed_is_not_taken(hub: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A build that fails after the step recorded itself leaves social/ as it was: the record, made for
    the social/ it did not put in place, does not match it, and the next build makes the step in full."""
    from cmhub.core.errors import CmhubError, error
    from cmhub.output import writer

    _retitle(hub)
    real = writer.Staged.commit

    def commit(self: writer.Staged) -> writer.WriteReport:
        if self.target.folder.name == "site":  # site/ first: social/ is then never put in place
            raise CmhubError([error("site", None, "cannot be replaced: the disk is full")])
        return real(self)

    monkeypatch.setattr(writer.Staged, "commit", commit)
    result = CliRunner().invoke(main, ["build", "-C", str(hub), "--now", NOW, "-q"])
    assert result.exit_code == 1 and "the disk is full" in result.output
    monkeypatch.setattr(writer.Staged, "commit", real)
    failed = _record(hub)
    _build(hub)
    assert _record(hub) != failed
    same_as_a_build_without_cache(hub, tmp_path)


def test_the_step_reads_no_field_made_from_a_body(basic_site: Path) -> None:
    """Outside the teasers (whose digest a face holds), the step reads no field of BODY: an article whose
    other fields did not change, nor its teasers, leaves the step as it was."""
    with (basic_site / "site.yml").open("a", encoding="utf-8") as handle:
        handle.write(NETWORKS + "calendar:\n  publish: true\n")
    project = open_project(basic_site, BuildRequest(now=NOW))
    site, read = recording_articles(load_site(project, load_ledgers(basic_site).permalinks)[0])
    theme = load_theme(site.config.theme, basic_site)
    cache = open_render_cache(basic_site, True, "teasers")
    digests = ArticleDigests()  # the keys of the teasers read every field: worked out before, as a build does
    for article in site.articles:
        digests(article)
    read.clear()
    social = syndicate(site, theme, cache, load_ledgers(basic_site).plan, digests=digests)
    files = [*social.files(site, theme, lambda path, key: False), *published_calendar(site, social, theme, None)]
    assert files and social.teasers
    fields = {f.name for f in dataclasses.fields(Article)}
    assert {"title", "date", "slug", "image"} <= set(read)  # it did read the articles
    assert not (set(read) & fields) - set(FACE), "the step reads a field made from the body"
    assert BODY <= fields  # each body field is one of Article's (FACE is made from the others)
