"""The built-in theme in a real browser: Debian's Chromium, driven by Playwright, on the built sample hubs.

One build of each sample hub and one browser for the whole module; the sites are served from loopback
by http.server. Every page is audited by axe-core (tests/clients/node_modules, injected: no network) at a
desktop and a phone size, in the light and the dark scheme; the search page is used as a reader would;
every request the browser makes is intercepted and any that leaves loopback fails the test.
Screenshots of each page, size and scheme are written to tests/screenshots/ (ignored by git).

Needs Chromium (/usr/bin/chromium) and axe-core, installed by tests/clients/install: without them these
tests fail when CI is set, and skip otherwise.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from cmhub.cli.verbs import main
from tests.conftest import NOW, SITES

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).parents[1] / "clients" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = Path(__file__).parents[1] / "screenshots"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
"""Chromium's flags on these machines: no sandbox as root, and none of its own calls home."""
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
SCHEMES = ("light", "dark")
PAGES = {"home": "/", "article": "/premier-article/", "tag": "/tags/moderation/", "search": "/search/",
         "page": "/a-propos/"}
"""Pages of the basic hub to audit, by name; the calendar page comes from the social hub."""
PAGE = "---\ntitle: À propos\ntype: page\n---\nQui nous sommes, et comment nous écrire.\n"
FOOTER = "footer:\n  - {title: À propos, page: a-propos}\n  - {title: Contact, url: \"mailto:a@voix.example.org\"}\n"
"""A page and footer links (issue #19), added to the basic hub's copy: every audited page has the footer's
navigation beside the theme's own."""
BILINGUAL = {"english-home": "/en/", "english-article": "/fixing-a-bike/"}
"""Pages of the bilingual hub to audit (issue #19): a language's home and a translation with its switcher."""
BILINGUAL_NOW = "2026-11-01T12:00:00Z"


def needs(what: str, found: bool) -> None:
    """Skip (fail under CI) when a client the tests need is missing."""
    if not found:
        message = f"{what} is missing: run tests/clients/install"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


class Quiet(http.server.SimpleHTTPRequestHandler):
    """Serves a folder without logging each request."""

    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Start a loopback server for ``folder``; return it and its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="module")
def hubs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Build the basic and bilingual hubs (their site/) and the social hub (its social/calendar.html); serve them."""
    root = tmp_path_factory.mktemp("browser")
    folders = {}
    for name in ("basic", "social", "bilingual"):
        target = root / name
        shutil.copytree(SITES / name, target, ignore=shutil.ignore_patterns("expected"))
        if name == "basic":
            (target / "content" / "a-propos.md").write_text(PAGE, encoding="utf-8")
            with (target / "site.yml").open("a", encoding="utf-8") as handle:
                handle.write(FOOTER)
        now = BILINGUAL_NOW if name == "bilingual" else NOW
        result = CliRunner().invoke(main, ["build", "-C", str(target), "--now", now, "-q"])
        assert result.exit_code == 0, result.output
        folders[name] = target / ("social" if name == "social" else "site")
    servers = {name: serve(folder) for name, folder in folders.items()}
    yield {name: url for name, (_, url) in servers.items()}
    for server, _ in servers.values():
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One headless Chromium for the module."""
    needs("Chromium (/usr/bin/chromium)", CHROMIUM.exists())
    needs("axe-core (tests/clients/node_modules)", AXE.exists())
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        needs("Playwright (pip install -e '.[test]')", False)
        raise
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield chromium
        chromium.close()


class Session:
    """One browser context at a size and a scheme, which refuses and records every request off loopback."""

    def __init__(self, browser: object, size: str, scheme: str):
        self.context = browser.new_context(viewport=SIZES[size], color_scheme=scheme,  # type: ignore[attr-defined]
                                           reduced_motion="reduce")
        self.outside: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _route(self, route: object, request: object) -> None:
        url = request.url  # type: ignore[attr-defined]
        if urlsplit(url).scheme in ("data", "blob") or urlsplit(url).hostname in ("127.0.0.1", "localhost"):
            route.continue_()  # type: ignore[attr-defined]
        else:
            self.outside.append(url)
            route.abort()  # type: ignore[attr-defined]

    def audit(self) -> list[str]:
        """Run axe-core on the page; return one line per violation and node."""
        self.page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        found = self.page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
        return [f"{v['id']} ({v['impact']}): {v['help']} at {n['target']}" for v in found for n in v["nodes"]]

    def search(self, text: str) -> list[str]:
        """Type ``text`` in the search page's box; return the titles of the results shown."""
        field = self.page.locator("#search-input")
        field.fill("")
        field.type(text, delay=20)
        self.page.wait_for_function("document.querySelector('.search__status').textContent.trim() !== ''")
        self.page.wait_for_load_state("networkidle")
        return self.page.locator(".search__title").all_inner_texts()

    def close(self) -> None:
        self.context.close()


