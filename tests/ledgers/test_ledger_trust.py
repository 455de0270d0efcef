"""permalinks.lock read again without its checks when the build cache vouches that this very text passed them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from cmhub.cli.verbs import main
from cmhub.core.errors import CmhubError
from cmhub.ledgers import permalinks_reading
from cmhub.ledgers.permalinks_lock import Entry, Ledger, Retired, format_ledger
from cmhub.ledgers.permalinks_reading import load_ledger, parse_ledger
from tests.conftest import NOW, same_as_a_build_without_cache

PARIS = dt.timezone(dt.timedelta(hours=1))
LEDGER = Ledger(
    {"content/a.md": Entry("tag:x,2026-01-01:/a/", dt.datetime(2026, 1, 1, 9, tzinfo=PARIS), "b/", ("a/", "z/"),
                           "Un titre : « cité »"),
     "content/c d.md": Entry("tag:x,2026-02-01:/c/", dt.datetime(2026, 2, 1, tzinfo=dt.UTC), "c/")},
    {"old/": Retired("old/"), "moved/": Retired("moved/", "b/")})


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The line of every entry the ledger's checks read."""
    seen: list[int] = []
    real = permalinks_reading._Reader.check_entry

    def counted(self, number, key, value):  # noqa: ANN001, ANN202 - check_entry's
        seen.append(number)
        return real(self, number, key, value)

    monkeypatch.setattr(permalinks_reading._Reader, "check_entry", counted)
    return seen


def _lines(ledger: Ledger) -> list[int | None]:
    return [entry.line for entry in ledger.entries.values()] + [gone.line for gone in ledger.retired.values()]


def test_a_text_read_unchecked_is_the_ledger_its_checks_read() -> None:
    text = format_ledger(LEDGER).replace("\narticles:\n", "\n\n# a comment\narticles:\n\n")
    checked = parse_ledger(text)
    unchecked = permalinks_reading._unchecked(text)
    assert checked == LEDGER and unchecked == checked
    assert _lines(unchecked) == _lines(checked) and None not in _lines(checked)
    assert permalinks_reading._unchecked("articles:\n  content/a.md: {}\n") is None  # the older format


def test_the_same_text_is_read_without_its_checks_and_any_other_with_them(tmp_path: Path, checks: list[int]) -> None:
    (tmp_path / "permalinks.lock").write_text(format_ledger(LEDGER), encoding="utf-8")
    trust = tmp_path / ".cmhub-cache" / "permalinks.checked"
    first, _ = load_ledger(tmp_path, trust)
    assert first == LEDGER and len(checks) == 2 and trust.exists()
    checks.clear()
    again, text = load_ledger(tmp_path, trust)
    assert again == LEDGER and _lines(again) == _lines(first) and checks == []
    damaged = text.replace('"url": "/c/"', '"url": "c/"')
    (tmp_path / "permalinks.lock").write_text(damaged, encoding="utf-8")
    with pytest.raises(CmhubError) as raised:
        load_ledger(tmp_path, trust)
    assert "url 'c/' must start with '/'" in str(raised.value)
    (tmp_path / "permalinks.lock").write_text(text, encoding="utf-8")
    trust.write_bytes(trust.read_bytes()[:-1] + b"x")  # a record that is not sealed: the checks run
    checks.clear()
    assert load_ledger(tmp_path, trust)[0] == LEDGER and len(checks) == 2
    checks.clear()
    assert load_ledger(tmp_path)[0] == LEDGER and len(checks) == 2  # no cache: always checked


def test_a_build_checks_the_ledger_once_and_a_build_without_cache_records_nothing(
        basic_site: Path, tmp_path: Path, runner: CliRunner, checks: list[int]) -> None:
    build = ["build", "-C", str(basic_site), "--now", NOW]
    assert runner.invoke(main, [*build, "--no-cache"]).exit_code == 0
    assert checks == [] and not (basic_site / ".cmhub-cache" / "permalinks.checked").exists()  # no ledger yet
    assert runner.invoke(main, [*build, "--no-cache"]).exit_code == 0
    assert checks and not (basic_site / ".cmhub-cache" / "permalinks.checked").exists()
    checks.clear()
    assert runner.invoke(main, build).exit_code == 0
    assert checks  # read with its checks once, then recorded
    article = basic_site / "content" / "premier-article.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nUne phrase de plus.\n", encoding="utf-8")
    checks.clear()
    assert runner.invoke(main, build).exit_code == 0
    assert checks == []
    same_as_a_build_without_cache(basic_site, tmp_path)
