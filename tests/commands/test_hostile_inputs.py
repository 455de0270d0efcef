"""The hostile-input harness (issues #21.6 and #21.9): one built hub, one hostile change per case.

Every case is built through the real command line. Whatever the input: no traceback; nothing
written or deleted outside site/, social/, .cmhub-cache/ and the ledger; nothing unpublished in
site/; and when the build fails, the mistake is reported at the file at fault (and its line when
there is one), with exit code 1, and the previous output is left byte for byte as it was.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from cmhub.cli.verbs import main
from tests.conftest import NOW, SITES, tree_digest

WRITABLE = ("site", "social", ".cmhub-cache", "permalinks.lock")
UNPUBLISHED = [b"Brouillon secret", b"Article programm\xc3\xa9 secret", b"r\xc3\xa9sum\xc3\xa9 secret",
               b"secret-brouillon", b"secret-programme", b"tiquette-secr", b"gorie-secr", b"secret.png",
               b"Texte secret"]
ARTICLE = "content/troisieme.md"


def png(width: int, height: int) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (10, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The basic hub with teasers for two networks, built once."""
    root = tmp_path_factory.mktemp("base") / "hub"
    shutil.copytree(SITES / "basic", root, ignore=shutil.ignore_patterns("expected"))
    with (root / "site.yml").open("a", encoding="utf-8") as handle:
        handle.write('networks:\n  x: "@voix"\n  mastodon: "@voix@piaille.example"\n')
    (root / "content" / "images" / "couverture.png").write_bytes(png(60, 40))
    result = CliRunner().invoke(main, ["build", "-C", str(root), "--now", NOW])
    assert result.exit_code == 0, result.output
    return root


