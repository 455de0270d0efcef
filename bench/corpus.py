#!/usr/bin/env python3
"""Synthetic, deterministic blog corpus for benchmarking cmhub against other generators.

    python bench/corpus.py --n 1000 --flavor cmhub --out /tmp/corpus-cmhub-1000

Article ``i`` is drawn from a random generator seeded with ``(seed, i)`` only, so the corpus of
1,000 articles is exactly the first 1,000 files of the corpus of 10,000.

Every article is a post of a community-management blog: about 800 words of mixed French and
English prose, 3 to 5 accented h2/h3 headings, a bulleted and a numbered list, 2 to 4 external
links, one image, a blockquote, bold, italic and inline code, a fenced code block in about one
post in five, and the excerpt marker ``<!-- more -->`` after the first paragraph. The front matter
has a unique title (it carries the article's number), a date in the 5 years ending 2027-03-01
(some after the benchmark's build date, 2026-11-21), 2 to 5 tags out of 40, 1 or 2 categories
out of 8, a summary, a cover image with its alt text, and about 3 % of the posts are drafts.

Flavors only change where files go and how the metadata is spelled:

* ``cmhub``: ``content/*.md`` with YAML front matter, ``site.yml`` with four networks.
* ``pelican``: ``content/*.md`` with Pelican's ``Key: value`` metadata, ``pelicanconf.py``.
* ``mkdocs``: ``docs/blog/posts/*.md``, ``mkdocs.yml`` (Material theme, blog and search plugins).
* ``hugo``: ``content/posts/*.md``, ``hugo.toml`` and three small layouts of its own.

The covers are a handful of gradient PNGs written with ``zlib`` and ``struct`` (standard library
only), shared by all articles.
"""

# ruff: noqa: E501  (the Hugo templates below are one HTML line each)
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import struct
import sys
import unicodedata
import zlib
from dataclasses import dataclass
from pathlib import Path

DEFAULT_SEED = "cmhub-bench"
WINDOW_END = dt.datetime(2027, 3, 1)
WINDOW_DAYS = 5 * 365 + 1
COVERS = 10
FLAVORS = ("cmhub", "pelican", "mkdocs", "hugo")
POSTS_DIR = {"cmhub": "content", "pelican": "content", "mkdocs": "docs/blog/posts", "hugo": "content/posts"}
IMAGES_DIR = {"cmhub": "content/images", "pelican": "content/images", "mkdocs": "docs/images",
              "hugo": "static/images"}

# --------------------------------------------------------------------------------------------
# Word lists. Sentences are written whole, with a few slots, so the prose reads like a blog.
# --------------------------------------------------------------------------------------------

FR_WHO = ["les bénévoles", "l'équipe de modération", "nos deux community managers", "les membres du bureau",
          "les rédactrices du carnet", "les animateurs du forum", "les personnes chargées de la veille",
          "nos correspondants régionaux"]
EN_WHO = ["the volunteers", "our moderators", "the two community managers", "the editorial team",
          "our newsletter editors", "the people on call this week", "the regional correspondents"]
NETWORKS = ["Mastodon", "Bluesky", "LinkedIn", "X", "Instagram", "Threads", "Discord", "notre forum Discourse",
            "PeerTube"]
FR_TOOLS = ["un générateur de site statique", "le lecteur de flux", "le planificateur de publications",
            "un tableur partagé", "la messagerie interne", "un outil de sondage", "le gestionnaire de liens courts",
            "un agrégateur RSS auto-hébergé"]
EN_TOOLS = ["a static site generator", "the feed reader", "the post scheduler", "a shared spreadsheet",
            "a self-hosted RSS aggregator", "the link shortener", "a simple polling tool"]
FR_TOPICS = ["la modération", "la lettre d'information", "le référencement", "l'accessibilité", "les flux RSS",
             "la veille", "le calendrier éditorial", "la gestion de crise", "l'animation d'un forum",
             "les visuels", "la rédaction web", "les statistiques d'audience", "les événements en ligne",
             "la charte éditoriale", "la sobriété numérique", "les réseaux décentralisés", "l'accueil des nouveaux"]
