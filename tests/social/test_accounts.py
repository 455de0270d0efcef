"""Teasers go to the account of their article's language (issue #19): ``networks.<name>.accounts``."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from cmhub.commands.syndicate import syndicate_project
from cmhub.core.errors import CmhubError
from cmhub.settings.config import parse_config
from cmhub.settings.request import BuildRequest
from tests.conftest import SITES

NOW = "2026-11-01T12:00:00Z"


def accounts(root: Path) -> dict[tuple[str, str], set[str]]:
    """Return the accounts of each article's teasers, by (article file, network)."""
    now = dt.datetime.fromisoformat(NOW.replace("Z", "+00:00"))
    _, social = syndicate_project(root, BuildRequest(now=now), write=False)
    found: dict[tuple[str, str], set[str]] = {}
    for teaser in social.teasers:
        found.setdefault((teaser.source, teaser.network), set()).add(teaser.account)
    return found


@pytest.fixture
def hub(tmp_path: Path) -> Path:
    root = tmp_path / "hub"
    shutil.copytree(SITES / "bilingual", root)
    return root


def test_each_article_goes_to_the_account_of_its_language(hub: Path) -> None:
    found = accounts(hub)
    assert found[("content/reparer-un-velo.md", "mastodon")] == {"@atelier@piaille.example"}
    assert found[("content/en/fixing-a-bike.md", "mastodon")] == {"@atelier_en@mastodon.example"}
    assert found[("content/en/tool-library.md", "mastodon")] == {"@atelier_en@mastodon.example"}
    # an account whose 'language:' is English, in a hub with translations: English articles only
    assert found[("content/en/fixing-a-bike.md", "bluesky")] == {"atelier-en.bsky.example"}
    assert ("content/reparer-un-velo.md", "bluesky") not in found
    assert ("content/assemblee.md", "bluesky") not in found
    # one teaser per network per article still: the plan's key (article, network, variant) holds
    assert {network for source, network in found if source == "content/en/shared-garden.md"} == {"mastodon", "bluesky"}


def test_a_language_account_gets_its_teasers_written_in_that_language(hub: Path) -> None:
    now = dt.datetime.fromisoformat(NOW.replace("Z", "+00:00"))
    (hub / "theme" / "social").mkdir(parents=True)
    (hub / "theme" / "social" / "mastodon.txt").write_text("{{ t.read_article }} {{ title }}\n", encoding="utf-8")
    _, social = syndicate_project(hub, BuildRequest(now=now), write=False)
    texts = {t.source: t.text for t in social.teasers if t.network == "mastodon"}
    assert texts["content/en/fixing-a-bike.md"].startswith("Read the article: Fixing a bike")
    assert texts["content/reparer-un-velo.md"].startswith("Lire l’article\xa0: Réparer un vélo")


def test_without_pairs_a_network_language_still_forces_the_teasers_language(hub: Path) -> None:
    for path in (hub / "content").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        path.write_text("\n".join(line for line in text.split("\n") if not line.startswith("translation_of:")),
                        encoding="utf-8")
    found = accounts(hub)
    assert found[("content/reparer-un-velo.md", "bluesky")] == {"atelier-en.bsky.example"}
    assert found[("content/en/fixing-a-bike.md", "mastodon")] == {"@atelier_en@mastodon.example"}


@pytest.mark.parametrize(("entry", "message"), [
    ('  mastodon:\n    handle: "@a@b.example"\n    publish: true\n    accounts:\n      en: "@c@d.example"\n',
     "site.yml:8: 'networks.mastodon.accounts' cannot go with 'publish: true': cmhub publish posts as one "
     "account per network; leave 'publish' out and post the teasers from the exports"),
    ('  mastodon:\n    handle: "@a@b.example"\n    accounts:\n      english: "@c@d.example"\n',
     "site.yml:8: 'networks.mastodon.accounts' keys must be language codes such as 'en', got 'english'"),
    ('  mastodon:\n    handle: "@a@b.example"\n    accounts: "@c@d.example"\n',
     "site.yml:7: 'networks.mastodon.accounts' must map languages to handles"),
    ('  mastodon:\n    handle: "@a@b.example"\n    accounts:\n      en: ""\n',
     "site.yml:8: 'networks.mastodon.accounts.en' must be the account's handle, got ''"),
])
def test_a_mistake_in_accounts_is_reported_at_its_line(tmp_path: Path, entry: str, message: str) -> None:
    text = "title: T\nurl: https://t.example/\nlanguage: fr\nnetworks:\n" + entry
    with pytest.raises(CmhubError) as caught:
        parse_config(text, tmp_path)
    assert str(caught.value.problems[0]).startswith(message)
