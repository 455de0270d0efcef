"""The views of a site's articles as templates see them, each made when a page to render first asks for it."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import tzinfo

from markupsafe import Markup

from cmhub.content.model import Article
from cmhub.content.share import SHARE_SIZE, picture_alt, picture_path
from cmhub.content.translations import language_of_page
from cmhub.core.dates import iso
from cmhub.core.frozen import LATER
from cmhub.core.i18n import long_date
from cmhub.ledgers.backfeed import initials
from cmhub.ledgers.conversation import Reply
from cmhub.ledgers.sanitize import clean_html
from cmhub.networks.registry import NETWORK_LABELS
from cmhub.site.builtin.languages import home_path
from cmhub.site.builtin.pages import Pages, author_view, image_view, term_links
from cmhub.site.builtin.views import ArticleView, ImageView, Link, ReplyView
from cmhub.site.pictures import BodyPictures


class ArticleViews(Mapping[str, ArticleView]):
    """The views of a site's shown articles and pages, by source, each made when first asked for."""

    def __init__(self, pages: Pages, articles: Sequence[Article]):
        self._pages = pages
        self._articles = {article.source: article for article in articles}
        self._made: dict[str, ArticleView] = {}

    def __getitem__(self, source: str) -> ArticleView:
        found = self._made.get(source)
        if found is None:
            found = self._made[source] = article_view(self._pages, self._articles[source])
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._articles)

    def __len__(self) -> int:
        return len(self._articles)


def article_view(pages: Pages, article: Article) -> ArticleView:
    """Return an article as templates see it."""
    url = pages.url(article.path)
    home = home_path(pages.site, language_of_page(pages.site, article))  # its tags' and authors' pages

    def href(path: str) -> str:
        return pages.href(home + path)

    view = ArticleView(
        title=article.title, href=pages.href(article.path), url=url,
        canonical=article.canonical or url, lang=article.lang,
        date_iso=iso(article.date), date_display=long_date(article.date, article.lang),
        updated_iso=iso(article.updated) if article.updated else "",
        updated_display=long_date(article.updated, article.lang) if article.updated else "",
        summary=article.summary, summary_html=_markup(article.summary_html),
        html=_NO_BODY,
        tags=term_links(article.tags, "tags", href), categories=term_links(article.categories, "categories", href),
        authors=tuple(author_view(pages, a, home) for a in article.authors),
        image=image_view(article.image, pages.href, pages.url) if article.image else None,
        reading_minutes=article.reading_minutes, state=article.state(pages.site.now),
        extra=dict(article.extra), share=share_view(pages, article),
        syndication=tuple(Link(NETWORK_LABELS.get(e.network, e.network), e.url)
                          for e in pages.site.backfeed.shared(article.source)),
        replies=tuple(reply_view(r, article.lang, pages.site.config.tz)
                      for r in pages.site.backfeed.replies.get(article.source, ())),
    )
    state = view.__dict__  # its body is made when a template shows it (its page does, its cards do not)
    del state["html"]
    state[LATER] = _Body(article, pages.body_pictures)
    return view


_NO_BODY = Markup("")


class _Body:
    """An article's body as its page shows it, made when first asked for (an ArticleView's LATER)."""

    def __init__(self, article: Article, pictures: BodyPictures):
        self.article, self.pictures = article, pictures

    def fields(self) -> dict[str, object]:
        return {"html": _markup(page_body(self.article.html, self.pictures))}


def reply_view(reply: Reply, lang: str, tz: tzinfo) -> ReplyView:
    """Return a reply as the article page shows it (dated in the hub's time zone, the article's language)."""
    published = reply.published.astimezone(tz)
    return ReplyView(author=reply.author_name or reply.author_handle, author_url=reply.author_url,
                     initials=initials(reply.author_name or reply.author_handle.lstrip("@")), url=reply.url,
                     network=NETWORK_LABELS.get(reply.network, reply.network), date_iso=iso(published),
                     date_display=long_date(published, lang), html=Markup(clean_html(reply.html)))


def share_view(pages: Pages, article: Article) -> ImageView:
    """Return an article's picture for og:image (1200x630, published with the page under /_social/)."""
    path = picture_path(article, SHARE_SIZE)
    return ImageView(href=pages.href(path), url=pages.url(path), alt=picture_alt(pages.site, article),
                     width=SHARE_SIZE[0], height=SHARE_SIZE[1], type="image/jpeg")


BODY_SIZES = "(min-width: 46rem) 43rem, calc(100vw - 2.5rem)"
"""How wide a picture of an article's body shows (the text column), for <img sizes>."""
_TABLE = re.compile(r"<table\b")


def page_body(html: str, pictures: BodyPictures) -> str:
    """Return an article's body as its page shows it: every picture of the site sized, with its smaller
    copies, and every table in a box of its own that scrolls sideways on a narrow screen.

    Feeds keep the body as Markdown made it.
    """
    html = pictures.rewrite(html, BODY_SIZES)
    if "<table" in html:
        html = _TABLE.sub('<div class="table-scroll" tabindex="0">\n<table', html).replace(
            "</table>", "</table>\n</div>")
    return html


def _markup(html: str) -> Markup:
    """Return trusted HTML as Markup without copying it when it already is (an article's body is large)."""
    return html if isinstance(html, Markup) else Markup(html)