EN_TOPICS = ["moderation", "newsletters", "feed readers", "accessibility", "community events", "crisis replies",
             "the editorial calendar", "audience metrics", "decentralised networks", "onboarding new members",
             "writing for the web", "social teasers"]
WHEN_FR = ["chaque semaine", "tous les matins", "le lundi", "avant chaque campagne", "en fin de mois",
           "pendant les vacances", "dès la première heure"]
WHEN_EN = ["every week", "each morning", "on Mondays", "before every campaign", "at the end of the month",
           "during the holidays", "first thing in the morning"]

FR_SENTENCES = [
    "{Who} relisent chaque billet avant sa diffusion sur {net}.",
    "Nous avons constaté que le travail sur {topic} demande moins de temps qu'on ne le croit, "
    "à condition de s'y tenir {when}.",
    "Sur {net}, un message court accompagné d'une image obtient souvent {n} % d'interactions en plus.",
    "Le flux RSS reste la manière la plus simple de suivre un blog sans dépendre d'un algorithme.",
    "{Who} ont rédigé une charte de modération claire, affichée en tête de chaque fil de discussion.",
    "Mieux vaut publier {n} articles soignés par mois que remplir le calendrier de brèves sans intérêt.",
    "Quand une crise éclate, la première réponse doit être rapide, factuelle et signée par une vraie personne.",
    "Les statistiques ne disent pas tout : un commentaire argumenté vaut mieux que cent mentions « j'aime ».",
    "Chaque lundi, {who} font le point sur les messages restés sans réponse.",
    "Un bon titre annonce la promesse de l'article sans la trahir.",
    "Nous archivons les anciens billets plutôt que de les supprimer, pour que les liens entrants restent valides.",
    "Le sujet « {topic} » revient dans presque toutes nos réunions d'équipe.",
    "Programmer les publications à l'avance libère du temps pour répondre aux membres de la communauté.",
    "Un site statique produit des pages légères, rapides à charger même sur une connexion mobile médiocre.",
    "Le texte alternatif des images n'a rien de facultatif : il rend le contenu lisible par tout le monde.",
    "Nos lecteurs préfèrent une lettre mensuelle bien construite à une notification quotidienne.",
    "{Who} ont testé {tool} pendant {n} semaines avant de l'adopter pour de bon.",
    "Ce qui fonctionne sur {net} ne fonctionne pas forcément ailleurs, car chaque réseau a ses usages.",
    "Répondre publiquement et calmement à une critique rassure davantage que l'éloge d'un abonné ravi.",
    "Trop de mots-dièse nuisent à la lisibilité d'un message, surtout pour les lecteurs d'écran.",
    "Un calendrier éditorial partagé évite que deux personnes traitent le même sujet la même semaine.",
    "Depuis que nous publions aussi sur {net}, les abonnements au flux ont progressé de {n} %.",
    "Relire un texte à voix haute permet de repérer les phrases trop longues.",
    "La sobriété numérique commence par des images correctement dimensionnées.",
    "Il arrive qu'un vieil article bien référencé attire plus de visites que la nouveauté de la semaine.",
    "Les modérateurs bénévoles ont besoin de reconnaissance, pas seulement de consignes.",
    "Nous mesurons l'engagement sur {n} jours, jamais sur quelques heures.",
    "À la fin de chaque trimestre, {who} rédigent un court bilan, chiffres à l'appui.",
    "Une page « À propos » sincère inspire plus confiance qu'un slogan accrocheur.",
    "Côté technique, {tool} nous a fait gagner un temps précieux {when}.",
    "On oublie souvent que le travail sur {topic} se joue sur la durée, pas en une seule campagne.",
    "Nous avons supprimé {n} comptes dormants, et personne ne s'en est plaint.",
    "La veille se partage mieux dans un flux commun que dans une dizaine de messageries privées.",
    "Un événement en ligne réussi se prépare trois semaines avant et se raconte le lendemain.",
    "Les réseaux décentralisés demandent un peu plus d'effort, mais la conversation y est plus posée.",
]
EN_SENTENCES = [
    "{Who} review every post before it goes out on {net}.",
    "A feed reader is still the calmest way to follow a dozen blogs without an algorithm in the way.",
    "On {net}, short posts with a picture tend to get about {n}% more replies.",
    "We keep old articles online, because inbound links are worth more than a tidy archive.",
    "Moderation guidelines only work when the whole community can find and read them.",
    "{Who} tried {tool} for {n} weeks before making it part of the routine.",
    "Scheduling posts in advance leaves time for the actual conversations.",
    "An honest reply to criticism often builds more trust than a glowing testimonial.",
    "Each network has its own etiquette, and pasting the same text everywhere shows.",
    "Alt text is not optional: it makes the post readable for everyone.",
    "A monthly newsletter beats a daily notification for most of our readers.",
    "Static pages load fast, even on a poor mobile connection.",
    "Vanity metrics tend to hide the comments that actually matter.",
    "{Topic} came up in almost every team meeting this year.",
    "A shared editorial calendar stops two people from writing the same story in the same week.",
    "Since we started posting on {net}, feed subscriptions grew by {n}%.",
    "Reading a draft aloud is the fastest way to catch sentences that run too long.",
    "Every quarter, {who} write a short review with the numbers that matter.",
    "A good headline makes a promise the article can keep.",
    "Volunteer moderators need recognition as much as they need rules.",
    "We check {topic} {when}, and it takes less time than it sounds.",
    "Nobody complained when we closed {n} dormant accounts.",
]
FR_LINKS = ["Pour approfondir, lisez [{label}]({url}).", "Le détail est expliqué dans [{label}]({url}).",
            "Nous nous sommes inspirés de [{label}]({url}) pour cette partie."]
