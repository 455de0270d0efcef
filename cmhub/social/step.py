"""The syndication step: teasers with pictures for every article and network, as files for social/."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from cmhub.content.digests import ArticleDigests
from cmhub.content.model import Article, Image, Site
from cmhub.content.share import SHARE_SIZE, SITE_CARD, picture_path, picture_stem
from cmhub.core.errors import Problem, error
from cmhub.core.frozen import replaced
from cmhub.core.locations import CACHE_FOLDER
from cmhub.core.typography import french_spacing, is_french
from cmhub.incremental.cache import RenderCache
from cmhub.incremental.reuse import ReuseCheck
from cmhub.ledgers.plan_lock import PlanLedger, TeaserKey
from cmhub.networks.registry import NETWORKS
from cmhub.output.files import OutputFile
from cmhub.social.batches import batch_files
from cmhub.social.calendar.files import calendar_files
from cmhub.social.exports import described_teasers, export_files
from cmhub.social.jsondoc import earlier_records
from cmhub.social.pictures import MediaMaker
from cmhub.social.planner import Plan, plan
from cmhub.social.reports import kept_reports
from cmhub.social.teaser import Media, Teaser
from cmhub.social.teasers import TeaserWriter
from cmhub.theming.loader import Theme

if TYPE_CHECKING:
    from cmhub.output.previous import PreviousOutput

TEASERS_INDEX = "teasers-records.json"
"""In .cmhub-cache/: where each record of social/teasers.json lies in it, for the next one (social/jsondoc.py)."""


@dataclass(frozen=True)
class Social:
    """What the syndication step made: teasers with pictures, their calendar, and problems."""

    teasers: tuple[Teaser, ...]
    plan: Plan
    pictures: tuple[OutputFile, ...]
    problems: tuple[Problem, ...]
    public: tuple[OutputFile, ...] = ()
    """Pictures for site/ (/_social/): every shown article's share picture, the hub's card, and the
    teaser pictures of published articles."""
    contents: Mapping[str, str] = field(default_factory=dict)
    """By article source, a digest of its teasers (TeaserWriter.contents), for the exports' keys."""

    def files(self, site: Site, theme: Theme, reuse: ReuseCheck = None,
              previous: PreviousOutput | None = None) -> Iterator[OutputFile]:
        """Yield the files of social/ one at a time (the exports of a large hub are large); those the
        previous social/ holds, made from the same inputs (``reuse``), are kept as they are, and a
        teasers.json made again copies the records it shares with the previous one (``previous``)."""
        parts = described_teasers(site, self.teasers, self.plan, self.contents) if reuse is not None else None
        earlier = None
        if reuse is not None and previous is not None:
            index = site.config.root / CACHE_FOLDER / TEASERS_INDEX
            earlier = (earlier_records(index, previous, "teasers.json"), index)
        yield from export_files(site, self.teasers, self.plan, reuse, parts=parts, earlier=earlier)
        yield from batch_files(site, self.teasers, self.plan.ledger, reuse, parts)
        yield from calendar_files(site, self.plan, theme, reuse)
        yield from self.pictures
        yield from kept_reports(site.config.social_output)  # written by cmhub report, kept by every build


def syndicate(site: Site, theme: Theme, cache: RenderCache | None = None, ledger: PlanLedger = PlanLedger(),
              replan: frozenset[TeaserKey] = frozenset(), digests: ArticleDigests | None = None) -> Social:
    """Return every teaser of the hub with its picture, planned on the calendar around the teasers
    ``ledger`` (plan.lock) records, and social/'s files (teasers come from ``cache`` when their
    article, by its digest in ``digests``, and the templates did not change)."""
    ledger = ledger.moved(site.moved)
    writer = TeaserWriter(site, theme, cache, digests or ArticleDigests())
    articles = site.syndicated
    teasers, problems = writer.teasers(articles)
    maker = MediaMaker(site.config.root, site.config.title)
    by_source = {a.source: a for a in articles}
    states = {a.source: a.state(site.now) for a in articles}
    pictures: dict[str, OutputFile] = {}
    public = share_pictures(site, maker)
    media: dict[tuple[object, ...], Media] = {}
    illustrated = []
    for teaser in teasers:
        article = by_source[teaser.source]
        override = article.syndicate.get(teaser.network)
        if override is not None and override.image:
            found = _override_image(site, article, override.image)
            if found is None:
                problems.append(error(article.source, override.line,
                                      f"syndicate.{teaser.network}.image '{override.image}' not found"))
                continue
            article = replace(article, image=found)
        size = NETWORKS[teaser.network].image
        # the reminders and most networks share a picture: work each one out once
        wanted = (article.image, article.slug, article.title, states[article.source], size)
        found = media.get(wanted)
        if found is None:
            found = media[wanted] = _media(site, maker, article, size, pictures, public)
        illustrated.append(replaced(teaser, media=found))
    planned = plan(site, illustrated, ledger, replan)
    return Social(tuple(illustrated), planned, tuple(sorted(pictures.values(), key=lambda f: f.path)),
                  (*problems, *planned.problems, *maker.problems.values()),
                  tuple(sorted(public.values(), key=lambda f: f.path)), writer.contents)


def share_pictures(site: Site, maker: MediaMaker) -> dict[str, OutputFile]:
    """Return the pictures every shown page names in og:image, by site path: each article's, the hub's."""
    config = site.config
    title, description = config.title, config.description
    if is_french(config.language):
        title, description = french_spacing(title), french_spacing(description)
    found = {SITE_CARD: OutputFile(SITE_CARD, source=maker.site_card(title, description, SHARE_SIZE).file,
                                   link=True)}
    for article in site.shown:
        path = picture_path(article, SHARE_SIZE)
        if path not in found:
            found[path] = OutputFile(path, source=maker.picture(article, SHARE_SIZE).file, link=True)
    return found


def _media(site: Site, maker: MediaMaker, article: Article, size: tuple[int, int],
           pictures: dict[str, OutputFile], public: dict[str, OutputFile]) -> Media:
    picture = maker.picture(article, size)
    # named after the picture's own path, so articles sharing a cover share one file
    if article.image is not None and not picture.generated:
        stem = picture_stem(article.image.path)
    else:
        stem = f"card-{article.slug}"
    path = f"media/{stem}-{size[0]}x{size[1]}.jpg"
    pictures.setdefault(path, OutputFile(path, source=picture.file, link=True))
    if picture.generated:
        alt = f"{article.title} — {site.config.title}"
    else:
        alt = article.image.alt if article.image else ""
    url = ""
    if article.state(site.now) == "published":  # never before: a scheduled article's picture stays out
        where = picture_path(article, size)
        public.setdefault(where, OutputFile(where, source=picture.file, link=True))
        url = site.config.url + where
    return Media(path=path, alt=alt, width=size[0], height=size[1], url=url)


def _override_image(site: Site, article: Article, wanted: str) -> Image | None:
    content = site.config.content
    source_dir = (site.config.root / article.source).parent
    for candidate in (source_dir / wanted, content / wanted.lstrip("/")):
        try:
            path = Path(candidate).resolve()
            found = path.is_file() and path.is_relative_to(content.resolve())
        except (RuntimeError, OSError):  # a link that loops, a name too long: not found
            continue
        if found:
            return Image(path=path.relative_to(content.resolve()).as_posix(), alt=article.image.alt
                         if article.image else article.title, source=path)
    return None
