"""A build after an edit takes the content as the last build read it and reads only the files that changed
(cmhub/content/snapshot.py); whatever it cannot vouch for, it reads whole. Either way: the same content."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cmhub.cli.verbs import main
from cmhub.content import snapshot
from cmhub.content.frontmatter import header_settings
from cmhub.content.kept_rows import BLOCK, block_keys
from cmhub.content.kept_rows import kept as kept_article
from cmhub.content.reader import Content, read_content
from cmhub.content.snapshot import snapshot_key
from cmhub.core.dates import build_now
from cmhub.incremental.cache import open_render_cache, shard_of, shard_path
from cmhub.markdown.targets import LazyTargets
from cmhub.settings.config import load_config
from cmhub.settings.request import Preview
from tests.conftest import NOW, SITES, articles_read, same_as_a_build_without_cache, tree_digest

UNPUBLISHED = {"content/secret-brouillon.md", "content/secret-programme.md", "content/ancien.md"}
WARNED = "content/premier-article.md"
"""Its links to two unpublished articles are warnings: a build without snapshot reads it for their lines."""


@pytest.fixture
def hub(tmp_path: Path) -> Path:
    root = tmp_path / "hub"
    shutil.copytree(SITES / "basic", root, ignore=shutil.ignore_patterns("expected"))
    return root


def _build(root: Path, *extra: str, now: str = NOW) -> str:
    result = CliRunner().invoke(main, ["build", "-C", str(root), "--now", now, "-q", *extra])
    assert result.exit_code == 0, result.output
    return result.stderr


def _read(root: Path, with_snapshot: bool, now: str = NOW) -> Content:
    """Read the hub's content with its caches, from its snapshot when it can, or whole (saving nothing)."""
    config = load_config(root)
    statuses = open_render_cache(root, name="statuses") if with_snapshot else None
    return read_content(config, build_now(now, config.tz), Preview(), open_render_cache(root), statuses=statuses)


def _assert_same_content(root: Path, now: str = NOW) -> None:
    kept, whole = _read(root, True, now), _read(root, False, now)
    assert kept.articles == whole.articles and kept.pages == whole.pages  # every field, the HTML included
    assert [a.html for a in kept.articles] == [a.html for a in whole.articles]
    assert (kept.assets, kept.problems, kept.sources) == (whole.assets, whole.problems, whole.sources)
    assert dict(kept.made_from) == dict(whole.made_from)


