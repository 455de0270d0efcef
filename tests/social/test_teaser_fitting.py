"""Titles that leave the fitting no room: no space to cut at, one long emoji run, a pin title at its limit.

Reproductions of issues #21.6 (a 160-character Japanese title crashed the teaser step with
UnboundLocalError) and #15.3 (a title made of one emoji run stopped the whole build with "no threads
teaser fits"; the Pinterest title was cut at 100 code points, inside an emoji sequence).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import regex

from cmhub.commands.syndicate import syndicate_project
from cmhub.core.errors import CmhubError
from cmhub.networks.counting import utf16_length
from cmhub.networks.registry import fits
from cmhub.settings.request import BuildRequest
from tests.conftest import NOW

SITE = """title: Essai
url: https://hub.example.org/
language: fr
timezone: Europe/Paris
networks: {x: "@x", mastodon: "@m@piaille.fr", bluesky: b.bsky.social, threads: "@t", linkedin: L,
           facebook: F, instagram: "@i", pinterest: p}
"""


def hub(tmp_path: Path, title: str, summary: str = "Un résumé court.") -> Path:
    (tmp_path / "content").mkdir()
    (tmp_path / "site.yml").write_text(SITE, encoding="utf-8")
    (tmp_path / "content" / "long.md").write_text(
        f'---\ntitle: "{title}"\ndate: 2026-11-01T09:00:00\nsummary: "{summary}"\n---\nTexte.\n', encoding="utf-8")
    return tmp_path


def teasers(project: Path) -> dict[str, object]:
    _, social = syndicate_project(project, BuildRequest(now=NOW), write=False)
    return {t.network: t for t in social.teasers}


JAPANESE = "日本語のテキスト" * 20  # 160 characters, no space: X weighs it 320


def test_a_long_japanese_title_without_spaces_is_shortened_not_a_crash(tmp_path: Path) -> None:
    found = teasers(hub(tmp_path, JAPANESE))
    x = found["x"]
    assert fits("x", x.text)
    assert x.link in x.text
    title_line = x.text.split("\n")[0]
    assert title_line.endswith("…") and JAPANESE.startswith(title_line[:-1]) and len(title_line) > 50


EMOJI_RUN = "🏳️\u200d🌈" * 150  # 150 graphemes, 900 UTF-8 bytes: no threads teaser fitted


def test_a_title_of_one_long_emoji_run_is_cut_at_graphemes(tmp_path: Path) -> None:
    found = teasers(hub(tmp_path, EMOJI_RUN))
    for network in ("threads", "x", "bluesky", "mastodon"):
        teaser = found[network]
        assert fits(network, teaser.text), network
        head = teaser.text.split("\n")[0]
        if head != EMOJI_RUN:  # Mastodon's 500 hold it whole
            assert head.endswith("…") and head != "…", network
            assert regex.findall(r"\X", head[:-1]) == ["🏳️\u200d🌈"] * (len(regex.findall(r"\X", head)) - 1)
    assert found["threads"].text.split("\n")[0] != EMOJI_RUN


def test_pin_titles_are_cut_at_graphemes_within_100_utf16_units(tmp_path: Path) -> None:
    title = "Nos fiertés " + "🏳️\u200d🌈" * 40
    pin = teasers(hub(tmp_path, title))["pinterest"]
    assert utf16_length(pin.title) <= 100
    assert pin.title.endswith("…")
    kept = pin.title[:-1]
    assert title.startswith(kept)
    assert regex.findall(r"\X", kept) == regex.findall(r"\X", title)[: len(regex.findall(r"\X", kept))]
    assert utf16_length(kept + "🏳️\u200d🌈" + "…") > 100  # the longest cut that fits


def test_a_template_that_cannot_fit_is_reported_at_the_article(tmp_path: Path) -> None:
    project = hub(tmp_path, "Titre")
    (project / "theme" / "social").mkdir(parents=True)
    (project / "theme" / "social" / "x.txt").write_text("{{ title }} " + "中" * 200 + " {{ link }}", encoding="utf-8")
    with pytest.raises(CmhubError) as caught:
        syndicate_project(project, BuildRequest(now=NOW), write=False)
    [problem] = caught.value.problems
    assert (problem.path, problem.line) == ("content/long.md", 2)
    assert "no x teaser fits" in problem.message
