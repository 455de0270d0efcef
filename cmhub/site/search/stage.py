"""The build's search stage: the published article pages indexed by Pagefind, one index per shard.

``search_files`` lets every output file through, copies the pages of published articles into one work
folder per shard (cmhub/site/search/shards.py) as they pass (a page kept from the previous output is
linked from there), and yields the bundle under ``pagefind/``: Pagefind's program and the newest
shard's index at its top, every other shard's index in a folder of its own, and ``shards.json``, the
list the search page merges. A shard's key is made from the keys of its pages: a shard none of whose
pages changed keeps its index, and Pagefind runs only on the shards that changed, as soon as their
pages are in, while the rest of the site is made and written.

With a cache, the pages and each shard's index are kept between builds in ``.cmhub-cache/``
(search-pages/ and search-bundles/), so that a shard moved (when a newer period begins) is copied
rather than indexed again; a preview build keeps its own, under preview/. What is indexed never
includes an unpublished article: only the pages of published articles are handed to Pagefind, and a
work folder keeps no other file when Pagefind runs.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import replace
from itertools import chain
from pathlib import Path
from typing import Any

from cmhub.content.model import Site
from cmhub.core.i18n import base_language
from cmhub.core.locations import CACHE_FOLDER
from cmhub.core.urls import is_safe_relative
from cmhub.incremental.reuse import ReuseCheck, all_held, digest, digest_of, reuse_markers
from cmhub.incremental.workers import worker_count
from cmhub.output.files import OutputFile
from cmhub.output.seals import read_sealed, write_sealed
from cmhub.site.search.index import BUNDLE, bundle_files, finish_index, pagefind_version, start_index, steady_bundle
from cmhub.site.search.shards import newest_first, page_shards, shard_prefix

RECORD = "search-index.json"
"""In .cmhub-cache/: each shard's key and index files, and the status of each page copy."""
PAGES = "search-pages"
"""In .cmhub-cache/: the pages Pagefind reads, one folder per shard, as the last build indexed them."""
BUNDLES = "search-bundles"
"""In .cmhub-cache/: each shard's index, as Pagefind wrote it (then put in a stable order)."""
SHARDS = "shards.json"
"""Under the bundle: the shards, newest first; the search page loads the first and merges the others."""
PREVIEW = "preview"
"""In .cmhub-cache/: the same three for preview builds (`cmhub serve`, `--drafts`, `--future`), whose pages show
what site/'s do not; sharing them, each preview would make site/'s next build index every shard again."""
_PROGRAM = ("pagefind.js", "pagefind-worker.js")
"""Files of the bundle that only the top needs (with the WebAssembly): the other shards reuse them."""


