"""The built-in theme rendered from hand-made views, its HTML read back with html.parser."""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jinja2
import pytest
from markupsafe import Markup

from cmhub.core.i18n import og_locale
from cmhub.site.builtin.views import (
    ArticleView,
    AuthorView,
    ImageView,
    Link,
    MonthView,
    PageView,
    Pagination,
    SiteView,
    TermView,
)
from cmhub.theming.words import STRINGS, strings

ROOT = Path(__file__).parents[2]
TEMPLATES = ROOT / "theme" / "templates"
STATIC = ROOT / "theme" / "static"
SITE_URL = "https://hub.example.org/"
VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


# Reading HTML back


@dataclasses.dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    ancestors: tuple[Element, ...] = dataclasses.field(repr=False)
    parts: list[str] = dataclasses.field(default_factory=list, repr=False)

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    @property
    def text(self) -> str:
        return " ".join("".join(self.parts).split())

    def inside(self, tag: str = "", cls: str = "") -> bool:
        return any(
            (not tag or a.tag == tag) and (not cls or cls in a.classes) for a in self.ancestors
        )


class Page(HTMLParser):
    """Every element of a page, with its ancestors and text, in document order."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.stack: list[Element] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs), tuple(self.stack))
        self.elements.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(Element(tag, dict(attrs), tuple(self.stack)))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return
        raise AssertionError(f"</{tag}> closes nothing")

    def handle_data(self, data: str) -> None:
        for element in self.stack:
            element.parts.append(data)

    def find(self, tag: str = "", cls: str = "", **attrs: str) -> list[Element]:
        return [
            e
            for e in self.elements
            if (not tag or e.tag == tag)
            and (not cls or cls in e.classes)
            and all(e.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]

    def one(self, tag: str = "", cls: str = "", **attrs: str) -> Element:
        found = self.find(tag, cls, **attrs)
        assert len(found) == 1, (
            f"expected one <{tag or '*'} class={cls!r} {attrs}>, found {len(found)}"
        )
        return found[0]

    def meta(self, key: str) -> list[str | None]:
        return [
            e.attrs.get("content")
            for e in self.find("meta")
            if e.attrs.get("property") == key or e.attrs.get("name") == key
        ]

    @property
    def title(self) -> str:
        return self.one("title").text


# Hand-made views

SITE = SiteView(
    title="Les Voix du Quartier",
    description="Le carnet de l’équipe.",
    url=SITE_URL,
    href="/",
    language="fr",
    logo=ImageView(
        href="/images/logo.png",
        url=SITE_URL + "images/logo.png",
        alt="Les Voix du Quartier",
        type="image/png",
    ),
)
FEEDS = (
    Link("Les Voix du Quartier (Flux RSS)", "/feed.xml", type="application/rss+xml"),
    Link("Les Voix du Quartier (Flux Atom)", "/atom.xml", type="application/atom+xml"),
)
LEA = AuthorView(
    id="lea",
    name="Léa Dubois",
    href="/authors/lea/",
    url="https://lea.example.net/",
    avatar="/images/lea.jpg",
    bio="Anime la communauté depuis 2019.",
)
SAM = AuthorView(id="sam", name="Samuel Okafor", href="/authors/sam/")
COVER = ImageView(
    href="/images/cover.png",
    url=SITE_URL + "images/cover.png",
    alt="Cinq cercles colorés",
    width=1200,
    height=630,
    type="image/png",
)
BODY = Markup(
    '<p id="body-start">Premier paragraphe.</p>\n<h2 id="suite">Suite</h2>\n'
    '<p><img alt="Schéma des règles" src="/images/schema.png"></p>'
)


def article(**changes: Any) -> ArticleView:
    """Return a published French article; keyword arguments replace fields."""
    base = ArticleView(
        title="Modération : « Les 5 règles » <enfin> & pour de bon",
        href="/premier-article/",
        url=SITE_URL + "premier-article/",
        canonical=SITE_URL + "premier-article/",
        lang="fr",
        date_iso="2026-10-01T09:00:00+02:00",
        date_display="1 octobre 2026",
        updated_iso="2026-10-03T18:30:00+02:00",
        updated_display="3 octobre 2026",
        summary="Nos règles, écrites avec la communauté.",
        summary_html=Markup("<p>Premier paragraphe.</p>"),
        html=BODY,
        tags=(TermView("Modération", "/tags/moderation/"), TermView("facebook", "/tags/facebook/")),
        categories=(TermView("Méthode", "/categories/methode/"),),
        authors=(LEA, SAM),
        image=COVER,
        reading_minutes=4,
        state="published",
    )
    return dataclasses.replace(base, **changes)


def page(kind: str, title: str = "", path: str = "", lang: str = "fr", **changes: Any) -> PageView:
    view = PageView(
        kind=kind,
        title=title,
        description="Une description.",
        href="/" + path,
        url=SITE_URL + path,
        lang=lang,
        locale=og_locale(lang),
        feeds=FEEDS,
    )
    return dataclasses.replace(view, **changes)


def nav(current: str = "") -> tuple[Link, ...]:
    return tuple(
        Link(title, href, current=href == current)
        for title, href in (
            ("Accueil", "/"),
            ("Étiquettes", "/tags/"),
            ("Catégories", "/categories/"),
            ("Archives", "/archive/"),
            ("Recherche", "/search/"),
        )
    )


def pagination(number: int, pages: int, base: str = "/") -> Pagination:
    def href(n: int) -> str:
        return base if n == 1 else f"{base}page/{n}/"

    return Pagination(
        page=number,
        pages=pages,
        newer=Link("Articles plus récents", href(number - 1)) if number > 1 else None,
        older=Link("Articles plus anciens", href(number + 1)) if number < pages else None,
        links=tuple(
            Link(
                str(n),
                href(n),
                current=n == number,
                label=strings("fr")["page_n_of_m"].format(page=n, pages=pages),
            )
            for n in range(1, pages + 1)
        ),
    )


def asset(name: str) -> str:
    assert (STATIC / name).is_file(), f"theme/static/{name} is missing"
    return f"/static/{name}?v=test"


def environment(**options: Any) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        **options,
    )


PRODUCTION = {"trim_blocks": True, "lstrip_blocks": True, "keep_trailing_newline": True}
"""The whitespace options cmhub.theming.loader.make_environment uses for real builds."""
ENV = environment(**PRODUCTION)


def render(
    template: str,
    page_view: PageView,
    env: jinja2.Environment = ENV,
    *,
    site: SiteView = SITE,
    preview: bool = False,
    **values: Any,
) -> str:
    context = {
        "site": site,
        "page": page_view,
        "t": strings(page_view.lang),
        "nav": nav(values.pop("current", "")),
        "footer": values.pop("footer", ()),
        "asset": asset,
        "preview": preview,
        **values,
    }

    def card(view: ArticleView) -> Markup:
        """Renders _card.html as cmhub's list pages do (once per article, through ``card()``)."""
        return Markup(env.get_template("_card.html").render({**context, "article": view}).rstrip("\n"))

    def partial(name: str, **partial_values: Any) -> Markup:
        """Renders a partial as cmhub's pages do (with only the values given, and ``t``)."""
        return Markup(env.get_template(name).render({**partial_values, "t": context["t"]}).rstrip("\n"))

    context["card"] = card
    context["partial"] = partial
    return env.get_template(template).render(context)


