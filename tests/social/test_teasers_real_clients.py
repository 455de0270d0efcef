"""Every teaser of a varied hub, measured by the networks' own code (issue #15.3).

The hub is made here, not by the team's fixtures: French and English, emoji old and new, CJK, titles
and summaries far over every limit, bare domains of new endings, links glued to an ellipsis or to CJK.
twitter-text must find each X teaser valid, at the length cmhub says; @atproto/api must count each
Bluesky teaser as cmhub does, within 300 graphemes, and its link detection must find the tracked link.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from cmhub.commands.syndicate import syndicate_project
from cmhub.settings.request import BuildRequest
from tests.conftest import NOW
from tests.real_clients import measure

SITE = """title: "Hub d’essai — tout ce qui déborde"
url: https://essai.example.org/blog/
language: fr
timezone: Europe/Paris
authors:
  ana: {name: Ana, social: {x: "@ana_x", bluesky: ana.bsky.social, mastodon: "@ana@piaille.fr"}}
networks: {x: "@hub", mastodon: "@hub@piaille.fr", bluesky: hub.bsky.social, threads: "@hub"}
"""
PIECES = ["Écrire", "l’été", "ça coûte 5\u00a0€", "Quoi ?", "« citation »", "—", "…", "日本語のテキスト", "中文标题",
          "🐦\u200d🔥", "🙂\u200d↔️", "🧑\u200d🧑\u200d🧒", "👨\u200d👩\u200d👧\u200d👦", "🏳️\u200d🌈", "🎄", "1️⃣", "🇫🇷",
          "notre-boutique.shop", "la-boutique.store", "mon.page", "asso.ngo", "demain.build", "exemple.fr…",
          "https://exemple.fr/guide…", "https://exemple.fr/日本", "http://localhost:8000/x", "Community", "manager",
          "publish", "first", "#hashtag"]


def write_hub(root: Path, count: int = 40, seed: int = 2026) -> Path:
    rng = random.Random(seed)
    (root / "content").mkdir(parents=True)
    (root / "site.yml").write_text(SITE, encoding="utf-8")
    for index in range(count):
        words = [rng.choice(PIECES) for _ in range(rng.randint(2, 70))]
        joiner = "" if index % 7 == 0 else " "  # some titles without a space
        title = joiner.join(words).replace('"', "'")
        summary = " ".join(rng.choice(PIECES) for _ in range(rng.randint(0, 120))).replace('"', "'")
        tags = ", ".join(rng.sample(["réseaux sociaux", "l’été", "Modération", "日本", "posse", "2026"], 3))
        lang = "en" if index % 3 == 0 else "fr"
        (root / "content" / f"a{index:02d}.md").write_text(
            f'---\ntitle: "{title}"\ndate: 2026-11-{1 + index % 20:02d}T09:00:00\nsummary: "{summary}"\n'
            f"tags: [{tags}]\nlang: {lang}\nauthors: [ana]\n---\nTexte.\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def teasers(tmp_path_factory: pytest.TempPathFactory) -> list:
    hub = write_hub(tmp_path_factory.mktemp("varied") / "hub")
    _, social = syndicate_project(hub, BuildRequest(now=NOW), write=False)
    return list(social.teasers)


@pytest.mark.slow
def test_every_x_and_bluesky_teaser_agrees_with_the_networks_code(teasers: list) -> None:
    x = [t for t in teasers if t.network == "x"]
    bluesky = [t for t in teasers if t.network == "bluesky"]
    assert len(x) == len(bluesky) == 40
    measured = measure(x=[t.text for t in x], bluesky=[t.text for t in bluesky],
                       bluesky_links=[t.text for t in bluesky])
    for teaser, theirs in zip(x, measured["x"], strict=True):
        assert (theirs["valid"], theirs["weightedLength"]) == (True, teaser.length), teaser.text
        assert teaser.link in theirs["urls"]
    for teaser, theirs, links in zip(bluesky, measured["bluesky"], measured["bluesky_links"], strict=True):
        assert theirs["graphemes"] == teaser.length <= 300 and theirs["bytes"] <= 3000, teaser.text
        assert teaser.link in [link["uri"] for link in links]