EN_LINKS = ["There is a good write-up in [{label}]({url}).", "See [{label}]({url}) for the long version."]
LINK_LABELS = ["ce guide très complet", "la documentation du projet", "un article de fond",
               "le compte rendu de la conférence",
               "this field report", "the project's changelog", "a thoughtful essay"]
LINK_HOSTS = ["www.example.org", "blog.example.net", "docs.example.com", "communaute.example.fr", "notes.example.io"]
CODE_TERMS = ["site.yml", "feed.xml", "draft: true", "utm_source", "paginate: 10", "rel=\"me\"", "cmhub build",
              "<link rel=\"alternate\">", "summary"]
FR_CODE_SENTENCES = ["Il suffit d'ajouter `{code}` au bon endroit.", "La clé `{code}` fait tout le travail."]
EN_CODE_SENTENCES = ["All it takes is `{code}` in the right place.", "The `{code}` setting does the heavy lifting."]

HEADINGS = ["Pourquoi nous avons changé de méthode", "Premières étapes", "Ce que révèlent les chiffres",
            "Les erreurs à éviter", "Mise en œuvre concrète", "Retour d'expérience", "Questions fréquentes",
            "Et après ?", "Côté modération", "Réseaux sociaux : état des lieux", "Le rôle des bénévoles",
            "Accessibilité et sobriété", "Bilan après six mois", "Ce qu'il faut retenir", "Préparer la rentrée",
            "Écrire pour être lu", "Outils et méthodes éprouvés", "Sécurité des comptes", "Mesurer l'engagement",
            "Démarrer sans budget", "Une question de rythme", "Où publier ?"]
BULLETS = ["Vérifier les liens avant publication", "Prévoir un texte alternatif pour chaque image",
           "Répondre aux commentaires sous 48 heures", "Archiver plutôt que supprimer",
           "Garder un ton cohérent d'un réseau à l'autre", "Noter les sujets qui reviennent souvent",
           "Keep one feed per topic", "Credit the people you quote", "Write the summary first",
           "Publier à heure fixe", "Limiter les mots-dièse à deux ou trois", "Say no to engagement bait"]
STEPS = ["Rédiger le brouillon", "Faire relire par une autre personne", "Choisir une image et son texte alternatif",
         "Programmer la publication", "Préparer les messages pour chaque réseau", "Write the teaser",
         "Check the feed in a reader", "Répondre aux premiers commentaires", "Noter le bilan dans le tableur"]
