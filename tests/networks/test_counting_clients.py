"""cmhub's counters against the networks' own code: twitter-text (X), @atproto/api (Bluesky), and
Mastodon's validator (ported, cited below).

Node.js runs the packages of tests/clients/ (pinned by its lockfile; tests/real_clients.py). Each
probe is measured by both and must agree exactly; the corpus mixes what teasers hold (French
typography, CJK, emoji old and new, links with and without a protocol, domains of many endings,
mentions) with what breaks naive counters (an ellipsis or CJK glued to a link, localhost, U+FEFF).
"""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

import pytest

from cmhub import networks
from cmhub.networks.counting import utf8_bytes
from cmhub.networks.graphemes import grapheme_length
from cmhub.networks.mastodon import mastodon_length
from cmhub.networks.registry import fits
from cmhub.networks.x import x_length, x_parse
from tests.real_clients import CLIENTS, measure, need_clients

ISSUE_PROBES = [
    # issue #15.3, X: bare domains whose ending cmhub did not know
    "voir notre-boutique.shop", "voir la-boutique.store", "voir mon.page", "voir une-asso.ngo",
    "voir demain.build",
    # a link followed by an ellipsis, CJK or an emoji with no space; localhost
    "Lire https://exemple.fr/article…", "https://exemple.fr/guide日本語のテキスト", "https://exemple.fr/a🎄",
    "https://exemple.fr/🎄x", "http://localhost:8000/apercu", "http://localhost/", "voir exemple.fr…",
    # newer ZWJ emoji (5 to 8 for twitter-text) and the ones it knows (2)
    "🐦\u200d🔥", "🙂\u200d↔️", "🧑\u200d🧑\u200d🧒", "👨\u200d👩\u200d👧\u200d👦", "🏳️\u200d🌈", "👍🏽", "🇫🇷", "1️⃣",
    "#⃣", "❤\ufe0e", "a\ufe0f", "©️ ®", "™",
    # characters X refuses
    "a\ufeffb", "a\uffffb", "a\ufffeb", "\ufeff",
    # French typography, NFD, punctuation after links
    "Quoi\u202f? Oui\u00a0!", "Écrire un résumé à l'été — ça coûte 5 € !", "e\u0301te\u0301",
    "(voir https://fr.wikipedia.org/wiki/Gestion_(communauté)).", "https://exemple.fr/a?b=c&d=é",
    "https://t.co/abc123?x=1 fin", "ftp://exemple.fr/ et www.exemple.org/page, puis exemple.co.uk.",
    "@marie@piaille.fr et @jean", "xn--bcher-kva.de et bücher.de", "https://café.fr/menu",
    "mail: contact@exemple.fr", "exemple.fr/chemin/ et _exemple.fr et -exemple.fr et /exemple.fr",
]

WORDS = ["Écrire", "été", "ça", "l’équipe", "Quoi\u202f?", "«\u202fcitation\u202f»", "5\u00a0€", "…", "—", "日本語",
         "中文", "한국어", "Ελληνικά", "русский", "עברית", "العربية", "नमस्ते", "e\u0301", "🎄", "✨", "🗓️", "❤️",
         "👩\u200d💻", "🏳️\u200d🌈", "👍🏽", "🇫🇷", "🐦\u200d🔥", "🍋\u200d🟩", "🧑\u200d🧑\u200d🧒", "🙂\u200d↔️", "1️⃣",
         "#Été", "#rédaction", "@marie@piaille.fr", "@jean", "(", ")", "!", "?", ":", ";", ",", ".", "\u00a0", "\n",
         "\ufe0f", "\u200d", "~", "'", "\""]
TLDS = ["fr", "com", "org", "shop", "store", "page", "ngo", "build", "social", "example", "localhost", "co.uk",
        "quebec", "paris", "bzh", "xyz", "app", "dev", "онлайн", "рф", "みんな", "museum", "io"]


def _link(rng: random.Random) -> str:
    host = rng.choice(["exemple", "notre-boutique", "a", "assoc.hub", "x-1", "café", "localhost", "mon_site"])
    tld = rng.choice(TLDS)
    domain = host if host == "localhost" else f"{host}.{tld}"
    scheme = rng.choice(["", "", "https://", "http://", "HTTPS://", "gemini://"])
    port = rng.choice(["", "", ":8000"])
    path = rng.choice(["", "/", "/blog/2026/mon-article/", "/a~", "/wiki/Gestion_(communauté)", "/@marie",
                       "/chemin.", "/é", "/a-b_c"])
    query = rng.choice(["", "", "?utm_source=x&utm_medium=social&utm_campaign=mon-article", "?a=1#part", "?q=é"])
    return scheme + domain + port + path + query


def corpus(size: int, seed: int = 15) -> list[str]:
    """Return ``size`` texts like teasers and worse, the same on every run."""
    rng = random.Random(seed)
    texts = []
    for _ in range(size):
        parts = []
        for _ in range(rng.randint(1, 14)):
            parts.append(_link(rng) if rng.random() < 0.3 else rng.choice(WORDS))
            parts.append(rng.choice([" ", " ", "", "\n", "\u00a0", "…", "日", "🎄"]))
        texts.append("".join(parts))
    return texts


