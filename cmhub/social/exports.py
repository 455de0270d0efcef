"""The team's folder social/: every teaser as JSON, CSV, a Publer import and one review page per article."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from functools import partial
from itertools import chain
from pathlib import Path

from cmhub.content.model import Article, Site
from cmhub.core.dates import utc_iso
from cmhub.incremental.reuse import ReuseCheck, digest, digest_of, reuse_or_make
from cmhub.ledgers.posts_lock import PostEntry
from cmhub.networks.registry import NETWORK_LABELS, NETWORKS
from cmhub.output.files import OutputFile
from cmhub.settings.social import posted_by_cmhub
from cmhub.social.jsondoc import Earlier, json_document, keyed_document
from cmhub.social.planner import Plan
from cmhub.social.spreadsheet import csv_bytes
from cmhub.social.teaser import Teaser
from cmhub.social.teasers import author_handles
from cmhub.social.words import counted_as, team_strings

SCHEMA_VERSION = 1
NEUTRAL_COLUMNS = ["network", "account", "scheduled_utc", "scheduled_local", "timezone", "article",
                   "text", "link", "media", "alt_text", "first_comment", "hashtags"]
PUBLER_COLUMNS = ["Date", "Text", "Link(s)", "Media URL(s)", "Title", "Labels", "Alt text(s)",
                  "Comment(s)", "Pinterest board", "CTA", "Reminder", "Watermark"]


def ordered(teasers: Sequence[Teaser]) -> list[Teaser]:
    """Return teasers in publishing order: time, then network, then article."""
    return sorted(teasers, key=lambda t: (t.at, t.network, t.slug))


def local_time(teaser: Teaser) -> str:
    """Return the teaser's time in the site zone, ISO 8601 with offset."""
    return teaser.at.replace(microsecond=0).isoformat()


def teaser_record(site: Site, articles: Mapping[str, Article], teaser: Teaser) -> dict[str, object]:
    """Return one teaser as the documented JSON object (docs/teasers.md)."""
    media = teaser.media
    article = articles[teaser.source]
    rule = NETWORKS[teaser.network]
    return {
        "network": teaser.network,
        "account": teaser.account,
        "variant": teaser.variant,
        "article": {"source": teaser.source, "slug": teaser.slug, "title": article.title,
                    "url": site.config.url + article.path},
        "scheduled_utc": utc_iso(teaser.at),
        "scheduled_local": local_time(teaser),
        "timezone": site.config.timezone,
        "text": teaser.text,
        "link": teaser.link,
        "link_text": teaser.link_text,
        "hashtags": list(teaser.hashtags),
        "first_comment": teaser.first_comment,
        "thread": list(teaser.thread),
        "media": None if media is None else {"path": media.path, "alt": media.alt, "width": media.width,
                                             "height": media.height, "url": media.url},
        "length": teaser.length,
        "limit": teaser.limit,
        "counted_as": rule.counted_as,
        "written_by_author": teaser.written,
        "api": rule.api_record(teaser.text, teaser.link, author_handles(site.config, article, teaser.network))
        if rule.api_record else None,
        **({"posted_by": "cmhub"} if teaser.network in posted_by_cmhub(site.config.networks) else {}),
    }


def described_teasers(site: Site, teasers: Sequence[Teaser], plan: Plan,
                      contents: Mapping[str, str] | None = None) -> dict[str, str]:
    """Return, by article source, the description of its teasers as planned that the keys of the files
    showing them are made from (TeaserParts; ``contents``: a digest of each article's teasers, by source)."""
    planned = {(t.source, t.network, t.variant): t for t in plan.teasers}
    described = TeaserParts(site, {a.source: a for a in site.articles}, planned, contents or {})
    return {source: described.of(group) for source, group in _by_source(teasers, planned).items()}


def _by_source(teasers: Sequence[Teaser], planned: Mapping[tuple[str, str, str], Teaser]) -> dict[str, list[Teaser]]:
    """Return the teasers, as planned when they are, by article source."""
    by_source: dict[str, list[Teaser]] = {}
    for teaser in teasers:
        by_source.setdefault(teaser.source, []).append(planned.get((teaser.source, teaser.network, teaser.variant),
                                                                   teaser))
    return by_source


