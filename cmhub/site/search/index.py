"""Search: a Pagefind index of the published article pages, made after the pages and shipped with them.

``index_folder(pages, bundle, language)`` runs Pagefind (the binary of the ``pagefind-bin`` wheel) over a
folder of HTML pages and writes its bundle (index, fragments, filters, ``pagefind.js``, its worker and the
WebAssembly of one language). ``search_files`` is the build's stage: it lets every output file through,
copies the pages of published articles into a work folder as they pass (a page kept from the previous
output is linked from there), and, at the end, yields the bundle under ``pagefind/``. The bundle's key
is made from the keys of the pages it indexes: when none of them changed (none rendered again, none
added or removed), the previous bundle is kept as it is and Pagefind does not run.

What is indexed: only what the pages mark (``data-pagefind-body`` on a published article, filters tag,
category, author and language, the date as meta); only published articles' pages are handed to
Pagefind, so neither a draft nor a scheduled article can reach the index, even in a preview build.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from importlib import metadata
from itertools import chain
from pathlib import Path
from typing import Any

from cmhub.content.model import Site
from cmhub.core.errors import CmhubError, error
from cmhub.core.i18n import base_language
from cmhub.core.urls import is_safe_relative, output_file
from cmhub.incremental.freshness import CACHE_FOLDER
from cmhub.incremental.reuse import ReuseCheck, all_held, digest_of, reuse_markers
from cmhub.output.files import OutputFile
from cmhub.output.seals import read_sealed, write_sealed
from cmhub.site.search import cbor

BUNDLE = "pagefind/"
"""Where the index goes in the output folder (the search page's script loads ``pagefind/pagefind.js``)."""
RECORD = "search-index.json"
"""In .cmhub-cache/: the key and files of the last index made (kept when no page changed), and the key
of each page in PAGES."""
PAGES = "search-pages"
"""In .cmhub-cache/: the pages Pagefind reads, as the last build indexed them."""
_UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
           "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
"""Pagefind's own interfaces: the search page uses cmhub's small script instead (theme/static/search.js)."""


def pagefind_version() -> str:
    """Return the version of the Pagefind binary cmhub runs (that of the pagefind-bin wheel)."""
    return metadata.version("pagefind_bin")


def index_folder(pages: Path, bundle: Path, language: str) -> None:
    """Index the HTML pages under ``pages`` into a Pagefind bundle written to ``bundle``.

    Every page goes into one index in ``language`` (its stemming), whatever each page's own language:
    one search finds articles in every language, and the ``language`` filter tells them apart.
    Raises CmhubError when Pagefind cannot run or fails.
    """
    finish_index(start_index(pages, bundle, language))


def start_index(pages: Path, bundle: Path, language: str) -> tuple[subprocess.Popen[bytes], Path]:
    """Start Pagefind on ``pages`` (see index_folder); return the process and the file of its messages.

    It runs in a folder of its own beside ``bundle``, with no PAGEFIND_ variable: neither a
    ``pagefind.yml`` of the project nor the environment can change what it does.
    """
    from pagefind_bin import get_executable  # the binary is looked for only when there is work for it

    try:
        executable = str(get_executable())
    except FileNotFoundError as exc:
        raise CmhubError([error("search", None, f"the Pagefind binary is missing ({exc}); reinstall cmhub "
                                "(it depends on pagefind-bin)")]) from exc
    room = bundle.parent / "pagefind-run"
    room.mkdir(parents=True, exist_ok=True)
    log = room / "messages.txt"
    command = [executable, "--site", str(pages.resolve()), "--output-path", str(bundle.resolve()),
               "--force-language", base_language(language), "--silent"]
    environment = {name: value for name, value in os.environ.items() if not name.startswith("PAGEFIND_")}
    try:
        with log.open("wb") as messages:
            process = subprocess.Popen(command, cwd=room, env=environment, stdin=subprocess.DEVNULL,
                                       stdout=messages, stderr=subprocess.STDOUT)
    except OSError as exc:
        raise CmhubError([error("search", None, f"Pagefind could not run: {exc}")]) from exc
    return process, log


def finish_index(started: tuple[subprocess.Popen[bytes], Path]) -> None:
    """Wait for Pagefind to finish; raise CmhubError with its last message when it failed."""
    process, log = started
    if process.wait() != 0:
        said = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        raise CmhubError([error("search", None, "Pagefind failed to index the pages: "
                                + (said[-1] if said else f"exit code {process.returncode}"))])


SIGNATURE = b"pagefind_dcd"
"""What every gzipped Pagefind index file starts with, before its CBOR."""


def steady_bundle(bundle: Path) -> None:
    """Rewrite a bundle's filter files and meta files in a stable order, named after their bytes.

    Pagefind lists the values of a filter, and the filters and sorts of a language, in the order of a Rust
    hash map, which is drawn at random on every run: the same pages gave other file names and bytes.
    Sorted here (values by name, filters and sorts by name), the same pages give the same bundle.
    """
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for facts in entry["languages"].values():
        meta_path = bundle / f"pagefind.{facts['hash']}.pf_meta"
        version, pages, chunks, filters, sorts, *rest = _unpack(meta_path)
        renamed = []
        for name, old_hash in filters:
            old = bundle / "filter" / f"{old_hash}.pf_filter"
            filter_name, values = _unpack(old)
            data = _pack([filter_name, sorted(values, key=lambda value: value[0])])
            new_hash = _named(old_hash, data, 7)
            old.unlink()
            (bundle / "filter" / f"{new_hash}.pf_filter").write_bytes(data)
            renamed.append([name, new_hash])
        data = _pack([version, pages, chunks, sorted(renamed), sorted(sorts, key=lambda s: s[0]), *rest])
        facts["hash"] = _named(facts["hash"], data, 10)
        meta_path.unlink()
        (bundle / f"pagefind.{facts['hash']}.pf_meta").write_bytes(data)
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _unpack(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{path.name} is not a Pagefind index file")
    return cbor.loads(data[len(SIGNATURE):])


def _pack(item: Any) -> bytes:
    return gzip.compress(SIGNATURE + cbor.dumps(item), compresslevel=9, mtime=0)


def _named(old: str, data: bytes, length: int) -> str:
    """Return a file's hash as Pagefind spells it ('fr_1a2b3c4'), made from ``data``."""
    language = old.rsplit("_", 1)[0]
    return f"{language}_{hashlib.sha256(data).hexdigest()[:length]}"


def bundle_files(bundle: Path) -> Iterator[tuple[str, Path]]:
    """Yield (path under the bundle, file) for what the site serves: the index and ``pagefind.js``.

    Pagefind's own interfaces are left out, and so is the WebAssembly of languages the index does not use.
    """
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    wasm = {f"wasm.{facts['wasm']}.pagefind" for facts in entry.get("languages", {}).values()}
    for path in sorted(bundle.rglob("*")):
        name = path.relative_to(bundle).as_posix()
        if not path.is_file() or name in _UNUSED or (name.startswith("wasm.") and name not in wasm):
            continue
        yield name, path


def indexed_paths(site: Site) -> frozenset[str]:
    """Return the output files the index is made from: the pages of the published articles."""
    return frozenset(output_file(article.path) for article in site.published)


def search_files(site: Site, files: Iterable[OutputFile], reuse: ReuseCheck = None,
                 previous: Path | None = None) -> Iterator[OutputFile]:
    """Yield ``files``, then the search bundle made from the published article pages among them.

    ``reuse`` tells which files the previous output (the folder ``previous``) holds untouched: a page
    reused from there is read there, and a bundle whose key did not change is reused whole.
    With a cache, the pages Pagefind reads are kept between builds in ``.cmhub-cache/search-pages/``
    (only those whose key changed are written again). Nothing is indexed when the site has no
    published article (the search page says so).
    """
    wanted = indexed_paths(site)
    cached = reuse is not None
    record = site.config.root / CACHE_FOLDER / RECORD
    known = _read_record(record) if cached else {}
    if cached:
        record.unlink(missing_ok=True)  # a build stopped while pages change leaves no record that lies
    mirrored = known.get("pages", {})
    work = Path(tempfile.mkdtemp(prefix="cmhub-search-"))
    pages = site.config.root / CACHE_FOLDER / PAGES if cached else work / "pages"
    bundle = work / "bundle"
    running = None
    try:
        keys: dict[str, str] = {}
        copies: dict[str, list[object]] = {}
        """Each page Pagefind reads: its key and the status of its copy (a copy changed since is made again)."""
        for item in files:
            if item.path in wanted:
                keys[item.path] = item.key
                copy = _same_copy(pages / item.path, item.key, mirrored.get(item.path))
                if copy is None:
                    _copy_page(item, pages, previous)
                    copy = _status(pages / item.path, item.key)
                copies[item.path] = copy
                if len(keys) == len(wanted) and not _keep_bundle(site, keys, known, reuse):
                    # every page is in: Pagefind runs while the rest of the site is made and written
                    _drop(pages, set(mirrored) - set(keys))
                    running = start_index(pages, bundle, site.config.language)
            yield item
        if not keys:
            return
        key = bundle_key(site, keys)
        if running is None and _keep_bundle(site, keys, known, reuse):
            _remember(record, key, known["files"], copies)
            yield from reuse_markers(known["files"], key)
            return
        if running is None:
            _drop(pages, set(mirrored) - set(keys))
            running = start_index(pages, bundle, site.config.language)
        finish_index(running)
        running = None
        steady_bundle(bundle)
        made = [OutputFile(BUNDLE + name, path.read_bytes(), key=key) for name, path in bundle_files(bundle)]
        if cached and all(keys.values()):
            _remember(record, key, [item.path for item in made], copies)
        yield from made
    finally:
        if running is not None:  # the build stopped while Pagefind ran
            running[0].kill()
            running[0].wait()
        shutil.rmtree(work, ignore_errors=True)


def _keep_bundle(site: Site, keys: dict[str, str], known: dict[str, Any], reuse: ReuseCheck) -> bool:
    """Tell whether the previous bundle was made from pages with these keys and is still in place."""
    files = known.get("files", [])
    return (bool(files) and all(keys.values()) and known.get("key") == bundle_key(site, keys)
            and all(path.startswith(BUNDLE) for path in files) and all_held(reuse, files, known["key"]))


def _drop(pages: Path, paths: set[str]) -> None:
    """Remove from the folder Pagefind reads the pages that are no longer indexed."""
    for path in paths:
        (pages / path).unlink(missing_ok=True)


def bundle_key(site: Site, keys: dict[str, str]) -> str:
    """Return the digest of what the bundle is made from: Pagefind's version, the language, every page's key."""
    return digest_of(chain([pagefind_version(), base_language(site.config.language)],
                           (f"{path}\0{keys[path]}" for path in sorted(keys))))


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


def _status(copy: Path, key: str) -> list[object]:
    """Return what the record keeps of a page's copy: its key, size, date and inode."""
    info = os.lstat(copy)
    return [key, info.st_size, info.st_mtime_ns, info.st_ino]


def _same_copy(copy: Path, key: str, known: object) -> list[object] | None:
    """Return the record of a page's copy when it is the one made for ``key`` and nobody changed it since."""
    if not key or not isinstance(known, list) or known[:1] != [key]:
        return None
    try:
        return known if _status(copy, key) == known and copy.is_file() else None
    except OSError:
        return None


def _read_record(record: Path) -> dict[str, Any]:
    """Return what the last build indexed: the bundle's key and files, and each page's copy; {} if unknown.

    The record is sealed (see cmhub.output.seals): one written elsewhere, or damaged, is unknown.
    """
    body = read_sealed(record, f"search:{record.name}")
    try:
        data = json.loads(body) if body is not None else None
    except ValueError:
        return {}
    if not isinstance(data, dict) or not isinstance(data.get("files"), list) or not isinstance(data.get("pages"), dict):
        return {}
    # what the record names is deleted or served: only safe paths of the output folder, as a build writes
    if not all(isinstance(p, str) and is_safe_relative(p) for p in (*data["files"], *data["pages"])):
        return {}
    return data


def _remember(record: Path, key: str, files: list[str], pages: dict[str, list[object]]) -> None:
    body = json.dumps({"key": key, "files": files, "pages": pages}, ensure_ascii=False)
    write_sealed(record, body.encode("utf-8", "surrogatepass"), f"search:{record.name}")
