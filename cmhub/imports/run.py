"""One `cmhub import`: read the export, curate, place, compose, then write it all or nothing."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from cmhub.core.errors import CmhubError, Problem, error, errors_in
from cmhub.imports.archive import Archive, read_file
from cmhub.imports.compose import compose
from cmhub.imports.curation import Curation, curate, parse_bound, parse_selection
from cmhub.imports.model import Export
from cmhub.imports.planning import place
from cmhub.imports.record import Entry, format_record, load_record, text_digest
from cmhub.imports.staging import Write, write_all
from cmhub.settings.config import SiteConfig, load_config

Progress = Callable[[int], Callable[[], None]]
"""progress(total) -> tick(): shows how far the writing has gone."""


@dataclass(frozen=True)
class Request:
    """What the command line asked for."""

    source: str
    paths: tuple[Path, ...]
    """The export (one or more parts), as given."""
    to: Path | None = None
    publish: bool = False
    since: str | None = None
    until: str | None = None
    min_words: int = 0
    select: Path | None = None
    dry_run: bool = False
    allow_missing: bool = False
    uploads: Path | None = None


@dataclass(frozen=True)
class Listed:
    """One item of the listing: what happens to it."""

    id: str
    date: dt.datetime
    words: int
    status: str
    """'new', 'updated', 'imported' (already, unchanged), 'edited' (kept) or 'deleted' (not recreated)."""
    article: str
    title: str


@dataclass(frozen=True)
class Report:
    """What an import did (or, with --dry-run, would do)."""

    source: str
    folder: str
    listed: tuple[Listed, ...]
    left_out: int
    pictures: int
    """Pictures of the new articles."""
    unlabelled: int
    """Those without alt text."""
    videos: int
    remote: int
    """Pictures left as links to where they were."""
    published: int
    """New articles that are not drafts."""
    warnings: tuple[Problem, ...] = ()
    skipped: tuple[tuple[str, int], ...] = ()
    tips: tuple[str, ...] = field(default=())
    dry_run: bool = False

    def count(self, status: str) -> int:
        """Return how many items have this status."""
        return sum(1 for item in self.listed if item.status == status)


def import_export(root: Path, request: Request, progress: Progress | None = None) -> Report:
    """Import an export into the hub at ``root``; return what was done.

    Raises CmhubError, having written nothing, for every problem of the input found.
    """
    config = load_config(root)
    folder = _target_folder(config, request)
    with ExitStack() as stack:
        return _import(config.root, config, folder, read_export(config, request, stack), request, progress)


def _import(root: Path, config: SiteConfig, folder: Path, export: Export, request: Request,
            progress: Progress | None) -> Report:
    items, left_out = curate(export.items, _curation(config, request))
    record = load_record(root)
    placed = place(items, record, config, folder)
    writes: list[Write] = []
    listed: list[Listed] = []
    problems: list[Problem] = list(export.notes)
    new_record = dict(record)
    pictures = unlabelled = videos = remote = published = 0
    for spot in placed:
        item, path = spot.item, root / spot.article
        entry = record.get((item.source, item.id))
        composed = compose(item, spot.article, export, publish=request.publish, aliases=spot.aliases,
                           allow_missing=request.allow_missing)
        digest = text_digest(composed.text)
        if entry is None:
            status = "new"
            problems.extend(composed.problems)
            writes.append(Write(spot.article, composed.text))
            writes.extend(Write(copy.target, store=export.media, key=copy.key) for copy in composed.copies)
            pictures, unlabelled = pictures + composed.pictures, unlabelled + composed.unlabelled
            videos, remote = videos + composed.videos, remote + composed.remote
            published += not composed.draft
        elif not path.exists():
            status = "deleted"
        elif text_digest(path.read_text(encoding="utf-8")) != entry.digest:
            status = "edited"
        elif digest == entry.digest:
            status = "imported"
        else:
            status = "updated"
            writes.append(Write(spot.article, composed.text, replaces=entry.digest))
        if status in ("new", "updated"):
            new_record[(item.source, item.id)] = Entry(item.source, item.id, spot.article, digest)
        listed.append(Listed(item.id, item.date, item.words, status, spot.article, item.title))
    if errors_in(problems):
        raise CmhubError(problems)
    if not request.dry_run and writes:
        tick = progress(len(writes)) if progress else (lambda: None)
        write_all(root, config.content, writes, format_record(new_record), tick)
    return Report(export.source, folder.relative_to(root).as_posix(), tuple(listed), left_out, pictures, unlabelled,
                  videos, remote, published, tuple(problems), export.skipped, export.tips, request.dry_run)


def read_export(config: SiteConfig, request: Request, stack: ExitStack) -> Export:
    """Read the export the request names, with the reader of its source (``stack`` closes what it opens)."""
    displays = tuple(str(p) for p in request.paths)
    for path, display in zip(request.paths, displays, strict=True):
        if not path.exists():
            raise CmhubError([error(display, None, "not found")])
    if request.source in ("instagram", "facebook"):
        from cmhub.imports.facebook import read_facebook
        from cmhub.imports.instagram import read_instagram

        archive = Archive(request.paths, displays)
        stack.callback(archive.close)
        reader = read_instagram if request.source == "instagram" else read_facebook
        return reader(archive, config.tz)  # the archive stays open: media are copied from it later
    path, display = request.paths[0], displays[0]
    if request.source == "wordpress":
        from cmhub.imports.wordpress import read_wordpress

        uploads = request.uploads
        if uploads is not None and not uploads.is_dir():
            raise CmhubError([error(str(uploads), None, "--uploads must be a folder (WordPress's wp-content/uploads)")])
        if path.is_dir() or zipfile.is_zipfile(path):  # WordPress.com gives a zip of one or more XML files
            archive = Archive([path], [display])
            stack.callback(archive.close)
            names = [name for name in archive.names if name.lower().endswith(".xml")]
            if not names:
                raise CmhubError([error(display, None, "holds no .xml file: is it a WordPress export?")])
            documents = [(archive.read_bytes(name), archive.where(name)) for name in names]
        else:
            documents = [(read_file(path, display), display)]
        return read_wordpress(documents, config, uploads, str(uploads))
    from cmhub.imports.feed import read_feed

    return read_feed(read_file(path, display), display, config)


def _target_folder(config: SiteConfig, request: Request) -> Path:
    """Return the folder new articles go to: --to (inside content/), else content/<source>/."""
    if request.to is None:
        return config.content / request.source
    folder = (config.root / request.to).resolve()
    content = config.content.resolve()
    if folder != content and content not in folder.parents:
        raise CmhubError([error("--to", None, f"must be a folder inside {config.content.name}/ "
                                              f"(articles elsewhere are not built), got '{request.to}'")])
    return config.content / folder.relative_to(content)


def _curation(config: SiteConfig, request: Request) -> Curation:
    selection = None
    if request.select is not None:
        shown = str(request.select)
        try:
            selection = parse_selection(request.select.read_text(encoding="utf-8"), shown)
        except (OSError, UnicodeDecodeError) as exc:
            raise CmhubError([error(shown, None, f"cannot be read: {exc}")]) from exc
    return Curation(parse_bound(request.since, "--since", config.tz),
                    parse_bound(request.until, "--until", config.tz, end=True), request.min_words, selection)