def export_files(site: Site, teasers: Sequence[Teaser], plan: Plan, reuse: ReuseCheck = None,
                 parts: Mapping[str, str] | None = None,
                 earlier: tuple[Earlier | None, Path] | None = None) -> Iterator[OutputFile]:
    """Yield teasers.json (every teaser), the scheduler CSVs (planned teasers still to come) and one
    review page per article; teasers.json and each review page are kept as the previous output holds
    them (``reuse``) when made from the same teasers (``parts``: described_teasers, made here, from
    the teasers' whole records, when not given), times and pictures.

    With ``earlier`` (the previous teasers.json with its index, and where to keep this one's), a
    teasers.json made again copies from the previous one the records of each article whose teasers are
    described as they were (cmhub/social/jsondoc.py)."""
    planned = {(t.source, t.network, t.variant): t for t in plan.teasers}
    teasers = [planned.get((t.source, t.network, t.variant), t) for t in teasers]  # in their order (for ties)
    by_source = _by_source(teasers, planned)
    articles = {a.source: a for a in site.articles}
    header = {"version": SCHEMA_VERSION, "site": site.config.url, "timezone": site.config.timezone,
              "paused": plan.paused}
    # each article's teasers described once, for the keys of teasers.json, of its review page, of the
    # schedulers' files and of the batches (a hub of 10,000 articles has ~40,000 teasers: teasers.json is
    # put in order only when it is written)
    if reuse is None:
        parts = {}
    elif parts is None:
        parts = described_teasers(site, teasers, plan)

    def record(teaser: Teaser) -> dict[str, object]:
        made = teaser_record(site, articles, teaser)
        made["planned"] = (teaser.source, teaser.network, teaser.variant) in planned
        return made

    def document() -> bytes:
        if earlier is None or not parts:
            return json_document(header, "teasers", (record(teaser) for teaser in ordered(teasers)))
        keyed = ((_record_key(parts[teaser.source], teaser), partial(record, teaser)) for teaser in ordered(teasers))
        return keyed_document(header, "teasers", keyed, *earlier)

    key = "" if reuse is None else digest_of(chain([header, sorted(site.backfeed.posts.items())],
                                                   (parts[source] for source in sorted(parts))))
    yield from reuse_or_make(reuse, ["teasers.json"], key, lambda: [OutputFile("teasers.json", document())])
    by_cmhub = posted_by_cmhub(site.config.networks)  # cmhub posts them: a scheduler must not as well
    upcoming = [t for t in ordered(plan.teasers) if t.at >= site.now and t.network not in by_cmhub]
    networks = [n for n in site.config.networks if n not in by_cmhub]
    # the teasers still to come, each by what its article's teasers are made of (its time and text included)
    schedulers_key = "" if reuse is None else digest(
        "schedulers", site.config.timezone, *networks, *(f"{t.source}|{t.network}|{t.variant}" for t in upcoming),
        *(parts[source] for source in sorted({t.source for t in upcoming})))
    yield from reuse_or_make(reuse, ["teasers.csv", *(f"publer/{network}.csv" for network in networks)],
                             schedulers_key, lambda: _scheduler_files(site, upcoming, networks))
    by_slug: dict[str, list[str]] = {}
    for source, group in by_source.items():
        by_slug.setdefault(group[0].slug, []).append(source)
    posts = site.backfeed.posts
    for slug in sorted(by_slug):
        sources = sorted(by_slug[slug])
        group = [teaser for source in sources for teaser in by_source[source]]
        path = f"articles/{slug}.md"
        # a review page shows its teasers as teasers.json holds them, and what posts.lock says of each
        page_key = "" if reuse is None else digest("review", site.config.language, *(parts[s] for s in sources),
                                                  *(posts.get((t.source, t.network, t.variant)) for t in group))
        yield from reuse_or_make(reuse, [path], page_key, partial(_review_file, site, articles, path, group))


def _scheduler_files(site: Site, upcoming: Sequence[Teaser], networks: Sequence[str]) -> Iterator[OutputFile]:
    """Yield teasers.csv and one Publer import per network, of the teasers still to come."""
    yield OutputFile("teasers.csv", _csv(NEUTRAL_COLUMNS, (_neutral_row(site, t) for t in upcoming)))
    for network in networks:
        rows = (_publer_row(t) for t in upcoming if t.network == network)
        yield OutputFile(f"publer/{network}.csv", csv_bytes(PUBLER_COLUMNS, rows, verbatim=True))


