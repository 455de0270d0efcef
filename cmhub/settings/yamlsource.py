"""YAML reading with line numbers, for messages that point at the right line."""

from __future__ import annotations

from typing import Any

import yaml

from cmhub.core.errors import CmhubError, error
from cmhub.core.limits import alias_line, expansion_problem

try:  # libyaml is several times faster; PyYAML falls back when it is missing
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

KeyPath = tuple[str | int, ...]


def load_yaml(text: str, path: str, first_line: int = 1) -> Any:
    """Return the data in a YAML text, or raise CmhubError at the faulty line.

    ``first_line`` is the file line on which ``text`` starts (front matter starts on line 2).
    """
    try:
        data = yaml.load(text, Loader=_Loader)
    except RecursionError as exc:  # thousands of nested brackets
        raise CmhubError([error(path, first_line, "invalid YAML: values nested too deeply")]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = first_line + mark.line if mark is not None else first_line
        reason = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        detail = f"{context}, {reason}" if context else reason
        hint = ""
        if "mapping values are not allowed" in str(reason):
            hint = " (a value containing ': ' must be quoted)"
        raise CmhubError([error(path, line, f"invalid YAML: {detail}{hint}")]) from exc
    except (ValueError, OverflowError) as exc:  # PyYAML builds dates itself: 2026-02-30 fails here
        raise CmhubError([error(path, _line_of_bad_date(text, first_line),
                                f"invalid date: {exc}")]) from exc
    problem = expansion_problem(data, text)
    if problem is not None:
        raise CmhubError([error(path, first_line + alias_line(text), problem)])
    return data


def _line_of_bad_date(text: str, first_line: int) -> int:
    """Return the line of the first date-looking value that Python cannot build."""
    import datetime as dt
    import re

    for number, line in enumerate(text.split("\n")):
        for match in re.finditer(r"(\d{4})-(\d{1,2})-(\d{1,2})", line):
            try:
                dt.date(*(int(part) for part in match.groups()))
            except ValueError:
                return first_line + number
    return first_line


def key_lines(text: str, first_line: int = 1) -> dict[KeyPath, int]:
    """Map every key path in a YAML mapping text to the file line where it starts."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except (yaml.YAMLError, RecursionError):
        return {}
    lines: dict[KeyPath, int] = {}
    visiting: set[int] = set()

    def walk(node: yaml.Node, prefix: KeyPath) -> None:
        if id(node) in visiting:  # an alias: its keys are found where its anchor is
            return
        visiting.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key = (*prefix, str(key_node.value))
                lines[key] = first_line + key_node.start_mark.line
                walk(value_node, key)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                key = (*prefix, index)
                lines[key] = first_line + item.start_mark.line
                walk(item, key)

    if root is not None:
        try:
            walk(root, ())
        except RecursionError:  # values nested thousands deep: the lines found so far
            pass
    return lines


class Locator:
    """Finds the line of a key path in one YAML text, parsing it only when asked."""

    def __init__(self, path: str, text: str, first_line: int = 1):
        self.path = path
        self._text = text
        self._first_line = first_line
        self._lines: dict[KeyPath, int] | None = None

    def line(self, *keys: str | int) -> int:
        """Return the line of the longest known prefix of ``keys`` (else the first line)."""
        if self._lines is None:
            self._lines = key_lines(self._text, self._first_line)
        for end in range(len(keys), 0, -1):
            found = self._lines.get(tuple(keys[:end]))
            if found is not None:
                return found
        return self._first_line
