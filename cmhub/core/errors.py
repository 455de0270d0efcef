"""Problems found in a user's project, and the exceptions that carry them."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in the user's project, located as precisely as we can."""

    path: str
    """Project-relative path of the file at fault ("site.yml", "content/a.md")."""
    line: int | None
    """1-based line number, when there is one."""
    message: str
    """What is wrong and what was expected."""
    severity: Severity = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}: {prefix}{self.message}"


class CmhubError(Exception):
    """A user mistake (or several) that stops the command; never our own bug."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def error(path: str, line: int | None, message: str) -> Problem:
    """Return an error problem."""
    return Problem(path, line, message, "error")


def warning(path: str, line: int | None, message: str) -> Problem:
    """Return a warning problem."""
    return Problem(path, line, message, "warning")


def did_you_mean(word: str, choices: Sequence[str]) -> str:
    """Return a ' (did you mean 'x'?)' hint, or '' when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def errors_in(problems: Iterable[Problem]) -> list[Problem]:
    """Return only the errors among problems."""
    return [p for p in problems if p.severity == "error"]


def raise_errors(problems: Sequence[Problem]) -> None:
    """Raise CmhubError with every problem if any of them is an error."""
    if errors_in(problems):
        raise CmhubError(problems)