class TeaserParts:
    """Describes an article's teasers for the keys of the files that show them: the digest of its teasers
    (TeaserWriter.contents, which holds site.yml and what a record shows of the article), which of them
    each is, its time, whether it is planned, and its picture; a teaser without one, by its whole record."""

    def __init__(self, site: Site, articles: Mapping[str, Article], planned: Mapping[tuple[str, str, str], Teaser],
                 contents: Mapping[str, str]):
        self.site, self.articles, self.planned, self.contents = site, articles, planned, contents
        self.media: dict[int, tuple[object, str]] = {}

    def of(self, group: Sequence[Teaser]) -> str:
        """Return the description of one article's teasers (all of the same source)."""
        return "\n".join(self._described(teaser) for teaser in group)

    def _described(self, teaser: Teaser) -> str:
        contents = self.contents.get(teaser.source)
        is_planned = (teaser.source, teaser.network, teaser.variant) in self.planned
        if contents is None:
            return repr({**teaser_record(self.site, self.articles, teaser), "planned": is_planned})
        media = self.media.get(id(teaser.media))
        if media is None:  # most teasers of an article share one picture: described once
            media = self.media[id(teaser.media)] = (teaser.media, repr(teaser.media))
        return (f"{contents}|{teaser.network}|{teaser.account}|{teaser.variant}|{teaser.at.isoformat()}|"
                f"{is_planned:d}|{media[1]}")


def _record_key(part: str, teaser: Teaser) -> str:
    """Return the key of a teaser's record in teasers.json: its article's part (every one of the article's
    teasers, as the keys of the files that show them describe it) and which of them it is."""
    return hashlib.blake2b(f"{part}\0{teaser.network}\0{teaser.variant}".encode("utf-8", "surrogatepass"),
                           digest_size=16).hexdigest()


def _review_file(site: Site, articles: Mapping[str, Article], path: str, teasers: list[Teaser]) -> list[OutputFile]:
    article = articles[teasers[0].source]
    return [OutputFile(path, review_page(article, teasers, site.config.language, site.backfeed.posts).encode("utf-8"))]


def _csv(columns: list[str], rows: Iterator[list[str]]) -> bytes:
    return csv_bytes(columns, rows)  # cells a spreadsheet would run as formulas are marked as text


def _neutral_row(site: Site, teaser: Teaser) -> list[str]:
    media = teaser.media
    return [teaser.network, teaser.account, utc_iso(teaser.at), local_time(teaser), site.config.timezone,
            teaser.source, teaser.text, teaser.link, media.url if media else "",
            media.alt if media and media.url else "",
            teaser.first_comment, " ".join(teaser.hashtags)]


def neutral_row(site: Site, teaser: Teaser) -> list[str]:
    """Return a teaser as a row of NEUTRAL_COLUMNS (also used by the batches of cmhub.social.batches)."""
    return _neutral_row(site, teaser)


def publer_row(teaser: Teaser) -> list[str]:
    """Return a teaser as a row of PUBLER_COLUMNS (also used by the batches of cmhub.social.batches)."""
    return _publer_row(teaser)


def _publer_row(teaser: Teaser) -> list[str]:
    media = teaser.media
    return [teaser.at.strftime("%Y-%m-%d %H:%M"), teaser.text, teaser.link,
            media.url if media else "", teaser.title, teaser.slug,
            media.alt if media and media.url else "", teaser.first_comment, "", "", "", ""]


def review_page(article: Article, teasers: Sequence[Teaser], lang: str = "en",
                posts: Mapping[tuple[str, str, str], PostEntry] | None = None) -> str:
    """Return the Markdown page a person reads to review one article's teasers, in the team's ``lang``;
    ``posts`` (posts.lock) tells which cmhub posted, where and when, and which it missed."""
    t = team_strings(lang)
    lines = [f"# {article.title}", "", t["review_source"].format(source=article.source), ""]
    for teaser in ordered(teasers):
        account = teaser.account or t["review_no_account"]
        heading = f"{NETWORK_LABELS[teaser.network]} ({account})"
        if teaser.variant != "launch":
            heading += f", {teaser.variant}"
        media = teaser.media
        lines += [f"## {heading}", "",
                  t["review_when"].format(local=local_time(teaser), utc=utc_iso(teaser.at)),
                  t["review_length"].format(length=teaser.length, limit=teaser.limit,
                                            unit=counted_as(lang, teaser.network)),
                  t["review_link"].format(link=teaser.link)]
        if media:
            what = "review_picture" if media.url else "review_picture_later"
            lines.append(t[what].format(url=media.url, path=media.path, width=media.width, height=media.height,
                                        alt=media.alt))
        if teaser.first_comment:
            lines.append(t["review_first_comment"].format(text=teaser.first_comment))
        post = (posts or {}).get((teaser.source, teaser.network, teaser.variant))
        if post is not None and post.state == "posted":
            lines.append(t["review_posted"].format(url=post.url, utc=utc_iso(post.posted or teaser.at)))
        elif post is not None:
            lines.append(t["review_missed"].format(utc=utc_iso(post.noticed or teaser.at)))
        lines += ["", "```text", teaser.text, "```", ""]
        for index, part in enumerate(teaser.thread, start=2):
            lines += [t["review_thread_part"].format(index=index), "", "```text", part, "```", ""]
    return "\n".join(lines)