QUOTES = [("Une communauté se construit une réponse à la fois.", "Hélène R., modératrice"),
          ("Le meilleur moment pour publier, c'est quand on a quelque chose à dire.", "Jérémie T., rédacteur"),
          ("Feeds are the quiet backbone of the open web.", "Ana K., developer"),
          ("On ne modère pas des messages, on accompagne des personnes.", "Zoé M., bénévole"),
          ("Nobody reads a wall of hashtags.", "Sam O., editor")]
CODE_BLOCKS = [
    ("yaml", "networks:\n  mastodon: \"@carnet@piaille.example\"\n  bluesky: carnet.bsky.social\npaginate: 10"),
    ("bash", "cmhub build --now 2026-11-21T12:00:00Z\nls site/ | head\ncmhub syndicate"),
    ("python", "import json\n\nwith open(\"social/teasers.json\", encoding=\"utf-8\") as f:\n"
               "    teasers = json.load(f)\nprint(len(teasers), \"teasers\")"),
    ("html", "<link rel=\"alternate\" type=\"application/rss+xml\"\n      title=\"Le carnet\" href=\"/feed.xml\">"),
    ("json", "{\n  \"network\": \"mastodon\",\n  \"text\": \"Nouvel article sur la modération\",\n"
             "  \"at\": \"2026-12-01T09:00:00+01:00\"\n}"),
]
FR_TITLES = ["Guide pratique : {topic}", "{Topic} : ce que nous avons appris", "Cinq idées reçues sur {topic}",
             "Faut-il s'inquiéter pour {topic} ?", "{Topic}, mode d'emploi pour les petites associations",
             "Notre méthode pour {topic} en {year}", "{n} conseils pour {topic}", "{Topic} sans se ruiner",
             "Ce que {net} a changé pour {topic}"]
EN_TITLES = ["A field guide to {topic}", "What {n} months of {topic} taught us", "{Topic}: the honest version",
             "{Topic} in {year}: still worth the effort?", "{Topic} on a shoestring", "{Topic} after leaving {net}"]
TAGS = ["modération", "engagement", "newsletter", "mastodon", "bluesky", "linkedin", "veille", "rédaction",
        "événements", "bénévolat", "charte", "crise", "statistiques", "référencement", "accessibilité", "vidéo",
        "podcast", "rss", "atom", "markdown", "automatisation", "calendrier", "visuels", "ton-éditorial",
        "communauté", "forum", "discord", "direct", "contenus-participatifs", "influence", "partenariats",
        "sondages", "retours-lecteurs", "analytics", "données-ouvertes", "droit-d-auteur", "rgpd", "outils",
        "méthode", "bilan"]
CATEGORIES = ["Animation de communauté", "Stratégie éditoriale", "Réseaux sociaux", "Outils et technique",
              "Études de cas", "Veille", "Modération", "Événements"]
COVER_ALTS = ["Dégradé de couleurs, couverture générique du carnet", "Fond coloré uni servant d'illustration",
              "Bandeau abstrait aux couleurs du blog"]


def slugify(text: str) -> str:
    """Return an ASCII slug: accents folded, œ/æ spelled out, anything else becomes '-'."""
    text = text.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae").replace("'", "").replace("’", "")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Meta:
    """Everything about article ``index`` that does not need the body."""

    index: int
    title: str
    slug: str
    date: dt.datetime
    """Naive, in the site's time zone (Europe/Paris)."""
    tags: tuple[str, ...]
    categories: tuple[str, ...]
    summary: str
    cover: int
    cover_alt: str
    draft: bool
    french: bool

    @property
    def filename(self) -> str:
        return f"{self.date:%Y-%m-%d}-{self.slug}.md"

    @property
    def cover_name(self) -> str:
        return f"cover-{self.cover:02d}.png"


def _rng(seed: str, index: int) -> random.Random:
    return random.Random(f"{seed}/{index}")


