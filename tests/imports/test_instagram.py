"""cmhub import instagram, end to end through the command line, on exports in Instagram's layouts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from tests.imports.conftest import cmhub, front_and_body, snapshot
from tests.imports.exports import (
    CAPTION_CAROUSEL,
    CAPTION_PICTURE,
    CAPTION_VIDEO,
    instagram_media,
    jpeg,
    write_instagram,
    write_tree,
    zip_tree,
)


def _articles(hub: Path) -> list[Path]:
    return sorted((hub / "content" / "instagram").glob("*.md"))


def test_each_post_becomes_one_draft_with_its_text_dates_tags_and_media(hub: Path, tmp_path: Path) -> None:
    export = zip_tree(write_instagram(tmp_path / "export"), tmp_path / "instagram-asso-2026-11-20.zip")
    result = cmhub("import", "instagram", export, "-C", hub)
    assert result.exit_code == 0, result.output
    assert "3 new articles (drafts) written, with 4 pictures and 1 video" in result.stdout
    picture, carousel, video = _articles(hub)
    assert [p.name for p in (picture, carousel, video)] == [
        "2019-07-01-fete-de-lete-a-paris-loeuvre-du-quartier.md",
        "2019-12-25-trois-images-pour-noel-la-creche-le-sapin-et-loeuf-surprise.md",
        "2020-03-29-video-oeil-ouvert-sur-lete.md"]
    fronts = {p.name: yaml.safe_load(front_and_body(p)[0]) for p in (picture, carousel, video)}
    front = fronts[picture.name]
    folder = picture.with_suffix("").name
    # the text is the original Unicode, byte for byte, and the picture follows it, flagged for alt text
    assert front_and_body(picture)[1] == f"{CAPTION_PICTURE}\n\n![]({folder}/01.jpg)\n"
    assert front_and_body(video)[1].startswith(CAPTION_VIDEO + "\n\n")
    assert front["title"] == "Fête de l'été à Paris, l'œuvre du quartier 🎉"
    assert front["draft"] is True
    # creation_timestamp in the hub's time zone (Europe/Paris), summer and winter
    assert front["date"] == dt.datetime(2019, 7, 1, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert fronts[carousel.name]["date"].isoformat() == "2019-12-25T00:30:00+01:00"
    assert fronts[video.name]["date"].isoformat() == "2020-03-29T01:30:00+01:00"
    assert front["tags"] == ["a", "b"]
    assert fronts[carousel.name]["tags"] == ["carrousel", "Noël"]
    assert fronts[video.name]["tags"] == ["vidéo", "été"]
    assert front["imported_from"] == {"network": "instagram", "id": "1561933800",
                                      "uri": "media/posts/201907/17900000000000001.jpg"}
    # the first picture is offered as the cover, on a commented line
    assert "image" not in front
    assert f'# image: "{folder}/01.jpg"  # the cover for teasers' in picture.read_text()
    copy = (picture.with_suffix("") / "01.jpg").read_bytes()
    assert copy == instagram_media()["media/posts/201907/17900000000000001.jpg"]


def test_a_carousel_keeps_its_pictures_in_order_and_a_video_is_copied_and_linked(hub: Path, tmp_path: Path) -> None:
    export = write_instagram(tmp_path / "export")
    assert cmhub("import", "instagram", export, "-C", hub).exit_code == 0
    _, carousel, video = _articles(hub)
    front, body = front_and_body(carousel)
    folder = carousel.with_suffix("")
    assert body == (f"{CAPTION_CAROUSEL}\n\n![]({folder.name}/01.jpg)\n\n![]({folder.name}/02.jpg)\n\n"
                    f"![]({folder.name}/03.jpg)\n")
    media = instagram_media()
    for number, source in enumerate((12, 13, 14), start=1):
        assert (folder / f"0{number}.jpg").read_bytes() == media[f"media/posts/201912/179000000000000{source}.jpg"]
    _, body = front_and_body(video)
    assert body == f"{CAPTION_VIDEO}\n\n[▶ 01.mp4]({video.with_suffix('').name}/01.mp4)\n"
    assert (video.with_suffix("") / "01.mp4").read_bytes() == media["media/posts/202003/17900000000000005.mp4"]


@pytest.mark.parametrize("layout", ["2023", "2021"])
def test_older_layouts_give_the_same_articles(hub: Path, tmp_path: Path, layout: str) -> None:
    current = tmp_path / "current"
    (current / "content").mkdir(parents=True)
    (current / "site.yml").write_text((hub / "site.yml").read_text())
    assert cmhub("import", "instagram", write_instagram(tmp_path / "new"), "-C", current).exit_code == 0
    older = zip_tree(write_instagram(tmp_path / "old", layout), tmp_path / "old.zip", top="instagram-asso-2022/")
    assert cmhub("import", "instagram", older, "-C", hub).exit_code == 0
    assert snapshot_bytes(hub / "content") == snapshot_bytes(current / "content")


def snapshot_bytes(folder: Path) -> dict[str, str]:
    return {name: digest for name, (digest, _) in snapshot(folder).items()}


def test_the_same_export_gives_the_same_bytes(tmp_path: Path, hub: Path) -> None:
    export = write_instagram(tmp_path / "export")
    twin = tmp_path / "twin"
    (twin / "content").mkdir(parents=True)
    (twin / "site.yml").write_text((hub / "site.yml").read_text())
    for root in (hub, twin):
        assert cmhub("import", "instagram", export, "-C", root).exit_code == 0
    assert snapshot_bytes(hub / "content") == snapshot_bytes(twin / "content")
    assert (hub / "imports.lock").read_bytes() == (twin / "imports.lock").read_bytes()


def test_a_second_run_writes_nothing_and_an_edited_article_survives(hub: Path, tmp_path: Path) -> None:
    export = zip_tree(write_instagram(tmp_path / "export"), tmp_path / "export.zip")
    assert cmhub("import", "instagram", export, "-C", hub).exit_code == 0
    picture, carousel, video = _articles(hub)
    picture.write_text(picture.read_text().replace("![](", "![Des enfants dansent]("))
    video.unlink()  # curation: this one is not worth keeping
    before = snapshot(hub)
    result = cmhub("import", "instagram", export, "-C", hub)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == ("content/instagram/: nothing new; 3 already imported "
                                             "(1 edited since, kept as they are; 1 deleted since, not recreated)")
    assert snapshot(hub) == before
    assert "Des enfants dansent" in picture.read_text()


def test_publish_keeps_the_original_dates_as_publication_dates(hub: Path, tmp_path: Path) -> None:
    assert cmhub("import", "instagram", write_instagram(tmp_path / "export"), "-C", hub, "--publish").exit_code == 0
    for article in _articles(hub):
        assert "draft:" not in article.read_text()
    assert cmhub("build", "-C", hub, "--now", "2026-11-21T12:00:00Z").exit_code == 0
    page = (hub / "site/fete-de-lete-a-paris-loeuvre-du-quartier/index.html").read_text()
    assert 'datetime="2019-07-01T00:30:00+02:00"' in page
    assert "l&#39;œuvre du quartier 🎉 #a#b" in page or "l'œuvre du quartier 🎉 #a#b" in page


def test_a_fresh_import_fails_the_strict_build_at_each_picture(hub: Path, tmp_path: Path) -> None:
    """The export has no alt text: each picture in the body must be flagged (the body-image warning of
    issue #15.8), an error under --strict, at its line."""
    assert cmhub("import", "instagram", write_instagram(tmp_path / "export"), "-C", hub).exit_code == 0
    build = cmhub("build", "-C", hub, "--strict", "--now", "2026-11-21T12:00:00Z")
    assert build.exit_code == 1, build.output
    for article in _articles(hub)[:2]:
        text = article.read_text()
        line = text[:text.index("![](")].count("\n") + 1
        assert f"{article.relative_to(hub).as_posix()}:{line}:" in build.stderr


def test_once_every_picture_is_described_the_strict_build_passes(hub: Path, tmp_path: Path) -> None:
    assert cmhub("import", "instagram", write_instagram(tmp_path / "export"), "-C", hub).exit_code == 0
    for article in _articles(hub):
        article.write_text(article.read_text().replace("![](", "![Une photo de la fête]("))
    build = cmhub("build", "-C", hub, "--strict", "--now", "2026-11-21T12:00:00Z")
    assert build.exit_code == 0, build.output
    assert cmhub("build", "-C", hub, "--strict", "--drafts", "--now", "2026-11-21T12:00:00Z").exit_code == 0


def test_posts_of_the_same_title_get_distinct_slugs_beside_existing_articles(hub: Path, tmp_path: Path) -> None:
    (hub / "content" / "bonjour.md").write_text("---\ntitle: Bonjour\ndate: 2020-01-01\n---\nDéjà là.\n")
    (hub / "content" / "autre.md").write_text("---\ntitle: Autre\ndate: 2020-01-01\nslug: bonjour-2\n---\nAussi.\n")
    posts = [{"media": [{"uri": f"media/posts/202001/{n}.jpg", "creation_timestamp": 1577880000 + n,
                         "title": "Bonjour ! #hello"}]} for n in range(3)]
    media = {f"media/posts/202001/{n}.jpg": jpeg(n) for n in range(3)}
    export = write_instagram(tmp_path / "e", posts=posts, media=media)
    assert cmhub("import", "instagram", export, "-C", hub).exit_code == 0
    names = [p.name for p in _articles(hub)]
    assert names == ["2020-01-01-bonjour-3.md", "2020-01-01-bonjour-4.md", "2020-01-01-bonjour-5.md"]
    assert cmhub("build", "-C", hub, "--drafts", "--now", "2026-11-21T12:00:00Z").exit_code == 0


def test_reels_are_posts_too_and_a_split_export_is_read_as_one(hub: Path, tmp_path: Path) -> None:
    reel = {"ig_reels_media": [{"media": [{"uri": "media/reels/202105/reel.mp4", "creation_timestamp": 1620000000,
                                           "title": "Notre premier reel 🎬"}]}]}
    from tests.imports.exports import meta_json
    part1 = write_instagram(tmp_path / "part1", media={})
    write_tree(part1, {"your_instagram_activity/content/reels.json": meta_json(reel)})
    part2 = write_tree(tmp_path / "part2", {**instagram_media(), "media/reels/202105/reel.mp4": b"reel"})
    result = cmhub("import", "instagram", zip_tree(part1, tmp_path / "p1.zip"), zip_tree(part2, tmp_path / "p2.zip"),
                   "-C", hub)
    assert result.exit_code == 0, result.output
    assert len(_articles(hub)) == 4
    reel_article = next(p for p in _articles(hub) if "reel" in p.name)
    assert (reel_article.with_suffix("") / "01.mp4").read_bytes() == b"reel"


def test_a_missing_media_file_is_an_error_naming_the_post_and_nothing_is_written(hub: Path, tmp_path: Path) -> None:
    media = instagram_media()
    del media["media/posts/201912/17900000000000013.jpg"]
    export = write_instagram(tmp_path / "export", media=media)
    result = cmhub("import", "instagram", export, "-C", hub)
    assert result.exit_code == 1
    assert f"{export}/your_instagram_activity/content/posts_1.json:" in result.stderr
    assert "media 'media/posts/201912/17900000000000013.jpg' is not in the export" in result.stderr
    assert "Traceback" not in result.output
    assert list((hub / "content").iterdir()) == [] and not (hub / "imports.lock").exists()
    allowed = cmhub("import", "instagram", export, "-C", hub, "--allow-missing")
    assert allowed.exit_code == 0 and "warning: media" in allowed.stderr
    assert len(_articles(hub)) == 3


def test_the_html_export_is_refused_with_how_to_download_the_json_one(hub: Path, tmp_path: Path) -> None:
    export = write_tree(tmp_path / "html", {"start_here.html": "<html></html>",
                                             "your_instagram_activity/content/posts_1.html": "<html></html>",
                                             "media/posts/201907/1.jpg": jpeg(1)})
    result = cmhub("import", "instagram", zip_tree(export, tmp_path / "html.zip"), "-C", hub)
    assert result.exit_code == 1
    assert "html.zip: this is the HTML format of Instagram's export" in result.stderr
    assert "Format: JSON" in result.stderr and "Traceback" not in result.output
    assert list((hub / "content").iterdir()) == []


def test_the_listing_of_a_dry_run_is_a_select_file(hub: Path, tmp_path: Path) -> None:
    export = write_instagram(tmp_path / "export")
    dry = cmhub("import", "instagram", export, "-C", hub, "--dry-run")
    assert dry.exit_code == 0 and list((hub / "content").iterdir()) == []
    lines = dry.stdout.splitlines()
    assert lines[2].split("\t")[:5] == ["1561933800", "2019-07-01T00:30", "8", "new",
                                        "content/instagram/2019-07-01-fete-de-lete-a-paris-loeuvre-du-quartier.md"]
    selection = tmp_path / "keep.txt"
    selection.write_text("\n".join(line for line in lines if "noel" not in line) + "\n")
    assert cmhub("import", "instagram", export, "-C", hub, "--select", selection).exit_code == 0
    assert [p.name[:10] for p in _articles(hub)] == ["2019-07-01", "2020-03-29"]
