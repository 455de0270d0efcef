"""Nothing unpublished reaches site/, in any build (issue #21.3).

Drafts, scheduled and expired articles point at files in every way an author can (front matter
cover and teaser pictures, Markdown images from the site root, raw HTML images, links and srcsets,
a bare mention); every byte of site/ is then searched for their titles, slugs, summaries, the
names of those files and their bytes. A preview goes to its own folder.
"""

from __future__ import annotations

import functools
import io
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cmhub.cli.verbs import main
from tests.conftest import NOW, SITES, tree_digest


@functools.cache
def png(marker: str) -> bytes:
    """Return a small PNG picture whose bytes are unique to ``marker`` (a text chunk holds it)."""
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("marker", f"zz-bytes-of-{marker}-zz")
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


SECRETS = {
    # article file: (title, slug, summary, files it points at and how)
    "content/prog-cover.md": ("scheduled", "images/cover-prog-zq.png"),
    "content/prog-teaser.md": ("scheduled", "images/teaser-prog-zq.png"),
    "content/draft-root.md": ("draft", "img/plan-b-zq.png"),
    "content/draft-raw.md": ("draft", "img/raw-zq.png"),
    "content/draft-link.md": ("draft", "docs/secret-zq.pdf"),
    "content/draft-srcset.md": ("draft", "img/wide-zq.png"),
    "content/draft-spaces.md": ("draft", "img/plan c-zq.png"),
    "content/expired-old.md": ("expired", "img/expired-zq.png"),
    "content/draft-folder.md": ("draft", "secret-zq/index.html"),
    "content/draft-mention.md": ("draft", "img/mentioned-zq.png"),
    "content/draft-bare.md": ("draft", "NOTICEZQ"),
}


def article(name: str, state: str, body: str, front: str = "") -> str:
    date = {"scheduled": "2027-03-01T09:00:00", "draft": "2026-09-01", "expired": "2026-01-01"}[state]
    extra = "draft: true\n" if state == "draft" else "expires: 2026-06-01\n" if state == "expired" else ""
    return (f"---\ntitle: Title of {name} zq\ndate: {date}\n{extra}slug: slug-of-{name}-zq\n"
            f"summary: Summary of {name} zq\ntags: [tag-of-{name}-zq]\n{front}---\n{body}\n")


def make_hub(folder: Path) -> Path:
    shutil.copytree(SITES / "basic", folder, ignore=shutil.ignore_patterns("expected"))
    with (folder / "site.yml").open("a", encoding="utf-8") as handle:
        handle.write('networks:\n  x: "@voix"\n')
    content = folder / "content"
    for _source, (_state, path) in SECRETS.items():
        target = content / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(png(path))
    (content / "img" / "shared.png").write_bytes(png("shared"))
    (content / "CNAME").write_text("voix.example.org\n", encoding="utf-8")
    (content / "prog-cover.md").write_text(article(
        "prog-cover", "scheduled", "Bientôt.", "image: images/cover-prog-zq.png\nimage_alt: x\n"), encoding="utf-8")
    (content / "prog-teaser.md").write_text(article(
        "prog-teaser", "scheduled", "Bientôt.", "syndicate:\n  x: {image: images/teaser-prog-zq.png}\n"),
        encoding="utf-8")
    (content / "draft-root.md").write_text(article(
        "draft-root", "draft", "![Le plan B](/img/plan-b-zq.png)\n\n![partagé](/img/shared.png)"), encoding="utf-8")
    (content / "draft-raw.md").write_text(article(
        "draft-raw", "draft", '<p><img src="/img/raw-zq.png" alt=""></p>'), encoding="utf-8")
    (content / "draft-link.md").write_text(article(
        "draft-link", "draft", '<a href="../docs/secret%2Dzq.pdf">le document</a>'), encoding="utf-8")
    (content / "draft-srcset.md").write_text(article(
        "draft-srcset", "draft", '<img srcset="/img/shared.png 1x, /img/wide-zq.png 2x" alt="">'),
        encoding="utf-8")
    (content / "draft-spaces.md").write_text(article(
        "draft-spaces", "draft", "![plan](<img/plan c-zq.png>)"), encoding="utf-8")
    (content / "expired-old.md").write_text(article(
        "expired-old", "expired", "![vieux](img/expired-zq.png)"), encoding="utf-8")
    (content / "draft-folder.md").write_text(article(
        "draft-folder", "draft", "[la page](/secret-zq/)"), encoding="utf-8")
    (content / "draft-mention.md").write_text(article(
        "draft-mention", "draft", "Penser à publier mentioned-zq.png plus tard."), encoding="utf-8")
    (content / "draft-bare.md").write_text(article(
        "draft-bare", "draft", "Voir [la notice](NOTICEZQ \"titre\")."), encoding="utf-8")
    shared = content / "shared-user.md"  # a published article uses the shared picture: it is published
    shared.write_text("---\ntitle: Partage\ndate: 2026-10-10\n---\n<img src=\"/img/shared.png\" alt=\"\">\n",
                      encoding="utf-8")
    return folder


