"""Reading typed values out of YAML mappings, each problem at its line, every problem gathered.

One reader for site.yml (cmhub.settings) and for articles' front matter (cmhub.content.frontmatter):
``Fields`` locates a key path in the YAML text and collects problems; its typed readers take a value
from a mapping, check its type, and fall back to a default with an error naming the full key.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from cmhub.core.errors import Problem, did_you_mean, error, warning
from cmhub.settings.yamlsource import Locator

LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")

Keys = tuple[str | int, ...]
"""A path into the YAML: ('networks', 'x', 'slots', 0)."""


class Fields:
    """Reads typed values out of the mappings of one YAML file, gathering problems instead of stopping."""

    def __init__(self, source: str, locator: Locator):
        self.source = source
        self.locator = locator
        self.problems: list[Problem] = []

    def fail(self, message: str, *keys: str | int) -> None:
        """Record an error at the line of ``keys`` (the file's start when they are not found)."""
        self.problems.append(error(self.source, self.locator.line(*keys), message))

    def warn(self, message: str, *keys: str | int) -> None:
        """Record a warning at the line of ``keys``."""
        self.problems.append(warning(self.source, self.locator.line(*keys), message))

    def unknown(self, data: Mapping[str, Any], allowed: Sequence[str], keys: Keys = (), otherwise: str = "") -> None:
        """Record an error for each key of ``data`` that is not ``allowed`` (a hint, else ``otherwise``)."""
        for key in data:
            if key not in allowed:
                name = ".".join((*map(str, keys), str(key)))
                self.fail(f"unknown key '{name}'{did_you_mean(str(key), allowed) or otherwise}", *keys, str(key))

    def text(self, data: Mapping[str, Any], key: str, keys: Keys = (), default: str = "",
             required: bool = False) -> str:
        """Return a string, stripped (``default`` when absent; an error when required and absent or blank)."""
        value = data.get(key)
        name = ".".join((*map(str, keys), key))
        if value is None:
            if required:
                self.fail(f"'{name}' is required", *keys)
            return default
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail(f"'{name}' must be a non-empty string, got {value!r}", *keys, key)
            return default
        return value.strip()

    def integer(self, data: Mapping[str, Any], key: str, keys: Keys, default: int, minimum: int = 1) -> int:
        """Return an integer of at least ``minimum`` (``default`` when absent or wrong)."""
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            name = ".".join((*map(str, keys), key))
            self.fail(f"'{name}' must be an integer >= {minimum}, got {value!r}", *keys, key)
            return default
        return value

    def boolean(self, data: Mapping[str, Any], key: str, keys: Keys, default: bool) -> bool:
        """Return true or false (``default`` when absent or wrong)."""
        value = data.get(key, default)
        if not isinstance(value, bool):
            name = ".".join((*map(str, keys), key))
            self.fail(f"'{name}' must be true or false, got {value!r}", *keys, key)
            return default
        return value

    def mapping(self, data: Mapping[str, Any], key: str, keys: Keys) -> Mapping[str, Any]:
        """Return a mapping (empty when absent or wrong)."""
        value = data.get(key)
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.fail(f"'{'.'.join((*map(str, keys), key))}' must be a mapping", *keys, key)
            return {}
        return value
