"""Hostile text and sizes (issue #21.6): bounded work, a message at the line, never a traceback.

Each case is built in a subprocess with a time limit: a build that would run for minutes (an alias
bomb, 20,000 brackets) fails the test instead of hanging the suite.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cmhub.cli.verbs import main
from cmhub.social.calendar.files import _text as ics_text
from cmhub.social.spreadsheet import csv_bytes, text_cell
from tests.conftest import NOW, SITES


def bomb(levels: int = 9, indent: str = "  ") -> str:
    lines = [f'{indent}a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    previous = "a"
    for name in "bcdefghijk"[: levels - 1]:
        lines.append(f"{indent}{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
        previous = name
    return "\n".join(lines) + "\n"


def hub(tmp_path: Path) -> Path:
    root = tmp_path / "hub"
    shutil.copytree(SITES / "basic", root, ignore=shutil.ignore_patterns("expected"))
    return root


def run(root: Path, timeout: int = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cmhub", "build", "-C", str(root), "--now", NOW, "-q"],
                          capture_output=True, text=True, timeout=timeout)


def article(root: Path, front: str, body: str = "Texte.\n", name: str = "hostile.md") -> str:
    (root / "content" / name).write_text(f"---\ntitle: Hostile\ndate: 2026-10-10\n{front}---\n{body}",
                                         encoding="utf-8")
    return f"content/{name}"


def test_an_alias_bomb_in_an_article_is_refused_at_its_line(tmp_path: Path) -> None:
    root = hub(tmp_path)
    source = article(root, "extra:\n" + bomb())
    done = run(root)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"{source}:6: YAML aliases ('*name') expand these values to more than" in done.stderr, done.stderr


def test_an_alias_bomb_in_site_yml_is_refused_at_its_line(tmp_path: Path) -> None:
    root = hub(tmp_path)
    with (root / "site.yml").open("a", encoding="utf-8") as handle:
        handle.write("extra_bomb:\n" + bomb())
    done = run(root)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    line = len((SITES / "basic" / "site.yml").read_text(encoding="utf-8").splitlines()) + 3  # b: &b [*a, ...]
    assert f"site.yml:{line}: YAML aliases ('*name') expand" in done.stderr, done.stderr


def test_anchors_used_a_few_times_are_fine(tmp_path: Path) -> None:
    root = hub(tmp_path)
    article(root, "extra:\n  base: &base {color: red, size: 3}\n  first: *base\n  second: *base\n")
    done = run(root)
    assert done.returncode == 0, done.stderr


def test_too_many_tags_is_a_message(tmp_path: Path) -> None:
    root = hub(tmp_path)
    tags = ", ".join(f"t{n}" for n in range(500))
    source = article(root, f"tags: [{tags}]\n")
    done = run(root)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"{source}:4: 'tags' has 500 entries; an article may have at most 50" in done.stderr
    assert not (root / "site").exists()


@pytest.mark.parametrize("body", ["[" * 20_000, "![" * 20_000, "[a](" * 20_000],
                         ids=["brackets", "images", "open-links"])
def test_a_paragraph_markdown_would_take_minutes_on_is_refused(tmp_path: Path, body: str) -> None:
    root = hub(tmp_path)
    source = article(root, "", "Intro.\n\n" + body + "\n")
    done = run(root, timeout=60)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"{source}:7: this paragraph holds more than 1,000 '['" in done.stderr, done.stderr


def test_brackets_in_a_code_block_are_fine(tmp_path: Path) -> None:
    root = hub(tmp_path)
    article(root, "", "```\n" + "[" * 5_000 + "\n```\n")
    assert run(root).returncode == 0


@pytest.mark.parametrize(("front", "line", "message"), [
    ('title: "Un\\rdeux"\n', 2, "'title' must be one line without control characters (it holds U+000D)"),
    ('title: "Un\\u0001deux"\n', 2, "'title' must be one line without control characters (it holds U+0001)"),
    ('tags: ["a\\u0085b"]\n', 4, "'tags' items must be one line without control characters (it holds U+0085)"),
    ('summary: "un\\u0000deux"\n', 4, "'summary' holds the control character U+0000"),
    ('extra: {note: "\\u001b[31m"}\n', 4, "'extra.note' holds the control character U+001B"),
])
def test_control_characters_are_refused_at_their_line(tmp_path: Path, front: str, line: int, message: str) -> None:
    root = hub(tmp_path)
    head = front + "date: 2026-10-10\n" if front.startswith("title") else f"title: Hostile\ndate: 2026-10-10\n{front}"
    (root / "content" / "hostile.md").write_text(f"---\n{head}---\nx\n", encoding="utf-8")
    done = run(root)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"content/hostile.md:{line}: {message}" in done.stderr, done.stderr


def test_a_control_character_in_the_body_is_refused_at_its_line(tmp_path: Path) -> None:
    root = hub(tmp_path)
    source = article(root, "", "Ligne un.\nLigne \x01deux.\n")
    done = run(root)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"{source}:6: the text holds the control character U+0001" in done.stderr, done.stderr


def test_a_format_spec_in_utm_fields_is_refused(tmp_path: Path) -> None:
    root = hub(tmp_path)
    with (root / "site.yml").open("a", encoding="utf-8") as handle:
        handle.write('networks:\n  x: "@voix"\nutm:\n  campaign: "{slug.upper}"\n')
    result = CliRunner().invoke(main, ["build", "-C", str(root), "--now", NOW])
    assert result.exit_code == 1 and "Traceback" not in result.output
    line = len((SITES / "basic" / "site.yml").read_text(encoding="utf-8").splitlines()) + 4
    assert f"site.yml:{line}: 'utm.campaign' may only use {{network}}, {{slug}}, {{lang}} and {{year}}" \
        in result.stderr, result.stderr


@pytest.mark.parametrize("value", ["999999999999d", "400d", "99999w"])
def test_a_huge_duration_is_refused(tmp_path: Path, value: str) -> None:
    root = hub(tmp_path)
    with (root / "site.yml").open("a", encoding="utf-8") as handle:
        handle.write(f'networks:\n  linkedin: {{handle: "Voix", reminders: [{value}]}}\n')
    result = CliRunner().invoke(main, ["build", "-C", str(root), "--now", NOW])
    assert result.exit_code == 1 and "Traceback" not in result.output
    line = len((SITES / "basic" / "site.yml").read_text(encoding="utf-8").splitlines()) + 2
    assert f"site.yml:{line}: 'networks.linkedin.reminders' must be at most a year, got '{value}'" \
        in result.stderr, result.stderr


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31", "9999-12-31T23:30:00", "0001-01-01T00:30:00+05:00"])
def test_dates_near_the_ends_of_the_calendar_are_refused(tmp_path: Path, date: str) -> None:
    root = hub(tmp_path)
    (root / "content" / "hostile.md").write_text(f"---\ntitle: Hostile\ndate: {date}\n---\nx\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "-C", str(root), "--now", NOW])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "content/hostile.md:3: 'date' is out of the range of dates cmhub can handle, got" in result.stderr


@pytest.mark.parametrize("now", ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"])
def test_a_clock_near_the_ends_of_the_calendar_is_refused(tmp_path: Path, now: str) -> None:
    result = CliRunner().invoke(main, ["build", "-C", str(hub(tmp_path)), "--now", now])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "--now: is out of the range of dates cmhub can handle (the years 1000 to 8999)" in result.stderr


def test_csv_cells_a_spreadsheet_would_run_are_marked_as_text() -> None:
    data = csv_bytes(["a", "b"], [["=HYPERLINK(\"https://evil.example\",\"clic\")", "+1+cmd|' /C calc'!A0"],
                                  ["-2+3+cmd|' /C calc'!A0", "@SUM(A1)"], ["\tx", "\ry"], ["texte", "2026-12-01"],
                                  ["-2", "+1.5"]])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert rows[1:] == [["'=HYPERLINK(\"https://evil.example\",\"clic\")", "'+1+cmd|' /C calc'!A0"],
                        ["'-2+3+cmd|' /C calc'!A0", "'@SUM(A1)"], ["'\tx", "'\ry"], ["texte", "2026-12-01"],
                        ["-2", "+1.5"]]  # plain numbers stay numbers


def test_every_csv_a_build_writes_is_safe(tmp_path: Path) -> None:
    root = tmp_path / "hub"
    shutil.copytree(SITES / "social", root, ignore=shutil.ignore_patterns("expected"))
    article(root, 'syndicate:\n  x: "=HYPERLINK(\\"https://evil.example\\") {url}"\n  linkedin: "@SUM(1) {url}"\n',
            name="formule.md")
    result = CliRunner().invoke(main, ["build", "-C", str(root), "--now", NOW])
    assert result.exit_code == 0, result.output
    files = sorted((root / "social").rglob("*.csv"))
    assert len(files) >= 3
    for path in files:
        for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"))):
            assert not any(text_cell(cell) != cell for cell in row), (path, row)


def test_a_lone_carriage_return_never_reaches_the_calendar_raw() -> None:
    assert ics_text("un\rdeux\r\ntrois\nquatre") == "un\\ndeux\\ntrois\\nquatre"
