"""The tree is the architecture (docs/architecture.md): imports run one way, no cycle, small modules.

Every module of cmhub/ is parsed; every import of a cmhub module counts, at module level, inside a
function or under TYPE_CHECKING. The floors are read from docs/architecture.md, so the page and
the code cannot drift apart.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "cmhub"
DOC = ROOT / "docs" / "architecture.md"
MAX_LINES = 400

KNOWN_DEBTS: frozenset[tuple[str, str]] = frozenset()
"""Imports that break the rules, each named, with the issue that removes it (the list only shrinks: a
debt that is paid must leave it, see test_known_debts_are_still_owed). None today."""


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imported(name: str, path: Path) -> Iterator[str]:
    """Yield every cmhub module that ``name`` imports, wherever the import statement stands."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target.startswith("cmhub") and target != name:
                yield target


GRAPH = {name: set(imported(name, path)) for name, path in MODULES.items()}


def floors() -> list[list[str]]:
    found = re.search(r"```floors\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert found, "docs/architecture.md lists the floors in a ```floors block"
    return [line.split() for line in found.group(1).splitlines() if line.strip()]


LEVEL = {part: level for level, parts in enumerate(floors()) for part in parts}


def part_of(name: str) -> str:
    """Return the part a module belongs to: its sub-package, or the top-level module itself."""
    parts = name.split(".")
    if len(parts) == 1:
        return "core"  # cmhub/__init__.py: the version
    return "cli" if parts[1] == "__main__" else parts[1]


def upward_imports() -> set[tuple[str, str]]:
    return {(a, b) for a, targets in GRAPH.items() for b in targets
            if part_of(a) != part_of(b) and LEVEL[part_of(b)] <= LEVEL[part_of(a)]}


def cycles() -> list[list[str]]:
    """Return the strongly connected groups of two or more modules (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(GRAPH[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(GRAPH):
        if node not in index:
            visit(node)
    return groups


def cycle_edges() -> set[tuple[str, str]]:
    return {(a, b) for group in cycles() for a in group for b in GRAPH[a] if b in group}


def test_every_part_of_the_package_is_on_a_floor() -> None:
    parts = {part_of(name) for name in MODULES}
    assert parts - LEVEL.keys() == set(), "a sub-package or top-level module missing from docs/architecture.md"
    assert LEVEL.keys() - parts == set(), "docs/architecture.md names a part that is not in cmhub/"


def test_imports_run_down_the_floors() -> None:
    assert sorted(upward_imports() - KNOWN_DEBTS) == []


def test_no_import_cycle() -> None:
    assert sorted(cycle_edges() - KNOWN_DEBTS) == [], cycles()


def test_known_debts_are_still_owed() -> None:
    assert sorted(KNOWN_DEBTS - upward_imports() - cycle_edges()) == []


def test_the_markdown_speedups_are_used_through_one_door() -> None:
    users = {a for a, targets in GRAPH.items() for b in targets
             if b.startswith("cmhub.markdown.speedups") and not a.startswith("cmhub.markdown.speedups")}
    assert users == {"cmhub.markdown.extensions"}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_stays_small(name: str) -> None:
    lines = MODULES[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{MODULES[name].relative_to(ROOT)} has {lines} lines"


def test_the_graph_sees_imports_inside_functions() -> None:
    # cli.verbs imports the build use case only when `cmhub build` runs (the fast path stays light)
    assert "cmhub.commands.build" in GRAPH["cmhub.cli.verbs"]
