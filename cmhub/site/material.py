"""The Material for MkDocs engine: the same published articles, at the same URLs, rendered by Material.

cmhub decides what is published (its own clock and time zone; Material never compares a date
with the machine's clock) and stages only those articles, with the HTML cmhub rendered (so
links, images and code are exactly the built-in engine's), into a temporary docs folder in
Material's blog layout, with one page per tag and cmhub's slugs for categories; MkDocs then
builds it through its Python API. Feeds, redirects, sitemap, teasers and calendar stay cmhub's own.
Pages (``type: page``) are Material's plain pages, in its navigation; site.yml's ``menu:`` is its
``nav`` and ``footer:`` its copyright line.
"""

from __future__ import annotations

import html
import io
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml

from cmhub.content.menus import menu_links
from cmhub.content.model import Article, Site
from cmhub.content.share import SHARE_SIZE, picture_alt, picture_path
from cmhub.content.taxonomy import group_terms, term_slug
from cmhub.core.errors import CmhubError, error
from cmhub.core.i18n import base_language, long_date
from cmhub.core.locations import builtin_theme_dir
from cmhub.ledgers.sanitize import clean_html
from cmhub.networks.registry import NETWORK_LABELS
from cmhub.output.files import OutputFile
from cmhub.settings.config import Author
from cmhub.theming.words import strings

_DATE_FORMATS = {
    "/{slug}/": "", "/{year}/{slug}/": "yyyy", "/{year}/{month}/{slug}/": "yyyy/MM",
    "/{year}/{month}/{day}/{slug}/": "yyyy/MM/dd",
}
_SKIPPED = ("sitemap.xml", "sitemap.xml.gz")
"""Material files replaced by cmhub's own (published-only, truthful lastmod)."""
MORE = "<!-- more -->"
"""Material's excerpt separator, put after each staged summary and taken out of the pages it makes."""


class _PythonName(str):
    """A function named in the generated mkdocs.yml (``!!python/name:module.function``)."""


class _Dumper(yaml.SafeDumper):
    """Writes the generated configuration, with the functions it names."""


_Dumper.add_representer(_PythonName, lambda dumper, name: dumper.represent_scalar(
    f"tag:yaml.org,2002:python/name:{name}", ""))
SLUGIFY = _PythonName("cmhub.site.material.material_slug")


def material_slug(text: str, separator: str = "-") -> str:
    """Return cmhub's slug of a tag or category name, for Material (which passes a separator)."""
    return term_slug(text)


def post_url_format(permalink: str) -> tuple[str, str]:
    """Return Material's (post_url_format, post_url_date_format) giving cmhub's permalinks.

    Raises CmhubError for a permalink pattern Material cannot express.
    """
    if permalink not in _DATE_FORMATS:
        raise CmhubError([error("site.yml", None, f"engine 'material' supports the permalinks "
                                f"{', '.join(_DATE_FORMATS)}; got {permalink!r}")])
    date_format = _DATE_FORMATS[permalink]
    return ("{date}/{slug}" if date_format else "{slug}"), (date_format or "yyyy")


def mkdocs_config(site: Site, docs: Path, out: Path, custom_dir: Path) -> dict[str, Any]:
    """Return the MkDocs configuration generated from site.yml (it names cmhub's slug function)."""
    config = site.config
    url_format, date_format = post_url_format(config.permalink)
    return {
        "site_name": config.title,
        "site_url": config.url,
        "site_description": config.description,
        "docs_dir": str(docs),
        "site_dir": str(out),
        "use_directory_urls": True,
        "not_in_nav": "/tags/\n",  # one page per tag, reached from the tags of each post, as with cmhub's theme
        "theme": {"name": "material", "font": False, "language": base_language(config.language),
                  "custom_dir": str(custom_dir),
                  "features": ["navigation.indexes", "content.code.copy"],
                  "palette": [{"media": "(prefers-color-scheme: light)", "scheme": "default"},
                              {"media": "(prefers-color-scheme: dark)", "scheme": "slate"}]},
        "plugins": [
            {"search": {"lang": base_language(config.language)}},
            {"tags": {"tags_slugify": SLUGIFY}},
            {"blog": {
                "blog_dir": ".", "blog_toc": False,
                "post_url_format": url_format, "post_url_date_format": date_format,
                "post_excerpt": "optional", "post_readtime": True,
                "archive_date_format": "yyyy", "archive_url_date_format": "yyyy",
                "archive_url_format": "archive/{date}",
                "categories_url_format": "categories/{slug}", "categories_slugify": SLUGIFY,
                "authors": bool(config.authors), "authors_profiles": bool(config.authors),
                "authors_profiles_url_format": "authors/{slug}",
                "pagination_per_page": config.paginate,
                # cmhub stages only published articles: Material's own test compares the date
                # (a wall time it reads as UTC) with the machine's clock, and would hide some
                "draft": False, "draft_on_serve": False, "draft_if_future_date": False,
            }},
        ],
        "markdown_extensions": ["tables", "footnotes", "admonition", "attr_list", "md_in_html",
                                {"toc": {"permalink": False}}],
        "extra": {"generator": False},
        **menus(site),
    }


