"""Teasers: for each article and each network, a post that fits that network's real rules."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from itertools import chain
from pathlib import Path
from urllib.parse import urlencode

import jinja2
import regex

from cmhub.content.digests import ArticleDigests
from cmhub.content.model import Article, Site
from cmhub.core.errors import CmhubError, Problem, error
from cmhub.incremental.cache import RenderCache
from cmhub.incremental.reuse import digest, digest_of
from cmhub.networks.counting import utf16_length
from cmhub.networks.registry import NETWORKS, Network, fits, measure, problems_in
from cmhub.settings.config import SiteConfig
from cmhub.settings.social import NetworkConfig
from cmhub.social.accounts import account_for
from cmhub.social.cuts import ELLIPSIS, marked_cuts, shortened
from cmhub.social.teaser import Teaser, as_rows, as_texts, from_rows
from cmhub.theming.loader import Theme, make_environment
from cmhub.theming.words import strings

SENTENCE_PREFERENCE = 0.6
"""A cut at a sentence end is preferred when it keeps at least this share of the longest cut that fits."""
_HASHTAG = regex.compile(r"(?<![\w#])#[\p{L}\p{N}_]+")
_NOT_TAG = regex.compile(r"[^\p{L}\p{N}_]+")


def tracked_link(config: SiteConfig, article: Article, network: str, content: str = "") -> str:
    """Return the article URL with UTM parameters for a network (the page's canonical URL stays clean)."""
    url = config.url + article.path
    utm = config.utm
    if not utm.enabled:
        return url
    values = {"network": network, "slug": article.slug, "lang": article.lang, "year": f"{article.date.year}"}
    params = {"utm_source": utm.source.format(**values), "utm_medium": utm.medium.format(**values),
              "utm_campaign": utm.campaign.format(**values)}
    if content:
        params["utm_content"] = content
    return f"{url}?{urlencode(params)}"


def hashtag(tag: str) -> str:
    """Return a tag as a hashtag networks accept: 'réseaux sociaux' -> '#RéseauxSociaux' ('' if none)."""
    words = [w for w in _NOT_TAG.split(tag) if w]
    body = "".join(w[:1].upper() + w[1:] for w in words)
    if not body or body.isdigit():
        return ""
    return "#" + body


def hashtags_for(article: Article, cap: int) -> tuple[str, ...]:
    """Return the article's hashtags, unique, at most ``cap``."""
    result: list[str] = []
    for tag in article.tags:
        candidate = hashtag(tag)
        if candidate and candidate.lower() not in {h.lower() for h in result}:
            result.append(candidate)
    return tuple(result[:cap])


class TeaserWriter:
    """Writes every teaser of a site with the theme's social templates."""

    def __init__(self, site: Site, theme: Theme, cache: RenderCache | None = None,
                 digests: ArticleDigests | None = None):
        self.site = site
        self.digests = digests or ArticleDigests()
        self.env: jinja2.Environment = make_environment(theme, "social", autoescape=False)
        self.cache = cache if cache is not None else RenderCache(None)
        templates = (f"{path.name}\0" + path.read_bytes().decode("utf-8", "surrogateescape")
                     for folder in theme.template_dirs("social") for path in sorted(Path(folder).glob("*.txt")))
        self.inputs = digest_of(chain([site.config], templates))
        """What every teaser depends on besides its article: cmhub, site.yml and the templates."""
        self.contents: dict[str, str] = {}
        """By article source, a digest of its teasers and of what their records show of it (with a cache
        only): for the keys of the files that show them (cmhub.social.exports). An edit that leaves
        them as they were leaves it as it was."""

    def teasers(self, articles: Sequence[Article]) -> tuple[list[Teaser], list[Problem]]:
        """Return the teasers of the given articles on every enabled network, and the problems found.

        An article's teasers are one entry of the cache, keyed by the article's digest and ``inputs``,
        with ``contents``'s digest of them.
        """
        teasers: list[Teaser] = []
        problems: list[Problem] = []
        networks = [network for network in self.site.config.networks.values() if network.enabled]
        for article in articles:
            key = made_from = ""
            if self.cache.path is not None:
                made_from = digest(self.inputs, self.digests(article))
                key = "teasers|rows|" + made_from
                found = self.cache.get(key)
                cached = from_rows(found[1], article, self.cache.raw("teasers|texts|" + made_from)) \
                    if type(found) is tuple and len(found) == 2 and type(found[0]) is str else None
                if cached is not None:
                    self.contents[article.source] = found[0]
                    teasers.extend(cached)
                    continue
            made, failed = self._article_teasers(article, networks)
            teasers.extend(made)
            problems.extend(failed)
            if key and not failed:
                # what a teaser's record shows besides the teaser: site.yml (in inputs) and these
                contents = digest(self.inputs, made, article.title, article.path, article.authors)
                self.contents[article.source] = contents
                self.cache.put(key, (contents, as_rows(made)))
                self.cache.put("teasers|texts|" + made_from, as_texts(made))
        return teasers, problems

    def _article_teasers(self, article: Article, networks: Sequence[NetworkConfig]) -> tuple[list[Teaser],
                                                                                              list[Problem]]:
        """Return one article's teasers (launch, then reminders, network by network) and its problems."""
        made: list[Teaser] = []
        problems: list[Problem] = []
        for listed in networks:
            override = article.syndicate.get(listed.name)
            if override is not None and not override.enabled:
                continue
            network = account_for(self.site, listed, article)  # the account of the article's language
            if network is None:
                continue
            try:
                made.append(self.teaser(article, network, "launch", dt.timedelta(0)))
                for index, delay in enumerate(network.reminders, start=1):
                    made.append(self.teaser(article, network, f"reminder-{index}", delay))
            except CmhubError as exc:
                problems.extend(exc.problems)
        return made, problems

    def teaser(self, article: Article, network: NetworkConfig, variant: str = "launch",
               delay: dt.timedelta = dt.timedelta(0)) -> Teaser:
        """Return one article's teaser on one network; author-written text is checked, never cut.

        A reminder (``variant`` 'reminder-N') goes out ``delay`` after the launch, with its own
        text from the template and its own ``utm_content``.
        """
        rule = NETWORKS[network.name]
        config = self.site.config
        override = article.syndicate.get(network.name)
        launch_at = override.at if override and override.at else article.date
        if variant != "launch":
            override = replace(override, text=None, at=None, first_comment=None, thread=()) if override else None
        content = rule.utm_content
        if variant != "launch":
            content = f"{content}-{variant}" if content else variant
        link = tracked_link(config, article, network.name, content)
        link_text = link if rule.link_in_text else ""  # people and schedulers paste it: the real link
        cap = min(rule.hashtags, network.hashtags if network.hashtags is not None else rule.hashtags)
        tags = hashtags_for(article, cap)
        at = override.at if override and override.at else launch_at + delay
        line = override.line if override else article.lines.get("syndicate")
        if at < article.date:
            raise CmhubError([error(article.source, line, f"syndicate.{network.name}.at ({at.isoformat()}) "
                                    f"is before the article's publication ({article.date.isoformat()})")])
        if override is not None and override.text is not None:
            text = override.text.replace("{url}", link_text)
            if "{url}" not in override.text and rule.link_in_text:
                text = f"{text.rstrip()}\n\n{link_text}"
            self._check_written(article, network, rule, text, line, "text")
            written = True
        else:
            text = self._fit(article, network, rule, link_text, tags, variant)
            written = False
        first_comment = (override.first_comment if override else None) or ""
        thread = override.thread if override else ()
        for index, part in enumerate(thread, start=1):
            self._check_written(article, network, rule, part, line, f"thread part {index}")
        if first_comment:
            self._check_written(article, network, rule, first_comment, line, "first_comment")
        length, limit = measure(network.name, text, network.max_chars, network.url_length)
        title = article.title
        if rule.title_limit and utf16_length(title) > rule.title_limit:
            # Pinterest's title field counts as web forms do (UTF-16 units, at least the code points)
            title = shortened(title, lambda cut: utf16_length(cut) <= (rule.title_limit or 0)) or ELLIPSIS
        return Teaser(network=network.name, account=network.handle, source=article.source, slug=article.slug,
                      title=title, text=text, link=link, link_text=link_text if rule.link_in_text else "",
                      hashtags=tuple(h for h in tags if h in text) if not written else tuple(_HASHTAG.findall(text)),
                      first_comment=first_comment, thread=thread, at=at, length=length, limit=limit,
                      written=written, variant=variant, explicit=bool(override and override.at))

    def _fit(self, article: Article, network: NetworkConfig, rule: Network, link_text: str,
             tags: tuple[str, ...], variant: str) -> str:
        """Render the network's template, shortening the summary, then hashtags, then the title."""
        mentions = " ".join(author_handles(self.site.config, article, network.name))
        title = article.title
        marked = marked_cuts(article.summary)
        cuts = [text for text, _ in marked]
        for cut_tags in range(len(tags), -1, -1):
            def render(index: int, n: int = cut_tags) -> str:
                return self._render(article, network, title, cuts[index], link_text, tags[:n], mentions, variant)

            whole = render(0)
            if fits(network.name, whole, network.max_chars, network.url_length):
                return whole
            if not fits(network.name, render(len(cuts) - 1), network.max_chars, network.url_length):
                continue
            low = self._first_fitting(network, cuts, render)
            chosen = low
            for later in range(low, len(cuts) - 1):  # the longest whole-sentence cut, if not much shorter
                if marked[later][1]:
                    if len(cuts[later]) >= SENTENCE_PREFERENCE * len(cuts[low]):
                        chosen = later
                    break
            return render(chosen)
        def bare(short: str) -> str:
            return self._render(article, network, short, "", link_text, (), "", variant)

        short = shortened(title, lambda cut: fits(network.name, bare(cut), network.max_chars, network.url_length))
        if short is not None:
            return bare(short)
        text = bare(ELLIPSIS)
        length, limit = measure(network.name, text, network.max_chars, network.url_length)
        raise CmhubError([error(article.source, article.lines.get("title"), f"no {network.name} teaser fits: "
                                f"even the shortest is {length} {rule.counted_as}, over the limit of {limit} "
                                f"(shorten theme/social/{network.name}.txt)")])

    @staticmethod
    def _first_fitting(network: NetworkConfig, cuts: list[str], render: Callable[[int], str]) -> int:
        """Return the index of the longest cut whose teaser fits (the last cut is known to fit).

        Lengths add up, so the summary's share of the budget is estimated from the empty-summary
        teaser, then confirmed by rendering; the renders stay few whatever the summary's length.
        """
        def ok(index: int) -> bool:
            return fits(network.name, render(index), network.max_chars, network.url_length)

        last = len(cuts) - 1
        base, limit = measure(network.name, render(last), network.max_chars, network.url_length)
        budget = limit - base - 2  # the summary also brings its blank line
        low, high = 0, last  # cuts only get shorter: bisect on the cut's own length
        while low < high:
            middle = (low + high) // 2
            if measure(network.name, cuts[middle], network.max_chars, network.url_length)[0] <= budget:
                high = middle
            else:
                low = middle + 1
        while low < last and not ok(low):
            low += 1
        while low > 0 and ok(low - 1):
            low -= 1
        return low

    def _render(self, article: Article, network: NetworkConfig, title: str, summary: str, link: str,
                tags: tuple[str, ...], mentions: str, variant: str) -> str:
        context = {
            "title": title, "summary": summary, "link": link, "hashtags": " ".join(tags), "variant": variant,
            "mentions": mentions, "article": article, "site": self.site.config,
            "t": strings(network.language or article.lang),
        }
        try:
            text = self.env.get_template(f"{network.name}.txt").render(context)
        except jinja2.TemplateError as exc:
            raise CmhubError([error(f"theme/social/{network.name}.txt", getattr(exc, "lineno", None),
                                    f"teaser template: {exc}")]) from exc
        for costly, cheaper in NETWORKS[network.name].cheaper_text:
            text = text.replace(costly, cheaper)
        return _tidy(text)

    def _check_written(self, article: Article, network: NetworkConfig, rule: Network, text: str,
                       line: int | None, what: str) -> None:
        length, limit = measure(network.name, text, network.max_chars, network.url_length)
        where = f"syndicate.{network.name} {what}"
        problems = []
        if length > limit:
            problems.append(f"{where} is {length} {rule.counted_as} on {network.name}; the limit is {limit} "
                            "(author-written text is never cut: shorten it)")
        problems.extend(f"{where} {found}" for found in problems_in(network.name, text))
        tags = len(_HASHTAG.findall(text))
        if rule.hashtag_cap_enforced and tags > rule.hashtags:
            problems.append(f"{where} has {tags} hashtags; instagram allows {rule.hashtags}")
        if problems:
            raise CmhubError([error(article.source, line, p) for p in problems])


def author_handles(config: SiteConfig, article: Article, network: str) -> tuple[str, ...]:
    """Return the handles of the article's authors on a network, as a post writes them ('@…')."""
    handles = (config.authors[a].social[network] for a in article.authors if network in config.authors[a].social)
    prefix = NETWORKS[network].mention_prefix
    return tuple(h if h.startswith("@") else prefix + h for h in handles)


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))