def search_files(site: Site, files: Iterable[OutputFile], reuse: ReuseCheck = None,
                 previous: Path | None = None) -> Iterator[OutputFile]:
    """Yield ``files``, then the search bundle made from the published article pages among them.

    ``reuse`` tells which files the previous output (the folder ``previous``) holds untouched: a page
    reused from there is read there, and a shard whose key did not change keeps its index.
    Nothing is indexed when the site has no published article (the search page says so).
    """
    shard_of = page_shards(site)
    wanted = Counter(shard_of.values())
    cached = reuse is not None
    cache = site.config.root / CACHE_FOLDER
    if site.preview.active:  # its pages differ from site/'s: a preview keeps its own, and leaves site/'s be
        cache = cache / PREVIEW
    record = cache / RECORD
    known = _read_record(record) if cached else {}
    if cached:
        record.unlink(missing_ok=True)  # a build stopped while pages change leaves no record that lies
        _forget_scratch(site.config.root / CACHE_FOLDER)
    work, kept = (None, True) if cached else _scratch(site.config.root / CACHE_FOLDER)  # a build without cache
    pages = cache / PAGES if work is None else work / "pages"
    indexer = _Indexer(cache / BUNDLES if work is None else work / "bundles", site.config.language)
    mirrored = known.get("pages", {})
    try:
        _drop_others(pages, set(wanted))
        pages_folder = str(pages)
        keys: dict[str, dict[str, str]] = {shard: {} for shard in wanted}
        shard_keys: dict[str, str] = {}
        """Each shard's key, made once its pages are all in (every shard's, once ``files`` is read)."""
        indexer_facts = (pagefind_version(), base_language(site.config.language))  # the same for every shard
        copies: dict[str, list[object]] = {}
        """Each page Pagefind reads: its key and the status of its copy (a copy changed since is made again)."""
        unchecked: dict[str, list[tuple[str, OutputFile]]] = {}
        """By shard, the pages kept from the previous output whose copy is the one recorded for them: checked
        only when their shard is indexed again (Pagefind reads them then; otherwise nothing does)."""

        def check_copies(shard: str) -> None:
            for name, page in unchecked.pop(shard, ()):
                if _same_copy(os.path.join(pages_folder, name), page.key, copies[name]) is None:
                    _copy_page(page, pages / shard, previous)
                    copies[name] = _status(pages / name, page.key)

        for item in files:
            shard = shard_of.get(item.path)
            if shard is not None:
                name = f"{shard}/{item.path}"
                keys[shard][item.path] = item.key
                recorded = mirrored.get(name)
                if item.reuse and isinstance(recorded, list) and recorded[:1] == [item.key] and item.key:
                    unchecked.setdefault(shard, []).append((name, item))
                    copies[name] = recorded
                else:
                    copy = _same_copy(os.path.join(pages_folder, name), item.key, recorded)
                    if copy is None:
                        _copy_page(item, pages / shard, previous)
                        copy = _status(pages / name, item.key)
                        if item.data is not None and kept:  # the page's file links to its copy: its bytes written once
                            item = replace(item, source=pages / name, link=True)
                    copies[name] = copy
                if len(keys[shard]) == wanted[shard]:  # its pages are in: Pagefind may start on it now
                    shard_key = shard_keys[shard] = _shard_key(indexer_facts, keys[shard])
                    if not (cached and all(keys[shard].values()) and indexer.recorded(shard, shard_key, known)):
                        check_copies(shard)
                        indexer.index(pages / shard, shard, shard_key, set(keys[shard]))
            yield item
        if not wanted:
            return
        order = newest_first(wanted)
        for shard in order:  # a shard whose pages did not all come (none in a sound build) is keyed as it is
            if shard not in shard_keys:
                shard_keys[shard] = _shard_key(indexer_facts, keys[shard])
        for shard in order:
            prefix = BUNDLE + shard_prefix(order, shard)
            key = digest("search-shard", prefix, shard_keys[shard])
            program = shard == order[0]
            # an index the previous output holds, as this key makes it, is kept as it is there: its files in
            # the cache are looked at only when the output lacks one (a build after an edit keeps ~100 shards)
            served = indexer.unchecked(shard, program) if cached and shard not in indexer.indexed else None
            if served is not None and all_held(reuse, [prefix + name for name in served], key):
                indexer.keep(shard)
                yield from reuse_markers([prefix + name for name in served], key)
                continue
            if shard not in indexer.stamps and not indexer.pending(shard) \
                    and not indexer.holds(shard, shard_keys[shard], known):
                check_copies(shard)  # indexed now: Pagefind reads its copies
                indexer.index(pages / shard, shard, shard_keys[shard], set(keys[shard]))
            made = indexer.files(shard, program)
            if cached and shard not in indexer.indexed and all_held(reuse, [prefix + n for n in made], key):
                yield from reuse_markers([prefix + name for name in made], key)
            else:
                yield from (OutputFile(prefix + name, source=path, link=True, key=key) if kept
                            else OutputFile(prefix + name, path.read_bytes(), key=key)
                            for name, path in made.items())
        listing = json.dumps({"shards": order}, separators=(",", ":")).encode("utf-8")
        yield OutputFile(BUNDLE + SHARDS, listing, key=digest("search-shards", *order))
        if cached and all(all(k.values()) for k in keys.values()):
            _remember(record, {shard: [shard_keys[shard], indexer.stamps[shard]] for shard in order}, copies)
    finally:
        indexer.stop()
        if not kept and work is not None:
            shutil.rmtree(work, ignore_errors=True)