def render_article(env: jinja2.Environment = ENV, preview: bool = False, **changes: Any) -> str:
    view = article(**changes)
    newer = article(
        title="Why we publish on our own site first", href="/own-site-first/", lang="en"
    )
    older = article(title="L’été des bénévoles", href="/troisieme/")
    return render(
        "article.html",
        page(
            "article",
            view.title,
            "premier-article/",
            view.lang,
            description=view.summary,
            noindex=view.state != "published",
        ),
        env,
        preview=preview,
        article=view,
        newer=newer,
        older=older,
    )


def render_home(
    number: int = 1,
    pages: int = 2,
    articles: tuple[ArticleView, ...] | None = None,
    env: jinja2.Environment = ENV,
) -> str:
    items = (
        articles
        if articles is not None
        else (
            article(),
            article(
                title="Why we publish on our own site first",
                href="/own-site-first/",
                lang="en",
                image=None,
                tags=(),
                categories=(),
                authors=(),
            ),
        )
    )
    return render(
        "list.html",
        page("home", "", "" if number == 1 else f"page/{number}/"),
        env,
        current="/",
        heading="",
        intro="",
        author=None,
        articles=items,
        pagination=pagination(number, pages),
    )


def render_archive(env: jinja2.Environment = ENV, number: int = 1, pages: int = 1) -> str:
    months = (
        MonthView(
            "novembre 2026",
            (
                article(
                    title="Why we publish",
                    href="/own-site-first/",
                    lang="en",
                    date_display="November 1, 2026",
                ),
            ),
        ),
        MonthView("octobre 2026", (article(), article(title="Deuxième", href="/deux/"))),
    )
    years = (TermView("2026", "/archive/2026/", 3), TermView("2025", "/archive/2025/", 8))
    return render(
        "archive.html",
        page("archive", "Archives 2026", "archive/2026/"),
        env,
        current="/archive/",
        heading="Archives 2026",
        year=2026,
        months=months,
        years=years,
        pagination=pagination(number, pages, "/archive/2026/"),
    )


