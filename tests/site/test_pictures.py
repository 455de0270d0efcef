"""Pictures for pages (cmhub/site/pictures.py): smaller copies with srcset, and every <img> sized."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from cmhub.cli.verbs import main
from cmhub.site.pictures import BodyPictures, sized, variants
from tests.conftest import NOW


def build(runner: CliRunner, root: Path, *options: str) -> None:
    result = runner.invoke(main, ["build", "-C", str(root), "--now", NOW, "-q", *options])
    assert result.exit_code == 0, result.output


def big_photo(path: Path, width: int = 3000, height: int = 2000) -> None:
    """Write a noisy JPEG (a photo compresses badly): a few megabytes, as cameras make them."""
    Image.effect_noise((width, height), 80).convert("RGB").save(path, "JPEG", quality=95)


def test_copies_follow_from_type_and_size() -> None:
    assert [v.width for v in variants("images/a.jpg", 3000, 2000)] == [480, 800, 1200, 1600]
    assert variants("images/a.jpg", 3000, 2000)[1].path == "_img/images/a-800w.jpg"
    assert variants("images/a.jpg", 3000, 2000)[1].height == 533
    assert variants("images/a.png", 480, 100) == ()  # not wider than the smallest copy
    assert variants("images/a.gif", 3000, 2000) == () and variants("images/a.svg", 3000, 2000) == ()
    assert variants("images/a.jpg", None, None) == ()
    big = sized("/images/a.jpg", "/", 3000, 2000, "images/a.jpg")
    assert big.src == "/_img/images/a-800w.jpg" and "/images/a.jpg " not in big.srcset  # never the original
    small = sized("/images/b.jpg", "/", 1000, 500, "images/b.jpg")
    assert small.srcset.endswith("/images/b.jpg 1000w")  # an original of modest width is offered too


def test_a_large_photo_reaches_pages_only_as_copies(basic_site: Path, runner: CliRunner) -> None:
    big_photo(basic_site / "content" / "images" / "couverture.png")  # a JPEG under a .png name is still read
    photo = basic_site / "content" / "images" / "photo.jpg"
    big_photo(photo)
    article = basic_site / "content" / "troisieme.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("---\n", "---\nimage: images/photo.jpg\nimage_alt: Du bruit\n", 1),
                       encoding="utf-8")
    assert photo.stat().st_size > 2_000_000
    build(runner, basic_site)
    site = basic_site / "site"
    pages = [(site / "troisieme" / "index.html").read_text(encoding="utf-8"),
             *(p.read_text(encoding="utf-8") for p in site.glob("tags/*/index.html"))]
    cards = [tag for page in pages for tag in re.findall(r"<img\b[^>]*>", page) if "images/photo" in tag]
    assert len(cards) >= 2  # the article's cover, and its card on its tags' pages
    for tag in cards:
        assert "/images/photo.jpg" not in tag  # pages name the copies only
        assert 'src="/_img/images/photo-800w.jpg"' in tag and "/_img/images/photo-1600w.jpg 1600w" in tag
    for width in (480, 800, 1200, 1600):
        with Image.open(site / "_img" / "images" / f"photo-{width}w.jpg") as copy:
            assert copy.size == (width, round(2000 * width / 3000))
    assert (site / "_img" / "images" / "photo-800w.jpg").stat().st_size < photo.stat().st_size / 10


def test_every_img_of_every_page_has_a_size(basic_site: Path, runner: CliRunner) -> None:
    build(runner, basic_site)
    for page in (basic_site / "site").rglob("*.html"):
        for tag in re.findall(r"<img\b[^>]*>", page.read_text(encoding="utf-8")):
            assert ' width="' in tag and ' height="' in tag, f"{page}: {tag}"


def test_no_copy_of_an_unpublished_article_picture(basic_site: Path, runner: CliRunner) -> None:
    big_photo(basic_site / "content" / "images" / "secret.png", 1000, 600)
    build(runner, basic_site)
    assert not list((basic_site / "site").rglob("secret*"))


def test_copies_are_the_same_bytes_every_time(basic_site: Path, tmp_path: Path, runner: CliRunner) -> None:
    big_photo(basic_site / "content" / "images" / "couverture.png", 1300, 700)
    build(runner, basic_site)
    first = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (basic_site / "site" / "_img").rglob("*.*")}
    assert first
    build(runner, basic_site, "--no-cache")
    for cached in (basic_site / ".cmhub-cache" / "pictures").iterdir():
        cached.unlink()
    (basic_site / "content" / "troisieme.md").touch()
    build(runner, basic_site)
    again = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (basic_site / "site" / "_img").rglob("*.*")}
    assert again == first


def test_body_pictures_keep_what_the_author_wrote() -> None:
    class Site:
        class config:
            base_path = "/"

        assets = ()

    pictures = BodyPictures(Site())  # type: ignore[arg-type]
    pictures.sources = {"images/a.png": Path("unused")}
    pictures._sizes["images/a.png"] = (1000, 500)
    body = '<p><img alt="A" src="/images/a.png" width="10" height="5"><img alt="B" src="https://x.example/b.png"></p>'
    out = pictures.rewrite(body, "100vw")
    assert 'width="10" height="5"' in out and 'width="800"' not in out
    assert 'src="/_img/images/a-800w.png"' in out and 'srcset="/_img/images/a-480w.png 480w' in out
    assert '<img alt="B" src="https://x.example/b.png">' in out  # another site's picture is left alone


def test_a_picture_re_renders_the_pages_that_show_it_only(basic_site: Path, tmp_path: Path, runner: CliRunner,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A picture a body shows is sized on the pages that show the body: changed (other dimensions), those
    pages are made again; a new picture no body shows, published, makes no page again; the logo, which
    every page shows, makes every page again."""
    from cmhub.site.builtin.pages import Pages
    from tests.conftest import same_as_a_build_without_cache

    build(runner, basic_site)
    site = basic_site / "site"
    assert 'src="/images/schema.png"' in (site / "premier-article" / "index.html").read_text(encoding="utf-8")
    made: list[str] = []
    real = Pages.run
    monkeypatch.setattr(Pages, "run", lambda self, job: made.append(job.path) or real(self, job))
    Image.new("RGB", (10, 10), "white").save(basic_site / "content" / "images" / "nouvelle.png")
    build(runner, basic_site)
    assert (site / "images" / "nouvelle.png").exists()
    assert made == []  # published, shown by no body
    Image.new("RGB", (123, 45), "white").save(basic_site / "content" / "images" / "schema.png")
    build(runner, basic_site)
    assert 'width="123" height="45"' in (site / "premier-article" / "index.html").read_text(encoding="utf-8")
    assert "premier-article/" in made and "tags/moderation/" in made  # its page, a list showing its card
    assert "tags/benevolat/" not in made and "404.html" not in made  # pages that do not show it
    made.clear()
    Image.new("RGB", (64, 32), "white").save(basic_site / "content" / "images" / "logo.png")
    build(runner, basic_site)
    assert "404.html" in made and "tags/benevolat/" in made  # every page shows the logo, sized
    monkeypatch.undo()
    same_as_a_build_without_cache(basic_site, tmp_path)
