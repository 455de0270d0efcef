"""`cmhub import instagram|facebook|wordpress|feed`: the click group, and how its results are printed."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from cmhub.imports.run import Report

_PATH = click.Path(path_type=Path)


def _options(function: Callable[..., Any]) -> Callable[..., Any]:
    """Add the options every import shares."""
    options = [
        click.option("-C", "--project", "project", type=click.Path(file_okay=False, path_type=Path), default=".",
                     show_default=True, help="The hub folder (the one holding site.yml)."),
        click.option("--to", type=_PATH, help="Folder for the new articles, inside content/ (default: "
                                              "content/<source>/)."),
        click.option("--publish", is_flag=True, help="Keep the original dates as publication dates instead of "
                                                     "writing drafts."),
        click.option("--since", metavar="DATE", help="Only items from this day or instant (hub time zone)."),
        click.option("--until", metavar="DATE", help="Only items up to this day (included) or instant."),
        click.option("--min-words", type=click.IntRange(min=0), default=0, help="Only items with this many words "
                                                                                 "or more (hashtags not counted)."),
        click.option("--select", type=_PATH, metavar="FILE", help="Only the items this file lists: ids, days or "
                                                                  "URLs, one a line (a trimmed --dry-run listing)."),
        click.option("--dry-run", is_flag=True, help="Write nothing; list what would be written."),
        click.option("--allow-missing", is_flag=True, help="A media missing from the export is a warning, "
                                                           "not an error."),
        click.option("-q", "--quiet", is_flag=True, help="Print problems only."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


@click.group(name="import")
def import_group() -> None:
    """Bring posts home: Instagram, Facebook, WordPress or a feed, as Markdown articles (drafts).

    Example: cmhub import instagram instagram-asso-2026-11-20.zip --dry-run
    """


@import_group.command()
@click.argument("paths", nargs=-1, required=True, type=_PATH, metavar="PATH...")
@_options
def instagram(paths: tuple[Path, ...], **options: Any) -> None:
    """Import the posts and reels of an Instagram export (JSON format; the .zip, its parts, or a folder).

    Example: cmhub import instagram instagram-asso-2026-11-20.zip --since 2024-01-01
    """
    _run("instagram", paths, None, **options)


@import_group.command()
@click.argument("paths", nargs=-1, required=True, type=_PATH, metavar="PATH...")
@_options
def facebook(paths: tuple[Path, ...], **options: Any) -> None:
    """Import the posts of a Facebook Page or profile export (JSON format; the .zip, its parts, or a folder).

    Example: cmhub import facebook facebook-asso-2026-11-20.zip --min-words 20
    """
    _run("facebook", paths, None, **options)


@import_group.command()
@click.argument("file", type=_PATH)
@click.option("--uploads", type=_PATH, metavar="DIR", help="The site's wp-content/uploads folder, to copy "
                                                           "the pictures from.")
@_options
def wordpress(file: Path, uploads: Path | None, **options: Any) -> None:
    """Import the posts and pages of a WordPress export (Tools > Export > All content), with their state.

    Example: cmhub import wordpress asso.WordPress.2026-11-20.xml --uploads wp-content/uploads
    """
    _run("wordpress", (file,), uploads, **options)


@import_group.command()
@click.argument("file", type=_PATH)
@_options
def feed(file: Path, **options: Any) -> None:
    """Import the entries of an RSS or Atom file (a blog's feed, a Medium feed, a Blogger export).

    Example: cmhub import feed medium-feed.xml
    """
    _run("feed", (file,), None, **options)


def _run(source: str, paths: tuple[Path, ...], uploads: Path | None, *, project: Path, quiet: bool,
         **options: Any) -> None:
    from cmhub.cli.shared import report, run
    from cmhub.imports.run import Request, import_export

    request = Request(source, paths, uploads=uploads, **options)
    bar = _ProgressBar(enabled=not quiet and not os.environ.get("CI") and sys.stderr.isatty())
    try:
        outcome = run(lambda: import_export(project, request, bar.start))
    finally:
        bar.close()
    report(outcome.warnings)
    if outcome.dry_run:
        click.echo(listing(outcome))
    if not quiet:
        for line in summary(outcome):
            click.echo(line, err=outcome.dry_run)


class _ProgressBar:
    """click's progress bar on stderr, shown in a terminal only."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.bar: Any = None

    def start(self, total: int) -> Callable[[], None]:
        """Show the bar for ``total`` files; return what advances it by one."""
        if not self.enabled:
            return lambda: None
        self.bar = click.progressbar(length=total, label="importing", file=sys.stderr)
        self.bar.__enter__()
        return lambda: self.bar.update(1)

    def close(self) -> None:
        """Take the bar down, if it was shown."""
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def listing(outcome: Report) -> str:
    """Return the --dry-run listing: one line per item, tab-separated; it doubles as a --select file."""
    lines = [f"# cmhub import {outcome.source}: {len(outcome.listed)} items. Keep the lines worth importing and "
             "pass this file to --select.",
             "# id\tdate\twords\tstatus\tarticle\ttitle"]
    for item in outcome.listed:
        title = " ".join(item.title.split())
        lines.append(f"{item.id}\t{item.date:%Y-%m-%dT%H:%M}\t{item.words}\t{item.status}\t{item.article}\t{title}")
    return "\n".join(lines)


def summary(outcome: Report) -> list[str]:
    """Return what the import did (or would do), in a few lines."""
    new, updated = outcome.count("new"), outcome.count("updated")
    would = "would be " if outcome.dry_run else ""
    drafts = new - outcome.published
    if not new:
        first = "nothing new"
    else:
        kind = "drafts" if drafts == new else "published or scheduled" if not drafts else f"{drafts} drafts"
        media = [f"{n} {word}{'s' * (n != 1)}" for n, word in ((outcome.pictures, "picture"),
                                                                 (outcome.videos, "video")) if n]
        first = f"{new} new article{'s' * (new != 1)} ({kind}) {would}written" + \
            (f", with {' and '.join(media)}" if media else "")
    already = sum(outcome.count(s) for s in ("imported", "edited", "deleted", "updated"))
    if updated:
        first += f"; {updated} not edited since the last import {would}brought up to date"
    if already:
        first += f"; {already} already imported" + _already(outcome)
    lines = [f"{outcome.folder}/: {first}"]
    if outcome.left_out:
        lines.append(f"{outcome.left_out} left out by --since, --until, --min-words or --select")
    if outcome.skipped:
        lines.append("not imported: " + ", ".join(f"{count} {what}" for what, count in outcome.skipped))
    if outcome.unlabelled:
        lines.append(f"{outcome.unlabelled} picture{'s' * (outcome.unlabelled != 1)} without alt text: describe each "
                     "one (image_alt, or the text between ![ and ]); cmhub warns until then, and "
                     "'cmhub build --strict' fails")
    if outcome.remote:
        how = "pass --uploads wp-content/uploads to copy them" if outcome.source == "wordpress" else \
            "download them into content/ and change their links if they must last"
        lines.append(f"{outcome.remote} picture{'s' * (outcome.remote != 1)} still load from where they were: {how}")
    lines.extend(outcome.tips)
    if new and not outcome.dry_run:
        lines.append(f"next: review the articles in {outcome.folder}/, describe the pictures, then delete "
                     "'draft: true' from those to publish (cmhub serve shows drafts)")
    return lines


def _already(outcome: Report) -> str:
    parts = [f"{outcome.count('edited')} edited since, kept as they are"] if outcome.count("edited") else []
    if outcome.count("deleted"):
        parts.append(f"{outcome.count('deleted')} deleted since, not recreated")
    return f" ({'; '.join(parts)})" if parts else ""
