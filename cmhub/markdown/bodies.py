"""Every article body rendered: from the cache when still valid, else in parallel processes.

A French body gets its no-break spaces (cmhub/core/typography.py) as it is rendered, and is cached with
them: a build that reuses the rendering does not space it again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from functools import partial
from types import MappingProxyType

from markupsafe import Markup

from cmhub.core.frozen import LATER, replaced
from cmhub.core.typography import french_spacing_html
from cmhub.incremental.cache import RenderCache, body_key
from cmhub.incremental.codec import loads
from cmhub.incremental.workers import forked_pool, forks_memory_allows, worker_count
from cmhub.markdown.renderer import Rendered, Renderer, html_references, img_sources, still_valid
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
        html = Markup(french_spacing_html(rendered.html))
        rendered = replace(rendered, html=html, summary_html=Markup(french_spacing_html(rendered.summary_html)),
                           pictures=img_sources(html), references=html_references(html))
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
        cached = recalled(cache, key)
        if cached is not None and still_valid(cached, LinkContext(folder, base_path, articles, files)):
            results[index] = cached
        else:
            missing.append(index)
    fresh = _render([fill(i) if fill is not None else jobs[i] for i in missing], base_path, articles, files,
                    while_bodies_render)
    for index, rendered in zip(missing, fresh, strict=True):
        results[index] = rendered
        keep(cache, keys[index], rendered)
    return [r for r in results if r is not None]


def keep(cache: RenderCache, key: str, rendered: Rendered) -> None:
    """Put a rendering in the build cache as two entries: all but its HTML under ``key``, its HTML apart
    (``recalled`` reads it back on first use: a rebuild shows few bodies again, and at 10,000 articles the
    HTML is 72 MB of the cache's 82)."""
    cache.put(key, replaced(rendered, html="", summary_html=""))
    cache.put(_HTML + key, (rendered.html, rendered.summary_html))


def recalled(cache: RenderCache, key: str) -> Rendered | None:
    """Return the rendering ``keep`` put under ``key``, its HTML decoded on first use; None when the cache
    holds no such rendering (or not its HTML)."""
    found = cache.get(key)
    if type(found) is not Rendered:
        return None
    html = cache.raw(_HTML + key)
    if html is None:
        return None
    made = object.__new__(Rendered)  # a copy: the cache's own entry is saved as it was read
    state = made.__dict__
    state.update(found.__dict__)
    del state["html"], state["summary_html"]
    state[LATER] = _Html(html)
    return made


def later_html(cache: RenderCache, key: str) -> object | None:
    """Return what stands for the HTML of the rendering ``keep`` put under ``key`` until it is first asked for
    (an article's LATER field: cmhub.core.frozen.later_field), marked as used; None when the cache lacks it.
    The cache's file that holds it is read then, if no other HTML of it was asked for before."""
    return _Html(partial(cache.raw, _HTML + key)) if cache.holds(_HTML + key) else None


_HTML = "html|"


class _Html:
    """The HTML of a rendering as the build cache holds it (JSON bytes, or what reads them from the cache),
    decoded the first time it is asked for (cmhub.core.frozen.later_field), once for the rendering and the
    article that share it."""

    def __init__(self, data: object):
        self.data = data
        self.decoded: dict[str, object] | None = None

    def fields(self) -> dict[str, object]:
        if self.decoded is None:
            data = self.data() if callable(self.data) else self.data
            if type(data) is bytes:
                try:
                    data = loads(data)
                except ValueError:
                    data = None
            if not (type(data) is tuple and len(data) == 2 and all(isinstance(part, str) for part in data)):
                # sealed by this machine beside its rendering: our bug, not a damaged cache
                raise RuntimeError(f"the build cache holds HTML of another shape for a body: {data!r:.200}")
            self.decoded = dict(zip(("html", "summary_html"), data, strict=True))
            self.data = None
        return self.decoded


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
