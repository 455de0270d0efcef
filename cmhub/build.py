"""The build, as a story: read the hub, render it, write it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from cmhub.config import SiteConfig, load_config
from cmhub.content import read_content
from cmhub.dates import build_now, iso
from cmhub.errors import CmhubError, Problem, error, errors_in
from cmhub.feeds import feed_files
from cmhub.models import OutputFile, Preview, Site
from cmhub.redirects import alias_redirects, check_redirects
from cmhub.render import render_pages, render_redirects
from cmhub.sitemap import sitemap_files
from cmhub.theme import load_theme
from cmhub.writer import check_output_folder, write_folder


@dataclass(frozen=True)
class BuildResult:
    """A finished build: the site at ``now``, its output files and the warnings met."""

    site: Site
    files: tuple[OutputFile, ...]
    warnings: tuple[Problem, ...]

    def summary(self) -> str:
        """Return the one line that ends a build."""
        site = self.site
        counts = {state: len(site.in_state(state)) for state in ("published", "scheduled", "draft", "expired")}
        line = (f"{counts['published']} published, {counts['scheduled']} scheduled, {counts['draft']} draft"
                + (f", {counts['expired']} expired" if counts["expired"] else ""))
        upcoming = site.next_scheduled()
        line += f"; next scheduled publication: {iso(upcoming)}" if upcoming else "; nothing scheduled"
        return line


def build(config: SiteConfig, now: dt.datetime, preview: Preview = Preview()) -> BuildResult:
    """Return every output file of the hub as it stands at ``now``.

    Raises CmhubError listing every error found in the project.
    """
    theme = load_theme(config.theme, config.root)
    content = read_content(config, now, preview)
    raise_errors(content.problems)
    site = Site(config, now, content.articles, content.assets, preview)
    pages = (*render_pages(site, theme), *asset_files(site))
    redirects = alias_redirects(site)
    check_redirects(redirects, taken=(f.path for f in pages))
    files = (
        *pages,
        *render_redirects(site, theme, redirects),
        *feed_files(site),
        *sitemap_files(site),
    )
    return BuildResult(site, files, tuple(p for p in content.problems if p.severity == "warning"))


def asset_files(site: Site) -> Iterator[OutputFile]:
    """Yield the files of content/ that the site serves as they are."""
    for asset in site.assets:
        yield OutputFile(asset.path, source=asset.source)


def raise_errors(problems: Sequence[Problem]) -> None:
    """Raise CmhubError with every problem if any of them is an error."""
    if errors_in(problems):
        raise CmhubError(problems)


def build_project(root: Path, *, now: str | None = None, preview: Preview = Preview(),
                  strict: bool = False, output: Path | None = None) -> BuildResult:
    """Load the project at ``root``, build it and write its output folder.

    With ``strict``, warnings fail the build too. Raises CmhubError; on any error the
    previous output folder is left untouched.
    """
    config = load_config(root)
    if output is not None:
        config = _with_output(config, output)
    try:
        moment = build_now(now, config.tz)
    except ValueError as exc:
        raise CmhubError([error("--now", None, str(exc))]) from exc
    check_output_folder(config.output, config.root, (config.content, config.theme))
    result = build(config, moment, preview)
    if strict and result.warnings:
        raise CmhubError([*result.warnings, error("--strict", None, "warnings are errors in strict mode")])
    write_folder(result.files, config.output)
    return result


def _with_output(config: SiteConfig, output: Path) -> SiteConfig:
    from dataclasses import replace

    return replace(config, output=output.resolve())
