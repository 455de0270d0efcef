"""The syndication step kept whole: after an edit that changes no teaser, social/ and what the step adds to
site/ are the last build's.

At 10,000 articles the step reads back ~38,000 teasers, illustrates and plans them, and keys and stages
~10,000 files of social/: ~1.5 s of every edit, for an edit of an article's body that leaves its teasers
as they were. So a build that made the step in full keeps a record of it (``KEPT`` in the build cache),
and the next build takes its result from there when nothing the step reads has changed:

- the step's *key*: site.yml, cmhub's version and the preview switches; the theme's social templates and
  page templates; plan.lock as read, the articles found moved, posts.lock and the replies (the backfeed),
  the feed ids; the status of each cover (its pictures are made from its bytes) but a hidden draft's;
- the clock: the same day in the hub's zone (the calendar looks 30 days back from it), strictly between
  the same two instants (publications, expiries, teasers: the step's output changes by itself at each);
- every article and page: the same digest (every field, its cover's size), or, for an article whose digest
  changed, the same *face* (``face``: every field but those made from its body alone, BODY, and the
  digest of its teasers, made again: a teaser template may read the body); an article the record does not
  know only when it is a *hidden draft* (one the build does not show: no teasers, no place in the plan, no
  share picture) that translates nothing and that plan.lock never planned (a draft started), and an
  article of the record's gone only when it was such a draft then (a draft given up);
- social/ as that build made it (its manifest's files and their bytes), and each file that build added
  to site/ still at hand (a kept file still in site/, a picture still in the cache and sealed).

The record is kept only by a build whose step left plan.lock as it found it: the next build, given the
same inputs, plans the same. Otherwise, or beyond MOST_CHANGED changed articles, the step is made in full.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain

from cmhub.content.digests import ArticleDigests, site_digest
from cmhub.content.model import Article, Site, shown_states
from cmhub.core.errors import Problem
from cmhub.core.locations import CACHE_FOLDER
from cmhub.incremental import codec
from cmhub.incremental.cache import RenderCache
from cmhub.incremental.keys import digest, digest_of
from cmhub.incremental.reuse import ReuseCheck
from cmhub.incremental.vouched import trusted_file
from cmhub.ledgers.plan_lock import PlanLedger
from cmhub.output.files import OutputFile
from cmhub.output.manifest import ManifestEntry
from cmhub.output.seals import read_sealed, write_sealed
from cmhub.output.staging import same_file
from cmhub.social.reports import REPORTS, kept_reports
from cmhub.social.teasers import TeaserWriter
from cmhub.theming.loader import Theme

KEPT = "syndication.kept"
"""In .cmhub-cache/: the record of the last step made in full (sealed)."""
BODY = frozenset({"html", "summary_html", "words", "reading_minutes", "pictures"})
"""The fields of an article made from its body alone. The step reads them only through the teasers'
templates, whose output a face holds (tests/social/test_kept.py checks that it reads no other way)."""
FACE = tuple(f.name for f in dataclasses.fields(Article) if f.name not in BODY)
MOST_CHANGED = 50
"""Beyond this many articles changed since the record, the step is made in full (and recorded anew)."""


@dataclass(frozen=True)
class KeptStep:
    """What the last step made in full, and what it was made from."""

    key: str
    day: str
    after: float
    before: float
    """The clock lay strictly between these instants (POSIX seconds; infinite when there is none)."""
    articles: dict[str, str]
    """Each article's digest, by source."""
    faces: dict[str, str]
    """Each article's face, by source."""
    social: str
    """The digest of social/ as that build staged it (each file's path and bytes)."""
    problems: tuple[Problem, ...]
    times: tuple[dt.datetime, ...]
    """The instants of the step's own nearest the clock (when its output changes by itself)."""
    site_files: tuple[OutputFile, ...]
    """What the step added to site/."""
    hidden: tuple[str, ...]
    """The articles that were hidden drafts (_hidden_drafts): one of them deleted changes nothing the step made."""