def every_page(env: jinja2.Environment = ENV) -> Iterator[tuple[str, str]]:
    """Yield (name, html) for one page of each template, with every optional value present."""
    yield "article", render_article(env)
    yield "home", render_home(env=env)
    yield (
        "author",
        render(
            "list.html",
            page("author", "Articles de Léa Dubois", "authors/lea/"),
            env,
            heading="Articles de Léa Dubois",
            intro=LEA.bio,
            author=LEA,
            articles=(article(),),
            pagination=pagination(1, 1, "/authors/lea/"),
        ),
    )
    yield (
        "terms",
        render(
            "terms.html",
            page("terms", "Toutes les étiquettes", "tags/"),
            env,
            current="/tags/",
            heading="Toutes les étiquettes",
            terms=(TermView("facebook", "/tags/facebook/", 2),),
        ),
    )
    yield "archive", render_archive(env)
    yield "404", render("404.html", page("404", "Page introuvable", "404.html", noindex=True), env)
    yield (
        "gone",
        render("gone.html", page("gone", "Cette page a été retirée", "old/", noindex=True), env),
    )
    yield "search", render("search.html", page("search", "Recherche", "search/"), env, current="/search/", count=3)
    yield (
        "page",
        render(
            "page.html",
            page("page", "Mentions légales", "mentions-legales/"),
            env,
            article=article(title="Mentions légales", href="/mentions-legales/"),
        ),
    )
    yield (
        "feeds",
        render(
            "feeds.html",
            page("feeds", "S’abonner aux flux", "feeds/"),
            env,
            tags=(TermView("facebook", "/tags/facebook/", 2),),
            categories=(TermView("Méthode", "/categories/methode/", 1),),
            languages=(),
        ),
    )


@functools.cache
def pages(bare: bool = False) -> dict[str, str]:
    """Every sample page, rendered once: with cmhub's whitespace options, or with none (bare)."""
    return dict(every_page(environment() if bare else ENV))


NAMES = ("article", "home", "author", "terms", "archive", "404", "gone", "search", "page", "feeds")


# Every page


@pytest.mark.parametrize("name", NAMES)
def test_every_page_has_the_landmarks_a_skip_link_and_one_h1(name: str) -> None:
    html = pages()[name]
    doc = Page(html)
    assert doc.one("html").attrs["lang"] == "fr"
    assert len(doc.find("h1")) == 1
    main = doc.one("main")
    for landmark in ("header", "nav", "footer"):
        assert any(not e.inside("main") for e in doc.find(landmark)), f"no page-level <{landmark}>"
    focusable = [
        e
        for e in doc.elements
        if (e.tag == "a" and "href" in e.attrs) or e.tag in ("button", "input")
    ]
    skip = focusable[0]
    assert skip.attrs["href"] == f"#{main.attrs['id']}"
    assert skip.text == "Aller au contenu"
    assert doc.one("nav", cls="site-nav").attrs["aria-label"]
    assert doc.one("a", cls="site-title").attrs["href"] == "/"


