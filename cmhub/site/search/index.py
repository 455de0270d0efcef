"""Search: Pagefind, run over a folder of pages, and the bundle it writes, in a stable order.

``index_folder(pages, bundle, language)`` runs Pagefind (the binary of the ``pagefind-bin`` wheel) over a
folder of HTML pages and writes its bundle (index, fragments, filters, ``pagefind.js``, its worker and the
WebAssembly of one language). The build's stage, which splits the pages into shards and runs Pagefind on
the shards that changed, is cmhub/site/search/stage.py.

What is indexed: only what the pages mark (``data-pagefind-body`` on a published article, filters tag,
category, author and language, the date as meta); only published articles' pages are handed to
Pagefind, so neither a draft nor a scheduled article can reach the index, even in a preview build.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import subprocess
from collections.abc import Iterator
from importlib import util
from pathlib import Path
from typing import Any

from cmhub.core.errors import CmhubError, error
from cmhub.core.i18n import base_language
from cmhub.site.search import cbor

BUNDLE = "pagefind/"
"""Where the index goes in the output folder (the search page's script loads ``pagefind/pagefind.js``)."""
_UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
           "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
"""Pagefind's own interfaces: the search page uses cmhub's small script instead (theme/static/search.js)."""


def pagefind_version() -> str:
    """Return the version of the Pagefind binary cmhub runs (that of the pagefind-bin wheel).

    Read from the name of the wheel's record beside the package, found without importing it: loading
    importlib.metadata, which searches every installed distribution, cost ~15 ms of every build. Where
    that record is not alone (or not there: another kind of install), importlib.metadata tells.
    """
    spec = util.find_spec("pagefind_bin")
    if spec is not None and spec.origin:
        installed = Path(spec.origin).parent.parent
        try:
            found = [name for name in os.listdir(installed)
                     if name.startswith("pagefind_bin-") and name.endswith(".dist-info")]
        except OSError:
            found = []
        if len(found) == 1:
            return found[0][len("pagefind_bin-"):-len(".dist-info")]
    from importlib import metadata

    return metadata.version("pagefind_bin")


def index_folder(pages: Path, bundle: Path, language: str) -> None:
    """Index the HTML pages under ``pages`` into a Pagefind bundle written to ``bundle``.

    Every page goes into one index in ``language`` (its stemming), whatever each page's own language:
    one search finds articles in every language, and the ``language`` filter tells them apart.
    Raises CmhubError when Pagefind cannot run or fails.
    """
    finish_index(start_index(pages, bundle, language))


def start_index(pages: Path, bundle: Path, language: str,
                room: Path | None = None) -> tuple[subprocess.Popen[bytes], Path]:
    """Start Pagefind on ``pages`` (see index_folder); return the process and the file of its messages.

    It runs in a folder of its own (``room``, else one beside ``bundle``), with no PAGEFIND_ variable:
    neither a ``pagefind.yml`` of the project nor the environment can change what it does.
    """
    from pagefind_bin import get_executable  # the binary is looked for only when there is work for it

    try:
        executable = str(get_executable())
    except FileNotFoundError as exc:
        raise CmhubError([error("search", None, f"the Pagefind binary is missing ({exc}); reinstall cmhub "
                                "(it depends on pagefind-bin)")]) from exc
    room = room if room is not None else bundle.parent / "pagefind-run"
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
