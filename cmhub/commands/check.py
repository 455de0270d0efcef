"""`cmhub check`: every validation of a build, nothing written."""

from __future__ import annotations

from pathlib import Path

from cmhub.commands.leftovers import project_leftovers
from cmhub.core.errors import Problem, raise_errors
from cmhub.pipeline.project import load_ledgers, open_project
from cmhub.pipeline.story import build
from cmhub.settings.request import BuildRequest
from cmhub.site.linkcheck import broken_links


def check_project(root: Path, request: BuildRequest = BuildRequest()) -> tuple[Problem, ...]:
    """Run every validation of a build without writing anything; return warnings and link problems.

    Raises CmhubError when there are errors.
    """
    project = open_project(root, request)
    result = build(project, load_ledgers(project.root), search=False)
    raise_errors(broken_links(tuple(result.files), project.config.base_path))
    return (*result.warnings, *project_leftovers(result.site))