def article_meta(index: int, seed: str = DEFAULT_SEED) -> Meta:
    """Return the metadata of article ``index`` (0-based); it depends only on ``seed`` and ``index``."""
    return _draw_meta(_rng(seed, index), index)


def _draw_meta(r: random.Random, index: int) -> Meta:
    french = r.random() < 0.6
    topic = r.choice(FR_TOPICS if french else EN_TOPICS)
    title = r.choice(FR_TITLES if french else EN_TITLES).format(
        topic=topic, Topic=_cap(topic), n=r.randint(3, 12), year=r.randint(2022, 2027), net=r.choice(NETWORKS))
    title += f" (n° {index + 1})" if french else f" (no. {index + 1})"
    minutes = r.randrange(WINDOW_DAYS * 24 * 60)
    date = WINDOW_END - dt.timedelta(minutes=minutes + 1)
    date = date.replace(hour=r.randint(7, 20), second=0)
    tags = tuple(r.sample(TAGS, r.randint(2, 5)))
    categories = tuple(r.sample(CATEGORIES, r.randint(1, 2)))
    summary = _plain_sentence(r, french) + " " + _plain_sentence(r, french)
    cover = r.randint(1, COVERS)
    draft = r.random() < 0.03
    return Meta(index=index, title=title, slug=slugify(title), date=date, tags=tags, categories=categories,
                summary=summary, cover=cover, cover_alt=r.choice(COVER_ALTS), draft=draft, french=french)


def _fill(r: random.Random, template: str, french: bool) -> str:
    who = r.choice(FR_WHO if french else EN_WHO)
    topic = r.choice(FR_TOPICS if french else EN_TOPICS)
    return template.format(
        who=who, Who=_cap(who), topic=topic, Topic=_cap(topic), net=r.choice(NETWORKS),
        tool=r.choice(FR_TOOLS if french else EN_TOOLS), n=r.randint(2, 40),
        when=r.choice(WHEN_FR if french else WHEN_EN))


def _plain_sentence(r: random.Random, french: bool) -> str:
    return _fill(r, r.choice(FR_SENTENCES if french else EN_SENTENCES), french)


class _Body:
    """Writes one article body, counting its words."""

    def __init__(self, r: random.Random, meta: Meta, image_src: str) -> None:
        self.r, self.meta, self.image_src, self.words = r, meta, image_src, 0

    def sentence(self, french: bool) -> str:
        r = self.r
        roll = r.random()
        if roll < 0.06:
            text = r.choice(FR_CODE_SENTENCES if french else EN_CODE_SENTENCES).format(code=r.choice(CODE_TERMS))
        else:
            text = _plain_sentence(r, french)
            if roll < 0.18:  # bold a few words
                words = text.split(" ")
                k = r.randrange(max(1, len(words) - 2))
                words[k] = "**" + words[k]
                words[k + 1] = words[k + 1] + "**"
                text = " ".join(words)
            elif roll < 0.27:  # italicise the end of the sentence
                head, _, tail = text[:-1].rpartition(" ")
                if head and tail.isalpha():
                    text = f"{head} *{tail}*{text[-1]}"
        self.words += len(text.split())
        return text

    def link(self, french: bool) -> str:
        r = self.r
        path = "/".join(slugify(r.choice(FR_TOPICS + EN_TOPICS)) for _ in range(2))
        url = f"https://{r.choice(LINK_HOSTS)}/{path}"
        text = r.choice(FR_LINKS if french else EN_LINKS).format(label=r.choice(LINK_LABELS), url=url)
        self.words += len(text.split())
        return text

    def paragraph(self, links: int = 0) -> str:
        r = self.r
        french = self.meta.french if r.random() < 0.8 else not self.meta.french
        parts = [self.sentence(french if r.random() < 0.85 else not french) for _ in range(r.randint(3, 6))]
        for _ in range(links):
            parts.insert(r.randint(1, len(parts)), self.link(french))
        return " ".join(parts)

    def write(self, marker: str) -> str:
        r = self.r
        target = r.randint(720, 880)
        heads = r.sample(HEADINGS, r.randint(3, 5))
        sections = [[("## " if k == 0 or r.random() < 0.6 else "### ") + h] for k, h in enumerate(heads)]
        self.words += sum(len(h.split()) for h in heads)
        links = [0] * (len(sections) + 1)
        for k in r.sample(range(len(links)), r.randint(2, 4)):
            links[k] = 1
        intro = [self.paragraph(links[0]), marker, self.paragraph()]
        bullets = []
        for item in r.sample(BULLETS, r.randint(3, 5)):
            bullets.append(f"- **{item}**" if r.random() < 0.25 else f"- {item}")
        steps = [f"{k}. {s}" for k, s in enumerate(r.sample(STEPS, r.randint(3, 5)), 1)]
        quote, author = r.choice(QUOTES)
        blocks = ["\n".join(bullets), "\n".join(steps), f"> {quote}\n>\n> — *{author}*",
                  f"![{self.meta.cover_alt}]({self.image_src})"]
        if r.random() < 0.2:
            lang, code = r.choice(CODE_BLOCKS)
            blocks.append(f"```{lang}\n{code}\n```")
        self.words += sum(len(b.split()) for b in blocks)
        for block in blocks:
            r.choice(sections).append(block)
        for k, section in enumerate(sections, 1):
            section.insert(1, self.paragraph(links[k]))
        while self.words < target:
            section = r.choice(sections)
            section.insert(r.randint(1, len(section)), self.paragraph())
        return "\n\n".join(intro + [block for section in sections for block in section]) + "\n"