class _Indexer:
    """Runs Pagefind on the shards that changed, as many at a time as the machine has cores."""

    def __init__(self, bundles: Path, language: str) -> None:
        self.bundles, self.language = bundles, language
        self.queue: list[tuple[Path, str, str, set[str]]] = []
        self.running: dict[str, Any] = {}
        self.indexed: set[str] = set()
        self.stamps: dict[str, dict[str, list[int]]] = {}
        """Each shard's index files in the cache, and their size and date (a file changed since is not used)."""
        self.recorded_files: dict[str, dict[str, list[int]]] = {}
        """The same, as the last build recorded them, for the shards whose key did not change."""

    def recorded(self, shard: str, key: str, known: dict[str, Any]) -> bool:
        """Tell whether the last build recorded an index of ``shard`` made for ``key`` (its files are not
        looked at yet: ``unchecked``, then ``keep`` or ``holds``)."""
        facts = known.get("shards", {}).get(shard)
        if not (isinstance(facts, list) and len(facts) == 2 and facts[0] == key and isinstance(facts[1], dict)
                and all(is_safe_relative(name) for name in facts[1])):
            return False
        self.recorded_files[shard] = facts[1]
        return True

    def unchecked(self, shard: str, program: bool) -> list[str] | None:
        """Return the names of the files of a recorded index (``recorded``), not checked in the cache."""
        found = self.recorded_files.get(shard)
        return None if found is None else _served(found, program)

    def keep(self, shard: str) -> None:
        """Record a shard's index as the last build did: the output holds it, its files in the cache are left
        unchecked (``holds`` checks them when they are needed)."""
        self.stamps[shard] = self.recorded_files[shard]

    def holds(self, shard: str, key: str, known: dict[str, Any]) -> bool:
        """Tell whether the cache holds the index made for ``key``, untouched since; remember its files."""
        if not self.recorded(shard, key, known):
            return False
        facts = self.recorded_files[shard]
        folder = str(self.bundles / shard)
        for name, status in facts.items():
            try:
                info = os.lstat(os.path.join(folder, name))
            except OSError:
                return False
            if [info.st_size, info.st_mtime_ns] != status:
                return False
        self.stamps[shard] = facts
        return True

    def pending(self, shard: str) -> bool:
        """Tell whether Pagefind is indexing ``shard``, or will once a core is free."""
        return shard in self.running or any(queued[1] == shard for queued in self.queue)

    def index(self, pages: Path, shard: str, key: str, paths: set[str]) -> None:
        """Have Pagefind index ``pages`` (only ``paths`` under it) for ``shard``, now or when a core is free."""
        self.queue.append((pages, shard, key, paths))
        self._start()

    def _start(self) -> None:
        while self.queue and len(self.running) < max(1, worker_count()):
            pages, shard, _key, paths = self.queue.pop(0)
            _prune(pages, paths)
            bundle = self.bundles / shard
            shutil.rmtree(bundle, ignore_errors=True)
            self.stamps.pop(shard, None)
            self.running[shard] = start_index(pages, bundle, self.language, room=self.bundles / f"{shard}.run")

    def _finish(self, shard: str) -> None:
        while shard not in self.stamps:
            if shard not in self.running:
                self._start()
            done = shard if shard in self.running else next(iter(self.running))
            finish_index(self.running.pop(done))
            shutil.rmtree(self.bundles / f"{done}.run", ignore_errors=True)
            bundle = self.bundles / done
            steady_bundle(bundle)
            self.indexed.add(done)
            self.stamps[done] = {name: [path.stat().st_size, path.stat().st_mtime_ns]
                                 for name, path in bundle_files(bundle)}
            self._start()

    def files(self, shard: str, program: bool) -> dict[str, Path]:
        """Return the files of a shard's index in the cache (with Pagefind's program when ``program``), once
        Pagefind is done with it (it is held, or being indexed)."""
        self._finish(shard)
        folder = self.bundles / shard
        return {name: folder / name for name in _served(self.stamps[shard], program)}

    def stop(self) -> None:
        """End the Pagefind processes still running (the build stopped)."""
        for process, _log in self.running.values():
            process.kill()
            process.wait()
        self.running.clear()


def _served(files: dict[str, Any], program: bool) -> list[str]:
    """Return the names of an index's files the output serves, in order: Pagefind's program only at the top."""
    return [name for name in sorted(files) if program or not (name in _PROGRAM or name.startswith("wasm."))]