def step_key(site: Site, theme: Theme, plan: PlanLedger) -> str | None:
    """Return the digest of what the step reads besides the articles and the clock (None: unknown)."""
    if plan.exists and not plan.read_from:
        return None
    unseen = _unseen(site)
    covers = sorted({str(a.image.source) for a in site.articles
                     if a.image is not None and a.image.source and not unseen(a)})
    return digest_of(chain(
        [site_digest(site), theme.template_digest("social"), theme.template_digest("templates"),
         plan.read_from if plan.exists else "no plan.lock", sorted(site.moved.items()), site.backfeed,
         digest_of(sorted(site.feed_ids.items()))],
        (f"{path}|{_status(path)}" for path in covers)))


def face(article: Article, teasers: str) -> str:
    """Return what the step reads of an article: every field but BODY, and ``teasers`` (their digest)."""
    return digest(teasers, *(getattr(article, name) for name in FACE))


def social_digest(files: Mapping[str, ManifestEntry | None]) -> str:
    """Return the digest of an output folder's files (path and bytes), as its manifest lists them."""
    return digest_of(f"{path}|{entry.digest if entry is not None else ''}" for path, entry in sorted(files.items()))


def recall_step(kept: KeptStep | None, site: Site, theme: Theme, teasers: RenderCache | None,
                digests: ArticleDigests, plan: PlanLedger, social: Mapping[str, ManifestEntry], social_folder: str,
                reuse_site: ReuseCheck) -> KeptStep | None:
    """Return ``kept``, the record of the last step (read_step), when a step made now would make the same
    (see the module's docstring): ``social`` is what social/'s manifest lists (in ``social_folder``),
    ``reuse_site`` what site/ holds. None when it would not, or when it cannot tell."""
    if teasers is None or teasers.path is None or kept is None or kept.key != step_key(site, theme, plan):
        return None
    now = site.now.timestamp()
    if kept.day != _day(site) or not kept.after < now < kept.before:
        return None
    articles = (*site.articles, *site.pages)
    new = _new_drafts(site, kept, plan)  # the articles the record does not know
    if new is None or not kept.articles.keys() - {a.source for a in articles} <= set(kept.hidden):  # and gone
        return None
    changed = [a for a in articles if a.source not in new and kept.articles[a.source] != digests(a)]
    if len(changed) > MOST_CHANGED or not _same_faces(site, theme, teasers, digests, changed, kept.faces):
        return None
    if social_digest(social) != kept.social or not all(
            same_file(os.path.join(social_folder, path), entry) for path, entry in social.items()):
        return None
    return kept if _at_hand(kept.site_files, reuse_site) else None


def kept_folder(social: Mapping[str, ManifestEntry], social_output: os.PathLike[str]) -> Iterator[OutputFile]:
    """Yield social/'s files as the last write left them (checked by recall_step), and the reports
    ``cmhub report`` wrote since (reports/ is always taken as it is: cmhub.social.reports)."""
    for path, entry in social.items():
        if not path.startswith(f"{REPORTS}/"):
            yield OutputFile(path, key=entry.key, reuse=True)
    yield from kept_reports(social_output)  # type: ignore[arg-type]


def keep_step(earlier: KeptStep | None, site: Site, theme: Theme, digests: ArticleDigests, plan: PlanLedger,
              made: PlanLedger, contents: Mapping[str, str], social: Mapping[str, ManifestEntry | None],
              problems: Sequence[Problem], times: frozenset[dt.datetime], site_files: Sequence[OutputFile]) -> None:
    """Record a step made in full (``made``: plan.lock as it leaves it; ``contents``: the digest of each
    article's teasers; ``social``: what social/'s new tree holds) when the next build may take it; the
    faces of the articles unchanged since ``earlier`` (the last record) are taken from there."""
    key = step_key(site, theme, plan)
    path = site.config.root / CACHE_FOLDER / KEPT
    if key is None or made.entries != plan.entries or made.exists != plan.exists or None in social.values():
        path.unlink(missing_ok=True)
        return
    articles = {a.source: digests(a) for a in (*site.articles, *site.pages)}
    faces = {}
    for article in (*site.articles, *site.pages):  # one unchanged since the last record keeps its face
        source = article.source
        known = earlier is not None and earlier.articles.get(source) == articles[source]
        faces[source] = earlier.faces[source] if known else face(article, contents.get(source, ""))
    instants = sorted(chain(times, (a.date for a in site.articles), (a.expires for a in site.articles if a.expires)))
    now = site.now
    after = max((i for i in instants if i <= now), default=None)
    before = min((i for i in instants if i > now), default=None)
    nearest = tuple(t for t in times if t in (after, before))  # the step's own, nearest the clock
    record = KeptStep(key, _day(site), after.timestamp() if after else float("-inf"),
                      before.timestamp() if before else float("inf"), articles, faces, social_digest(social),
                      tuple(problems), tuple(sorted(set(nearest))), tuple(site_files), _hidden_drafts(site, plan))
    try:
        write_sealed(path, codec.dumps(record).encode("utf-8", "surrogatepass"), f"kept:{KEPT}")
    except (OSError, codec.Unencodable):
        path.unlink(missing_ok=True)  # the next step is made in full: it only costs time