def article(index: int, flavor: str, seed: str = DEFAULT_SEED) -> tuple[Meta, str]:
    """Return article ``index``'s metadata and full file text (front matter and body) for ``flavor``."""
    r = _rng(seed, index)
    meta = _draw_meta(r, index)
    body = _Body(r, meta, image_src(flavor, meta.cover_name)).write(
        "<!--more-->" if flavor == "hugo" else "<!-- more -->")
    return meta, front_matter(flavor, meta) + body


def image_src(flavor: str, name: str) -> str:
    """Return how an article body refers to a cover, in each tool's own idiom."""
    return {"cmhub": f"images/{name}", "pelican": f"{{static}}/images/{name}",
            "mkdocs": f"../../images/{name}", "hugo": f"/images/{name}"}[flavor]


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def _ylist(items: tuple[str, ...]) -> str:
    return "[" + ", ".join(_q(i) for i in items) + "]"


def front_matter(flavor: str, m: Meta) -> str:
    """Return the metadata block of an article in ``flavor``'s syntax."""
    if flavor == "pelican":
        lines = [f"Title: {m.title}", f"Date: {m.date:%Y-%m-%d %H:%M}", f"Category: {m.categories[0]}",
                 f"Tags: {', '.join(m.tags)}", f"Summary: {m.summary}", f"Image: images/{m.cover_name}"]
        if m.draft:
            lines.append("Status: draft")
        return "\n".join(lines) + "\n\n"
    lines = [f"title: {_q(m.title)}"]
    if flavor == "cmhub":
        lines += [f"date: {m.date:%Y-%m-%dT%H:%M:%S}", f"tags: {_ylist(m.tags)}",
                  f"categories: {_ylist(m.categories)}", f"summary: {_q(m.summary)}",
                  f"image: images/{m.cover_name}", f"image_alt: {_q(m.cover_alt)}"]
    elif flavor == "mkdocs":
        lines += [f"date: {m.date:%Y-%m-%d}", f"categories: {_ylist(m.categories)}", f"tags: {_ylist(m.tags)}",
                  f"description: {_q(m.summary)}"]
    elif flavor == "hugo":
        lines += [f"date: {m.date:%Y-%m-%dT%H:%M:%S}", f"slug: {m.slug}", f"tags: {_ylist(m.tags)}",
                  f"categories: {_ylist(m.categories)}", f"summary: {_q(m.summary)}",
                  f"images: [/images/{m.cover_name}]"]
    else:
        raise ValueError(f"unknown flavor {flavor!r}")
    if m.draft:
        lines.append("draft: true")
    return "---\n" + "\n".join(lines) + "\n---\n\n"