@pytest.mark.parametrize("name", NAMES)
def test_every_page_requests_nothing_from_other_sites(name: str) -> None:
    html = pages()[name]
    doc = Page(html)
    if name == "search":  # the one page with a script: ours, from the site, and its words as data
        scripts = [(e.attrs.get("type"), e.attrs.get("src")) for e in doc.find("script")]
        assert scripts == [("application/json", None), ("module", "/static/search.js?v=test")]
    else:
        assert not doc.find("script"), "the theme uses no JavaScript but on the search page"
    assert not doc.find("style"), "all styles live in theme/static/"
    for element in doc.find("link") + doc.find("img") + doc.find("source") + doc.find("iframe"):
        for attr in ("href", "src", "srcset"):
            value = element.attrs.get(attr) or ""
            if re.match(r"(?i)(https?:)?//", value):
                assert value.startswith(SITE_URL), f"<{element.tag} {attr}={value}> leaves the site"
    for img in doc.find("img"):
        assert "alt" in img.attrs, f"<img src={img.attrs.get('src')}> has no alt"
    sheets = [e.attrs["href"] for e in doc.find("link", rel="stylesheet")]
    assert sheets == ["/static/style.css?v=test", "/static/pygments.css?v=test"]


@pytest.mark.parametrize("name", NAMES)
def test_every_page_has_the_common_head(name: str) -> None:
    html = pages()[name]
    doc = Page(html)
    assert doc.find("meta", charset="utf-8")
    assert doc.meta("viewport") == ["width=device-width, initial-scale=1"]
    assert doc.meta("og:site_name") == [SITE.title]
    assert doc.meta("og:locale") == ["fr_FR"]
    assert len(doc.find("link", rel="canonical")) == 1
    assert doc.meta("og:url") == [doc.one("link", rel="canonical").attrs["href"]]
    alternates = [
        (e.attrs["type"], e.attrs["title"], e.attrs["href"])
        for e in doc.find("link", rel="alternate")
    ]
    assert alternates == [(f.type, f.title, f.href) for f in FEEDS]
    footer = doc.one("footer", cls="site-footer")
    assert "S’abonner" in footer.text and "Construit avec cmhub" in footer.text
    assert [a.attrs["href"] for a in doc.find("a") if a.inside("footer", "site-footer")] == [
        "/feeds/", *(f.href for f in FEEDS)
    ]


@pytest.mark.parametrize("name", NAMES)
def test_output_is_tidy_and_independent_of_whitespace_options(name: str) -> None:
    html = pages()[name]
    blank = [n for n, line in enumerate(html.splitlines(), 1) if not line.strip()]
    assert not blank, f"blank lines at {blank}"
    bare = pages(bare=True)[name]

    def tags(text: str) -> list[tuple[str, dict[str, str | None]]]:
        return [(e.tag, e.attrs) for e in Page(text).elements]

    assert tags(bare) == tags(html)


def test_title_is_page_then_site_and_just_site_on_home() -> None:
    assert (
        Page(render_article()).title
        == "Modération : « Les 5 règles » <enfin> & pour de bon · Les Voix du Quartier"
    )
    assert Page(render_home()).title == "Les Voix du Quartier"


def test_noindex_only_when_asked() -> None:
    assert Page(pages()["404"]).meta("robots") == ["noindex"]
    assert Page(render_home()).meta("robots") == []


def test_preview_builds_say_so_on_every_page() -> None:
    assert not Page(render_article()).find(cls="preview-bar")
    bar = Page(render_article(preview=True)).one(cls="preview-bar")
    assert bar.text == STRINGS["fr"]["preview_banner"] and bar.attrs["role"] == "note"


# Article page