def edit(path: str, old: str, new: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        target = root / path
        text = target.read_text(encoding="utf-8")
        assert old in text, (path, old)
        target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return change


def write(path: str, data: str | bytes) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_text(data, encoding="utf-8")
    return change


def front(line: str) -> Callable[[Path], None]:
    """Add a front-matter line to the article (it becomes line 2)."""
    return edit(ARTICLE, "---\n", f"---\n{line}\n")


def template(name: str, text: str) -> Callable[[Path], None]:
    return write(f"theme/templates/{name}", text)


def cover(data: bytes) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        write("content/images/hostile.png", data)(root)
        front("image: images/hostile.png\nimage_alt: x")(root)
    return change


def base_html_with(tag: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        from cmhub.core.locations import builtin_theme_dir

        text = (builtin_theme_dir() / "templates" / "base.html").read_text(encoding="utf-8")
        write("theme/templates/base.html", text.replace("</body>", f"{tag}\n</body>"))(root)
    return change


X_LINE = 19  # the line of 'x:' under 'networks:' in the base hub's site.yml
CASES: dict[str, tuple[Callable[[Path], None], str | None, int | None]] = {
    # (change, the file at fault or None when the build succeeds, its line)
    "permalink with ..": (edit("site.yml", "paginate: 2", "paginate: 2\npermalink: /../{slug}/"), "site.yml", 8),
    "permalink with index.html": (edit("site.yml", "paginate: 2", "paginate: 2\npermalink: /{slug}/index.html/"),
                                  "site.yml", 8),
    "permalink with a space": (edit("site.yml", "paginate: 2", 'paginate: 2\npermalink: "/{slug} x/"'),
                               "site.yml", 8),
    "alias on _redirects": (front("aliases: [/_redirects]"), ARTICLE, 2),
    "type that is neither post nor page": (front("type: billet"), ARTICLE, 2),
    "menu naming no page": (edit("site.yml", "paginate: 2", "paginate: 2\nmenu: [{title: A, page: nulle-part}]"),
                            "site.yml", 8),
    "slug of 300 bytes": (front("slug: " + "a" * 300), ARTICLE, 2),
    "file name making a slug of 250 bytes": (write("content/" + "b" * 250 + ".md",
                                                   "---\ntitle: T\ndate: 2026-01-01\n---\nx\n"),
                                             "content/" + "b" * 250 + ".md", None),
    "tag of 300 characters": (edit(ARTICLE, "tags: [bénévolat]", "tags: [" + "é" * 300 + "]"), ARTICLE, 4),
    "category of 300 characters": (edit(ARTICLE, "categories: [Métier]", "categories: [" + "c" * 300 + "]"),
                                   ARTICLE, 5),
    "author id of 300 characters": (edit("site.yml", "  sam: Samuel Okafor", "  " + "s" * 300 + ": S"),
                                    "site.yml", 17),
    "template dividing by zero": (base_html_with("{{ 1 / 0 }}"), "theme/templates/base.html", None),
    "template adding text to a number": (base_html_with("{{ page.title + 1 }}"), "theme/templates/base.html", None),
    "template extending itself": (template("base.html", '{% extends "base.html" %}'), "theme/templates/base.html",
                                  None),
    "template in Latin-1": (write("theme/templates/base.html", "<p>caf\xe9</p>".encode("latin-1")),
                            "theme/templates/base.html", None),
    "template including a missing one": (base_html_with('{% include "nowhere.html" %}'), "theme", None),
    "template with a syntax error": (base_html_with("{% if %}"), "theme/templates/base.html", None),
    "teaser template dividing by zero": (write("theme/social/x.txt", "{{ 1 / 0 }}"), "theme/social/x.txt", None),
    "title with a control character": (edit(ARTICLE, "title: L’été des bénévoles", 'title: "L\\u0007été"'),
                                       ARTICLE, 2),
    "title with a line break": (edit(ARTICLE, "title: L’été des bénévoles", 'title: "L\\u2028été"'), ARTICLE, 2),
    "date in year 1": (edit(ARTICLE, "2026-08-15T10:00:00+02:00", "0001-01-01"), ARTICLE, 3),
    "date in year 9999": (edit(ARTICLE, "2026-08-15T10:00:00+02:00", "9999-12-31T23:59:59"), ARTICLE, 3),
    "expires in year 9999": (front("expires: 9999-12-31"), ARTICLE, 2),
    "reminder of 10**12 days": (edit("site.yml", '  x: "@voix"', '  x: {handle: "@voix", reminders: [999999999999d]}'),
                                "site.yml", X_LINE),
    "spacing of 10**12 minutes": (edit("site.yml", '  x: "@voix"', '  x: {handle: "@voix", spacing: 999999999999m}'),
                                  "site.yml", X_LINE),
    "time zone that is a folder": (edit("site.yml", "timezone: Europe/Paris", "timezone: Europe"), "site.yml", 6),
    "time zone with ..": (edit("site.yml", "timezone: Europe/Paris", "timezone: ../../etc/passwd"), "site.yml", 6),
    "broken cover": (cover(b"\x89PNG\r\n\x1a\nnot really"), ARTICLE, 2),
    "truncated cover": (cover(png(300, 200)[:200]), ARTICLE, 2),
    "cover of random bytes": (cover(bytes(range(256)) * 12), ARTICLE, 2),
    "cover of 20000x20000": (cover(png(20000, 20000)), ARTICLE, 2),
    "cover that is a folder": (lambda root: ((root / "content" / "images" / "hostile.png").mkdir(),
                                             front("image: images/hostile.png\nimage_alt: x")(root)), ARTICLE, 2),
    "teaser picture that is broken": (lambda root: (write("content/images/t.png", b"GIF89a nope")(root),
                                                    front("syndicate:\n  x: {image: images/t.png}")(root)),
                                      ARTICLE, 2),
    "YAML typo in a published article": (edit(ARTICLE, "tags: [bénévolat]", "tags: [bénévolat"), ARTICLE, 5),
    "article that is not UTF-8": (write("content/latin.md", "---\ntitle: caf\xe9\ndate: 2026-01-01\n---\n"
                                        .encode("latin-1")), "content/latin.md", None),
    "article without front matter": (write("content/bare.md", "Just text.\n"), "content/bare.md", 1),
    "article with front matter unclosed": (write("content/open.md", "---\ntitle: x\n"), "content/open.md", 1),
    "empty article": (write("content/empty.md", ""), "content/empty.md", 1),
    "site.yml that is a list": (write("site.yml", "- a\n- b\n"), "site.yml", 1),
    "site.yml in binary": (write("site.yml", b"\x00\xff\xfe garbage"), "site.yml", None),
    "site.yml deeply nested": (write("site.yml", "title: [" * 5000 + "]" * 5000), "site.yml", None),
    "front matter deeply nested": (front("extra: " + "[" * 5000 + "]" * 5000), ARTICLE, None),
    "lists nested 600 deep": (write("content/deep.md", "---\ntitle: D\ndate: 2026-01-01\n---\n"
                                    + "\n".join("    " * i + "- x" for i in range(600))), "content/deep.md", 5),
    "5,000 definitions": (write("content/defs.md", "---\ntitle: D\ndate: 2026-01-01\n---\n"
                                + "\n".join(f"t{i}\n: d" for i in range(5000))), "content/defs.md", 5),
    "2,000 CDATA openers": (write("content/cdata.md", "---\ntitle: D\ndate: 2026-01-01\n---\n"
                                  + "<![CDATA[" * 2000), "content/cdata.md", 5),
    "logo with ..": (edit("site.yml", "logo: images/logo.png", "logo: ../../etc/passwd"), None, None),
    "logo missing": (edit("site.yml", "logo: images/logo.png", "logo: images/none.png"), None, None),
    "content file named like a feed": (write("content/feed.xml", "<rss/>"), "content/feed.xml", None),
    "content folder named like a feed": (write("content/atom.xml/notes.txt", "x"), "content/atom.xml/notes.txt",
                                         None),
    "content file named like a static file": (write("content/static/style.css", "body{}"),
                                              "content/static/style.css", None),
    "syndicate image that loops": (lambda root: ((root / "content" / "loop.png").symlink_to(root / "content" /
                                                                                           "loop.png"),
                                                 front("syndicate:\n  x: {image: loop.png}")(root)), ARTICLE, 3),
    "aliases hold a million characters": (front("aliases: [/" + "a" * 1_000_000 + "/]"), ARTICLE, 2),
    "a title of a megabyte": (front("title: " + "mot " * 250_000), None, None),
    "10,000 aliases": (front("aliases: [" + ", ".join(f"/old-{n}/" for n in range(10_000)) + "]"), None, None),
    "site title with a NUL": (edit("site.yml", 'title: "Les Voix du Quartier"', 'title: "Les Voix\\u0000"'),
                              "site.yml", 2),
    "description with an escape sequence": (edit("site.yml", "description: ", 'description: "\\u001b[31m" #'),
                                            "site.yml", 4),
    "output folder with a NUL": (edit("site.yml", "paginate: 2", 'paginate: 2\noutput: "si\\u0000te"'), "site.yml", 8),
    "output folder name of 300 bytes": (edit("site.yml", "paginate: 2", "paginate: 2\noutput: " + "o" * 300),
                                        "site.yml", 8),
    "teaser picture name of 5,000 bytes": (front("syndicate:\n  x: {image: " + "x" * 5000 + ".png}"), ARTICLE, 3),
    "a permalinks.lock that is a folder": (lambda root: ((root / "permalinks.lock").unlink(),
                                                         (root / "permalinks.lock").mkdir()),
                                           "permalinks.lock", None),
}
CANNOT_BE_READ = {"broken cover", "truncated cover", "cover of random bytes", "teaser picture that is broken"}
"""Cases whose message must say that the picture cannot be read (not that it is missing)."""
ONE_ERROR = {"YAML typo in a published article", "alias on _redirects", "slug of 300 bytes",
             "template dividing by zero", "time zone that is a folder", "lists nested 600 deep"}
"""Cases whose one mistake must be the only error reported (no false ones beside it)."""
SLOW = {"cover of 20000x20000", "lists nested 600 deep", "a title of a megabyte", "10,000 aliases",
        "aliases hold a million characters", "site.yml deeply nested", "front matter deeply nested"}


def untouched(root: Path) -> dict[str, str]:
    found = {}
    for base in (root, root.parent / "beside"):
        for path in sorted(base.rglob("*")):
            if path.relative_to(base).parts[0] in WRITABLE:
                continue
            found[str(path)] = path.read_bytes().hex() if path.is_file() and not path.is_symlink() else "entry"
    return found


@pytest.mark.parametrize("case", [pytest.param(c, marks=pytest.mark.slow) if c in SLOW else c for c in CASES])
def test_a_hostile_input_gives_a_message_and_changes_nothing_else(base: Path, tmp_path: Path, case: str) -> None:
    change, culprit, line = CASES[case]
    root = tmp_path / "hub"
    shutil.copytree(base, root, symlinks=True)
    (tmp_path / "beside").mkdir()
    (tmp_path / "beside" / "keep.txt").write_text("keep", encoding="utf-8")
    build = CliRunner().invoke(main, ["build", "-C", str(root), "--now", NOW])  # the copy's own spare and manifest
    assert build.exit_code == 0, build.output
    before = {name: tree_digest(root / name) for name in ("site", "social")}
    change(root)
    kept = untouched(root)
    result = CliRunner().invoke(main, ["build", "-C", str(root), "--now", NOW])
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        "".join(__import__("traceback").format_exception(result.exception))
    assert "Traceback" not in result.output
    assert untouched(root) == kept
    if culprit is None:
        assert result.exit_code == 0, result.output
        passwd = Path("/etc/passwd").read_bytes()
        for path in (root / "site").rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                assert not [n for n in UNPUBLISHED if n in data] and passwd not in data, path
        return
    assert result.exit_code == 1, result.output
    errors = [e for e in result.stderr.splitlines() if ": warning: " not in e and not e.startswith("cmhub: ")]
    where = f"{culprit}:{line}: " if line else f"{culprit}"
    assert errors and errors[0].startswith(where), result.stderr
    if case in CANNOT_BE_READ:
        assert "cannot be read" in errors[0], result.stderr
    if case in ONE_ERROR:
        assert len(errors) == 1, result.stderr
    assert {name: tree_digest(root / name) for name in ("site", "social")} == before
