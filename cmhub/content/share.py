"""Pictures for sharing, published in site/ at stable, unlisted URLs under /_social/.

Every page that can be shared names a 1200x630 picture in ``og:image``: an article's cover cropped,
else a card with its title; the home and list pages a card of the hub. Teaser pictures of published
articles are published the same way, so that schedulers and APIs can fetch them by URL. Nothing of a
scheduled or draft article is published before it is (only shown articles get pictures), and robots.txt
keeps search engines out of the folder (sitemap.xml lists pages only).
"""

from __future__ import annotations

from functools import cache
from pathlib import PurePosixPath

from cmhub.content.model import Article, Site
from cmhub.core.urls import slugify

FOLDER = "_social/"
SHARE_SIZE = (1200, 630)
"""Open Graph's size: Facebook, LinkedIn, X's large card, Mastodon and Bluesky cards."""
SITE_CARD = f"{FOLDER}site-{SHARE_SIZE[0]}x{SHARE_SIZE[1]}.jpg"


def picture_path(article: Article, size: tuple[int, int]) -> str:
    """Return the site path of an article's picture at ``size``: its cover's crop, else its card.

    Named after the cover's own path (articles sharing a cover share its crops), or the slug.
    """
    image = article.image
    if image is not None and image.source is not None:
        return f"{FOLDER}cover/{picture_stem(image.path)}-{size[0]}x{size[1]}.jpg"
    return f"{FOLDER}card/{article.slug}-{size[0]}x{size[1]}.jpg"


@cache
def picture_stem(path: str) -> str:
    """Return the name the copies of the picture at ``path`` are made from: its path without its suffix,
    slugified (worked out once a picture: a hub's covers are shared by thousands of teasers)."""
    return slugify(str(PurePosixPath(path).with_suffix("")))


def picture_alt(site: Site, article: Article) -> str:
    """Return the alt text of an article's picture: the cover's, else what the card shows."""
    image = article.image
    if image is not None and image.source is not None and image.alt:
        return image.alt
    return f"{article.title} — {site.config.title}"


def site_card_alt(site: Site) -> str:
    """Return the alt text of the hub's card."""
    config = site.config
    return f"{config.title} — {config.description}" if config.description else config.title