def test_article_head_has_open_graph_and_twitter_tags() -> None:
    doc = Page(render_article())
    assert doc.meta("description") == ["Nos règles, écrites avec la communauté."]
    assert doc.meta("og:type") == ["article"]
    assert doc.meta("og:title") == ["Modération : « Les 5 règles » <enfin> & pour de bon"]
    assert doc.meta("og:description") == ["Nos règles, écrites avec la communauté."]
    assert doc.meta("og:url") == [SITE_URL + "premier-article/"]
    assert doc.meta("og:image") == [SITE_URL + "images/cover.png"]
    assert doc.meta("og:image:width") == ["1200"] and doc.meta("og:image:height") == ["630"]
    assert doc.meta("og:image:alt") == ["Cinq cercles colorés"]
    assert doc.meta("article:published_time") == ["2026-10-01T09:00:00+02:00"]
    assert doc.meta("article:modified_time") == ["2026-10-03T18:30:00+02:00"]
    assert doc.meta("article:tag") == ["Modération", "facebook"]
    assert doc.meta("article:author") == ["https://lea.example.net/"]  # Sam has no site of his own
    assert doc.meta("twitter:card") == ["summary_large_image"]
    assert doc.meta("twitter:title") == ["Modération : « Les 5 règles » <enfin> & pour de bon"]
    assert doc.meta("twitter:description") == ["Nos règles, écrites avec la communauté."]
    assert doc.meta("twitter:image:alt") == ["Cinq cercles colorés"]


def test_article_without_image_or_update_leaves_those_tags_out() -> None:
    doc = Page(render_article(image=None, updated_iso="", updated_display=""))
    assert doc.meta("twitter:card") == ["summary"]
    assert doc.meta("twitter:image:alt") == []
    assert doc.meta("og:image") == [SITE.logo.url]  # the site's logo stands in
    assert doc.meta("og:image:width") == []
    assert doc.meta("article:modified_time") == []
    assert not doc.find(cls="dt-updated") and not doc.find(cls="cover")


def test_image_of_unknown_size_has_no_size_anywhere() -> None:
    doc = Page(render_article(image=dataclasses.replace(COVER, width=None, height=None)))
    assert (
        doc.meta("og:image") == [COVER.url]
        and doc.meta("og:image:width") == []
        and doc.meta("og:image:height") == []
    )
    cover = doc.one("img", cls="u-featured")
    assert "width" not in cover.attrs and "height" not in cover.attrs


def test_article_canonical_may_point_elsewhere() -> None:
    doc = Page(render_article(canonical="https://medium.example.com/first-published-here"))
    assert (
        doc.one("link", rel="canonical").attrs["href"]
        == "https://medium.example.com/first-published-here"
    )
    assert doc.meta("og:url") == ["https://medium.example.com/first-published-here"]


def test_article_body_is_an_h_entry() -> None:
    doc = Page(render_article())
    entry = doc.one("article", cls="h-entry")
    assert (
        doc.one("h1").classes >= {"p-name"}
        and doc.one("h1").text == "Modération : « Les 5 règles » <enfin> & pour de bon"
    )
    published = doc.one(cls="dt-published")
    assert published.tag == "time" and published.attrs["datetime"] == "2026-10-01T09:00:00+02:00"
    assert published.text == "1 octobre 2026"
    updated = doc.one(cls="dt-updated")
    assert (
        updated.attrs["datetime"] == "2026-10-03T18:30:00+02:00"
        and updated.text == "3 octobre 2026"
    )
    urls = [
        e for e in doc.find(cls="u-url") if not e.inside(cls="h-card") and "h-card" not in e.classes
    ]
    assert [e.attrs["href"] for e in urls] == [SITE_URL + "premier-article/"]
    authors = [e for e in doc.find(cls="p-author") if "h-card" in e.classes]
    assert [a.text for a in authors] == ["Léa Dubois", "Samuel Okafor"]
    assert doc.one(cls="p-summary").text == "Nos règles, écrites avec la communauté."
    content = doc.one(cls="e-content")
    assert doc.one(id="body-start").ancestors[-1] is content
    assert sorted(e.text for e in doc.find(cls="p-category")) == sorted(
        ["Méthode", "Modération", "facebook"]
    )
    for element in (published, updated, authors[0], content, doc.one("h1")):
        assert entry in element.ancestors