SCRATCH = "search-scratch"
"""In .cmhub-cache/trees/: the pages and index of a build without cache (``--no-cache``).

The output's files are links to them (on the same file system, they are not written twice), so they are
left there when the build ends (they take no room of their own) and deleted by the next search stage."""


def _forget_scratch(cache: Path) -> None:
    """Delete what a build without cache left in SCRATCH (its links would keep replaced pages on disk)."""
    work = cache / "trees" / SCRATCH
    if os.path.lexists(work):
        shutil.rmtree(work, ignore_errors=True) if work.is_dir() and not work.is_symlink() else work.unlink()


def _scratch(cache: Path) -> tuple[Path, bool]:
    """Return an empty work folder for a build without cache, and whether it is kept after the stage:
    SCRATCH, else a folder of the system's temporary one (deleted at the end of the stage: the output's
    files are then made of bytes read from it) when the cache's cannot be made."""
    work = cache / "trees" / SCRATCH
    try:
        _forget_scratch(cache)
        work.mkdir(parents=True)
    except OSError:
        return Path(tempfile.mkdtemp(prefix="cmhub-search-")), False
    return work, True


def _shard_key(indexer: tuple[str, str], keys: dict[str, str]) -> str:
    """Return the digest of what a shard's index is made from: Pagefind's version and the language
    (``indexer``), its pages' keys."""
    return digest_of(chain(indexer, (f"{path}\0{keys[path]}" for path in sorted(keys))))


def _drop_others(pages: Path, shards: set[str]) -> None:
    """Remove the work folders of shards that no longer exist."""
    if pages.is_dir():
        for folder in pages.iterdir():
            if folder.name not in shards:
                shutil.rmtree(folder) if folder.is_dir() and not folder.is_symlink() else folder.unlink()


def _prune(pages: Path, paths: set[str]) -> None:
    """Remove from a shard's work folder every file but its pages' copies (Pagefind indexes what it finds)."""
    for path in sorted(pages.rglob("*"), reverse=True):
        name = path.relative_to(pages).as_posix()
        if path.is_symlink() or (path.is_file() and name not in paths):
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def _copy_page(item: OutputFile, pages: Path, previous: Path | None) -> None:
    """Put one page where Pagefind will read it: its bytes, or a link to the previous output's file."""
    target = pages / item.path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)  # never write through a link into the output folder's file
    if item.data is not None:
        target.write_bytes(item.data)
        return
    source = item.source if item.source is not None else previous / item.path if previous is not None else None
    if source is None:
        raise ValueError(f"page {item.path!r} has no bytes to index")  # our bug
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _status(copy: Path | str, key: str, info: os.stat_result | None = None) -> list[object]:
    """Return what the record keeps of a page's copy: its key, size, date and inode."""
    info = os.lstat(copy) if info is None else info
    return [key, info.st_size, info.st_mtime_ns, info.st_ino]


def _same_copy(copy: str, key: str, known: object) -> list[object] | None:
    """Return the record of a page's copy when it is the one made for ``key`` and nobody changed it since."""
    if not key or not isinstance(known, list) or known[:1] != [key]:
        return None
    try:
        info = os.lstat(copy)
    except OSError:
        return None
    return known if stat.S_ISREG(info.st_mode) and _status(copy, key, info) == known else None


def _read_record(record: Path) -> dict[str, Any]:
    """Return what the last build indexed: each shard's key and index files, each page's copy; {} if unknown.

    The record is sealed (see cmhub.output.seals): one written elsewhere, or damaged, is unknown.
    """
    body = read_sealed(record, f"search:{record.name}")
    try:
        data = json.loads(body) if body is not None else None
    except ValueError:
        return {}
    if not (isinstance(data, dict) and isinstance(data.get("shards"), dict) and isinstance(data.get("pages"), dict)):
        return {}
    # what the record names is deleted or read: only safe relative paths
    if not all(isinstance(p, str) and is_safe_relative(p) for p in chain(data["shards"], data["pages"])):
        return {}
    return data


def _remember(record: Path, shards: dict[str, list[object]], pages: dict[str, list[object]]) -> None:
    body = json.dumps({"shards": shards, "pages": pages}, ensure_ascii=False)
    write_sealed(record, body.encode("utf-8", "surrogatepass"), f"search:{record.name}")
