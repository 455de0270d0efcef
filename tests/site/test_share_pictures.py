"""Pictures that travel (issue #15.2): every shareable page names a 1200x630 og:image that is in site/,
teaser pictures of published articles are public at stable unlisted URLs, and nothing of a scheduled
article reaches site/."""

from __future__ import annotations

import csv
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from tests.social.test_syndication import BASE, SCHEDULED, build, copy_hub


class _Meta(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.robots = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        name = values.get("property") or values.get("name")
        if tag == "meta" and name:
            self.meta.setdefault(name, []).append(values.get("content", ""))


def meta_of(path: Path) -> dict[str, list[str]]:
    parser = _Meta()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.meta


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_hub(tmp_path_factory.mktemp("share") / "social")
    result = build(project)
    assert result.exit_code == 0, result.output
    return project


def site_file(hub: Path, url: str) -> Path:
    assert url.startswith(BASE), url
    return hub / "site" / url[len(BASE):]


def test_every_shareable_page_has_a_1200x630_og_image_in_site(hub: Path) -> None:
    pages = [p for p in (hub / "site").rglob("index.html")]
    assert len(pages) > 10
    for page in pages:
        meta = meta_of(page)
        if meta.get("robots") == ["noindex"]:
            continue
        [url] = meta["og:image"]
        assert meta["og:image:width"] == ["1200"] and meta["og:image:height"] == ["630"], page
        assert meta["og:image:alt"][0].strip(), page
        with Image.open(site_file(hub, url)) as picture:
            assert picture.size == (1200, 630), url
        assert "/_social/" in url


def test_articles_get_their_own_picture_and_lists_the_hubs_card(hub: Path) -> None:
    home = meta_of(hub / "site" / "index.html")["og:image"][0]
    assert home == BASE + "_social/site-1200x630.jpg"
    article = meta_of(hub / "site" / "charte-de-moderation" / "index.html")
    assert article["og:image"] == [BASE + "_social/cover/images-charte-1200x630.jpg"]
    assert article["og:image:alt"] == ["Un carré doré et un disque corail sur fond bleu pétrole"]
    no_cover = meta_of(hub / "site" / "guide-calendrier-editorial" / "index.html")
    assert no_cover["og:image"] == [BASE + "_social/card/guide-calendrier-editorial-1200x630.jpg"]
    assert no_cover["twitter:card"] == ["summary_large_image"]


def test_media_columns_point_at_files_in_site(hub: Path) -> None:
    teasers = json.loads((hub / "social" / "teasers.json").read_text(encoding="utf-8"))["teasers"]
    published = [t for t in teasers if t["article"]["source"] != SCHEDULED and t["media"]]
    assert published and all(t["media"]["url"] for t in published)
    for teaser in published:
        with Image.open(site_file(hub, teaser["media"]["url"])) as picture:
            assert picture.size == (teaser["media"]["width"], teaser["media"]["height"])
    for name in ["teasers.csv", *(f"publer/{p.name}" for p in (hub / "social" / "publer").glob("*.csv"))]:
        with (hub / "social" / name).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                url = row.get("media") or row.get("Media URL(s)") or ""
                if url:
                    assert site_file(hub, url).is_file(), (name, url)
    instagram = [t for t in published if t["network"] == "instagram"]
    assert instagram and all(t["media"]["url"].endswith("-1080x1350.jpg") for t in instagram)


def test_nothing_of_a_scheduled_article_is_in_site(hub: Path) -> None:
    slug = Path(SCHEDULED).stem
    teasers = json.loads((hub / "social" / "teasers.json").read_text(encoding="utf-8"))["teasers"]
    scheduled = [t for t in teasers if t["article"]["source"] == SCHEDULED]
    assert scheduled and all(t["media"]["url"] == "" for t in scheduled if t["media"])
    for path in (hub / "site").rglob("*"):
        assert slug not in path.as_posix()
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".txt"):
            assert slug not in path.read_text(encoding="utf-8"), path


def test_social_pictures_stay_out_of_search(hub: Path) -> None:
    robots = (hub / "site" / "robots.txt").read_text(encoding="utf-8")
    assert "Disallow: /_social/" in robots.splitlines()
    assert "_social" not in (hub / "site" / "sitemap.xml").read_text(encoding="utf-8")