def test_summary_is_the_lead_only_when_written_apart_from_the_text() -> None:
    written = Page(render_article())
    assert written.one(cls="p-summary").classes == {"lead", "p-summary"}
    assert "hidden" not in written.one(cls="p-summary").attrs
    taken = Page(render_article(summary="Premier paragraphe."))
    summary = taken.one(cls="p-summary")
    assert "hidden" in summary.attrs and summary.text == "Premier paragraphe."
    assert not taken.find(cls="lead")


def test_article_meta_line_shows_reading_time_and_author_avatars() -> None:
    doc = Page(render_article())
    assert doc.one(cls="reading-time").text == "4 min de lecture"
    avatar = doc.find("img", cls="u-photo")[0]
    assert avatar.attrs["src"] == "/images/lea.jpg" and avatar.attrs["alt"] == ""
    assert avatar.inside(cls="p-author")
    cover = doc.one("img", cls="u-featured")
    assert (
        cover.attrs["src"],
        cover.attrs["alt"],
        cover.attrs["width"],
        cover.attrs["height"],
    ) == ("/images/cover.png", "Cinq cercles colorés", "1200", "630")


def test_tags_and_categories_link_to_their_pages() -> None:
    doc = Page(render_article())
    links = {e.text: e.attrs["href"] for e in doc.find("a", cls="p-category")}
    assert links == {
        "Méthode": "/categories/methode/",
        "Modération": "/tags/moderation/",
        "facebook": "/tags/facebook/",
    }


def test_newer_and_older_articles_are_linked() -> None:
    doc = Page(render_article())
    nav = doc.one("nav", cls="adjacent")
    links = [(e.attrs["href"], e.text) for e in doc.find("a") if nav in e.ancestors]
    assert links == [
        ("/own-site-first/", "Plus récent Why we publish on our own site first"),
        ("/troisieme/", "Plus ancien L’été des bénévoles"),
    ]
    assert doc.one("span", lang="en").text == "Why we publish on our own site first"


def test_article_in_another_language_than_the_site_says_so() -> None:
    english = Page(render_article(lang="en"))
    assert english.one("article").attrs.get("lang") == "en"
    assert Page(render_article()).one("article").attrs.get("lang") is None


@pytest.mark.parametrize(
    "state, expected",
    [
        ("published", None),
        ("draft", STRINGS["fr"]["draft_banner"]),
        (
            "scheduled",
            "Programmé pour le 1 octobre 2026 : pas encore publié. "
            "Seules les constructions d’aperçu l’affichent.",
        ),
    ],
)
def test_banner_only_for_drafts_and_scheduled_articles(state: str, expected: str | None) -> None:
    doc = Page(render_article(state=state, preview=state != "published"))
    notes = [e for e in doc.find(role="note") if e.inside("article")]
    if expected is None:
        assert notes == []
    else:
        assert [n.text for n in notes] == [expected]
        assert doc.meta("robots") == ["noindex"]


# List pages


def test_home_page_heading_is_the_site_and_its_description() -> None:
    doc = Page(render_home())
    assert doc.one("h1").text == "Les Voix du Quartier"
    assert doc.one(cls="lead").text == "Le carnet de l’équipe."
    assert doc.meta("og:type") == ["website"]
    assert doc.meta("og:title") == ["Les Voix du Quartier"]
    menu = doc.one("nav", cls="site-nav")
    assert [
        (e.attrs["href"], e.attrs.get("aria-current")) for e in doc.find("a") if menu in e.ancestors
    ] == [("/", "page"), ("/tags/", None), ("/categories/", None), ("/archive/", None), ("/search/", None)]


