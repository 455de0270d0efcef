"""`_redirects` cannot be injected (issue #21.5).

Every alias is a plain site path, checked at its line; the `_redirects` writer refuses anything
else as a bug of cmhub's; an alias that lands on a generated file is named at its line.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cmhub.cli.verbs import main
from cmhub.core.limits import plain_path_problem
from cmhub.site.redirects import redirect_rule
from tests.conftest import NOW, SITES, tree_digest

ARTICLE = "content/troisieme.md"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hub") / "hub"
    shutil.copytree(SITES / "basic", root, ignore=shutil.ignore_patterns("expected"))
    assert CliRunner().invoke(main, ["build", "-C", str(root), "--now", NOW]).exit_code == 0
    return root


def with_alias(built: Path, tmp_path: Path, alias: str) -> tuple[Path, int]:
    """Return a copy of the built hub whose article has ``alias`` (as YAML), and the alias's line."""
    root = tmp_path / "hub"
    shutil.copytree(built, root, symlinks=True)
    article = root / ARTICLE
    lines = article.read_text(encoding="utf-8").split("\n")
    lines.insert(1, f"aliases: [{alias}]")
    article.write_text("\n".join(lines), encoding="utf-8")
    return root, 2


def errors(stderr: str) -> list[str]:
    """Return the error lines of a build's messages (warnings and the final count left out)."""
    return [line for line in stderr.splitlines() if ": warning: " not in line and not line.startswith("cmhub: ")]


INJECTIONS = {
    "newline": ('"/x\\n/* https://evil.example/:splat 200!"', "must not hold spaces, line breaks or control"),
    "space": ('"/ancien lien/"', "must not hold spaces, line breaks or control characters"),
    "tab": ('"/a\\tb/"', "must not hold spaces, line breaks or control characters"),
    "carriage return": ('"/a\\rb/"', "must not hold spaces, line breaks or control characters"),
    "no-break space": ('"/a\\u00a0b/"', "must not hold spaces, line breaks or control characters"),
    "splat": ("/blog/*", "must not hold '*'"),
    "placeholder": ("/:year/:slug", "must not hold ':'"),
    "force": ('"/x!"', "must not hold '!'"),
    "host": ("//evil.example/x", "must be a path on this site, without a host"),
    "scheme": ("https://evil.example/", "'aliases' entries must be site paths starting with '/'"),
    "parent": ("/a/../../b/", "must not hold empty, '.' or '..' parts"),
    "query": ('"/x?y=1"', "must not hold '?'"),
    "fragment": ('"/x#y"', "must not hold '#'"),
    "hidden": ("/.well-known/x/", "must not hold parts starting with '.'"),
    "bad percent": ("/100%/", "must not hold '%'"),
    "too long": ("/" + "a" * 201 + "/", "must not hold a part longer than 200 bytes"),
}


@pytest.mark.parametrize("case", list(INJECTIONS))
def test_an_alias_that_is_not_a_plain_site_path_is_refused_at_its_line(built: Path, tmp_path: Path,
                                                                       case: str) -> None:
    alias, reason = INJECTIONS[case]
    root, line = with_alias(built, tmp_path, alias)
    before = tree_digest(root / "site")
    result = CliRunner().invoke(main, ["build", "-C", str(root), "--now", NOW])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert len(errors(result.stderr)) == 1, result.stderr  # the one true error, nothing else
    first = errors(result.stderr)[0]
    assert first.startswith(f"{ARTICLE}:{line}: ") and reason in first, result.stderr
    assert "\n/*" not in result.stderr  # the message shows the value escaped, on one line
    assert tree_digest(root / "site") == before


@pytest.mark.parametrize("alias", ["/_redirects", "/feed.xml", "/sitemap.xml", "/robots.txt", "/404.html",
                                   "/tags/moderation/feed.xml", "/static/style.css"])
def test_an_alias_on_a_generated_file_is_named_at_its_line(built: Path, tmp_path: Path, alias: str) -> None:
    root, line = with_alias(built, tmp_path, alias)
    before = tree_digest(root / "site")
    result = CliRunner().invoke(main, ["build", "-C", str(root), "--now", NOW])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert errors(result.stderr)[0].startswith(f"{ARTICLE}:{line}: "), result.stderr
    assert tree_digest(root / "site") == before


def test_plain_aliases_with_letters_of_any_language_are_written(built: Path, tmp_path: Path) -> None:
    root, _ = with_alias(built, tmp_path, "/2019/été/, /vieux-lien.html, /a%C3%A9/")
    result = CliRunner().invoke(main, ["build", "-C", str(root), "--now", NOW])
    assert result.exit_code == 0, result.output
    rules = (root / "site" / "_redirects").read_text(encoding="utf-8").splitlines()
    assert "/2019/été/ /troisieme/ 301" in rules and "/vieux-lien.html /troisieme/ 301" in rules
    assert all(len(rule.split(" ")) == 3 for rule in rules)


@pytest.mark.parametrize(("old", "new"), [("/x\n/* https://evil.example/:splat 200!", "/y/"), ("/a b/", "/c/"),
                                          ("/a/", "https://evil.example/"), ("/a/", "/:splat"), ("/a/", "/b/ 200!")])
def test_the_redirects_writer_refuses_anything_but_plain_paths(old: str, new: str) -> None:
    with pytest.raises(ValueError, match="unsafe path"):
        redirect_rule(old, new)
    assert plain_path_problem(old) is not None or plain_path_problem(new) is not None


def test_a_base_url_with_a_space_is_refused_in_site_yml(built: Path, tmp_path: Path) -> None:
    root = tmp_path / "hub"
    shutil.copytree(built, root, symlinks=True)
    config = root / "site.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("https://voix.example.org/",
                                                                 "https://voix.example.org/mon blog/"),
                      encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "-C", str(root), "--now", NOW])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "site.yml:3: the path of 'url' must not hold spaces" in result.stderr, result.stderr


def test_the_ledgers_redirects_come_in_the_order_of_their_sources_whatever_the_ledgers() -> None:
    import datetime as dt
    from types import SimpleNamespace

    from cmhub.ledgers.permalinks_lock import Entry, Ledger, Retired
    from cmhub.site.redirects import ledger_redirects

    when = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    entries = {"content/c.md": Entry("c", when, "c/", ("c-old/", "c/")), "content/gone.md": Entry("g", when, "g/"),
               "content/a.md": Entry("a", when, "a/", ("a-1/", "a-2/")), "content/b.md": Entry("b", when, "b/"),
               "content/retired.md": Entry("r", when, "r/"), "content/d.md": Entry("d", when, "d/", ("d-old/",))}
    site = SimpleNamespace(shown=[SimpleNamespace(source=s, path=p) for s, p in
                                  (("content/c.md", "c/"), ("content/a.md", "a-new/"), ("content/b.md", "b/"),
                                   ("content/d.md", "d/"))],
                           shown_pages=[])
    ledger = Ledger(entries, {"r/": Retired("r/", ""), "x/": Retired("x/", "a-new/")})
    redirects, gone = ledger_redirects(site, ledger)  # type: ignore[arg-type]
    assert [(r.old, r.new) for r in redirects] == [("a-1/", "a-new/"), ("a-2/", "a-new/"), ("c-old/", "c/"),
                                                   ("d-old/", "d/"), ("x/", "a-new/")]
    assert gone == ["g/", "r/"]