def _shoot(session: Session, name: str, size: str, scheme: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    session.page.screenshot(path=str(SHOTS / f"{name}-{size}-{scheme}.png"), full_page=True)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("size", SIZES)
def test_pages_pass_axe_and_stay_on_the_site(browser: object, hubs: dict[str, str], size: str, scheme: str) -> None:
    session = Session(browser, size, scheme)
    try:
        problems: dict[str, list[str]] = {}
        for name, path in [*PAGES.items(), ("calendar", "/calendar.html"), *BILINGUAL.items()]:
            base = hubs["social"] if name == "calendar" else hubs["bilingual"] if name in BILINGUAL else hubs["basic"]
            session.page.goto(base + path, wait_until="networkidle")
            if name == "search":
                assert session.search("règles"), "the search found nothing"
            found = session.audit()
            if found:
                problems[name] = found
            _shoot(session, name, size, scheme)
        assert not session.outside, f"requests left the site: {session.outside}"
        assert not session.errors, f"script errors: {session.errors}"
        assert not problems, "axe violations:\n" + json.dumps(problems, indent=1, ensure_ascii=False)
    finally:
        session.close()


def test_search_finds_published_articles_and_never_an_unpublished_one(browser: object,
                                                                     hubs: dict[str, str]) -> None:
    session = Session(browser, "desktop", "light")
    try:
        session.page.goto(hubs["basic"] + "/search/", wait_until="networkidle")
        titles = session.search("règles")
        # French titles carry French typography's no-break spaces (cmhub/core/typography.py)
        assert any(title.startswith("Modération\u00a0: «\u202fLes 5 règles\u202f»") for title in titles), titles
        # words that only the draft and the scheduled article hold
        assert session.search("secret") == []
        assert session.page.locator(".search__status").inner_text() == "Aucun article trouvé."
        assert session.search("programmé") == []
        # the filters offer what the published articles have, and narrow the results
        categories = session.page.locator("#search-filter-category option").all_inner_texts()
        assert not any("secrète" in option for option in categories), categories
        session.page.locator("#search-input").fill("")
        session.page.select_option("#search-filter-language", "en")
        session.page.wait_for_load_state("networkidle")
        session.page.wait_for_function("document.querySelectorAll('.search__title').length > 0")
        english = session.page.locator(".search__title").all_inner_texts()
        assert english and all(title.isascii() for title in english), english
        # the result links to the article
        session.page.select_option("#search-filter-language", "")
        session.search("règles")
        session.page.locator(".search__title a").first.click()
        session.page.wait_for_load_state("networkidle")
        assert session.page.url == hubs["basic"] + "/premier-article/"
        assert not session.outside, f"requests left the site: {session.outside}"
    finally:
        session.close()


def test_a_language_search_page_finds_both_languages(browser: object, hubs: dict[str, str]) -> None:
    """The English search page of a French hub speaks English and searches the one index of every language."""
    session = Session(browser, "desktop", "light")
    try:
        session.page.goto(hubs["bilingual"] + "/en/search/", wait_until="networkidle")
        assert session.search("bike") == ["Fixing a bike in an hour"]
        assert session.page.locator(".search__status").inner_text() == "1 article found."
        assert session.search("vélos") == ["Réparer un vélo en une heure"]
        assert session.search("garden") == []  # only the scheduled translation says it
        assert not session.outside, f"requests left the site: {session.outside}"
    finally:
        session.close()


def test_only_the_search_page_runs_a_script(browser: object, hubs: dict[str, str]) -> None:
    session = Session(browser, "phone", "dark")
    try:
        scripts: list[str] = []
        session.page.on("request", lambda request: scripts.append(request.url)
                        if request.resource_type == "script" else None)
        for name, path in PAGES.items():
            scripts.clear()
            session.page.goto(hubs["basic"] + path, wait_until="networkidle")
            assert bool(scripts) == (name == "search"), (name, scripts)
        # on a phone, the header leaves the screen to the content
        session.page.goto(hubs["basic"] + "/", wait_until="networkidle")
        header = session.page.locator(".site-header").bounding_box()
        assert header is not None and header["height"] < 100, header
        # a wide table scrolls in its own box, not the page
        session.page.goto(hubs["basic"] + "/premier-article/", wait_until="networkidle")
        width = session.page.evaluate("document.documentElement.scrollWidth")
        assert width <= SIZES["phone"]["width"], width
    finally:
        session.close()
