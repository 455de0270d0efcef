"""Where the running cmhub came from, as the pip command that installs the very same one elsewhere.

``cmhub init`` writes this command into the CI workflow, so CI builds with the cmhub the author uses,
pinned: never an unpinned name from a public index (cmhub is not published there: anyone could
register the name, and their code would run with the repository's Pages rights).

- installed from a Git repository (``pip install git+https://...``, ``pipx install git+...``):
  PEP 610's ``direct_url.json`` gives the URL and the commit: ``pip install "cmhub @ git+URL@COMMIT"``;
- from an archive at a URL: that URL, with its sha256 when pip recorded one;
- from an index (no ``direct_url.json``): the version, ``pip install "cmhub==1.2.3"``, which the same
  index (pip's configuration) must serve in CI too;
- from a local folder or file (``pip install .``, ``pip install -e .``, a local wheel): CI cannot
  reach it, and a guess (the folder's Git remote and commit) may name a commit never pushed, or miss
  local changes. The workflow then gets a step that fails with instructions instead of a silent guess.
"""

from __future__ import annotations

import importlib.metadata
import json
from dataclasses import dataclass


@dataclass(frozen=True)
class InstallLine:
    """The shell command that installs this cmhub, or why there is none."""

    command: str
    """'pip install "cmhub @ git+https://...@<commit>"', or '' when CI cannot reach the source."""
    origin: str
    """Where this cmhub came from, in words, for the workflow's comment."""


def install_line(distribution: str = "cmhub") -> InstallLine:
    """Return how CI installs the same cmhub as the one running (see the module's docstring)."""
    dist = importlib.metadata.distribution(distribution)
    return line_from(dist.read_text("direct_url.json"), dist.version)


def line_from(direct_url: str | None, version: str) -> InstallLine:
    """Return the install line for a distribution's ``direct_url.json`` text (None: from an index)."""
    if not direct_url:
        return InstallLine(f'pip install "cmhub=={version}"', f"cmhub {version} from a package index")
    data = json.loads(direct_url)
    url = str(data.get("url", ""))
    vcs = data.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("vcs") == "git" and vcs.get("commit_id"):
        return InstallLine(f'pip install "cmhub @ git+{url}@{vcs["commit_id"]}"',
                           f"cmhub {version} from {url} at commit {vcs['commit_id']}")
    archive = data.get("archive_info")
    if isinstance(archive, dict) and url.startswith(("https://", "http://")):
        digest = (archive.get("hashes") or {}).get("sha256")
        pinned = f"{url}#sha256={digest}" if digest and "#" not in url else url
        return InstallLine(f'pip install "cmhub @ {pinned}"', f"cmhub {version} from {url}")
    return InstallLine("", f"cmhub {version} from {url or 'a local folder'}, which CI cannot reach")
