"""The search index (cmhub/site/search/index.py): what Pagefind indexes, when it runs again, and its stable bytes."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cmhub.cli.verbs import main
from cmhub.site.search import cbor
from cmhub.site.search.index import SIGNATURE, pagefind_version, steady_bundle
from tests.conftest import NOW, public_bytes, tree_digest


def build(runner: CliRunner, root: Path, *options: str) -> None:
    result = runner.invoke(main, ["build", "-C", str(root), "--now", NOW, "-q", *options])
    assert result.exit_code == 0, result.output


def unpack(path: Path) -> object:
    data = gzip.decompress(path.read_bytes())
    assert data.startswith(SIGNATURE)
    return cbor.loads(data[len(SIGNATURE):])


def index_text(site: Path) -> str:
    """Every fragment and filter of the index, unpacked, as text."""
    return "\n".join(json.dumps(unpack(p), ensure_ascii=False) if p.suffix == ".pf_filter"
                     else gzip.decompress(p.read_bytes()).decode("utf-8", "replace")
                     for p in sorted((site / "pagefind").rglob("*.pf_*")))


def test_the_index_holds_published_articles_only_with_their_filters(basic_site: Path, runner: CliRunner) -> None:
    build(runner, basic_site)
    text = index_text(basic_site / "site")
    assert "Nous avons écrit nos règles" in text  # a published article's body
    assert "/premier-article/" in text
    for secret in ("secret", "Secret", "programm", "brouillon"):
        assert secret not in text, secret
    filters = {p.name: unpack(p) for p in (basic_site / "site" / "pagefind" / "filter").glob("*.pf_filter")}
    by_name = {name: [value for value, _ in values] for name, values in filters.values()}
    assert set(by_name) == {"tag", "category", "author", "language"}
    assert "Modération" in by_name["tag"] and "Méthode" in by_name["category"]
    assert by_name["author"] == ["Léa Dubois", "Samuel Okafor"] and sorted(by_name["language"]) == ["en", "fr"]
    for values in by_name.values():  # written in a stable order
        assert values == sorted(values)
    bundle = sorted(p.relative_to(basic_site / "site" / "pagefind").as_posix()
                    for p in (basic_site / "site" / "pagefind").iterdir())
    assert "pagefind.js" in bundle and "wasm.fr.pagefind" in bundle
    assert not [name for name in bundle if "-ui" in name or name == "wasm.unknown.pagefind"]  # unused parts


def test_a_preview_build_indexes_no_draft_and_no_scheduled_article(basic_site: Path, runner: CliRunner) -> None:
    build(runner, basic_site, "--drafts", "--future")  # a preview is written to preview/ (issue #21.3)
    article = (basic_site / "preview" / "secret-brouillon" / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind" not in article  # shown with its banner, but not marked for the index
    assert b"secret" not in public_bytes(basic_site / "preview" / "pagefind")


def test_the_index_is_made_again_only_when_an_indexed_page_changes(basic_site: Path, runner: CliRunner) -> None:
    build(runner, basic_site)
    bundle = basic_site / "site" / "pagefind"
    before = {p: p.stat().st_ino for p in bundle.rglob("*") if p.is_file()}
    (basic_site / "content" / "ancien.md").touch()  # the build runs again, no page changes
    (basic_site / "site.yml").write_text((basic_site / "site.yml").read_text(encoding="utf-8") + "\n",
                                         encoding="utf-8")
    build(runner, basic_site)
    assert {p: p.stat().st_ino for p in bundle.rglob("*") if p.is_file()} == before  # kept as it was
    article = basic_site / "content" / "premier-article.md"
    article.write_text(article.read_text(encoding="utf-8").replace("en trois semaines", "en quatre semaines"),
                       encoding="utf-8")
    build(runner, basic_site)
    assert "en quatre semaines" in index_text(basic_site / "site")
    assert {p for p in bundle.rglob("*") if p.is_file()} != set(before)


def test_same_pages_same_index_whatever_the_run(basic_site: Path, tmp_path: Path, runner: CliRunner) -> None:
    other = tmp_path / "elsewhere" / "hub"
    shutil.copytree(basic_site, other)
    build(runner, basic_site)
    build(runner, other, "--no-cache")
    assert tree_digest(basic_site / "site" / "pagefind") == tree_digest(other / "site" / "pagefind")


def test_a_build_without_cache_writes_the_indexed_pages_and_the_index_once(basic_site: Path,
                                                                          runner: CliRunner) -> None:
    article = basic_site / "content" / "premier-article.md"  # without its links to unpublished articles,
    text = article.read_text(encoding="utf-8")  # the hub has no warning: --strict builds it
    for unpublished in ("(secret-brouillon.md)", "(secret-programme.md)"):
        text = text.replace(unpublished, "(guides/second.md)")
    article.write_text(text, encoding="utf-8")
    build(runner, basic_site, "--no-cache", "--strict")  # --strict reads every file before any is written
    site, scratch = basic_site / "site", basic_site / ".cmhub-cache" / "trees" / "search-scratch"
    made = {p.stat().st_ino for p in scratch.rglob("*") if p.is_file()}
    page = site / "premier-article" / "index.html"
    assert page.stat().st_ino in made  # the page Pagefind read and the page served are one file
    bundle = [p for p in (site / "pagefind").rglob("*") if p.is_file() and p.name != "shards.json"]  # ours
    assert bundle and all(p.stat().st_ino in made for p in bundle)
    assert "Nous avons écrit nos règles" in index_text(site)
    build(runner, basic_site)  # a build with its cache: the scratch's links would keep old pages on disk
    assert not scratch.exists()


def test_steady_bundle_sorts_what_pagefind_wrote_in_hash_map_order(tmp_path: Path) -> None:
    def pack(item: object) -> bytes:
        return gzip.compress(SIGNATURE + cbor.dumps(item), mtime=0)

    bundles = []
    for order in ((0, 1), (1, 0)):
        bundle = tmp_path / f"b{order[0]}"
        (bundle / "filter").mkdir(parents=True)
        values = [["zèbre", [1]], ["abeille", [0, 1]]]
        filters = [["tag", "fr_aaaaaaa"], ["author", "fr_bbbbbbb"]]
        (bundle / "filter" / "fr_aaaaaaa.pf_filter").write_bytes(pack(["tag", [values[i] for i in order]]))
        (bundle / "filter" / "fr_bbbbbbb.pf_filter").write_bytes(pack(["author", [["Léa", [0]]]]))
        meta = ["1.5.2", [["fr_p0", 10], ["fr_p1", 12]], [], [filters[i] for i in order], [], ["title"]]
        (bundle / "pagefind.fr_1234567890.pf_meta").write_bytes(pack(meta))
        (bundle / "pagefind-entry.json").write_text(json.dumps(
            {"version": "1.5.2", "languages": {"fr": {"hash": "fr_1234567890", "wasm": "fr", "page_count": 2}}}))
        steady_bundle(bundle)
        bundles.append(bundle)
    assert tree_digest(bundles[0]) == tree_digest(bundles[1])
    entry = json.loads((bundles[0] / "pagefind-entry.json").read_text(encoding="utf-8"))
    meta = unpack(bundles[0] / f"pagefind.{entry['languages']['fr']['hash']}.pf_meta")
    assert [name for name, _ in meta[3]] == ["author", "tag"]
    tag = unpack(bundles[0] / "filter" / f"{dict(meta[3])['tag']}.pf_filter")
    assert tag == ["tag", [["abeille", [0, 1]], ["zèbre", [1]]]]


@pytest.mark.parametrize("item", [0, 23, 24, 255, 256, 65536, 2**40, -1, -500, "", "é" * 30, b"\x00",
                                  [], [1, [2, "x"]], {"a": 1}, True, False, None])
def test_cbor_reads_back_what_it_writes(item: object) -> None:
    assert cbor.loads(cbor.dumps(item)) == item


def test_cbor_refuses_what_it_cannot_read() -> None:
    for data in (b"", b"\x82\x01", b"\x1c", b"\x01\x02"):
        with pytest.raises(ValueError):
            cbor.loads(data)


def test_material_keeps_its_own_search(basic_site: Path, runner: CliRunner) -> None:
    pytest.importorskip("material")
    build(runner, basic_site, "--engine", "material")
    assert not (basic_site / "site" / "pagefind").exists()


def test_search_false_leaves_the_page_its_link_and_the_index_out(basic_site: Path, runner: CliRunner) -> None:
    config = basic_site / "site.yml"
    config.write_text(config.read_text(encoding="utf-8") + "search: false\n", encoding="utf-8")
    build(runner, basic_site)
    site = basic_site / "site"
    assert not (site / "pagefind").exists() and not (site / "search").exists()
    assert "/search/" not in (site / "index.html").read_text(encoding="utf-8")
    assert (site / "feeds" / "index.html").is_file()


def test_the_pagefind_version_is_the_installed_wheel_s(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read from the wheel's record beside the package; where it cannot be, importlib.metadata tells."""
    from importlib import metadata, util

    import cmhub.site.search.index as index

    installed = metadata.version("pagefind_bin")
    assert pagefind_version() == installed
    monkeypatch.setattr(index, "util", type("NoSpec", (), {"find_spec": staticmethod(lambda name: None)}))
    assert pagefind_version() == installed
    assert util.find_spec("pagefind_bin") is not None
