"""Shared fixtures: the sample sites, a fixed clock and a CLI runner."""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

SITES = Path(__file__).parent / "sites"
NOW = "2026-11-21T12:00:00Z"
"""The instant every test build runs at."""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="Rewrite tests/sites/*/expected/ from the current build.")


@pytest.fixture(scope="session", autouse=True)
def private_cache_key(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep the cache key of test builds out of the user's own cache folder (see cmhub.output.seals)."""
    import os

    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("user-cache"))
    os.environ.pop("CMHUB_CACHE_KEY", None)


@pytest.fixture(autouse=True)
def settled_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let builds made in the test process trust the status of files written just before them, so that
    every test that builds a hub twice also checks the articles a build does not read again
    (cmhub/content/statuses.py; its own tests check the real delay)."""
    from cmhub.content import statuses

    monkeypatch.setattr(statuses, "SETTLED_NS", 0)


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when the run should rewrite golden trees instead of comparing."""
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def runner() -> CliRunner:
    """A click runner that keeps stdout and stderr apart."""
    return CliRunner()


@pytest.fixture
def basic_site(tmp_path: Path) -> Path:
    """A private copy of tests/sites/basic (without its expected/ tree)."""
    target = tmp_path / "basic"
    shutil.copytree(SITES / "basic", target, ignore=shutil.ignore_patterns("expected"))
    return target


def tree_digest(folder: Path) -> dict[str, str]:
    """Return every file under folder with the SHA-256 of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


PAGEFIND_PROGRAM = ("pagefind.js", "pagefind-worker.js")
"""Pagefind's own code, the same in every site's search bundle (its text says 'WebAssembly', 'index'...)."""


def public_bytes(folder: Path) -> bytes:
    """Return every byte a site serves that comes from the hub, as text: Pagefind's gzipped index files are
    read unpacked (a title in the index is found), Pagefind's own program files are left out."""
    parts = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(folder).as_posix()
        if name.startswith("pagefind/") and (path.name in PAGEFIND_PROGRAM or path.name.startswith("wasm.")):
            continue
        data = path.read_bytes()
        parts.append(gzip.decompress(data) if name.startswith("pagefind/") and ".pf_" in path.name else data)
    return b"".join(parts)


def built_recording(root: Path, seen: list[str]) -> set[str]:
    """Build the hub at ``root`` at NOW and return what ``seen`` (filled by a patched maker) got meanwhile."""
    from cmhub.cli.verbs import main

    seen.clear()
    result = CliRunner().invoke(main, ["build", "-C", str(root), "--now", NOW, "-q"])
    assert result.exit_code == 0, result.output
    return set(seen)


def same_as_a_build_without_cache(root: Path, tmp_path: Path) -> None:
    """Check that site/ and social/ of the hub at ``root`` are those a copy of it built with --no-cache makes."""
    from cmhub.cli.verbs import main

    fresh = tmp_path / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(root, fresh, ignore=lambda folder, names: {".cmhub-cache", "site", "social"} & set(names)
                    if Path(folder) == root else set())  # only the hub's own: theme/social/ is an input
    result = CliRunner().invoke(main, ["build", "-C", str(fresh), "--now", NOW, "-q", "--no-cache"])
    assert result.exit_code == 0, result.output
    assert tree_digest(root / "site") == tree_digest(fresh / "site")
    assert tree_digest(root / "social") == tree_digest(fresh / "social")


def articles_read(root: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the article files of the hub at ``root`` read from now on, by their path in the project."""
    read: list[str] = []
    original = Path.read_text

    def read_text(self: Path, *args: object, **kwargs: object) -> str:
        if self.suffix == ".md" and root in self.parents:
            read.append(self.relative_to(root).as_posix())
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", read_text)
    return read


def read_with_cache(root: Path):  # noqa: ANN201 - cmhub.content.reader.Content
    """Read the hub at ``root`` at NOW with its build cache, saved afterwards (as a build does)."""
    from cmhub.content.reader import read_content
    from cmhub.core.dates import build_now
    from cmhub.incremental.cache import open_render_cache
    from cmhub.settings.config import load_config

    config = load_config(root)
    cache = open_render_cache(root)
    content = read_content(config, build_now(NOW, config.tz), cache=cache)
    cache.save()
    return content


def process_gone(pid: int) -> bool:
    """Tell whether the child process ``pid`` has ended and been waited for (no zombie left)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def recording_articles(site):  # noqa: ANN001, ANN201 - a Site, and it with a Counter
    """Return ``site`` with each article and page recording the name of every attribute read of it, and the
    counter they record into (tests of what a stage reads, and so what its key must hold)."""
    import collections
    import dataclasses

    from cmhub.content.model import Article

    read: collections.Counter[str] = collections.Counter()

    class Recorded(Article):
        def __getattribute__(self, attribute: str) -> object:
            read[attribute] += 1
            return object.__getattribute__(self, attribute)

    def recorded(article: Article) -> Article:
        copy = object.__new__(Recorded)
        copy.__dict__.update(article.__dict__)
        return copy

    return dataclasses.replace(site, articles=tuple(map(recorded, site.articles)),
                               pages=tuple(map(recorded, site.pages))), read
