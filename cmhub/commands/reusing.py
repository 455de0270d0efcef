"""What a build may take from the build before, opened and saved in one place (cmhub.pipeline.project.Reuse)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from cmhub.commands.outputs import Outputs
from cmhub.incremental.cache import open_render_cache
from cmhub.incremental.reuse import reuse_nothing
from cmhub.pipeline.project import Project, Reuse


@contextmanager
def reusing(project: Project, outputs: Outputs | None = None) -> Iterator[Reuse]:
    """Open the build caches and, when ``outputs`` are written, what their previous writes hold; save
    the caches once the block succeeded (``--no-cache``: nothing is read or remembered).

    A strict build checks every page's links: it reuses no file, but the keys it makes are remembered.
    """
    use = project.request.use_cache
    bodies = open_render_cache(project.root, use)
    teasers = open_render_cache(project.root, use, "teasers")
    # read whole: it holds the snapshots of the content, and a build that reads the content whole must drop
    # the one it did not use (a preview renders a body under the key the other's HTML is read from)
    statuses = open_render_cache(project.root, use, "statuses", whole=True)
    site = social = None
    if outputs is not None and use:
        site, social = (reuse_nothing, reuse_nothing) if project.request.strict else \
            (outputs.reuse("pages"), outputs.reuse("social"))
    yield Reuse(bodies, teasers, site, social, statuses=statuses)
    bodies.save()
    teasers.save()
    statuses.save()
