"""Curating an export: --since, --until, --min-words and --select (ids, days, URLs), and the import record."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cmhub.content.frontmatter import parse_header
from cmhub.core.errors import CmhubError
from cmhub.imports.compose import yaml_string
from cmhub.imports.curation import parse_bound
from cmhub.imports.record import Entry, format_record, parse_record
from cmhub.settings.config import parse_config
from cmhub.settings.yamlsource import load_yaml
from tests.imports.conftest import cmhub
from tests.imports.exports import CAPTION_PICTURE, write_instagram

PARIS = ZoneInfo("Europe/Paris")


def _names(hub: Path) -> list[str]:
    return [p.name[:10] for p in sorted((hub / "content" / "instagram").glob("*.md"))]


def test_since_and_until_are_days_in_the_hub_time_zone(hub: Path, tmp_path: Path) -> None:
    export = write_instagram(tmp_path / "export")
    # the picture was posted 2019-06-30T22:30Z, which is 2019-07-01 in Paris
    result = cmhub("import", "instagram", export, "-C", hub, "--since", "2019-07-01", "--until", "2019-12-25")
    assert result.exit_code == 0, result.output
    assert _names(hub) == ["2019-07-01", "2019-12-25"]
    assert "1 left out by --since, --until, --min-words or --select" in result.stdout


def test_min_words_leaves_out_short_posts_without_counting_hashtags(hub: Path, tmp_path: Path) -> None:
    result = cmhub("import", "instagram", write_instagram(tmp_path / "export"), "-C", hub, "--min-words", "9")
    assert result.exit_code == 0, result.output
    assert _names(hub) == ["2019-12-25"]


def test_a_select_file_names_items_by_day_or_export_path(hub: Path, tmp_path: Path) -> None:
    selection = tmp_path / "keep.txt"
    selection.write_text("# à garder\n2019-12-25\tle carrousel\n\nmedia/posts/202003/17900000000000005.mp4\n")
    result = cmhub("import", "instagram", write_instagram(tmp_path / "export"), "-C", hub, "--select", selection)
    assert result.exit_code == 0, result.output
    assert _names(hub) == ["2019-12-25", "2020-03-29"]


def test_a_select_line_that_names_nothing_is_an_error_at_its_line(hub: Path, tmp_path: Path) -> None:
    selection = tmp_path / "keep.txt"
    selection.write_text("1561933800\n2018-01-01\n")
    result = cmhub("import", "instagram", write_instagram(tmp_path / "export"), "-C", hub, "--select", selection)
    assert result.exit_code == 1
    assert f"{selection}:2: '2018-01-01' names no item of this export" in result.stderr
    assert not list((hub / "content").iterdir())


def test_bounds_read_days_and_instants() -> None:
    assert parse_bound("2019-07-01", "--since", PARIS) == dt.datetime(2019, 7, 1, tzinfo=PARIS)
    assert parse_bound("2019-07-01", "--until", PARIS, end=True) == dt.datetime(2019, 7, 2, tzinfo=PARIS)
    assert parse_bound("2019-07-01T12:00:00Z", "--until", PARIS, end=True) == \
        dt.datetime(2019, 7, 1, 12, tzinfo=dt.UTC)
    with pytest.raises(CmhubError) as caught:
        parse_bound("mardi", "--since", PARIS)
    assert str(caught.value).startswith("--since: must be an ISO 8601 date")


def test_to_must_be_inside_content(hub: Path, tmp_path: Path) -> None:
    result = cmhub("import", "instagram", write_instagram(tmp_path / "export"), "-C", hub, "--to", "elsewhere")
    assert result.exit_code == 1 and "--to: must be a folder inside content/" in result.stderr
    result = cmhub("import", "instagram", write_instagram(tmp_path / "export"), "-C", hub, "--to", "content/archives")
    assert result.exit_code == 0 and len(list((hub / "content/archives").glob("*.md"))) == 3


@given(st.text(st.characters(blacklist_categories=("Cs",))))
def test_yaml_strings_read_back_identical(text: str) -> None:
    assert load_yaml(f"title: {yaml_string(text)}\n", "x.md") == {"title": text}


def test_an_article_written_by_the_import_is_valid_front_matter() -> None:
    text = f"---\ntitle: {yaml_string(CAPTION_PICTURE)}\ndate: 2019-07-01T00:30:00+02:00\ndraft: true  # x\n" \
           "imported_from:\n  network: \"instagram\"\n  id: \"1\"\n---\nCorps\n"
    header = parse_header(text, "content/a.md", parse_config("title: t\nurl: https://x.org/\n", Path("/tmp")))
    assert header.title == CAPTION_PICTURE and header.draft


def test_imported_from_must_be_a_mapping() -> None:
    with pytest.raises(CmhubError) as caught:
        parse_header("---\ntitle: t\ndate: 2020-01-01\nimported_from: instagram\n---\n", "content/a.md",
                     parse_config("title: t\nurl: https://x.org/\n", Path("/tmp")))
    assert "content/a.md:4: 'imported_from' must be a mapping" in str(caught.value)


def test_the_record_is_sorted_and_reads_back() -> None:
    entries = {("wordpress", "12"): Entry("wordpress", "12", "content/wordpress/b.md", "b" * 64),
               ("instagram", "1"): Entry("instagram", "1", "content/instagram/a.md", "a" * 64)}
    text = format_record(entries)
    assert text.splitlines()[3:] == [f"instagram\t1\tcontent/instagram/a.md\t{'a' * 64}",
                                     f"wordpress\t12\tcontent/wordpress/b.md\t{'b' * 64}"]
    assert parse_record(text) == entries


def test_the_progress_bar_ticks_once_per_file_written(hub: Path, tmp_path: Path) -> None:
    from cmhub.imports.run import Request, import_export

    shown: list[int] = []
    ticks: list[int] = []

    def progress(total: int):
        shown.append(total)
        return lambda: ticks.append(1)

    (hub / "content").rmdir()  # a hub without content/ yet
    report = import_export(hub, Request("instagram", (write_instagram(tmp_path / "export"),)), progress)
    assert shown == [8] and len(ticks) == 8  # 3 articles, 4 pictures, 1 video
    assert report.count("new") == 3 and (hub / "content/instagram").is_dir()