# --------------------------------------------------------------------------------------------
# Covers: gradient PNGs, standard library only.
# --------------------------------------------------------------------------------------------

def cover_png(number: int, width: int = 1200, height: int = 800) -> bytes:
    """Return a vertical two-colour gradient PNG, different for each cover number."""
    r = random.Random(f"cover/{number}")
    top = [r.randint(30, 225) for _ in range(3)]
    bottom = [r.randint(30, 225) for _ in range(3)]
    rows = []
    for y in range(height):
        t = y / (height - 1)
        pixel = bytes(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        rows.append(b"\x00" + pixel * width)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows), 6))
            + chunk(b"IEND", b""))


# --------------------------------------------------------------------------------------------
# Per-flavor configuration files.
# --------------------------------------------------------------------------------------------

SITE_TITLE = "Le carnet de la communauté"
SITE_URL = "https://carnet.example.net/"
SITE_DESCRIPTION = "Méthodes, outils et retours d'expérience pour animer une communauté en ligne."

CMHUB_SITE = f"""# Benchmark corpus (bench/corpus.py)
title: "{SITE_TITLE}"
url: {SITE_URL}
description: "{SITE_DESCRIPTION}"
language: fr
timezone: Europe/Paris
paginate: 10
networks:
  x: "@carnet_cm"
  mastodon: {{handle: "@carnet@piaille.example", max_chars: 500}}
  bluesky: carnet.bsky.social
  linkedin: "Le carnet de la communauté"
"""

PELICAN_CONF = f"""# Benchmark corpus (bench/corpus.py)
AUTHOR = "L'équipe du carnet"
SITENAME = "{SITE_TITLE}"
SITEURL = "{SITE_URL.rstrip('/')}"
PATH = "content"
STATIC_PATHS = ["images"]
TIMEZONE = "Europe/Paris"
DEFAULT_LANG = "fr"
DEFAULT_PAGINATION = 10
# Full-content feeds for the whole site, each category and each tag, 20 entries (like cmhub's default).
FEED_MAX_ITEMS = 20
RSS_FEED_SUMMARY_ONLY = False
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = "feeds/category.{{slug}}.atom.xml"
CATEGORY_FEED_RSS = "feeds/category.{{slug}}.rss.xml"
TAG_FEED_ATOM = "feeds/tag.{{slug}}.atom.xml"
TAG_FEED_RSS = "feeds/tag.{{slug}}.rss.xml"
"""

MKDOCS_YML = f"""# Benchmark corpus (bench/corpus.py)
site_name: {SITE_TITLE}
site_url: {SITE_URL}
site_description: {SITE_DESCRIPTION}
theme:
  name: material
  language: fr
  font: false
plugins:
  - search
  - blog
"""