def read_step(site: Site) -> KeptStep | None:
    """Return the record of the last step made in full, None when there is none (or it cannot be read)."""
    path = site.config.root / CACHE_FOLDER / KEPT
    body = read_sealed(path, f"kept:{KEPT}")
    try:
        found = codec.loads(body) if body is not None else None
    except ValueError:
        return None
    return found if type(found) is KeptStep else None


def _unseen(site: Site) -> Callable[[Article], bool]:
    """Return what tells whether the step has nothing to do with an article: a draft this build does not show
    (it gets no teasers, no place in the plan and no share picture)."""
    if "draft" in shown_states(site.preview):
        return lambda article: False
    now = site.now
    return lambda article: article.state(now) == "draft"


def _new_drafts(site: Site, kept: KeptStep, plan: PlanLedger) -> set[str] | None:
    """Return the articles the record does not know, when each is one the step has nothing to do with (a
    hidden draft: _hidden_drafts); None when one of them is another."""
    new = [a for a in (*site.articles, *site.pages) if a.source not in kept.articles]
    if not new:
        return set()
    hidden = _hidden_drafts(site, plan, new)
    return {a.source for a in new} if len(hidden) == len(new) else None


def _hidden_drafts(site: Site, plan: PlanLedger, articles: Sequence[Article] | None = None) -> tuple[str, ...]:
    """Return the sources of ``articles`` (by default, the site's) that the step has nothing to do with: a
    draft this build does not show, that translates nothing (whether any article is a translation tells
    which account a teaser goes to) and that plan.lock never planned."""
    planned, unseen = {entry.source for entry in plan.entries}, _unseen(site)
    return tuple(a.source for a in (articles if articles is not None else (*site.articles, *site.pages))
                 if unseen(a) and not a.translation_of and a.source not in planned)


def _same_faces(site: Site, theme: Theme, cache: RenderCache, digests: ArticleDigests,
                changed: Sequence[Article], faces: Mapping[str, str]) -> bool:
    """Tell whether each changed article has the face it had (its teasers made again, from the cache when
    they can be); False also when one of them has a problem (the step made in full reports it)."""
    if not changed:
        return True
    syndicated = {a.source for a in site.syndicated}
    writer = TeaserWriter(site, theme, cache, digests)
    _, problems = writer.teasers([a for a in changed if a.source in syndicated])
    if problems:
        return False
    return all(face(a, writer.contents.get(a.source, "")) == faces[a.source] for a in changed)


def _at_hand(files: Sequence[OutputFile], reuse_site: ReuseCheck) -> bool:
    """Tell whether each file the step added to site/ can be added again: a kept one is still in site/,
    a picture linked from the cache is still there, sealed."""
    trusted: set[object] = set()
    for item in files:
        if item.reuse:
            if reuse_site is None or not reuse_site(item.path, item.key):
                return False
        elif item.source is not None and item.source not in trusted:
            if not trusted_file(item.source):
                return False
            trusted.add(item.source)
    return True


def _day(site: Site) -> str:
    return site.now.astimezone(site.config.tz).date().isoformat()


def _status(path: str) -> str:
    try:
        info = os.stat(path)
    except OSError:
        return "missing"
    return f"{info.st_size}|{info.st_mtime_ns}|{info.st_ino}"
