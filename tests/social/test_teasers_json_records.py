"""teasers.json made again copies, from the previous one, each record made from the same teaser
(cmhub/social/jsondoc.py): the same bytes as a document made whole, and only what changed is made."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from cmhub.cli.verbs import main
from cmhub.core.locations import CACHE_FOLDER
from cmhub.output.manifest import ManifestEntry
from cmhub.output.previous import PreviousOutput
from cmhub.pipeline import syndication
from cmhub.social import exports
from cmhub.social.jsondoc import earlier_records, json_document, keyed_document
from cmhub.social.step import TEASERS_INDEX
from tests.conftest import NOW, same_as_a_build_without_cache

HEADER = {"version": 1, "site": "https://example.org/"}
RECORDS = {f"key-{n}": {"n": n, "text": f"Teaser n° {n}\n«\u202fcité\u202f»", "tags": ["#a", f"#b{n}"],
                        "media": {"path": f"p{n}.png", "alt": None} if n % 2 else None} for n in range(6)}


def _previous(folder: Path, name: str = "teasers.json") -> PreviousOutput:
    """The previous output as its manifest describes it (the file as it is now)."""
    path = folder / name
    info = path.stat()
    entry = ManifestEntry(hashlib.sha256(path.read_bytes()).hexdigest()[:32], info.st_size, info.st_mtime_ns,
                          "", info.st_ino)
    previous = PreviousOutput(folder, None)
    previous.__dict__["files"] = {name: entry}  # what its manifest would say (a cached property)
    return previous


def _keyed(records: dict[str, dict[str, object]], made: list[str]):  # noqa: ANN202 - keyed_document's items
    for key, record in records.items():
        yield key, lambda key=key, record=record: (made.append(key), record)[1]


def test_a_document_copies_the_records_the_previous_one_holds_under_their_key(tmp_path: Path) -> None:
    index = tmp_path / "index.json"
    first = keyed_document(HEADER, "teasers", _keyed(RECORDS, []), None, index)
    assert first == json_document(HEADER, "teasers", iter(RECORDS.values()))  # json.dumps(indent=2)'s text
    assert json.loads(first) == {**HEADER, "teasers": list(RECORDS.values())}
    (tmp_path / "teasers.json").write_bytes(first)
    earlier = earlier_records(index, _previous(tmp_path), "teasers.json")
    assert earlier is not None
    # a record made from something else has another key: key-2's teaser changed, key-4's went, key-9's came
    changed = {("key-2b" if key == "key-2" else key): ({"n": 2, "text": "changed"} if key == "key-2" else record)
               for key, record in RECORDS.items() if key != "key-4"}
    changed["key-9"] = {"n": 9}
    made: list[str] = []
    second = keyed_document(HEADER, "teasers", _keyed(changed, made), earlier, index)
    assert made == ["key-2b", "key-9"]  # the others copied from the previous file
    assert second == json_document(HEADER, "teasers", iter(changed.values()))
    made.clear()
    other = keyed_document({**HEADER, "version": 2}, "teasers", _keyed(RECORDS, made), earlier)
    assert made == list(RECORDS)  # another header: every record made
    assert other == json_document({**HEADER, "version": 2}, "teasers", iter(RECORDS.values()))


def test_a_previous_document_changed_since_or_not_the_indexed_one_is_not_read(tmp_path: Path) -> None:
    index = tmp_path / "index.json"
    path = tmp_path / "teasers.json"
    path.write_bytes(keyed_document(HEADER, "teasers", _keyed(RECORDS, []), None, index))
    previous = _previous(tmp_path)
    assert earlier_records(index, previous, "teasers.json") is not None
    info = path.stat()
    path.write_bytes(path.read_bytes().replace(b"Teaser", b"Teasex"))  # changed in place: another date
    assert earlier_records(index, previous, "teasers.json") is None
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert earlier_records(index, _previous(tmp_path), "teasers.json") is None  # not the file indexed
    assert earlier_records(index, None, "teasers.json") is None
    assert earlier_records(tmp_path / "none.json", _previous(tmp_path), "teasers.json") is None


def test_records_that_cannot_be_read_from_the_previous_file_are_made(tmp_path: Path) -> None:
    index = tmp_path / "index.json"
    path = tmp_path / "teasers.json"
    path.write_bytes(keyed_document(HEADER, "teasers", _keyed(RECORDS, []), None, index))
    earlier = earlier_records(index, _previous(tmp_path), "teasers.json")
    assert earlier is not None
    path.write_bytes(path.read_bytes()[:200])  # cut short after it was found sound (while the build runs)
    made: list[str] = []
    again = keyed_document(HEADER, "teasers", _keyed(RECORDS, made), earlier)
    assert made == list(RECORDS)  # one read for the records that follow each other, short: each made
    assert again == json_document(HEADER, "teasers", iter(RECORDS.values()))


NETWORKS = 'networks:\n  x: "@voix"\n  mastodon: "@voix@piaille.example"\n  linkedin: voix\n'


def test_a_step_made_in_full_makes_the_records_of_the_changed_article_only(
        basic_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(syndication, "worker_count", lambda: 2)
    monkeypatch.setattr(syndication, "APART_FROM", 1)  # the sample hub is small: its step made apart
    with (basic_site / "site.yml").open("a", encoding="utf-8") as handle:
        handle.write(NETWORKS)
    log = tmp_path / "records-made.txt"  # written by the process that makes the step
    real = exports.teaser_record

    def teaser_record(site, articles, teaser):  # noqa: ANN001, ANN202 - teaser_record's
        with log.open("a", encoding="utf-8") as handle:
            handle.write(teaser.source + "\n")
        return real(site, articles, teaser)

    monkeypatch.setattr(exports, "teaser_record", teaser_record)

    def build() -> list[str]:
        log.write_text("", encoding="utf-8")
        result = CliRunner().invoke(main, ["build", "-C", str(basic_site), "--now", NOW, "-q"])
        assert result.exit_code == 0, result.output
        return log.read_text(encoding="utf-8").split()

    everything = build()
    assert len(everything) > 10 and (basic_site / CACHE_FOLDER / TEASERS_INDEX).exists()
    path = basic_site / "content" / "troisieme.md"
    path.write_text(path.read_text(encoding="utf-8").replace("title: L’été des bénévoles", "title: L’été de nos "
                                                             "bénévoles"), encoding="utf-8")
    again = build()  # a new title: the step made in full, teasers.json made again
    assert again and set(again) == {"content/troisieme.md"}, again
    assert "L’été de nos bénévoles" in (basic_site / "social" / "teasers.json").read_text(encoding="utf-8")
    same_as_a_build_without_cache(basic_site, tmp_path)