def test_cards_are_h_entries_in_an_h_feed() -> None:
    doc = Page(render_home())
    feed = doc.one(cls="h-feed")
    cards = doc.find("article", cls="h-entry")
    assert len(cards) == 2 and all(feed in card.ancestors for card in cards)
    first = cards[0]
    image = next(e for e in doc.find("img", cls="card__image"))
    assert first in image.ancestors
    assert (
        image.attrs["alt"],
        image.attrs["width"],
        image.attrs["height"],
        image.attrs["loading"],
    ) == ("Cinq cercles colorés", "1200", "630", "lazy")
    title = next(e for e in doc.find("a", cls="p-name") if first in e.ancestors)
    assert title.attrs["href"] == "/premier-article/" and title.inside("h2")
    assert (
        next(e for e in doc.find(cls="p-summary") if first in e.ancestors).text
        == "Nos règles, écrites avec la communauté."
    )
    assert (
        next(e for e in doc.find("time") if first in e.ancestors).attrs["datetime"]
        == "2026-10-01T09:00:00+02:00"
    )
    hidden = next(e for e in doc.find(cls="visually-hidden") if first in e.ancestors)
    assert (
        hidden.ancestors[-1].tag == "a"
        and hidden.ancestors[-1].text
        == "Lire la suite : Modération : « Les 5 règles » <enfin> & pour de bon"
    )
    second = cards[1]
    assert not [e for e in doc.find("img") if second in e.ancestors]
    # the whole card is in the article's language (issue #15.5; its strings: test_build.py)
    assert second.attrs.get("lang") == "en"
    assert not [e for e in doc.elements if second in e.ancestors and e.attrs.get("lang")]


def test_pagination_links_pages_with_rel_and_current() -> None:
    doc = Page(render_home(number=2, pages=3))
    nav = doc.one("nav", cls="pagination")
    assert nav.attrs["aria-label"] == "Pagination"
    assert (
        doc.one("a", rel="prev").attrs["href"] == "/"
        and doc.one("a", rel="next").attrs["href"] == "/page/3/"
    )
    numbers = [e for e in doc.find("a") if nav in e.ancestors and e.inside("ol")]
    assert [(e.text, e.attrs.get("aria-current")) for e in numbers] == [
        ("1", None),
        ("2", "page"),
        ("3", None),
    ]
    assert numbers[1].attrs["aria-label"] == "Page 2 sur 3"


def test_single_page_list_has_no_pagination_and_empty_list_says_so() -> None:
    doc = Page(render_home(pages=1, articles=()))
    assert not doc.find("nav", cls="pagination")
    assert doc.one(cls="empty").text == "Pas encore d’article."
    assert not doc.find("article")


def test_tag_page_has_its_heading_and_intro() -> None:
    doc = Page(
        render(
            "list.html",
            page("tag", "Articles étiquetés « facebook »", "tags/facebook/"),
            heading="Articles étiquetés « facebook »",
            intro="Tout sur Facebook.",
            author=None,
            articles=(article(),),
            pagination=pagination(1, 1, "/tags/facebook/"),
        )
    )
    assert doc.one("h1").text == "Articles étiquetés « facebook »"
    assert doc.one(cls="intro").text == "Tout sur Facebook."
    assert not doc.find(cls="author-card")


def test_author_page_shows_the_author_card() -> None:
    doc = Page(pages()["author"])
    card = doc.one(cls="author-card")
    assert {"h-card", "p-author"} <= card.classes
    assert doc.one("img", cls="avatar--large").attrs["src"] == "/images/lea.jpg"
    assert "Anime la communauté depuis 2019." in card.text
    assert any(
        e.attrs.get("href") == "https://lea.example.net/"
        for e in doc.find("a")
        if card in e.ancestors
    )
    assert not doc.find(cls="intro")  # the bio is the intro: said once


# Indexes, archive, 404


def test_terms_page_lists_terms_with_counts() -> None:
    html = render(
        "terms.html",
        page("terms", "Toutes les étiquettes", "tags/"),
        heading="Toutes les étiquettes",
        terms=(
            TermView("facebook", "/tags/facebook/", 2),
            TermView("bénévolat", "/tags/benevolat/", 1),
        ),
    )
    doc = Page(html)
    assert doc.one("h1").text == "Toutes les étiquettes"
    items = [(e.attrs["href"], e.text) for e in doc.find("a") if e.inside("ul", "terms")]
    assert items == [
        ("/tags/facebook/", "facebook 2 articles"),
        ("/tags/benevolat/", "bénévolat 1 article"),
    ]