def build(root: Path, *extra: str) -> None:
    result = CliRunner().invoke(main, ["build", "-C", str(root), "--now", NOW, *extra])
    assert result.exit_code == 0, result.output


def secrets_in(folder: Path) -> list[str]:
    """Return every unpublished title, slug, summary, tag, file name or file bytes found in ``folder``."""
    needles: dict[str, bytes] = {}
    for source, (_state, path) in SECRETS.items():
        stem = Path(source).stem
        for label, text in (("title", f"Title of {stem} zq"), ("slug", f"slug-of-{stem}-zq"),
                            ("summary", f"Summary of {stem} zq"), ("tag", f"tag-of-{stem}-zq")):
            needles[f"{source} {label}"] = text.encode()
        name = path.removesuffix("/index.html").rsplit("/", 1)[-1]
        needles[f"{path} name"] = name.encode()
        needles[f"{path} name, escaped"] = name.replace(" ", "%20").encode()
        needles[f"{path} bytes"] = png(path)
    found = []
    for file in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = file.read_bytes()
        found += [f"{what} in {file.relative_to(folder)}" for what, needle in needles.items() if needle in data]
        found += [f"{what} as a file name: {file.relative_to(folder)}" for what, needle in needles.items()
                  if needle.decode("utf-8", "replace") in str(file.relative_to(folder))]
    return found


@pytest.fixture
def hub(tmp_path: Path) -> Path:
    return make_hub(tmp_path / "hub")


def test_nothing_unpublished_reaches_the_site(hub: Path) -> None:
    build(hub)
    assert secrets_in(hub / "site") == []
    site = hub / "site"
    assert (site / "img" / "shared.png").read_bytes() == png("shared")  # a published article uses it too
    assert (site / "CNAME").is_file() and (site / "a-propos.pdf").is_file()  # mentioned by nobody
    assert (site / "images" / "logo.png").is_file()  # site.yml's logo


def test_nothing_unpublished_reaches_the_site_after_warm_builds_and_edits(hub: Path) -> None:
    build(hub)
    draft = hub / "content" / "draft-raw.md"
    draft.write_text(draft.read_text(encoding="utf-8") + "\nEncore.\n", encoding="utf-8")
    build(hub)
    (hub / "content" / "troisieme.md").touch()
    build(hub)
    assert secrets_in(hub / "site") == []


def test_a_file_is_published_once_its_article_is(hub: Path) -> None:
    build(hub)
    assert not (hub / "site" / "images" / "cover-prog-zq.png").exists()
    later = CliRunner().invoke(main, ["build", "-C", str(hub), "--now", "2027-03-02T12:00:00Z"])
    assert later.exit_code == 0, later.output
    assert (hub / "site" / "images" / "cover-prog-zq.png").read_bytes() == png("images/cover-prog-zq.png")
    assert (hub / "site" / "images" / "teaser-prog-zq.png").is_file()


def test_a_preview_shows_everything_in_its_own_folder_and_leaves_the_site_alone(hub: Path) -> None:
    build(hub)
    before = tree_digest(hub / "site")
    build(hub, "--drafts", "--future")
    assert tree_digest(hub / "site") == before
    assert secrets_in(hub / "site") == []
    preview = hub / "preview"
    assert (preview / "img" / "plan-b-zq.png").is_file()
    assert (preview / "slug-of-draft-root-zq" / "index.html").is_file()
