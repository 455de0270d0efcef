"""cmhub import facebook, end to end, on a Page export in Facebook's layout."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.imports.conftest import cmhub, front_and_body
from tests.imports.exports import (
    FB_LINK_TEXT,
    FB_MEDIA_ONLY,
    FB_PHOTO_TEXT,
    jpeg,
    write_facebook,
    write_instagram,
    zip_tree,
)


def _articles(hub: Path) -> list[Path]:
    return sorted((hub / "content" / "facebook").glob("*.md"))


def test_a_page_export_gives_one_draft_per_post_with_links_and_photos(hub: Path, tmp_path: Path) -> None:
    export = zip_tree(write_facebook(tmp_path / "export"), tmp_path / "facebook-asso.zip", top="facebook-asso-2026/")
    result = cmhub("import", "facebook", export, "-C", hub)
    assert result.exit_code == 0, result.output
    assert "not imported: 1 posts without text, media or link" in result.stdout
    link, photo, media_only = _articles(hub)
    front, body = front_and_body(link)
    data = yaml.safe_load(front)
    # mojibake repaired in data[].post, and the shared link kept after the text
    assert body == f"{FB_LINK_TEXT}\n\n[Rapport d'activité 2020](https://asso.example.org/rapport-2020.pdf)\n"
    assert data["tags"] == ["rapport", "bilan"]
    assert data["date"].isoformat() == "2021-01-15T09:00:00+01:00"
    assert data["imported_from"] == {"network": "facebook", "id": "1610697600",
                                     "link": "https://asso.example.org/rapport-2020.pdf"}
    front, body = front_and_body(photo)
    # the photo's description repeats the post: not written twice
    assert body == f"{FB_PHOTO_TEXT}\n\n![]({photo.with_suffix('').name}/01.jpg)\n"
    assert (photo.with_suffix("") / "01.jpg").read_bytes() == jpeg(7)
    # a post whose text is only on its media (media.description, repaired too)
    front, body = front_and_body(media_only)
    assert body == f"{FB_MEDIA_ONLY}\n\n![]({media_only.with_suffix('').name}/01.jpg)\n"
    assert yaml.safe_load(front)["title"] == FB_MEDIA_ONLY


@pytest.mark.parametrize("name", ["posts/your_posts_1.json",
                                  "your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json"])
def test_profile_and_older_layouts_are_read(hub: Path, tmp_path: Path, name: str) -> None:
    result = cmhub("import", "facebook", write_facebook(tmp_path / "export", name), "-C", hub)
    assert result.exit_code == 0, result.output
    assert len(_articles(hub)) == 3


def test_an_instagram_export_given_to_facebook_says_which_command_to_use(hub: Path, tmp_path: Path) -> None:
    result = cmhub("import", "facebook", write_instagram(tmp_path / "export"), "-C", hub)
    assert result.exit_code == 1
    assert "this looks like an Instagram export: use 'cmhub import instagram'" in result.stderr


def test_the_html_export_is_refused(hub: Path, tmp_path: Path) -> None:
    folder = tmp_path / "html"
    (folder / "this_profile's_activity_across_facebook/posts").mkdir(parents=True)
    (folder / "this_profile's_activity_across_facebook/posts/profile_posts_1.html").write_text("<html></html>")
    result = cmhub("import", "facebook", folder, "-C", hub)
    assert result.exit_code == 1
    assert "this is the HTML format of Facebook's export" in result.stderr and "Format: JSON" in result.stderr
