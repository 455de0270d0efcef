"""The cache is data, never code or paths to trust (issue #21.1).

Every kind of file of `.cmhub-cache/` is damaged (a flipped byte, cut short, emptied), replaced by
an old pickle that would run a command, or crafted (a well-formed entry or manifest, sealed with
another key, or sealed with this machine's key but holding paths that leave the output folder).
After each, a build must write exactly what a cold `--no-cache` build writes, run nothing, and touch
nothing outside its output folders.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cmhub.cli.verbs import main
from cmhub.output.seals import seal
from cmhub.output.trees import tree_of
from tests.conftest import NOW, SITES, tree_digest

NETWORKS = 'networks:\n  x: "@voix"\n  mastodon: "@voix@piaille.example"\n'


def make_hub(folder: Path) -> Path:
    """Copy the basic hub, with teasers (and their pictures) for two networks."""
    shutil.copytree(SITES / "basic", folder, ignore=shutil.ignore_patterns("expected"))
    with (folder / "site.yml").open("a", encoding="utf-8") as handle:
        handle.write(NETWORKS)
    return folder


def build(root: Path, *extra: str) -> None:
    result = CliRunner().invoke(main, ["build", "-C", str(root), "--now", NOW, *extra])
    assert result.exit_code == 0, result.output


def outputs(root: Path) -> tuple[dict[str, str], dict[str, str]]:
    return tree_digest(root / "site"), tree_digest(root / "social")


@pytest.fixture(scope="module")
def cold(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], dict[str, str]]:
    """What a cold build of the hub writes."""
    root = make_hub(tmp_path_factory.mktemp("cold") / "hub")
    build(root, "--no-cache")
    return outputs(root)


@pytest.fixture
def warm(tmp_path: Path) -> Path:
    """A hub built twice with its cache (so that it has a cache, manifests and a spare tree), with a
    folder beside it that nothing may touch."""
    root = make_hub(tmp_path / "hub")
    build(root)
    touch_inputs(root)
    build(root)  # the second build keeps the first one's tree as the spare
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("do not delete", encoding="utf-8")
    return root


def touch_inputs(root: Path) -> None:
    """Make the next build run (not answer 'nothing changed'), without changing what it makes."""
    (root / "content" / "troisieme.md").touch()


def untouched(root: Path) -> dict[str, str]:
    """Digest of everything a build may not change: the project's own files and the folder beside it."""
    found = {}
    for base in (root, root.parent / "outside"):
        for path in sorted(base.rglob("*")):
            parts = path.relative_to(base).parts
            if parts[0] in ("site", "social", ".cmhub-cache", "permalinks.lock"):
                continue
            found[str(path)] = path.read_bytes().hex() if path.is_file() else "folder"
    return found


KINDS = {
    "bodies shard": "bodies-*.data",
    "teasers shard": "teasers-*.data",
    "compiled template": "templates/*.sealed",
    "teaser picture": "media/*.jpg",
    "picture seal": "media/*.seal",
    "resized picture": "pictures/*.png",
    "resized picture seal": "pictures/*.seal",
    "search record": "search-index.json",
    "page the search reads": "search-pages/*/*/index.html",
    "search shard's index": "search-bundles/*/pagefind-entry.json",
    "search shard's fragment": "search-bundles/*/fragment/*.pf_fragment",
    "site manifest": "site.manifest.json",
    "social manifest": "social.manifest.json",
    "spare state": "site.spare.json",
    "last build": "last-build.json",
}


def damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "flip":
        middle = len(data) // 2
        path.write_bytes(data[:middle] + bytes([data[middle] ^ 0x20]) + data[middle + 1:])
    elif how == "truncate":
        path.write_bytes(data[: len(data) // 2])
    else:
        path.write_bytes(b"")


@pytest.mark.parametrize("how", ["flip", "truncate", "empty"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_a_damaged_cache_file_only_costs_time(warm: Path, cold: tuple, kind: str, how: str) -> None:
    files = sorted((warm / ".cmhub-cache").glob(KINDS[kind]))
    assert files, f"no {kind} in the cache"
    before = untouched(warm)
    for path in files:
        damage(path, how)
    touch_inputs(warm)
    build(warm)
    assert outputs(warm) == cold
    assert untouched(warm) == before


class _Payload:
    """A pickle that creates a file when it is loaded."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self) -> tuple:
        return (os.system, (f"touch {self.marker}",))


def test_pickles_in_the_cache_never_run(warm: Path, cold: tuple, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    payload = pickle.dumps(_Payload(marker))
    cache = warm / ".cmhub-cache"
    for shard in range(64):  # the names of cmhub's earlier pickled cache, and of today's files
        for name in (f"bodies-{shard:02d}.pickle", f"teasers-{shard:02d}.pickle",
                     f"bodies-{shard:02d}.data", f"teasers-{shard:02d}.data"):
            (cache / name).write_bytes(payload)
    for path in (cache / "templates").iterdir():
        path.write_bytes(payload)
    (cache / "templates" / "__jinja2_0123456789abcdef.cache").write_bytes(payload)
    for name in ("site.manifest.json", "last-build.json"):
        (cache / name).write_bytes(payload)
    touch_inputs(warm)
    build(warm)
    assert not marker.exists()
    assert outputs(warm) == cold
    assert not list(cache.glob("*.pickle"))  # an older cmhub's pickles are deleted, never read


def _shard_with(cache: Path, text: str) -> Path:
    return next(p for p in sorted(cache.glob("bodies-*.data")) if text.encode() in p.read_bytes())


@pytest.mark.parametrize("sealed_with", ["no seal", "another key", "this key"])
def test_a_crafted_entry_is_used_only_with_this_machines_key(warm: Path, cold: tuple, sealed_with: str) -> None:
    cache = warm / ".cmhub-cache"
    shard = _shard_with(cache, "Nous avons écrit nos règles")
    _mac, _, body = shard.read_bytes().partition(b"\n")
    crafted = body.replace("Nous avons écrit nos règles".encode(), "<script>PIRATÉ</script>".encode())
    context = f"cache:{shard.name}"
    if sealed_with == "no seal":
        mac = b"0" * 64
    elif sealed_with == "another key":
        os.environ["CMHUB_CACHE_KEY"] = "someone else's key"
        try:
            mac = seal(crafted, context).encode()
        finally:
            del os.environ["CMHUB_CACHE_KEY"]
    else:
        mac = seal(crafted, context).encode()
    shard.write_bytes(mac + b"\n" + crafted)
    (warm / "content" / "premier-article.md").touch()
    # the page is made again (its key follows the entry's key, not the bytes the entry holds: only the
    # seal vouches for those), so the rendering the cache holds is the one asked for
    (warm / "site" / "premier-article" / "index.html").unlink()
    build(warm)
    page = (warm / "site" / "premier-article" / "index.html").read_text(encoding="utf-8")
    if sealed_with == "this key":  # the seal is what keeps a crafted entry out: with the key, it gets in
        assert "PIRATÉ" in page
    else:
        assert "PIRATÉ" not in page
        assert outputs(warm) == cold


def _seal_manifest(root: Path, name: str, change) -> None:  # noqa: ANN001 - a function
    """Rewrite a manifest as someone holding the key could, with ``change`` applied to its data."""
    path = root / ".cmhub-cache" / name
    _mac, _, body = path.read_bytes().partition(b"\n")
    data = json.loads(body)
    change(data)
    body = json.dumps(data).encode()
    path.write_bytes(seal(body, f"manifest:{name}").encode() + b"\n" + body)


def _plant_outside_entries(data: dict) -> None:
    entry = next(iter(data["files"].values()))
    for path in ("../outside/precious.txt", "../../outside/precious.txt", "/etc/hostname",
                 "a/../../outside/precious.txt", "", ".", "x//y"):
        data["files"][path] = entry
    data["folders"][".."] = 0
    data["folders"]["../outside"] = 0


@pytest.mark.parametrize("sealed", [False, True], ids=["unsealed", "sealed"])
def test_a_manifest_that_leaves_the_output_folder_deletes_nothing_outside(warm: Path, cold: tuple,
                                                                         sealed: bool) -> None:
    before = untouched(warm)
    if sealed:
        _seal_manifest(warm, "site.manifest.json", _plant_outside_entries)
        _seal_manifest(warm, "social.manifest.json", _plant_outside_entries)
    else:
        for name in ("site.manifest.json", "social.manifest.json"):
            path = warm / ".cmhub-cache" / name
            data = json.loads(path.read_bytes().partition(b"\n")[2])
            _plant_outside_entries(data)
            path.write_text(json.dumps(data), encoding="utf-8")
    touch_inputs(warm)
    build(warm)
    assert untouched(warm) == before
    assert outputs(warm) == cold


def test_a_link_planted_in_the_output_is_never_followed(warm: Path, cold: tuple) -> None:
    outside = warm.parent / "outside"
    before = untouched(warm)
    tags = warm / "site" / "tags"
    shutil.rmtree(tags)
    tags.symlink_to(outside, target_is_directory=True)  # someone replaced a folder of site/ by a link
    (warm / "site" / "stray.html").symlink_to(outside / "precious.txt")
    touch_inputs(warm)
    build(warm)
    assert untouched(warm) == before
    assert outputs(warm) == cold
    assert not (warm / "site" / "tags").is_symlink()


def test_what_someone_adds_to_the_spare_tree_never_reaches_the_site(warm: Path, cold: tuple) -> None:
    spares = list((warm / ".cmhub-cache" / "trees").glob("site-*.spare"))
    assert len(spares) == 1
    spare = spares[0]
    (spare / "evil.html").write_text("<p>crafted</p>", encoding="utf-8")
    (spare / "tags" / "evil.html").write_text("<p>crafted</p>", encoding="utf-8")
    index = spare / "index.html"
    index.unlink()  # replaced: another file than the site's own
    index.write_text("<p>crafted home</p>", encoding="utf-8")
    touch_inputs(warm)
    build(warm)
    assert outputs(warm) == cold


def test_a_cache_file_that_is_a_pipe_or_a_link_is_ignored(warm: Path, cold: tuple) -> None:
    cache = warm / ".cmhub-cache"
    shard = sorted(cache.glob("bodies-*.data"))[0]
    shard.unlink()
    os.mkfifo(shard)  # reading it would wait forever
    other = sorted(cache.glob("teasers-*.data"))[0]
    other.unlink()
    other.symlink_to("/etc/passwd")
    touch_inputs(warm)
    done = subprocess.run([sys.executable, "-m", "cmhub", "build", "-C", str(warm), "--now", NOW, "-q"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert outputs(warm) == cold


def test_the_key_comes_from_the_environment_or_a_private_file(tmp_path: Path, cold: tuple,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_hub(tmp_path / "hub")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    build(root)
    key_file = tmp_path / "user-cache" / "cmhub" / "cache-key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    first = key_file.read_text()
    key_file.chmod(0o644)  # readable by others: not a secret any more, so it is replaced
    touch_inputs(root)
    build(root)
    assert key_file.stat().st_mode & 0o777 == 0o600 and key_file.read_text() != first
    monkeypatch.setenv("CMHUB_CACHE_KEY", "a CI secret")
    touch_inputs(root)
    build(root)  # every entry sealed with the file's key is a miss: the same output, made again
    assert outputs(root) == cold
    assert tree_of(root / "site") is not None