HUGO_TOML = f"""# Benchmark corpus (bench/corpus.py)
baseURL = "{SITE_URL}"
title = "{SITE_TITLE}"
defaultContentLanguage = "fr"
timeZone = "Europe/Paris"
summaryLength = 40
[pagination]
  pagerSize = 10
[permalinks]
  posts = "/:slug/"
[taxonomies]
  tag = "tags"
  category = "categories"
[services.rss]
  limit = 20
"""
HUGO_BASEOF = """<!doctype html>
<html lang="{{ site.Language.Lang }}"><head><meta charset="utf-8">
<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ site.Title }}</title>
{{ range .AlternativeOutputFormats }}<link rel="{{ .Rel }}" type="{{ .MediaType.Type }}" href="{{ .Permalink }}">{{ end }}
</head><body><header><a href="{{ "/" | relURL }}">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
"""
HUGO_SINGLE = """{{ define "main" }}<article>
<h1>{{ .Title }}</h1><time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Date.Format "02/01/2006" }}</time>
{{ .Content }}
<p>{{ range .GetTerms "tags" }}<a href="{{ .RelPermalink }}">#{{ .LinkTitle }}</a> {{ end }}</p>
</article>{{ end }}
"""
HUGO_LIST = """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ $pages := .Pages }}{{ if .IsHome }}{{ $pages = where site.RegularPages "Section" "posts" }}{{ end }}
{{ $pager := .Paginate $pages }}
{{ range $pager.Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>{{ .Summary }}</article>{{ end }}
<nav>{{ with $pager.Prev }}<a href="{{ .URL }}">←</a>{{ end }} {{ with $pager.Next }}<a href="{{ .URL }}">→</a>{{ end }}</nav>
{{ end }}
"""
HUGO_RSS = """{{- $pages := .RegularPages -}}{{- if .IsHome -}}{{- $pages = site.RegularPages -}}{{- end -}}
{{- $pages = $pages | first site.Config.Services.RSS.Limit -}}
{{- printf "<?xml version=\\"1.0\\" encoding=\\"utf-8\\"?>" | safeHTML }}
<rss version="2.0"><channel><title>{{ .Title }}</title><link>{{ .Permalink }}</link>
<description>{{ site.Title }}</description><language>{{ site.Language.Lang }}</language>
{{- range $pages }}
<item><title>{{ .Title }}</title><link>{{ .Permalink }}</link><guid>{{ .Permalink }}</guid>
<pubDate>{{ .Date.Format "Mon, 02 Jan 2006 15:04:05 -0700" | safeHTML }}</pubDate>
<description>{{ .Content | html }}</description></item>
{{- end }}
</channel></rss>
"""

CONFIG_FILES = {
    "cmhub": {"site.yml": CMHUB_SITE},
    "pelican": {"pelicanconf.py": PELICAN_CONF},
    "mkdocs": {"mkdocs.yml": MKDOCS_YML, "docs/index.md": f"# {SITE_TITLE}\n\n{SITE_DESCRIPTION}\n",
               "docs/blog/index.md": "# Blog\n"},
    "hugo": {"hugo.toml": HUGO_TOML, "layouts/_default/baseof.html": HUGO_BASEOF,
             "layouts/_default/single.html": HUGO_SINGLE, "layouts/_default/list.html": HUGO_LIST,
             "layouts/_default/rss.xml": HUGO_RSS},
}


def article_path(root: Path, flavor: str, meta: Meta) -> Path:
    """Return where article ``meta`` lives in a corpus of ``flavor`` rooted at ``root``."""
    return root / POSTS_DIR[flavor] / meta.filename


def write_corpus(n: int, flavor: str, out: Path, seed: str = DEFAULT_SEED) -> list[Meta]:
    """Write a complete project of ``n`` articles for ``flavor`` into ``out``; return the metadata."""
    if flavor not in FLAVORS:
        raise ValueError(f"unknown flavor {flavor!r}; choose from {', '.join(FLAVORS)}")
    for name, text in CONFIG_FILES[flavor].items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    images = out / IMAGES_DIR[flavor]
    images.mkdir(parents=True, exist_ok=True)
    for number in range(1, COVERS + 1):
        path = images / f"cover-{number:02d}.png"
        if not path.exists():
            path.write_bytes(cover_png(number))
    posts = out / POSTS_DIR[flavor]
    posts.mkdir(parents=True, exist_ok=True)
    metas = []
    for index in range(n):
        meta, text = article(index, flavor, seed)
        (posts / meta.filename).write_text(text, encoding="utf-8")
        metas.append(meta)
    return metas


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, required=True, help="number of articles")
    parser.add_argument("--flavor", choices=FLAVORS, required=True, help="which tool's layout to write")
    parser.add_argument("--out", type=Path, required=True, help="project folder to create or fill")
    parser.add_argument("--seed", default=DEFAULT_SEED, help=f"corpus seed (default: {DEFAULT_SEED})")
    args = parser.parse_args(argv)
    metas = write_corpus(args.n, args.flavor, args.out, args.seed)
    drafts = sum(m.draft for m in metas)
    print(f"{len(metas)} {args.flavor} articles ({drafts} drafts) in {args.out / POSTS_DIR[args.flavor]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
