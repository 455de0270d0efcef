"""Joining export rows to the hub: which article a visit or a post is about, which network it came from.

The joins use only what cmhub itself wrote or knows:

- the UTM values of the teaser links (``utm_campaign`` -> article, ``utm_source`` -> network);
- the article URLs (current paths and aliases) for page rows and for links found in a post's text;
- posts.lock (a post id or post URL -> the teaser it posted);
- the teaser texts, for networks that hide links behind a shortener (X's t.co): a post whose text,
  links removed, starts like exactly one teaser's on that network is that teaser's post.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from cmhub.report.model import Fact, PostRecord
from cmhub.settings.config import SiteConfig

_URL = re.compile(r"https?://\S+")
_FINGERPRINT = 60
"""How many characters of a post's text (links removed) identify its teaser."""


@dataclass(frozen=True)
class ArticleRef:
    """An article as the report shows it."""

    source: str
    title: str
    slug: str
    url: str
    """Its absolute URL on the hub."""


@dataclass(frozen=True)
class TeaserRef:
    """What the report needs of a teaser: its key, its tracked link and its text."""

    source: str
    network: str
    variant: str
    link: str
    text: str


def fingerprint(text: str) -> str:
    """Return the start of a text with links removed, spaces collapsed and case folded."""
    return " ".join(_URL.sub(" ", text).split()).casefold()[:_FINGERPRINT]


class HubIndex:
    """Everything the joins look up, built once from the hub's articles, teasers and posts.lock."""

    def __init__(self, config: SiteConfig, articles: Iterable[ArticleRef], teasers: Iterable[TeaserRef],
                 posts: Iterable[PostRecord]):
        parts = urlsplit(config.url)
        self.tz = config.tz
        self.per_network = "{network}" in config.utm.campaign
        self.host = (parts.hostname or "").casefold()
        self.base = parts.path or "/"
        self.articles = {a.source: a for a in articles}
        self.paths: dict[str, str] = {}
        for article in self.articles.values():
            self.paths[_normal(urlsplit(article.url).path)] = article.source
        self.campaigns: dict[str, set[tuple[str, str]]] = defaultdict(set)
        self.sources: dict[str, set[str]] = defaultdict(set)
        texts: dict[tuple[str, str], set[str]] = defaultdict(set)
        for teaser in teasers:
            query = parse_qs(urlsplit(teaser.link).query)
            if "utm_campaign" in query:
                self.campaigns[query["utm_campaign"][0]].add((teaser.source, teaser.network))
            if "utm_source" in query:
                self.sources[query["utm_source"][0]].add(teaser.network)
            if len(fingerprint(teaser.text)) >= 20:
                texts[(teaser.network, fingerprint(teaser.text))].add(teaser.source)
        self.texts = {key: next(iter(found)) for key, found in texts.items() if len(found) == 1}
        self.posts = {(p.network, p.post_id): p for p in posts}
        self.post_urls = {p.url: p for p in self.posts.values()}
        link = re.escape(f"{self.host}{self.base}")
        self._hub_link = re.compile(rf"(?:https?://)?{link}[^\s\"'<>)\]]*", re.IGNORECASE)

    def alias(self, path: str, source: str) -> None:
        """Record another path that leads to an article (an alias, an old URL)."""
        self.paths.setdefault(_normal(path), source)

    def network_of(self, utm_source: str) -> str:
        """Return the network a utm_source value cmhub wrote stands for ('' when it is not one)."""
        found = self.sources.get(utm_source, set())
        return next(iter(found)) if len(found) == 1 else ""

    def article_of_campaign(self, campaign: str) -> tuple[str, str]:
        """Return (article, network) for a utm_campaign value cmhub wrote; network '' unless the hub's
        campaigns name the network too (utm.campaign with {network})."""
        pairs = self.campaigns.get(campaign, set())
        articles = {source for source, _ in pairs}
        if len(articles) != 1:
            return "", ""
        networks = {network for _, network in pairs}
        return next(iter(articles)), next(iter(networks)) if self.per_network and len(networks) == 1 else ""

    def article_of_page(self, page: str) -> str:
        """Return the article a hub URL or path leads to ('' for another page or another site)."""
        parts = urlsplit(page.strip())
        if parts.hostname and parts.hostname.casefold() != self.host:
            return ""
        found = self.paths.get(_normal(parts.path))
        if found:
            return found
        campaign = parse_qs(parts.query).get("utm_campaign", [""])[0]
        return self.article_of_campaign(campaign)[0] if campaign else ""

    def article_in_text(self, *texts: str) -> str:
        """Return the article of the first hub link found in these texts."""
        for text in texts:
            for match in self._hub_link.finditer(text):
                link = match.group(0)
                found = self.article_of_page(link if "://" in link else "https://" + link)
                if found:
                    return found
        return ""

    def join(self, fact: Fact) -> Fact | None:
        """Return the fact with its article and network filled in when the hub knows them; None for a
        post's counts whose post is not in posts.lock (its date is unknown)."""
        if fact.by in ("", "account"):
            return fact
        if fact.by == "post":
            return self._join_post(fact)
        network = fact.network or self.network_of(fact.utm_source)
        article = fact.article
        if fact.by == "campaign":
            article, per_network = self.article_of_campaign(fact.campaign)
            network = network or per_network
        elif fact.by in ("page", "hit"):
            article = self.article_of_page(fact.page) or (
                self.article_of_campaign(fact.campaign)[0] if fact.campaign else "")
        return dataclasses.replace(fact, article=article, network=network)

    def _join_post(self, fact: Fact) -> Fact | None:
        record = self.posts.get((fact.network, fact.key)) or self.post_urls.get(fact.page)
        if fact.family == "cmhub" and fact.metric != "posts":
            if record is None:
                return None
            local = record.posted.astimezone(self.tz)
            return dataclasses.replace(fact, article=record.source, start=local.date(), end=local.date(),
                                       posted=local, page=record.url)
        article = fact.article or (record.source if record else "") or self.article_in_text(fact.text, fact.page)
        if not article and fact.text:
            article = self.texts.get((fact.network, fingerprint(fact.text)), "")
        return dataclasses.replace(fact, article=article)


def _normal(path: str) -> str:
    """Return a site path as the index keys it: leading and trailing '/', no 'index.html'."""
    path = "/" + path.lstrip("/")
    if path.endswith("/index.html"):
        path = path[: -len("index.html")]
    if not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
        path += "/"
    return path


def teaser_refs(teasers: Sequence[object]) -> list[TeaserRef]:
    """Return the report's view of cmhub's teasers (objects with source, network, variant, link, text)."""
    return [TeaserRef(t.source, t.network, t.variant, t.link, t.text) for t in teasers]  # type: ignore[attr-defined]
