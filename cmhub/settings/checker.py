"""Reading typed values out of YAML mappings, gathering every problem instead of stopping."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from cmhub.core.errors import Problem, did_you_mean, error
from cmhub.settings.yamlsource import Locator

LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


class Checker:
    """Reads typed values out of a mapping (site.yml), gathering problems instead of stopping."""

    def __init__(self, locator: Locator, source: str):
        self.locator = locator
        self.source = source
        self.problems: list[Problem] = []

    def fail(self, keys: tuple[str, ...], message: str) -> None:
        self.problems.append(error(self.source, self.locator.line(*keys), message))

    def unknown(self, data: Mapping[str, Any], allowed: tuple[str, ...], keys: tuple[str, ...]) -> None:
        for key in data:
            if key not in allowed:
                name = ".".join((*keys, str(key)))
                self.fail((*keys, str(key)), f"unknown key '{name}'{did_you_mean(str(key), allowed)}")

    def text(self, data: Mapping[str, Any], key: str, keys: tuple[str, ...], default: str = "",
             required: bool = False) -> str:
        value = data.get(key)
        name = ".".join((*keys, key))
        if value is None:
            if required:
                self.fail(keys, f"'{name}' is required")
            return default
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail((*keys, key), f"'{name}' must be a non-empty string, got {value!r}")
            return default
        return value.strip()

    def integer(self, data: Mapping[str, Any], key: str, keys: tuple[str, ...], default: int,
                minimum: int = 1) -> int:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            name = ".".join((*keys, key))
            self.fail((*keys, key), f"'{name}' must be an integer >= {minimum}, got {value!r}")
            return default
        return value

    def boolean(self, data: Mapping[str, Any], key: str, keys: tuple[str, ...], default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            name = ".".join((*keys, key))
            self.fail((*keys, key), f"'{name}' must be true or false, got {value!r}")
            return default
        return value

    def mapping(self, data: Mapping[str, Any], key: str, keys: tuple[str, ...]) -> Mapping[str, Any]:
        value = data.get(key)
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.fail((*keys, key), f"'{'.'.join((*keys, key))}' must be a mapping")
            return {}
        return value


