"""cmhub.core.frozen.replaced makes what dataclasses.replace makes."""

from __future__ import annotations

import dataclasses
import functools

import pytest

from cmhub.core.frozen import replaced
from cmhub.output.files import OutputFile


@dataclasses.dataclass(frozen=True)
class Plain:
    name: str
    size: int = 0
    tags: tuple[str, ...] = ()

    @functools.cached_property
    def label(self) -> str:
        return f"{self.name}:{self.size}"


@dataclasses.dataclass(frozen=True)
class Checked:
    size: int

    def __post_init__(self) -> None:
        if self.size < 0:
            raise ValueError("size must not be negative")


@dataclasses.dataclass(frozen=True)
class Derived:
    size: int
    double: int = dataclasses.field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "double", self.size * 2)


def test_a_copy_equals_the_one_dataclasses_replace_makes() -> None:
    original = Plain("a", 1, ("x",))
    assert replaced(original, size=2) == dataclasses.replace(original, size=2) == Plain("a", 2, ("x",))
    assert replaced(original, size=2) is not original and original.size == 1
    made = OutputFile("a/index.html", b"<p>")
    assert replaced(made, key="k") == dataclasses.replace(made, key="k")


def test_what_a_cached_property_stored_is_not_copied() -> None:
    original = Plain("a", 1)
    assert original.label == "a:1"
    assert replaced(original, size=5).label == "a:5"


def test_classes_whose_init_does_more_go_through_dataclasses_replace() -> None:
    with pytest.raises(ValueError, match="negative"):
        replaced(Checked(1), size=-1)
    assert replaced(Derived(2), size=3).double == 6


def test_an_unknown_field_is_refused_as_dataclasses_replace_refuses_it() -> None:
    with pytest.raises(TypeError):
        replaced(Plain("a"), colour="red")
