"""Files gone from content/ since the snapshot (cmhub/content/snapshot.py): a draft given up, the picture
deleted with it, taken without reading the content whole when nothing left needs them.

Reading whole would find a mistake where a link, a cover or a teaser's picture of another article, a menu
entry or a translation names what is gone, and would publish or keep out other files when a gone article
kept some out or published some. So the snapshot keeps how many articles name each file and article file
of content/ (``referenced``), and a gone article's own names are taken off with it (from its rendering,
which the build cache keeps); what is gone must then be named by no article left.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Iterable, Mapping

from cmhub.content.kept_rows import KeptArticle
from cmhub.content.making import override_images
from cmhub.content.menus import every_menu
from cmhub.content.model import Image, State
from cmhub.incremental.cache import RenderCache
from cmhub.markdown.bodies import recalled
from cmhub.markdown.renderer import Rendered
from cmhub.settings.config import SiteConfig


def referenced(rendered: Rendered, image: Image | None, overrides: Iterable[str]) -> set[str]:
    """Return the names under content/ that an article needs: every article file and file its links ask for,
    the files its body uses, its cover and its teasers' pictures (``overrides``, as found)."""
    names = {target for target, _ in rendered.lookups}
    names.update(rendered.files, overrides)
    if image is not None and not image.remote:
        names.add(image.path)
    return names


def may_go(config: SiteConfig, now: dt.datetime, shown: Collection[State], kept: Mapping[str, KeptArticle],
           gone: Mapping[str, str], gone_files: Collection[str], named: Iterable[tuple[str, int]],
           known_files: Collection[str], cache: RenderCache) -> bool:
    """Tell whether the ``gone`` article files (by source, with their names under content/) and ``gone_files``
    can go without reading the content whole: no article left names them (``named``: how many articles
    named each name in the snapshot, the gone ones' own taken off), no menu entry or translation names a gone
    article's slug, a gone shown article (``shown``: the states a page shows at ``now``) published no file
    that unpublished ones mention, and each file a gone unpublished one kept out is gone too, or kept out by
    an unpublished article left (``known_files``: the files of content/ the snapshot knows)."""
    counts = Counter(dict(named))
    for source, name in gone.items():
        entry = kept[source]
        rendered = recalled(cache, entry.body_key)
        if rendered is None:
            return False
        folder = name.rpartition("/")[0]
        counts.subtract(referenced(rendered, entry.article.image, override_images(entry.article, folder, known_files)))
    if any(counts[name] > 0 for name in (*gone.values(), *gone_files)):
        return False
    left = [entry for source, entry in kept.items() if source not in gone]
    slugs = {kept[source].article.slug for source in gone}
    if slugs & _menu_pages(config) or any(entry.article.translation_of in slugs for entry in left):
        return False
    kept_out = {path for entry in left if entry.article.state(now) not in shown for path in entry.withholds}
    for source in gone:
        entry = kept[source]
        if entry.article.state(now) in shown:
            if entry.publishes:
                return False
        elif any(path not in gone_files and path not in kept_out for path in entry.withholds):
            return False
    return True


def _menu_pages(config: SiteConfig) -> set[str]:
    """Return the slugs the menus of site.yml name (the site's and each language's)."""
    return {entry.page for _, entries in every_menu(config) for entry in entries if entry.page}
