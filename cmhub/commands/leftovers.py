"""What `cmhub init` and `cmhub new` left to fill in, and example addresses: warnings of `cmhub check`.

A hub made by `cmhub init` builds at once, so its placeholders ("Your Name", example handles,
https://example.org/) can reach feeds, pages and teasers unnoticed; `cmhub check` names each one
at its line, as does an article published with the sentences `cmhub new` wrote for its author.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from cmhub.commands.new import PLACEHOLDERS
from cmhub.content.model import Site
from cmhub.core.errors import Problem, warning
from cmhub.settings.config import CONFIG_NAME, SiteConfig
from cmhub.settings.yamlsource import Locator

INIT_TEXTS = {"What this hub is about, in one sentence.": "describe your hub", "Your Name": "put your name"}
"""Values `cmhub init` writes into site.yml for the person to replace, with what to do."""
EXAMPLE_HANDLES = ("Your page",)
RESERVED_DOMAINS = ("example.org", "example.com", "example.net")
"""Second-level domains reserved for examples (RFC 2606), with every name under them."""
RESERVED_TOP = ("example", "invalid", "test", "localhost")
_INIT_DOMAIN = "example.social"
"""The domain of the handles `cmhub init` writes."""


def is_example_host(host: str) -> bool:
    """Tell whether a host name is reserved for examples or tests, or is cmhub init's example domain."""
    host = host.lower().rstrip(".")
    if host.rsplit(".", 1)[-1] in RESERVED_TOP:
        return True
    return any(host == d or host.endswith("." + d) for d in (*RESERVED_DOMAINS, _INIT_DOMAIN))


def is_example_handle(handle: str) -> bool:
    """Tell whether a social handle ('@you@example.social', 'Your page') is a placeholder."""
    return handle in EXAMPLE_HANDLES or ("@" in handle.strip("@") and is_example_host(handle.rsplit("@", 1)[1]))


def leftovers(config: SiteConfig, site_text: str, site: Site, read: dict[str, str]) -> list[Problem]:
    """Return a warning for each placeholder left in site.yml (its text ``site_text``) and in the
    published or scheduled articles (their texts in ``read``, by source)."""
    return [*_in_settings(config, site_text), *_in_articles(site, read)]


def project_leftovers(site: Site) -> list[Problem]:
    """Return the warnings of ``leftovers`` for the hub of ``site``, reading site.yml and its articles again."""
    root = site.config.root
    return leftovers(site.config, _text(root / CONFIG_NAME), site,
                     {a.source: _text(root / a.source) for a in (*site.articles, *site.pages) if not a.draft})


def _text(path: Path) -> str:
    """Return a project file's text ('' if it cannot be read any more: the build read it a moment ago)."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""


def _in_settings(config: SiteConfig, text: str) -> Iterator[Problem]:
    locate = Locator(CONFIG_NAME, text)
    host = urlsplit(config.url).hostname or ""
    if is_example_host(host):
        yield warning(CONFIG_NAME, locate.line("url"), (
            f"'url' is {config.url}, a reserved example address: feeds, sitemap and teasers would link there; "
            "set the address where site/ is published"))
    if config.description in INIT_TEXTS:
        yield warning(CONFIG_NAME, locate.line("description"), (
            f"'description' is still the text 'cmhub init' wrote; {INIT_TEXTS[config.description]}"))
    for author in config.authors.values():
        if author.name in INIT_TEXTS:
            yield warning(CONFIG_NAME, locate.line("authors", author.id, "name"), (
                f"'authors.{author.id}.name' is still the text 'cmhub init' wrote; {INIT_TEXTS[author.name]}"))
        for network, handle in author.social.items():
            if is_example_handle(handle):
                yield warning(CONFIG_NAME, locate.line("authors", author.id, "social", network), (
                    f"'authors.{author.id}.social.{network}' is an example handle ('{handle}'); put yours, "
                    "or remove it"))
    for network, account in config.networks.items():
        if is_example_handle(account.handle):
            yield warning(CONFIG_NAME, locate.line("networks", network), (
                f"'networks.{network}.handle' is an example handle ('{account.handle}'); put the hub's account, "
                "or remove the network"))


def _in_articles(site: Site, read: dict[str, str]) -> Iterator[Problem]:
    marks = {line for words in PLACEHOLDERS.values()
             for line in (words["first"], f"## {words['section']}", words["page_first"])}
    for article in (*site.articles, *site.pages):
        if article.draft or article.source not in read:
            continue
        for number, line in enumerate(read[article.source].split("\n"), 1):
            if line.strip() in marks:
                yield warning(article.source, number, (
                    f"still holds the text 'cmhub new' wrote ('{line.strip()}'); write the {_noun(article.kind)}"))
                break


def _noun(kind: str) -> str:
    return "page" if kind == "page" else "article"