def menus(site: Site) -> dict[str, Any]:
    """Return site.yml's ``menu:`` as MkDocs' ``nav`` (pages by their staged file, the home page as index.md,
    the rest as addresses), and its ``footer:`` as Material's copyright line of links; {} without them."""
    found: dict[str, Any] = {}
    config = site.config
    staged = {page.path: f"{page.slug}.md" for page in published_pages(site)}
    if config.menu:
        found["nav"] = [{link.title: "index.md" if link.path == "" else staged.get(link.path) or config.url + link.path}
                        if link.path is not None else {link.title: link.url} for link in menu_links(site, config.menu)]
    if config.footer:
        found["copyright"] = " · ".join(
            f'<a href="{html.escape(config.base_path + link.path if link.path is not None else link.url)}">'
            f"{html.escape(link.title)}</a>" for link in menu_links(site, config.footer))
    return found


def published_pages(site: Site) -> tuple[Article, ...]:
    """Return the pages (``type: page``) Material stages: the published ones, as for articles."""
    return tuple(page for page in site.pages if page.state(site.now) == "published")


def stage(site: Site, docs: Path) -> None:
    """Write the published articles (as cmhub rendered them) into a docs folder in Material's layout,
    with a page listing each tag's articles at cmhub's URL of that tag."""
    (docs / "posts").mkdir(parents=True)
    (docs / "index.md").write_text(f"# {site.config.title}\n\n{site.config.description}\n", encoding="utf-8")
    if site.config.authors:
        authors = {a.id: {"name": a.name, "description": a.bio or a.name, "avatar": _avatar(site, a)}
                   for a in site.config.authors.values()}
        (docs / ".authors.yml").write_text(yaml.safe_dump({"authors": authors}, allow_unicode=True),
                                           encoding="utf-8")
    names = {field: {t.slug: t.name for t in group_terms(site.published, field)} for field in ("tags", "categories")}
    for index, article in enumerate(site.published):
        (docs / "posts" / f"{index:06d}-{article.slug}.md").write_text(_post(site, article, names),
                                                                       encoding="utf-8")
    for page in published_pages(site):  # a plain page of Material, at /{slug}/ as with cmhub's theme
        front = yaml.safe_dump({"title": page.title, "description": page.summary}, allow_unicode=True,
                               sort_keys=False)
        (docs / f"{page.slug}.md").write_text(f"---\n{front}---\n\n{page.html}\n", encoding="utf-8")
    if names["tags"]:
        (docs / "tags").mkdir()
    for slug, name in names["tags"].items():
        listing = json.dumps({"include": [name]}, ensure_ascii=False)
        (docs / "tags" / f"{slug}.md").write_text(f"# {name}\n\n<!-- material/tags {listing} -->\n",
                                                 encoding="utf-8")


def _post(site: Site, article: Article, names: dict[str, dict[str, str]]) -> str:
    """Return a staged post: front matter for Material, then cmhub's HTML with the excerpt separator."""
    meta: dict[str, Any] = {
        "title": article.title,
        # a wall time in the site's zone, as cmhub's permalinks and archives use it; Material reads it
        # as UTC only to print the day and make the URL, never to decide what is published
        "date": article.date.astimezone(site.config.tz).replace(tzinfo=None),
        "slug": article.slug,
        "description": article.summary,
        # the spelling cmhub shows for each term, so that Material groups terms as cmhub does
        "categories": list(dict.fromkeys(names["categories"][term_slug(c)] for c in article.categories)),
        "tags": list(dict.fromkeys(names["tags"][term_slug(t)] for t in article.tags)),
        "cmhub": {"url": site.config.url + article.path, "published": article.date.isoformat(),
                  "modified": article.modified.isoformat(), "lang": article.lang},
    }
    if article.authors:
        meta["authors"] = list(article.authors)
    share = picture_path(article, SHARE_SIZE)  # the same picture as the built-in engine's og:image
    meta["cmhub"]["image"] = {"url": site.config.url + share, "alt": picture_alt(site, article),
                              "width": SHARE_SIZE[0], "height": SHARE_SIZE[1]}
    body, summary = str(article.html), str(article.summary_html)  # plain text: Markup would escape the marker
    if summary and body.startswith(summary):
        body = f"{summary}\n\n{MORE}\n\n{body[len(summary):]}"
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    return f"---\n{front}---\n\n{body}\n{_conversation(site, article)}"


