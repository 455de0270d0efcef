"""The built site's own links: every internal href and src must lead to a file of the site."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from urllib.parse import unquote, urlsplit

from cmhub.core.errors import Problem, error
from cmhub.output.files import OutputFile

_ATTRIBUTE = re.compile(rb"""\s(?:href|src)\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
_SKIP = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//|#|$)")


def broken_links(files: Sequence[OutputFile], base_path: str) -> list[Problem]:
    """Return one problem per internal link of an HTML page that leads to no file of the site."""
    paths = {f.path for f in files}
    problems: list[Problem] = []
    for page in files:
        if not page.path.endswith(".html") or page.data is None:
            continue
        folder = posixpath.dirname(page.path)
        for raw in sorted(set(_ATTRIBUTE.findall(page.data))):
            link = raw.decode("utf-8", "replace").replace("&amp;", "&")
            if _SKIP.match(link):
                continue
            target = unquote(urlsplit(link).path)
            if target.startswith("/"):
                if not target.startswith(base_path):
                    problems.append(error(f"site/{page.path}", None, f"link '{link}' is outside the site "
                                          f"(its base path is {base_path})"))
                    continue
                resolved = target[len(base_path):]
            else:
                resolved = posixpath.normpath(posixpath.join(folder, target))
                resolved = "" if resolved == "." else resolved + ("/" if target.endswith("/") else "")
            candidates = {resolved, resolved.rstrip("/") + "/index.html", resolved + "index.html"}
            if not candidates & paths:
                problems.append(error(f"site/{page.path}", None, f"broken link '{link}'"))
    return problems
