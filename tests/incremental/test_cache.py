"""The build cache only ever saves time: same output with it, without it, or with a broken one."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest
from click.testing import CliRunner

from cmhub.cli.verbs import main
from cmhub.incremental import cache as cache_module
from cmhub.incremental.cache import RenderCache, open_render_cache, shard_of, shard_path
from tests.conftest import NOW, tree_digest


def build(runner: CliRunner, site: Path, *extra: str) -> str:
    result = runner.invoke(main, ["build", "-C", str(site), "--now", NOW, *extra])
    assert result.exit_code == 0, result.output
    return result.stdout


def outputs(site: Path) -> tuple[dict[str, str], dict[str, str]]:
    return tree_digest(site / "site"), tree_digest(site / "social")


def test_output_is_the_same_cold_warm_and_with_a_corrupt_cache(basic_site: Path, runner: CliRunner) -> None:
    build(runner, basic_site, "--no-cache")
    cold = outputs(basic_site)
    assert not list((basic_site / ".cmhub-cache").glob("bodies*"))
    build(runner, basic_site)
    assert outputs(basic_site) == cold
    cache = basic_site / ".cmhub-cache"
    assert list(cache.glob("templates/*.sealed")) and list(cache.glob("bodies-*.data"))
    for path in cache.rglob("*"):
        # trees/ holds the output's spare copy (hard links to the output's own files), not cache entries
        if path.is_file() and "trees" not in path.relative_to(cache).parts:
            path.write_bytes(b"\x80\x04not a pickle at all")
    (basic_site / "content" / "troisieme.md").touch()  # so that the build runs again
    build(runner, basic_site)
    assert outputs(basic_site) == cold


def test_an_edit_is_seen_through_the_cache(basic_site: Path, runner: CliRunner) -> None:
    build(runner, basic_site)
    article = basic_site / "content" / "troisieme.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nUne phrase ajoutée.\n", encoding="utf-8")
    build(runner, basic_site)
    assert "Une phrase ajoutée." in (basic_site / "site" / "troisieme" / "index.html").read_text(encoding="utf-8")


def test_nothing_changed_leaves_the_output_alone_until_something_falls_due(basic_site: Path,
                                                                          runner: CliRunner) -> None:
    build(runner, basic_site)
    index = basic_site / "site" / "index.html"
    before = index.stat().st_mtime_ns
    assert build(runner, basic_site).strip().endswith("\u202f; rien n’a changé")  # a French hub
    assert index.stat().st_mtime_ns == before
    # the scheduled article falls due on 2026-12-05: a later clock must rebuild and publish it
    later = runner.invoke(main, ["build", "-C", str(basic_site), "--now", "2026-12-06T12:00:00Z"])
    assert later.exit_code == 0, later.output
    assert "rien n’a changé" not in later.stdout
    assert (basic_site / "site" / "secret-programme" / "index.html").is_file()


def test_a_link_target_published_later_is_linked_after_the_cache(basic_site: Path, runner: CliRunner) -> None:
    build(runner, basic_site)
    html = (basic_site / "site" / "premier-article" / "index.html").read_text(encoding="utf-8")
    assert 'href="/secret-programme/"' not in html
    assert runner.invoke(main, ["build", "-C", str(basic_site), "--now", "2026-12-06T12:00:00Z"]).exit_code == 0
    html = (basic_site / "site" / "premier-article" / "index.html").read_text(encoding="utf-8")
    assert 'href="/secret-programme/"' in html


def test_pages_and_feeds_whose_inputs_did_not_change_are_kept_not_rewritten(basic_site: Path,
                                                                           runner: CliRunner) -> None:
    build(runner, basic_site)
    site = basic_site / "site"
    unrelated = ["own-site-first/index.html", "tags/moderation/feed.xml", "tags/moderation/atom.xml",
                 "tags/moderation/feed.json"]
    untouched = {path: (site / path).stat().st_ino for path in unrelated}
    article = basic_site / "content" / "troisieme.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nUne autre phrase.\n", encoding="utf-8")
    build(runner, basic_site)
    assert {path: (site / path).stat().st_ino for path in unrelated} == untouched
    assert "Une autre phrase." in (site / "troisieme" / "index.html").read_text(encoding="utf-8")
    for feed in ("feed.xml", "tags/benevolat/feed.xml", "tags/benevolat/atom.xml", "tags/benevolat/feed.json"):
        assert "Une autre phrase." in (site / feed).read_text(encoding="utf-8"), feed
    fresh = basic_site / "fresh"
    build(runner, basic_site, "--no-cache", "--output", str(fresh))
    assert tree_digest(fresh) == tree_digest(site)


def test_a_template_change_renders_every_page_again(basic_site: Path, runner: CliRunner) -> None:
    build(runner, basic_site)
    templates = basic_site / "theme" / "templates"
    templates.mkdir(parents=True)
    from cmhub.core.locations import builtin_theme_dir

    base = (builtin_theme_dir() / "templates" / "base.html").read_text(encoding="utf-8")
    (templates / "base.html").write_text(base.replace("</body>", "<!-- thème local -->\n</body>"), encoding="utf-8")
    build(runner, basic_site)
    for page in ("own-site-first", "troisieme", "premier-article"):
        assert "thème local" in (basic_site / "site" / page / "index.html").read_text(encoding="utf-8")


def test_front_matter_edits_and_warnings_are_seen_through_the_cache(basic_site: Path, runner: CliRunner) -> None:
    article = basic_site / "content" / "troisieme.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("title: L’été des bénévoles",
                                    "title: L’été des bénévoles\nimage: images/couverture.png"), encoding="utf-8")
    first = runner.invoke(main, ["build", "-C", str(basic_site), "--now", NOW])
    assert "content/troisieme.md:3: warning: 'image' has no 'image_alt'" in first.stderr
    (basic_site / "content" / "premier-article.md").touch()  # the build runs again, troisieme.md unchanged
    second = runner.invoke(main, ["build", "-C", str(basic_site), "--now", NOW])
    assert second.exit_code == 0 and "rien n’a changé" not in second.stdout
    assert "content/troisieme.md:3: warning: 'image' has no 'image_alt'" in second.stderr
    article.write_text(text.replace("title: L’été des bénévoles", "title: L’automne des bénévoles"),
                       encoding="utf-8")
    build(runner, basic_site)
    page = (basic_site / "site" / "troisieme" / "index.html").read_text(encoding="utf-8")
    assert "L’automne des bénévoles" in page and "couverture.png" not in page


def cached(cache: RenderCache, keys: Iterable[str]) -> dict[str, object]:
    """Return what the cache holds for each of ``keys`` (those it has)."""
    return {key: value for key in keys if (value := cache.get(key)) is not None}


def test_a_corrupt_cache_file_loses_only_its_own_entries(tmp_path: Path) -> None:
    cache = open_render_cache(tmp_path)
    keys = [f"key {number}" for number in range(200)]
    for number, key in enumerate(keys):
        cache.put(key, {"value": number})
    cache.save()
    damaged = shard_of("key 7")
    shard_path(tmp_path / ".cmhub-cache" / "bodies", damaged).write_bytes(b"\x80\x04broken")
    again = open_render_cache(tmp_path)
    assert cached(again, keys) == {f"key {n}": {"value": n} for n in range(200) if shard_of(f"key {n}") != damaged}
    third = open_render_cache(tmp_path)
    third.put("key 7", {"value": 7})
    third.save()  # the damaged file is written again; the files this build did not read are left as they are
    expected = {f"key {n}": {"value": n} for n in range(200) if shard_of(f"key {n}") != damaged}
    assert cached(open_render_cache(tmp_path), keys) == {**expected, "key 7": {"value": 7}}
    fourth = open_render_cache(tmp_path)
    assert fourth.get("key 0") == {"value": 0}  # its file is read: what this build does not use is dropped
    fourth.save()
    read = shard_of("key 0")
    assert cached(open_render_cache(tmp_path), keys) == {
        key: value for key, value in {**expected, "key 7": {"value": 7}}.items()
        if shard_of(key) != read or key == "key 0"}


def test_a_file_written_again_copies_the_entries_read_from_it_unchanged(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    big, small, *_ = [key for key in (f"key {n}" for n in range(500)) if shard_of(key) == shard_of("key 0")]
    first = open_render_cache(tmp_path)
    first.put(big, ("a snapshot", tuple(range(50))))
    first.put(small, 1)
    first.save()
    encoded: list[object] = []
    real = cache_module.dumps
    monkeypatch.setattr(cache_module, "dumps", lambda value: encoded.append(value) or real(value))
    again = open_render_cache(tmp_path)
    assert again.get(big) == ("a snapshot", tuple(range(50))) and again.get(small) == 1
    again.put(small, 2)  # read, then changed: encoded anew
    again.save()
    assert encoded == [2]  # the entry read and left as it was is copied from the file
    third = open_render_cache(tmp_path)
    assert (third.get(big), third.get(small)) == (("a snapshot", tuple(range(50))), 2)
    shard_path(tmp_path / ".cmhub-cache" / "bodies", shard_of(big)).write_bytes(b"lost")
    again.put(small, 3)  # its file lost since it was read: what it held is encoded from the values
    again.save()
    fourth = open_render_cache(tmp_path)
    assert (fourth.get(big), fourth.get(small)) == (("a snapshot", tuple(range(50))), 3)


def test_a_value_taken_is_held_by_its_caller_only_and_kept_as_its_file_holds_it(tmp_path: Path) -> None:
    taken, other = [key for key in (f"key {n}" for n in range(500)) if shard_of(key) == shard_of("key 0")][:2]
    block = ["a block", ["of", "rows"], 3]
    first = open_render_cache(tmp_path)
    first.put(taken, block)
    first.put(other, 1)
    first.save()
    again = open_render_cache(tmp_path)
    assert again.take(taken) == block
    assert again.entries == {}  # nothing held decoded, nor as read
    assert again.holds(taken) and again.raw(taken) == b'["a block",["of","rows"],3]'
    assert again.take(taken) == block  # asked again: read again from its file
    again.put(other, 2)
    again.save()  # its file written again: the value taken is copied from the file
    third = open_render_cache(tmp_path)
    assert (third.get(taken), third.get(other)) == (block, 2)
    shard_path(tmp_path / ".cmhub-cache" / "bodies", shard_of(taken)).write_bytes(b"lost")
    again.put(other, 3)
    again.save()  # its file lost since: a value taken is not held, so it is dropped (made again next time)
    fourth = open_render_cache(tmp_path)
    assert (fourth.get(taken), fourth.get(other)) == (None, 3)


def test_an_output_file_changed_in_place_or_removed_makes_the_build_run_again(basic_site: Path,
                                                                             runner: CliRunner) -> None:
    """The nothing-changed check reads the record of the last build's outputs (last-build.outputs):
    an output file written over (other size, or same size and a new date), or deleted, is made again."""
    build(runner, basic_site)
    assert (basic_site / ".cmhub-cache" / "last-build.outputs").is_file()
    page = basic_site / "site" / "troisieme" / "index.html"
    good = page.read_bytes()
    page.write_bytes(good.replace(b"</body>", b"<!--x--></body>"))  # another size
    assert "rien n’a changé" not in build(runner, basic_site)
    assert page.read_bytes() == good
    page.write_bytes(good.upper())  # the same size, a new date
    assert "rien n’a changé" not in build(runner, basic_site)
    assert page.read_bytes() == good
    (basic_site / "social" / "teasers.json").unlink()
    assert "rien n’a changé" not in build(runner, basic_site)
    assert (basic_site / "social" / "teasers.json").is_file()
    assert "rien n’a changé" in build(runner, basic_site)


def test_a_damaged_or_stale_record_of_outputs_only_costs_time(basic_site: Path, runner: CliRunner) -> None:
    build(runner, basic_site)
    record = basic_site / ".cmhub-cache" / "last-build.outputs"
    record.write_bytes(b"not sealed\n0\t1\t2\tindex.html\n")
    assert "rien n’a changé" in build(runner, basic_site)  # the manifests tell instead
    page = basic_site / "site" / "troisieme" / "index.html"
    good = page.read_bytes()
    page.write_bytes(b"x" + good)
    assert "rien n’a changé" not in build(runner, basic_site)  # ... and they see the change
    assert page.read_bytes() == good