def test_archive_groups_months_and_links_years() -> None:
    doc = Page(render_archive(number=1, pages=2))
    assert doc.one("h1").text == "Archives 2026"
    assert [e.text for e in doc.find("h2") if e.inside("main")] == ["novembre 2026", "octobre 2026"]
    entries = doc.find("li", cls="h-entry")
    assert [(e.text) for e in entries] == [
        "November 1, 2026 Why we publish",
        "1 octobre 2026 Modération : « Les 5 règles » <enfin> & pour de bon",
        "1 octobre 2026 Deuxième",
    ]
    years = doc.one("nav", cls="years")
    assert [
        (e.attrs["href"], e.attrs.get("aria-current"))
        for e in doc.find("a")
        if years in e.ancestors
    ] == [("/archive/2026/", "page"), ("/archive/2025/", None)]
    assert doc.one("a", rel="next").attrs["href"] == "/archive/2026/page/2/"


def test_not_found_page_points_home_and_to_the_archive() -> None:
    doc = Page(pages()["404"])
    assert doc.one("h1").text == "Page introuvable"
    assert STRINGS["fr"]["not_found_text"] in doc.one("main").text
    assert [e.attrs["href"] for e in doc.find("a") if e.inside("main")] == ["/", "/archive/"]


def test_english_pages_use_english_strings() -> None:
    doc = Page(render_article(lang="en", preview=True, state="draft"))
    assert doc.one("html").attrs["lang"] == "en"
    assert doc.one(cls="reading-time").text == "4 min read"
    assert doc.one(cls="banner").text == STRINGS["en"]["draft_banner"]


# Strings and stylesheets


def test_both_languages_have_the_same_strings() -> None:
    assert STRINGS["en"].keys() == STRINGS["fr"].keys()


def test_stylesheets_request_nothing_and_follow_the_colour_scheme() -> None:
    for name in ("style.css", "pygments.css"):
        css = (STATIC / name).read_text(encoding="utf-8")
        assert "@import" not in css and "@font-face" not in css
        assert not re.search(r"url\(", css), f"{name} loads a file"
        assert "@media (prefers-color-scheme: dark)" in css
    style = (STATIC / "style.css").read_text(encoding="utf-8")
    assert ":focus-visible" in style and ".visually-hidden" in style


def test_samples_cover_every_page_built_on_base() -> None:
    assert tuple(pages()) == NAMES
    on_base = {
        p.name
        for p in TEMPLATES.glob("*.html")
        if '{% extends "base.html" %}' in p.read_text(encoding="utf-8")
    }
    rendered = {"article.html", "list.html", "terms.html", "archive.html", "404.html", "gone.html",
                "search.html", "page.html", "feeds.html"}
    assert on_base == rendered


def test_the_footer_links_of_site_yml_are_a_labelled_navigation_with_the_current_page_marked() -> None:
    html = render("page.html", page("page", "Mentions légales", "mentions-legales/"),
                  article=article(title="Mentions légales", href="/mentions-legales/"),
                  footer=(Link("Mentions légales", "/mentions-legales/", current=True), Link("Contact", "/contact/")))
    doc = Page(html)
    navs = [e for e in doc.find("nav") if e.inside("footer", "site-footer")]
    assert len(navs) == 1 and navs[0].attrs["aria-label"] == "À propos du site"
    assert navs[0].attrs["aria-label"] != doc.one("nav", cls="site-nav").attrs["aria-label"]
    links = [a for a in doc.find("a") if a.inside("nav", "footer-nav")]
    assert [(a.attrs["href"], a.attrs.get("aria-current")) for a in links] == [
        ("/mentions-legales/", "page"), ("/contact/", None)]
    # a page shows no date, tag, author or neighbour, and is not marked for the search index
    for absent in ("dt-published", "p-category", "adjacent", "data-pagefind-body", "article:published_time"):
        assert absent not in html, absent