def _conversation(site: Site, article: Article) -> str:
    """Return, after the article, where cmhub posted its teasers (u-syndication links) and the replies
    people made there (minus hidden ones), as the built-in theme shows them; empty when there is none."""
    t, tz = strings(article.lang), site.config.tz
    shared = site.backfeed.shared(article.source)
    replies = site.backfeed.replies.get(article.source, ())
    parts = []
    if shared:
        links = " ".join(f'<a class="u-syndication" rel="syndication" href="{html.escape(e.url)}">'
                         f"{html.escape(NETWORK_LABELS.get(e.network, e.network))}</a>" for e in shared)
        parts.append(f'<p class="cmhub-syndication">{html.escape(t["shared_on"])} {links}</p>')
    if replies:
        items = []
        for reply in replies:
            author = html.escape(reply.author_name or reply.author_handle)
            if reply.author_url:
                href = html.escape(reply.author_url)
                author = f'<a class="p-author h-card" href="{href}" rel="nofollow ugc">{author}</a>'
            else:
                author = f'<span class="p-author h-card">{author}</span>'
            published = reply.published.astimezone(tz)
            when = (f'<a class="u-url" href="{html.escape(reply.url)}" rel="nofollow ugc"><time class="dt-published" '
                    f'datetime="{published.isoformat()}">{html.escape(long_date(published, article.lang))}</time></a>')
            network = html.escape(NETWORK_LABELS.get(reply.network, reply.network))
            items.append(f'<li class="p-comment h-cite"><p>{author} · {when} {html.escape(t["reply_on"])} {network}</p>'
                         f'<div class="e-content">{clean_html(reply.html)}</div></li>')
        parts.append(f'<h2 id="cmhub-replies">{html.escape(t["replies"])}</h2>\n<ol class="cmhub-replies">'
                     + "".join(items) + "</ol>")
    return "".join(f"\n{part}\n" for part in parts)


def _avatar(site: Site, author: Author) -> str:
    """Return the author's picture for Material, which always shows one: theirs, else their initials."""
    avatar = author.avatar
    if avatar:
        return avatar if "://" in avatar else site.config.base_path + avatar.lstrip("/")
    initials = "".join(word[0] for word in author.name.split()[:2]).upper() or "?"
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="32" '
           'fill="#5c6bc0"/><text x="32" y="41" font-family="sans-serif" font-size="24" fill="#fff" '
           f'text-anchor="middle">{html.escape(initials)}</text></svg>')
    return "data:image/svg+xml," + quote(svg, safe="")


@contextmanager
def _quiet_mkdocs() -> Iterator[list[str]]:
    """Collect MkDocs warnings instead of printing them, and keep Material's end-of-life banner off."""
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.WARNING:
                messages.append(record.getMessage())

    logger = logging.getLogger("mkdocs")
    handler, level, propagate = Collect(), logger.level, logger.propagate
    previous = os.environ.get("NO_MKDOCS_2_WARNING")
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    try:
        yield messages
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate
        if previous is None:
            os.environ.pop("NO_MKDOCS_2_WARNING", None)
        else:
            os.environ["NO_MKDOCS_2_WARNING"] = previous


def render_material(site: Site, project_theme: Path) -> list[OutputFile]:
    """Return the HTML site as Material for MkDocs builds it from the published articles.

    The files are read into memory, so the temporary folders are gone when this returns.
    Raises CmhubError when MkDocs refuses the staged site.
    """
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    with tempfile.TemporaryDirectory(prefix="cmhub-material-") as work:
        docs, out = Path(work) / "docs", Path(work) / "site"
        # Material takes one custom_dir: cmhub's overrides, with the user's theme/material/ on top
        custom_dir = Path(work) / "overrides"
        shutil.copytree(builtin_theme_dir() / "material", custom_dir)
        if (project_theme / "material").is_dir():
            shutil.copytree(project_theme / "material", custom_dir, dirs_exist_ok=True)
        stage(site, docs)
        generated = yaml.dump(mkdocs_config(site, docs, out, custom_dir), Dumper=_Dumper, allow_unicode=True)
        with _quiet_mkdocs() as messages:
            try:
                config = load_config(config_file=io.StringIO(generated),
                                     config_file_path=str(Path(work) / "mkdocs.yml"))
                config.plugins.on_startup(command="build", dirty=False)
                try:
                    mkdocs_build(config, dirty=False)
                finally:
                    config.plugins.on_shutdown()
            except MkDocsException as exc:
                raise CmhubError([error("engine material", None, f"MkDocs stopped: {exc}"),
                                  *(error("engine material", None, m) for m in messages)]) from exc
        files = []
        for path in sorted(out.rglob("*")):
            relative = path.relative_to(out).as_posix()
            if path.is_file() and relative not in _SKIPPED:
                data = path.read_bytes()
                if relative.endswith(".html"):  # the separator stays in the page as a comment
                    data = data.replace(f"\n{MORE}\n".encode(), b"\n")
                files.append(OutputFile(relative, data))
        return files
