"""`cmhub retire`: take a published URL down on purpose, as a person pastes it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import unquote, urlsplit

from cmhub.content.permalinks import is_served
from cmhub.core.dates import iso
from cmhub.core.errors import CmhubError, error
from cmhub.core.urls import site_path_problem
from cmhub.ledgers.permalinks_lock import LEDGER_NAME, Ledger, Retired, format_ledger
from cmhub.ledgers.permalinks_reading import load_ledger
from cmhub.settings.config import SiteConfig, load_config


def site_path(url: str, config: SiteConfig, what: str) -> str:
    """Return the site path of a URL of this hub given as '/x/', 'x', '/blog/x/' or 'https://host/blog/x/'.

    The query and fragment (tracking parameters of a shared link) are ignored. Raises CmhubError,
    naming ``what``, for a URL of another site or one that cannot be a path of this hub.
    """
    text = url.strip()
    blank = next((c for c in text if c.isspace() or not c.isprintable()), None)
    if blank is not None:  # urlsplit would silently drop a newline or a tab
        raise CmhubError([error(what, None, f"{url!r} contains {blank!r}, which a URL path cannot hold")])
    base = urlsplit(config.url)
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise CmhubError([error(what, None, f"{url!r} is not a URL")]) from None
    if parts.scheme or parts.netloc:
        if parts.scheme not in ("http", "https") or parts.hostname != base.hostname or port != base.port:
            raise CmhubError([error(what, None, f"{url!r} is not on this hub ({config.url}): give a URL of "
                                    "the hub, or its path such as /an-article/")])
        path = parts.path or "/"
    else:
        path = parts.path if parts.path.startswith("/") else "/" + parts.path
    path = unquote(path)
    if path.startswith(config.base_path):
        path = "/" + path[len(config.base_path):]
    elif parts.netloc:
        raise CmhubError([error(what, None, f"{url!r} is outside the hub, which lives under {config.base_path}")])
    path = path[1:]
    if path and not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
        path += "/"
    problem = site_path_problem(path)
    if problem:
        raise CmhubError([error(what, None, f"{url!r} {problem}")])
    return path


def retire(ledger: Ledger, config: SiteConfig, url: str, redirect_to: str, now: dt.datetime) -> tuple[Ledger, str]:
    """Return the ledger with ``url`` taken down on purpose ('gone', or redirected), and that path.

    Raises CmhubError when the URL was never served by this hub or a URL cannot be used.
    """
    path = site_path(url, config, "cmhub retire")
    target = site_path(redirect_to, config, "--redirect-to") if redirect_to.strip() else ""
    entries = ledger.entries.values()
    live = {e.path for e in entries if is_served(e, now)} | {p for e in entries for p in e.old_paths}
    if path not in live:
        upcoming = next((e for e in entries if e.path == path), None)
        if upcoming is not None:
            raise CmhubError([error(LEDGER_NAME, upcoming.line, (
                f"'/{path}' goes live at {iso(upcoming.published)} and was never served: edit or delete the "
                "article instead"))])
        raise CmhubError([error(LEDGER_NAME, None, f"'/{path}' is not a URL this hub has published")])
    if target == path:
        raise CmhubError([error("--redirect-to", None, f"'/{path}' cannot redirect to itself")])
    return Ledger(ledger.entries, {**ledger.retired, path: Retired(path, target)}), path


def retire_in_project(root: Path, url: str, redirect_to: str, now: dt.datetime) -> str:
    """Record a retired URL in the project's ledger; return the message for the user."""
    config = load_config(root)
    ledger, _ = load_ledger(config.root)
    updated, path = retire(ledger, config, url, redirect_to, now)
    from cmhub.output.atomic import atomic_write

    atomic_write(config.root / LEDGER_NAME, format_ledger(updated))
    target = updated.retired[path].to
    return (f"{config.base_path}{path} retired: it will "
            + (f"redirect to {config.base_path}{target}" if target else "serve a 'gone' page")
            + " from the next build")
