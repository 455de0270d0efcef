"""The views of a site's articles as templates see them, each made when a page to render first asks for it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from cmhub.content.model import Article
from cmhub.site.builtin.pages import Pages, article_view
from cmhub.site.builtin.views import ArticleView


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
