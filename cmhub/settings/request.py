"""What a run of cmhub is asked for on the command line: the clock, a preview, strictness, and the
output folder and engine that override site.yml's."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the "nothing changed" check reads a request without loading the settings' modules
    from cmhub.settings.config import SiteConfig

PREVIEW_FOLDER = "preview"
"""Where ``cmhub build --drafts`` or ``--future`` writes, unless ``--output`` says otherwise."""


@dataclass(frozen=True)
class Preview:
    """Which unpublished articles a preview build shows (with a banner)."""

    drafts: bool = False
    future: bool = False

    @property
    def active(self) -> bool:
        """Tell whether the build shows anything unpublished (it then writes a preview, never the site)."""
        return self.drafts or self.future


@dataclass(frozen=True)
class BuildRequest:
    """The options of one build (``cmhub build``, ``check``, ``syndicate``, ``serve``), applied once."""

    now: str | None = None
    """``--now`` as typed (None: SOURCE_DATE_EPOCH, else the clock)."""
    preview: Preview = Preview()
    strict: bool = False
    """Warnings and broken links fail the build."""
    locked: bool = False
    """A permalinks.lock that would change fails the build (CI)."""
    output: Path | None = None
    """``--output``: the folder written instead of site.yml's ``output`` (or ``preview/``)."""
    engine: str | None = None
    """``--engine``: what renders the pages instead of site.yml's ``engine``."""
    use_cache: bool = True
    """False with ``--no-cache``: build cold, remember nothing."""

    def aimed(self, config: SiteConfig) -> SiteConfig:
        """Return the settings with the output folder and engine these options choose.

        ``--output`` wins; a preview without it goes to the project's ``preview/`` folder, not to the
        folder that is deployed.
        """
        if self.output is not None:
            config = replace(config, output=self.output.resolve())
        elif self.preview.active:
            config = replace(config, output=(config.root / PREVIEW_FOLDER).resolve())
        if self.engine is not None:
            config = replace(config, engine=self.engine)
        return config

    def options(self, config: SiteConfig) -> str:
        """Return the options the output depends on, as one string (part of the build's fingerprint)."""
        return f"{self.preview}|{self.strict}|{self.locked}|{config.output}|{config.social_output}|{config.engine}"
