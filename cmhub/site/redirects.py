"""Old URLs that keep working: redirect pages and a `_redirects` file for hosts that read one."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from cmhub.content.model import Site
from cmhub.core.errors import CmhubError, error
from cmhub.core.limits import plain_path_problem
from cmhub.core.urls import output_file
from cmhub.ledgers.permalinks_lock import LEDGER_NAME, Ledger
from cmhub.output.files import OutputFile


@dataclass(frozen=True)
class Redirect:
    """An old site path that now leads to another page."""

    old: str
    """Site path no longer used ('2019/03/ancien-lien/')."""
    new: str
    """Site path it leads to."""
    source: str
    """Where it was declared (the article file, or the ledger)."""
    line: int | None = None


def alias_redirects(site: Site) -> list[Redirect]:
    """Return a redirect for every alias of every shown article."""
    return [Redirect(alias_path(alias), article.path, article.source, article.lines.get("aliases"))
            for article in (*site.shown, *site.shown_pages) for alias in article.aliases]


def ledger_redirects(site: Site, ledger: Ledger) -> tuple[list[Redirect], list[str]]:
    """Return redirects from every URL an article had before, and retired URLs; and the 'gone' paths.

    A recorded article that is no longer published (expired, or made a draft again) and a
    retired URL without a target both serve the 'gone' page.
    """
    shown = {a.source: a.path for a in (*site.shown, *site.shown_pages)}
    moved, gone = [], []
    for source, entry in ledger.entries.items():  # 10,000 at 10,000 articles: the few moved ones are sorted
        path = shown.get(source)
        if path is None:
            if entry.path not in ledger.retired:
                gone.append(entry.path)
        elif entry.old_paths:
            moved.append((source, entry.old_paths, path))
    redirects = [Redirect(old, path, LEDGER_NAME) for _, old_paths, path in sorted(moved)
                 for old in old_paths if old != path]
    for retired in sorted(ledger.retired.values(), key=lambda r: r.path):
        if retired.to:
            redirects.append(Redirect(retired.path, retired.to, LEDGER_NAME))
        else:
            gone.append(retired.path)
    return redirects, sorted(set(gone))


def alias_path(alias: str) -> str:
    """Return the site path of an alias: '/2019/old/' -> '2019/old/', '/old' -> 'old/', '/a.html' kept."""
    path = alias.lstrip("/")
    if path and not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
        path += "/"
    return path


def check_redirects(redirects: Sequence[Redirect], taken: Iterable[str]) -> None:
    """Raise CmhubError when a redirect would hide a real page or two redirects share one old path."""
    used = set(taken)
    problems = []
    seen: dict[str, Redirect] = {}
    for redirect in redirects:
        if output_file(redirect.old) in used:
            problems.append(error(redirect.source, redirect.line,
                                  f"alias '/{redirect.old}' is the URL of an existing page"))
        elif redirect.old in seen and seen[redirect.old].new != redirect.new:
            problems.append(error(redirect.source, redirect.line,
                                  f"alias '/{redirect.old}' is also claimed by {seen[redirect.old].source}"))
        seen.setdefault(redirect.old, redirect)
    if problems:
        raise CmhubError(problems)


def redirect_rule(old: str, new: str) -> str:
    """Return one line of `_redirects`: two plain site paths and the status.

    Raises ValueError (our bug: aliases and the ledger are checked where they are read) for a path
    that could change the meaning of the line (white space, '*', ':', '!', a host...).
    """
    for path in (old, new):
        if plain_path_problem(path) is not None:
            raise ValueError(f"unsafe path {path!r} in a redirect rule")
    return f"{old} {new} 301"


def redirect_files(site: Site, redirects: Sequence[Redirect],
                   render_page: Callable[[Redirect], OutputFile]) -> Iterator[OutputFile]:
    """Yield one redirect page per old path, and `_redirects` listing them all with status 301.

    A preview has no `_redirects`: a preview deployed by mistake sets up no redirect on its host.
    """
    unique = {r.old: r for r in sorted(redirects, key=lambda r: (r.old, r.new))}
    base = site.config.base_path
    lines = []
    for old, redirect in unique.items():
        yield replace(render_page(redirect), origin=(redirect.source, redirect.line))
        lines.append(redirect_rule(f"{base}{old}", f"{base}{redirect.new}"))
    if lines and not site.preview.active:
        yield OutputFile("_redirects", ("\n".join(lines) + "\n").encode("utf-8"))