def at_the_limits() -> list[str]:
    """Return texts of 270 to 290 for X, as cmhub weighs them (twitter-text must say the same)."""
    texts = []
    heads = ["Lire https://assoc.example.org/blog/article/?utm_source=x 🐦\u200d🔥 ",
             "voir notre-boutique.shop… 日本語 ", "Quoi\u202f? «\u202fOui\u202f» — ça coûte 5\u00a0€ ", ""]
    for head in heads:
        for target in range(270, 291):
            text = head
            while x_length(text) < target:
                text += "é" if (target - x_length(text)) % 2 else "中"
            texts.append(text)
    return texts


def test_x_probes_of_the_issue_agree_with_twitter_text() -> None:
    measured = measure(x=ISSUE_PROBES)
    for text, theirs in zip(ISSUE_PROBES, measured["x"], strict=True):
        ours = x_parse(text)
        assert ours == (theirs["weightedLength"], theirs["valid"] or theirs["weightedLength"] == 0), text


def test_the_issues_x_numbers() -> None:
    assert x_length("notre-boutique.shop") == 23
    assert [x_length(e) for e in ("🐦\u200d🔥", "🙂\u200d↔️", "🧑\u200d🧑\u200d🧒")] == [5, 5, 8]
    assert not fits("x", "a\ufeffb") and not fits("x", "a\uffffb")
    assert fits("x", "ab")


def test_x_and_bluesky_agree_on_a_corpus_and_at_the_limits() -> None:
    texts = corpus(3000) + at_the_limits()
    measured = measure(x=texts, bluesky=texts)
    disagree = [(t, x_parse(t), (m["weightedLength"], m["valid"]))
                for t, m in zip(texts, measured["x"], strict=True)
                if x_parse(t)[0] != m["weightedLength"]
                or fits("x", t) != m["valid"]]
    assert disagree == []
    graphemes = [(t, grapheme_length(t), m["graphemes"])
                 for t, m in zip(texts, measured["bluesky"], strict=True)
                 if (grapheme_length(t), utf8_bytes(t)) != (m["graphemes"], m["bytes"])]
    assert graphemes == []


def test_bluesky_at_its_limits() -> None:
    texts = []
    for unit in ("é", "👨\u200d👩\u200d👧\u200d👦", "🇫🇷", "e\u0301", "नमस्ते"):
        for count in (299, 300, 301):
            texts.append("".join([unit] * count) if unit != "नमस्ते" else "नमस्ते" * (count // 3) + "a" * (count % 3))
    texts.append("👨\u200d👩\u200d👧\u200d👦" * 120)  # 120 graphemes, 3,000 bytes
    texts.append("👨\u200d👩\u200d👧\u200d👦" * 121)  # 3,025 bytes
    measured = measure(bluesky=texts)
    for text, theirs in zip(texts, measured["bluesky"], strict=True):
        assert (grapheme_length(text), utf8_bytes(text)) == (theirs["graphemes"], theirs["bytes"])
        assert fits("bluesky", text) == (theirs["graphemes"] <= 300 and theirs["bytes"] <= 3000)


def test_the_data_taken_from_twitter_text_is_that_of_the_installed_package(tmp_path: Path) -> None:
    need_clients()
    subprocess.run(["node", str(CLIENTS / "x_data.js"), str(tmp_path)], check=True, capture_output=True)
    shipped = Path(networks.__file__).parent
    for name in ("x_tlds.txt", "x_emoji.txt"):
        assert (tmp_path / name).read_text(encoding="utf-8") == (shipped / name).read_text(encoding="utf-8"), name


# --- Mastodon ------------------------------------------------------------------------------------
# Ported from mastodon/mastodon: app/validators/status_length_validator.rb (countable_text, as in
# the version with MAX_CHARS_DIRECT = 1000), config/initializers/twitter_regex.rb (read at commit
# 3272c6b0d804f8d6fe623b0a0543f2e6cc90efd3 and in its later form, with gemini:// and non-ASCII query
# characters, which cmhub follows), app/models/account.rb MENTION_RE and app/lib/extractor.rb; the
# domains are twitter-text's (gem 3.1, the same list as x_tlds.txt).

@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("Lire https://piaille.example/@ines/123 !", 40, id="reserved-tld-is-text"),
    pytest.param("http://localhost:8000/x", 23, id="localhost-is-text"),
    pytest.param("http://localhost:8000/" + "x" * 30, 52, id="long-localhost-in-full"),
    pytest.param("https://x.org/a~", 24, id="tilde-after-link"),
    pytest.param("https://x.org/a.", 24, id="dot-after-link"),
    pytest.param("https://x.org/?q=" + "a" * 40 + "\u00a0fin", 23, id="nbsp-does-not-end-a-query"),
    pytest.param("gemini://x.org/" + "a" * 40, 23, id="gemini-is-a-link"),
    pytest.param("voir notre-boutique.shop", 24, id="no-bare-domains"),
    pytest.param("https://notre-boutique.shop/" + "a" * 40, 23, id="new-tld-link"),
    pytest.param("@inès@piaille.fr", 16, id="accent-after-user-is-no-mention"),
    pytest.param("@jean-luc@misskey.example", 9, id="hyphenated-user"),
    pytest.param("https://piaille.fr/@marie@piaille.fr", 23, id="mention-inside-link"),
])
def test_mastodon_follows_its_validator(text: str, expected: int) -> None:
    assert mastodon_length(text) == expected