def _edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / "content" / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_edit_reads_the_edited_file_only(hub: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _build(hub)
    _edit(hub, "troisieme.md", "en photos", "en images, puis en photos")
    read = articles_read(hub, monkeypatch)
    second = _build(hub)
    assert read == ["content/troisieme.md"]  # neither the unpublished articles nor the warned one
    assert "en images, puis en photos" in (hub / "site" / "troisieme" / "index.html").read_text(encoding="utf-8")
    assert second == first  # the warnings of the articles left unread, each at its line
    monkeypatch.undo()
    _assert_same_content(hub)
    same_as_a_build_without_cache(hub, tmp_path)


def test_an_edited_body_makes_the_articles_link_targets_only_when_it_links_to_an_article(
        hub: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _build(hub)
    made: list[int] = []
    real = LazyTargets._all

    def counted(self: LazyTargets) -> dict[str, object]:
        if self._make is not None:
            made.append(1)
        return real(self)

    monkeypatch.setattr(LazyTargets, "_all", counted)
    _edit(hub, "troisieme.md", "en photos", "en images, puis en photos")
    _build(hub)
    assert made == []  # a body that links to no article: the 5 targets are never made
    _edit(hub, "troisieme.md", "en chiffres.", "en chiffres ; [le guide](guides/second.md).")
    _build(hub)
    assert made == [1]
    page = (hub / "site" / "troisieme" / "index.html").read_text(encoding="utf-8")
    assert '<a href="/own-site-first/">le guide</a>' in page  # guides/second.md's URL
    monkeypatch.undo()
    _assert_same_content(hub)
    same_as_a_build_without_cache(hub, tmp_path)


def test_a_build_from_the_snapshot_leaves_it_as_it_is(hub: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    _build(hub)
    _edit(hub, "troisieme.md", "en photos", "en photos.")
    _build(hub)
    _edit(hub, "guides/second.md", "## ", "## Seen up close: ")
    read = articles_read(hub, monkeypatch)
    _build(hub)
    assert sorted(read) == ["content/guides/second.md", "content/troisieme.md"]  # each file changed since
    monkeypatch.undo()
    _assert_same_content(hub)
    same_as_a_build_without_cache(hub, tmp_path)


def test_a_file_read_again_as_it_was_puts_nothing_in_the_caches(hub: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from cmhub.content import statuses
    from cmhub.content.frontmatter import header_key
    from cmhub.incremental.cache import RenderCache
    from cmhub.incremental.reuse import digest

    monkeypatch.setattr(statuses, "SETTLED_NS", 0)  # each status recorded as soon as read
    _build(hub)
    _edit(hub, "troisieme.md", "en photos", "en photos.")
    _build(hub)
    _edit(hub, "guides/second.md", "## ", "## Seen up close: ")
    put: list[str] = []
    real_put = RenderCache.put
    monkeypatch.setattr(RenderCache, "put", lambda cache, key, value: put.append(key) or real_put(cache, key, value))
    read = articles_read(hub, monkeypatch)
    _build(hub)
    assert sorted(read) == ["content/guides/second.md", "content/troisieme.md"]  # each file changed since
    settings = header_settings(load_config(hub))

    def written_for(source: str) -> set[str]:
        text = (hub / source).read_text(encoding="utf-8")
        return {"status|" + digest(settings, source), header_key(settings, source, text)} & set(put)

    assert written_for("content/guides/second.md")  # its new record and front matter
    assert not written_for("content/troisieme.md")  # its shards of the caches are not written for it again
    monkeypatch.undo()
    _assert_same_content(hub)
    same_as_a_build_without_cache(hub, tmp_path)


def test_edits_in_a_row_and_the_reading_after_them_keep_every_cache_entry(hub: Path, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    _build(hub)
    for round_ in range(3):
        _edit(hub, "troisieme.md", "en photos", f"en photos ({round_})")
        _build(hub)
    read = articles_read(hub, monkeypatch)
    with open(hub / "content" / "a-propos.pdf", "ab") as pdf:  # not an article: the content is read whole
        pdf.write(b"%")
    _build(hub)
    # ... from the records of file statuses, which the builds from the snapshot kept
    assert set(read) == UNPUBLISHED | {WARNED}
    monkeypatch.undo()
    same_as_a_build_without_cache(hub, tmp_path)


@pytest.mark.parametrize("name, old, new", [
    ("troisieme.md", "2026-08-15T10:00", "2026-08-16T10:00"),  # a new date: another place among the others
    ("troisieme.md", "title: ", "slug: autre-adresse\ntitle: "),  # another URL
    ("troisieme.md", "title: ", "draft: true\ntitle: "),  # unpublished
    ("troisieme.md", "en photos", "en photos, voir [ceci](secret-brouillon.md)"),  # a link warning
    ("troisieme.md", "date: ", "datte: 2026-08-15\ndate: "),  # a mistake
    ("secret-brouillon.md", "Texte secret", "Texte secret, avec images/schema.png"),  # it mentions another file
    ("secret-programme.md", "Texte secret", "Texte secret, voir logo.png"),  # ... even one a shown article uses
])
def test_an_edit_it_cannot_vouch_for_reads_the_content_whole(hub: Path, tmp_path: Path, name: str, old: str,
                                                             new: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _build(hub)
    _edit(hub, name, old, new)
    read = articles_read(hub, monkeypatch)
    result = CliRunner().invoke(main, ["build", "-C", str(hub), "--now", NOW, "-q"])
    assert UNPUBLISHED <= set(read)  # read whole: the unpublished articles are always read then
    if result.exit_code == 0:
        monkeypatch.undo()
        _assert_same_content(hub)
        same_as_a_build_without_cache(hub, tmp_path)


def test_an_unpublished_article_that_mentions_the_same_files_is_read_alone(hub: Path, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A scheduled article or a draft keeps out of the site the files it mentions (its cover, a picture it
    shows): edited without naming another file, it is read again alone, as a published one is."""
    _build(hub)
    _edit(hub, "secret-programme.md", "Texte secret du programmé.", "Texte secret du programmé, relu et complété.")
    _edit(hub, "secret-brouillon.md", "Texte secret du brouillon.", "Texte secret du brouillon, en cours.")
    read = articles_read(hub, monkeypatch)
    _build(hub)
    assert sorted(read) == ["content/secret-brouillon.md", "content/secret-programme.md"]
    assert not (hub / "site" / "images" / "secret.png").exists()  # the cover of the scheduled one, kept out
    monkeypatch.undo()
    _assert_same_content(hub)
    same_as_a_build_without_cache(hub, tmp_path)


def test_an_unpublished_article_that_comes_to_mention_a_file_is_read_with_the_others(
        hub: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A name with a space is looked for in the text itself (the words split it): an edit that does not name
    it is read alone, one that does keeps the file out of the site, and reads the content whole."""
    shutil.copy(hub / "content" / "images" / "logo.png", hub / "content" / "images" / "notre bannière.png")
    _build(hub)
    assert (hub / "site" / "images" / "notre bannière.png").exists()
    _edit(hub, "secret-brouillon.md", "Texte secret du brouillon.", "Texte secret du brouillon, sans image.")
    read = articles_read(hub, monkeypatch)
    _build(hub)
    assert read == ["content/secret-brouillon.md"]
    _edit(hub, "secret-brouillon.md", "sans image.", "avec notre bannière.png en tête.")
    read.clear()
    _build(hub)
    assert UNPUBLISHED <= set(read)  # read whole
    assert not (hub / "site" / "images" / "notre bannière.png").exists()  # the draft mentions it now
    monkeypatch.undo()
    _assert_same_content(hub)
    same_as_a_build_without_cache(hub, tmp_path)


def test_what_changed_around_the_articles_reads_the_content_whole(hub: Path, tmp_path: Path) -> None:
    _build(hub)
    new = hub / "content" / "nouveau.md"

    def add() -> None:
        new.write_text("---\ntitle: Nouveau\ndate: 2026-01-05T09:00:00+01:00\ndraft: true\n---\nUn brouillon "
                       "ajouté.\n", encoding="utf-8")

    changes = [  # each change, and whether the build after it reads the content whole
        (add, False),  # a new file is read alone (see below)...
        (new.unlink, False),  # ... and may go, as long as nothing needs it
        (add, False),
        (lambda: (hub / "site.yml").write_text((hub / "site.yml").read_text(encoding="utf-8")
                                               .replace("du Quartier", "du Quartier !", 1), encoding="utf-8"), True),
        (new.unlink, False),  # the snapshot knows it now: gone, nothing needs it
        (lambda: (hub / "content" / "images" / "nouvelle.txt").write_text("x", encoding="utf-8"), False),
    ]
    for change, whole in changes:
        change()
        _edit(hub, "troisieme.md", "en photos", "en photos.")  # an edit the snapshot would take alone
        with pytest.MonkeyPatch.context() as patch:  # (the test's own patches stay: statuses settle at once)
            read = articles_read(hub, patch)
            _build(hub)
        if whole:
            assert UNPUBLISHED <= set(read)
        else:
            assert sorted(read) == (["content/nouveau.md"] if new.exists() else []) + ["content/troisieme.md"]
        _assert_same_content(hub)
    same_as_a_build_without_cache(hub, tmp_path)


def test_files_gone_are_taken_alone_when_nothing_needs_them(hub: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A draft given up with its picture, and a file nothing links to: gone without reading the content whole."""
    _picture(hub, "abandon.png")
    (hub / "content" / "abandon.md").write_text("---\ntitle: Abandon\ndate: 2026-10-10\ndraft: true\nimage: "
                                                "images/abandon.png\n---\nAbandonné.\n", encoding="utf-8")
    assert "abandon.md:5: warning: 'image' has no 'image_alt'" in _build(hub)  # gone with it (below)
    assert not (hub / "site" / "images" / "abandon.png").exists()  # kept out: the draft mentions it
    for name in ("abandon.md", "images/abandon.png", "a-propos.pdf"):
        (hub / "content" / name).unlink()
    read = articles_read(hub, monkeypatch)
    _build(hub)
    monkeypatch.undo()
    assert read == []
    assert not (hub / "site" / "a-propos.pdf").exists()
    _assert_same_content(hub)
    same_as_a_build_without_cache(hub, tmp_path)


@pytest.mark.parametrize("case", ["a published article's cover", "a picture a published article shows",
                                  "an article another links to", "a draft's picture left behind",
                                  "a published article that published a draft's picture",
                                  "a page a menu names"])
def test_a_file_gone_that_others_need_reads_the_content_whole(hub: Path, case: str,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    content = hub / "content"
    if case == "a published article that published a draft's picture":
        _edit(hub, "troisieme.md", "en photos", "en photos ![Secret](images/secret.png)")
    if case == "a draft's picture left behind":  # published once the draft is gone
        _picture(hub, "abandon.png")
        (content / "abandon.md").write_text("---\ntitle: Abandon\ndate: 2026-10-10\ndraft: true\nimage: "
                                            "images/abandon.png\nimage_alt: Rien\n---\nAbandonné.\n",
                                            encoding="utf-8")
    if case == "a page a menu names":
        (content / "contact.md").write_text("---\ntitle: Contact\ntype: page\n---\nÉcrivez-nous.\n",
                                            encoding="utf-8")
        site_yml = hub / "site.yml"
        site_yml.write_text(site_yml.read_text(encoding="utf-8") + "menu:\n  - {title: Contact, page: contact}\n",
                            encoding="utf-8")
    _build(hub)
    gone = {"a published article's cover": "images/couverture.png", "a picture a published article shows":
            "images/schema.png", "an article another links to": "secret-brouillon.md",
            "a draft's picture left behind": "abandon.md",
            "a published article that published a draft's picture": "troisieme.md",
            "a page a menu names": "contact.md"}[case]
    (content / gone).unlink()
    read = articles_read(hub, monkeypatch)
    result = CliRunner().invoke(main, ["build", "-C", str(hub), "--now", NOW, "-q"])
    monkeypatch.undo()
    assert UNPUBLISHED - {f"content/{gone}"} <= set(read)  # read whole (a mistake, or other files published)
    if result.exit_code == 0:
        _assert_same_content(hub)
    if case == "a draft's picture left behind":
        assert (hub / "site" / "images" / "abandon.png").exists()


_NEW = {
    "draft": "---\ntitle: Un brouillon neuf\ndate: 2026-11-10T09:00:00\ndraft: true\ntags: [bénévolat]\n---\n"
             "Un brouillon qui renvoie vers [le troisième](../troisieme.md).\n",
    "scheduled": "---\ntitle: Un programmé neuf\ndate: 2026-12-20T09:00:00\ntags: [Modération]\n---\n"
                 "Un article programmé qui montre ![le secret](../images/secret.png), que l'autre garde.\n",
    "published": "---\ntitle: Un article neuf\ndate: 2026-11-20T09:00:00\ntags: [bénévolat, nouveauté]\n"
                 "categories: [Métier]\nimage: images/couverture.png\nimage_alt: Des cercles\n---\n"
                 "Un article publié qui renvoie vers [le premier](../premier-article.md).\n",
    "page": "---\ntitle: Nous écrire\ntype: page\n---\nUne page ajoutée.\n",
    "translation": "---\ntitle: Summer with our volunteers\ndate: 2026-08-16T10:00:00+02:00\nlang: en\n"
                   "slug: summer-volunteers\ntranslation_of: troisieme\n---\nA summer with the volunteers.\n",
}


@pytest.mark.parametrize("kind", list(_NEW))
def test_a_new_article_is_read_alone(hub: Path, tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new file (a draft started, an article scheduled or published, a page, a translation) is read alone,
    and again by each build that takes the snapshot, with the files edited since."""
    _build(hub)
    (hub / "content" / "guides" / "neuf.md").write_text(_NEW[kind], encoding="utf-8")
    read = articles_read(hub, monkeypatch)
    _build(hub)
    assert read == ["content/guides/neuf.md"]
    _edit(hub, "troisieme.md", "en photos", "en photos.")
    read.clear()
    _build(hub)
    assert sorted(read) == ["content/guides/neuf.md", "content/troisieme.md"]
    monkeypatch.undo()
    _assert_same_content(hub)
    same_as_a_build_without_cache(hub, tmp_path)


def test_new_articles_that_link_to_each_other_are_read_alone(hub: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    _build(hub)
    new = {  # two published articles, one linking to the other, and a draft linking to the first
        "neuf-a.md": "---\ntitle: A\ndate: 2026-11-19T09:00:00\n---\nVoir [B](neuf-b.md#fin).\n",
        "neuf-b.md": "---\ntitle: B\ndate: 2026-11-18T09:00:00\n---\nB.\n",
        "neuf-c.md": "---\ntitle: C\ndate: 2026-11-18T09:00:00\ndraft: true\n---\nC suit [A](neuf-a.md).\n",
    }
    for name, text in new.items():
        (hub / "content" / name).write_text(text, encoding="utf-8")
    read = articles_read(hub, monkeypatch)
    result = CliRunner().invoke(main, ["build", "-C", str(hub), "--now", NOW, "-q"])
    monkeypatch.undo()
    assert result.exit_code == 0, result.output
    assert sorted(read) == ["content/neuf-a.md", "content/neuf-b.md", "content/neuf-c.md"]
    page = (hub / "site" / "neuf-a" / "index.html").read_text(encoding="utf-8")
    assert '<a href="/neuf-b/#fin">B</a>' in page
    _assert_same_content(hub)
    same_as_a_build_without_cache(hub, tmp_path)


def test_new_pages_and_translations_of_a_bilingual_hub_are_read_alone(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages sort by slug, after the posts; a new translation joins its original's group (a new page here,
    between 'a-propos' and the English 'about', and its English side; a translation of a kept article)."""
    root = tmp_path / "hub"
    shutil.copytree(SITES / "bilingual", root)
    _build(root)
    new = {
        "content/benevolat.md": "---\ntitle: Bénévolat\ntype: page\n---\nDonner un coup de main.\n",
        "content/en/volunteering.md": "---\ntitle: Volunteering\ntype: page\nlang: en\n"
                                      "translation_of: benevolat\n---\nLend a hand.\n",
        "content/en/assembly.md": "---\ntitle: The assembly\ndate: 2026-10-02T18:00:00\nlang: en\n"
                                  "translation_of: assemblee\n---\nOur yearly assembly.\n",
    }
    for name, text in new.items():
        (root / name).write_text(text, encoding="utf-8")
    read = articles_read(root, monkeypatch)
    _build(root)
    monkeypatch.undo()
    assert sorted(read) == sorted(new)
    assert [page.slug for page in _read(root, True).pages] == ["a-propos", "about", "benevolat", "volunteering"]
    _assert_same_content(root)
    same_as_a_build_without_cache(root, tmp_path)


def _picture(root: Path, name: str) -> None:
    shutil.copy(root / "content" / "images" / "couverture.png", root / "content" / "images" / name)


def test_new_files_are_read_alone_published_or_kept_out_as_reading_whole_decides(
        hub: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new scheduled article with its new cover (kept out until it is published), a new picture shown by an
    edited article (published), a new file nothing mentions (published): read alone, as reading whole would."""
    _build(hub)
    _picture(hub, "annonce.png")
    (hub / "content" / "annonce.md").write_text("---\ntitle: Annonce\ndate: 2026-12-20T09:00:00\nimage: "
                                                "images/annonce.png\nimage_alt: Une affiche\n---\nBientôt.\n",
                                                encoding="utf-8")
    _picture(hub, "ete.png")
    _edit(hub, "troisieme.md", "en photos", "en photos : ![Le jardin](images/ete.png)")
    (hub / "content" / "programme.txt").write_text("Samedi : atelier.\n", encoding="utf-8")
    read = articles_read(hub, monkeypatch)
    _build(hub)
    monkeypatch.undo()
    assert sorted(read) == ["content/annonce.md", "content/troisieme.md"]
    site = hub / "site"
    assert not (site / "images" / "annonce.png").exists()
    assert (site / "images" / "ete.png").exists() and (site / "programme.txt").exists()
    _assert_same_content(hub)
    same_as_a_build_without_cache(hub, tmp_path)


@pytest.mark.parametrize("case", ["mentioned by a kept draft", "used by a kept article", "site.yml's logo",
                                  "a name with a space"])
def test_a_new_file_the_kept_articles_may_name_reads_the_content_whole(hub: Path, tmp_path: Path, case: str,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Whether a new file is published depends on the kept articles when one of them may mention it (a draft:
    kept out) or use it (a raw picture of a published article, while a new draft points at it: published)."""
    name = "notre affiche.png" if case == "a name with a space" else "affiche.png"
    if case == "mentioned by a kept draft":
        _edit(hub, "secret-brouillon.md", "Texte secret du brouillon.", "Texte secret, voir images/affiche.png.")
    if case == "used by a kept article":
        _edit(hub, "troisieme.md", "en photos", 'en photos <img src="images/affiche.png" alt="Affiche">')
    if case == "site.yml's logo":  # a logo to come: nothing is shown meanwhile
        site_yml = hub / "site.yml"
        site_yml.write_text(site_yml.read_text(encoding="utf-8").replace("logo: images/logo.png",
                                                                         "logo: images/affiche.png"), encoding="utf-8")
    _build(hub)
    _picture(hub, name)
    (hub / "content" / "brouillon-affiche.md").write_text(f"---\ntitle: Affiche\ndate: 2026-12-20\ndraft: true\n"
                                                          f"---\nAvec images/{name}.\n", encoding="utf-8")
    read = articles_read(hub, monkeypatch)
    _build(hub)
    monkeypatch.undo()
    assert UNPUBLISHED <= set(read)  # read whole
    assert (hub / "site" / "images" / name).exists() == (case in ("used by a kept article", "site.yml's logo"))
    _assert_same_content(hub)
    same_as_a_build_without_cache(hub, tmp_path)


@pytest.mark.parametrize("text, fails", [
    # its URL or its slug another article's
    ("---\ntitle: Bis\ndate: 2026-08-15T10:00:00+02:00\nslug: troisieme\n---\nBis.\n", True),
    ("---\ntitle: Bis\ndate: 2026-11-02\nslug: own-site-first\n---\nBis.\n", True),
    # a warning in its front matter (a cover without its description), then in its body (a link to an
    # unpublished article): the reading whole reports it at its line
    ("---\ntitle: Image\ndate: 2026-11-02\nimage: images/couverture.png\n---\nSans description.\n", False),
    ("---\ntitle: Lien\ndate: 2026-11-02\n---\nVoir [ceci](secret-brouillon.md).\n", False),
    # a draft that mentions a file no unpublished article mentions: the site leaves it out now
    ("---\ntitle: Brouillon\ndate: 2026-11-02\ndraft: true\n---\nAvec images/schema.png.\n", False),
    # a scheduled article that mentions a file no unpublished article mentions (here, one the site publishes
    # anyway: site.yml's logo; the reading whole tells)
    ("---\ntitle: Programmé\ndate: 2026-12-20\n---\nAvec ![le logo](images/logo.png).\n", False),
    # a published article that uses a file the scheduled one keeps out: the site publishes it now
    ("---\ntitle: Publié\ndate: 2026-11-02\nimage: images/secret.png\nimage_alt: Secret\n---\nLe voici.\n", False),
    # a translation that the rules refuse (its original in the same language)
    ("---\ntitle: Été\ndate: 2026-11-02\ntranslation_of: troisieme\n---\nMême langue.\n", True),
    ("---\ntitle: Erreur\ndate: 2026-13-02\n---\nUne date fausse.\n", True),  # a mistake
])
def test_a_new_article_it_cannot_vouch_for_reads_the_content_whole(hub: Path, tmp_path: Path, text: str,
                                                                    fails: bool,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    _build(hub)
    (hub / "content" / "neuf.md").write_text(text, encoding="utf-8")
    read = articles_read(hub, monkeypatch)
    result = CliRunner().invoke(main, ["build", "-C", str(hub), "--now", NOW, "-q"])
    monkeypatch.undo()
    assert UNPUBLISHED <= set(read)  # read whole: the unpublished articles are always read then
    assert result.exit_code == (1 if fails else 0), result.output
    if not fails:
        _assert_same_content(hub)
        same_as_a_build_without_cache(hub, tmp_path)


def test_a_publication_between_two_builds_reads_the_content_whole(hub: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    later = "2027-06-01T12:00:00Z"  # the scheduled article of the basic hub is published by then
    _build(hub)
    _edit(hub, "troisieme.md", "en photos", "en photos.")
    read = articles_read(hub, monkeypatch)
    _build(hub, now=later)
    monkeypatch.undo()
    assert "content/secret-brouillon.md" in read  # read whole: the unpublished articles are always read then
    assert (hub / "site" / "secret-programme").is_dir()
    _assert_same_content(hub, later)


def test_a_clock_set_back_before_a_publication_reads_the_content_whole(hub: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    _build(hub)
    _edit(hub, "troisieme.md", "en photos", "en photos.")
    read = articles_read(hub, monkeypatch)
    result = CliRunner().invoke(main, ["build", "-C", str(hub), "--now", "2026-10-15T12:00:00Z", "-q"])
    assert result.exit_code == 0, result.output
    # guides/second.md, dated 2026-11-01, is not published yet at that clock: read whole (the draft too)
    assert "content/guides/second.md" in read and "content/secret-brouillon.md" in read


def test_more_changed_files_than_it_takes_reads_the_content_whole(hub: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _build(hub)
    monkeypatch.setattr(snapshot, "MOST_CHANGED", 1)
    _edit(hub, "troisieme.md", "en photos", "en photos.")
    _edit(hub, "guides/second.md", "## ", "## Vu de près : ")
    read = articles_read(hub, monkeypatch)
    _build(hub)
    assert UNPUBLISHED <= set(read)
    monkeypatch.undo()
    _assert_same_content(hub)


@pytest.mark.parametrize("damage", ["snapshot", "article", "html"])
def test_a_damaged_or_partial_snapshot_reads_the_content_whole(hub: Path, tmp_path: Path, damage: str,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    _build(hub)
    config = load_config(hub)
    records = open_render_cache(hub, name="statuses")
    key = snapshot_key(header_settings(config), Preview())
    found = records.get(key)
    assert isinstance(found, snapshot.Snapshot)
    if damage == "snapshot":
        records.put(key, ("not", "a", "snapshot"))
    else:
        index = next(i for i, entry in enumerate(found.articles) if entry[0] == "content/guides/second.md")
        key = _block_keys(found)[index // BLOCK]
        if damage == "article":
            block = records.get(key)
            at = index % BLOCK
            records.put(key, [*block[:at], {"source": "content/guides/second.md"}, *block[at + 1:]])
        else:
            kept = kept_article(records.get(key)[index % BLOCK])  # the build cache loses the file of its HTML
            shard_path(hub / ".cmhub-cache" / "bodies", shard_of("html|" + kept.body_key)).unlink()
    records.save()
    _edit(hub, "troisieme.md", "en photos", "en photos.")
    read = articles_read(hub, monkeypatch)
    _build(hub)
    monkeypatch.undo()
    assert UNPUBLISHED <= set(read)
    same_as_a_build_without_cache(hub, tmp_path)


def test_kept_articles_it_cannot_read_are_all_kept_anew_by_the_next_reading(hub: Path, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Kept articles written by a cmhub whose models had other fields (or damaged) are forgotten when met, all
    at once: the reading whole that follows keeps them anew, and the next edit is read alone again."""
    _build(hub)
    records = open_render_cache(hub, name="statuses")
    found = records.get(snapshot_key(header_settings(load_config(hub)), Preview()))
    for key in _block_keys(found):
        records.put(key, [{"source": source} for source, _, _ in found.articles])
    records.save()
    _edit(hub, "troisieme.md", "en photos", "en photos.")
    read = articles_read(hub, monkeypatch)
    _build(hub)
    assert UNPUBLISHED <= set(read)  # read whole
    _edit(hub, "troisieme.md", "en photos.", "en photos, encore.")
    read.clear()
    _build(hub)
    assert read == ["content/troisieme.md"]
    monkeypatch.undo()
    _assert_same_content(hub)
    same_as_a_build_without_cache(hub, tmp_path)


def test_an_edit_with_a_mistake_is_reported_and_writes_nothing(hub: Path) -> None:
    _build(hub)
    before = tree_digest(hub / "site")
    _edit(hub, "troisieme.md", "date: ", "date: pas une date\nx_date: ")
    result = CliRunner().invoke(main, ["build", "-C", str(hub), "--now", NOW, "-q"])
    assert result.exit_code == 1 and "content/troisieme.md:" in result.output
    assert tree_digest(hub / "site") == before


def test_a_status_is_kept_once_settled(hub: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cmhub.content import statuses

    def kept_statuses() -> dict[str, object]:
        found = open_render_cache(hub, name="statuses").get(snapshot_key(header_settings(load_config(hub)),
                                                                         Preview()))
        return {source: status for source, status, _ in found.articles}

    monkeypatch.setattr(statuses, "SETTLED_NS", 3600 * 10**9)  # every file changed within the hour: none settled
    _build(hub)
    assert set(kept_statuses().values()) == {None}  # each file is read again by the next build
    monkeypatch.setattr(statuses, "SETTLED_NS", 0)
    with open(hub / "content" / "a-propos.pdf", "ab") as pdf:  # the content read whole again
        pdf.write(b"%")
    _build(hub)
    assert None not in kept_statuses().values()


def _block_keys(found: snapshot.Snapshot) -> list[str]:
    """Return the keys of the blocks that keep a snapshot's articles."""
    return block_keys(snapshot._ARTICLES, [made for _, _, made in found.articles])
