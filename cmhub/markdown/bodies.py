"""Every article body rendered: from the cache when still valid, else in parallel processes.

A French body gets its no-break spaces (cmhub/core/typography.py) as it is rendered, and is cached with
them: a build that reuses the rendering does not space it again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from types import MappingProxyType

from markupsafe import Markup

from cmhub.core.typography import french_spacing_html
from cmhub.incremental.cache import RenderCache, body_key
from cmhub.incremental.workers import forked_pool, forks_memory_allows, worker_count
from cmhub.markdown.renderer import Rendered, Renderer, still_valid
from cmhub.markdown.targets import LinkContext, LinkIssue, LinkTarget

PARALLEL_FROM = 64
"""Below this many bodies to render, starting processes costs more than it saves."""

_worker: dict[str, object] = {}
"""Per worker process: its Renderer and the link tables shared by every job (set once at start)."""


def _start_worker(base_path: str, articles: Mapping[str, LinkTarget], files: frozenset[str]) -> None:
    _worker.update(renderer=Renderer(), base_path=base_path, articles=articles, files=files)


def _render_job(job: tuple[str, str, bool]) -> Rendered:
    body, source_dir, french = job
    context = LinkContext(source_dir, _worker["base_path"], _worker["articles"], _worker["files"])  # type: ignore[arg-type]
    try:
        rendered = _worker["renderer"].render(body, context)  # type: ignore[union-attr]
    except RecursionError:  # Python-Markdown reads nested blocks recursively
        _worker["renderer"] = Renderer()  # the one that gave up may hold half a state
        return Rendered("", "", "", 0, issues=(LinkIssue(body.strip()[:40], TOO_DEEP),))  # found at its line
    if french:  # no-break spaces before : ; ! ? and inside « » (issue #15.6)
        rendered = replace(rendered, html=Markup(french_spacing_html(rendered.html)),
                           summary_html=Markup(french_spacing_html(rendered.summary_html)))
    return rendered


TOO_DEEP = ("the text nests lists, quotes, definitions or notes too deeply (or holds too many of them) for "
            "Markdown to read; simplify it")


def body_keys(jobs: Sequence[tuple[str, str, bool]], base_path: str, cache: RenderCache,
              known: Mapping[int, str] = MappingProxyType({})) -> list[str]:
    """Return the cache key of each (body, source folder, French) job ('' each without a cache file); the
    keys of the jobs indexed in ``known`` are taken from it (their bodies may be left out)."""
    if cache.path is None:
        return [""] * len(jobs)
    return [known[index] if index in known else body_key(body, folder, base_path, french)
            for index, (body, folder, french) in enumerate(jobs)]


def render_bodies(jobs: Sequence[tuple[str, str, bool]], base_path: str, articles: Mapping[str, LinkTarget],
                  files: frozenset[str], cache: RenderCache,
                  while_bodies_render: Callable[[], None] | None = None,
                  keys: Sequence[str] | None = None,
                  fill: Callable[[int], tuple[str, str, bool]] | None = None) -> list[Rendered]:
    """Return the rendering of each (body, source folder, French) job, in order; ``keys`` are the
    jobs' body_keys when the caller has them, and ``fill(index)`` gives the job to render in place of
    ``jobs[index]`` when its cached rendering cannot be used (the caller's jobs may leave out bodies
    the cache holds: see cmhub.content.statuses).

    When the bodies render in other processes, this one calls ``while_bodies_render()`` while it waits.
    """
    results: list[Rendered | None] = [None] * len(jobs)
    keys = body_keys(jobs, base_path, cache) if keys is None else keys
    missing: list[int] = []
    for index, (key, (_, folder, _french)) in enumerate(zip(keys, jobs, strict=True)):
        cached = cache.get(key)
        if cached is not None and still_valid(cached, LinkContext(folder, base_path, articles, files)):
            results[index] = cached
        else:
            missing.append(index)
    fresh = _render([fill(i) if fill is not None else jobs[i] for i in missing], base_path, articles, files,
                    while_bodies_render)
    for index, rendered in zip(missing, fresh, strict=True):
        results[index] = rendered
        cache.put(keys[index], rendered)
    return [r for r in results if r is not None]


def _render(jobs: list[tuple[str, str, bool]], base_path: str, articles: Mapping[str, LinkTarget],
            files: frozenset[str], while_bodies_render: Callable[[], None] | None) -> list[Rendered]:
    count = worker_count()
    if len(jobs) >= PARALLEL_FROM and count > 1:
        count = forks_memory_allows(count)
    if len(jobs) < PARALLEL_FROM or count < 2:
        _start_worker(base_path, articles, files)
        try:
            return [_render_job(job) for job in jobs]
        finally:
            _worker.clear()
    # fork: workers inherit the link tables instead of receiving a pickled copy per job
    with forked_pool(count, initializer=_start_worker, initargs=(base_path, articles, files)) as pool:
        rendered = pool.map(_render_job, jobs, chunksize=max(1, len(jobs) // (count * 8)))  # all submitted
        if while_bodies_render is not None:
            while_bodies_render()
        return list(rendered)
