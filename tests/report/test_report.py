"""cmhub report on the report test hub, November 2026: every number against its value worked out by hand.

The hub (tests/sites/report, Europe/Paris) publishes three articles in November: reunion-publique
(Tue 3rd 10:00), jardin-partage (Tue 10th 09:00) and marche-de-noel (Tue 24th 09:00, alias
/2026/marche-noel/). Mastodon posts on Tue 09:00 and Thu 18:00, LinkedIn on Wed 12:00, the other
networks at publication; so each network has one teaser planned in weeks 45 (Mastodon Thu 5th,
LinkedIn Wed 4th), 46 and 48, none in week 47. November's weeks are W45 to W48 (W49's Thursday is
3 December). The exports below are what each service would give for that month.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from cmhub.cli.verbs import main
from cmhub.commands.syndicate import syndicate_project
from cmhub.settings.request import BuildRequest
from tests.conftest import SITES, tree_digest
from tests.report import exports as ex

NOW = "2026-12-02T10:00:00Z"
D = dt.date
NBSP = "\u00a0"
HUB = "https://voix.example.org/"
NOV = [D(2026, 11, day) for day in range(1, 31)]


def plausible_november() -> bytes:
    visitors = "date,visitors,pageviews,visits,views_per_visit,bounce_rate,visit_duration\n" + "".join(
        f"{day.isoformat()},{10 + i},{20 + i},{11 + i},1.8,40,90\n" for i, day in enumerate(NOV))
    return ex.plausible_zip({
        "visitors.csv": visitors,
        "pages.csv": "name,visitors,pageviews,bounce_rate,time_on_page,scroll_depth\n"
                     "/reunion-publique/,120,150,50,30,80\n/jardin-partage/,80,90,60,10,40\n/,300,400,50,20,30\n/2026/marche-noel/,5,5,0,0,0\n"
                     "/mentions-legales/,2,2,0,0,0\n",
        "sources.csv": "name,visitors,bounce_rate,visit_duration\nDirect / None,400,50,40\nMastodon,40,50,40\n",
        "utm_sources.csv": "name,visitors,bounce_rate,visit_duration\nmastodon,40,50,40\nlinkedin,25,60,20\n"
                           "facebook,18,55,30\nx,9,70,10\nnewsletter,7,0,0\n",
        "utm_campaigns.csv": "name,visitors,bounce_rate,visit_duration\nreunion-publique,35,50,40\n"
                             "jardin-partage,22,60,20\nmarche-de-noel,11,40,30\nsoldes,3,0,0\n",
        "countries.csv": "name,visitors\nFrance,700\nBelgique,35\n",
    })


def plausible_mid_october_to_mid_november() -> bytes:
    days = [D(2026, 10, 15) + dt.timedelta(n) for n in range(32)]  # 15 Oct .. 15 Nov
    visitors = "date,visitors,pageviews,visits,views_per_visit,bounce_rate,visit_duration\n" + "".join(
        f"{day.isoformat()},{10 + day.day - 1 if day.month == 11 else 5},1,1,1.0,0,0\n" for day in days)
    return ex.plausible_zip({"visitors.csv": visitors,
                             "utm_sources.csv": "name,visitors,bounce_rate,visit_duration\nmastodon,30,50,40\n"})


META_P1 = {"Post ID": "1200_1", "Page ID": "1200", "Page name": "Voix du Quartier", "Post type": "Links",
           "Title": f"Réunion publique du 12 novembre : l’ordre du jour {HUB}reunion-publique/?utm_source=facebook"
                    "&utm_medium=social&utm_campaign=reunion-publique",
           "Publish time": "11/03/2026 10:30", "Permalink": "https://www.facebook.com/1200/posts/1", "Date": "Lifetime",
           "Views": "500", "Reach": "400", "Reactions, Comments and Shares": "30", "Total clicks": "12"}
META_P2 = {**META_P1, "Post ID": "1200_2", "Title": "", "Permalink": "https://www.facebook.com/1200/posts/2",
           "Description": "Le jardin partagé ouvre ses portes, inscriptions sur voix.example.org/jardin-partage/",
           "Publish time": "11/10/2026 09:15", "Views": "300", "Reactions, Comments and Shares": "12",
           "Total clicks": "5"}
META_P3 = {**META_P1, "Post ID": "1200_3", "Title": "Photos de la fête des voisins", "Post type": "Photos",
           "Permalink": "https://www.facebook.com/1200/posts/3", "Publish time": "11/20/2026 18:00", "Views": "200",
           "Reactions, Comments and Shares": "8", "Total clicks": ""}


def linkedin_content() -> bytes:
    def post(title: str, slug: str, day: str, impressions: int, clicks: int, likes: int, comments: int,
             reposts: int, n: int) -> list[object]:
        return [f"{title} {HUB}{slug}/?utm_source=linkedin&utm_medium=social&utm_campaign={slug}",
                f"https://www.linkedin.com/feed/update/urn:li:activity:73000000000000000{n}", "Organic", "",
                "Voix", day, "", "", "All followers", impressions, 0, 0, clicks, 0.02, likes, comments, reposts, 0,
                0.03, "Article"]

    def day(date: str, impressions: int, clicks: int, reactions: int, comments: int, reposts: int) -> list[object]:
        return [date, impressions, 0, impressions, impressions // 2, clicks, 0, clicks, reactions, 0, reactions,
                comments, 0, comments, reposts, 0, reposts, 0.05, 0, 0.05]

    return ex.linkedin_xlsx({
        "All posts": ("All posts for the selected dates", ex.LINKEDIN_POSTS, [
            post("Réunion publique", "reunion-publique", "11/04/2026", 700, 15, 10, 1, 0, 1),
            post("Jardin partagé", "jardin-partage", "11/11/2026", 900, 30, 20, 3, 2, 2),
            post("Marché de Noël", "marche-de-noel", "11/25/2026", 400, 8, 6, 0, 1, 3),
            post("Bilan de l’été", "bilan-ete", "10/21/2026", 999, 99, 99, 9, 9, 4)]),
        "Metrics": ("Aggregated metrics for all posts by date", ex.LINKEDIN_METRICS, [
            day("11/02/2026", 600, 20, 15, 2, 1), day("11/12/2026", 900, 31, 22, 3, 2),
            day("11/26/2026", 400, 8, 6, 0, 1), day("10/22/2026", 100, 1, 1, 1, 1)]),
    })


def linkedin_followers() -> bytes:
    rows = [[f"{day.month:02d}/{day.day:02d}/{day.year}", 0, 1 if day.day % 3 else 0, 0, 1 if day.day % 3 else 0]
            for day in NOV]
    return ex.linkedin_xlsx({"New followers": ("New followers", ex.LINKEDIN_FOLLOWERS, rows)})


POSTS_LOCK = [
    '{"cmhub":"posts.lock","version":1}',
    '{"source":"content/jardin-partage.md","network":"mastodon","variant":"launch","post_id":"112",'
    '"url":"https://piaille.example/@voix/112","posted":"2026-11-10T08:00:00Z","account":"@voix@piaille.example"}',
    '{"source":"content/marche-de-noel.md","network":"bluesky","variant":"launch",'
    '"post_id":"at://did:plc:voix/app.bsky.feed.post/3lb","url":"https://bsky.app/profile/voix.bsky.social/post/3lb",'
    '"posted":"2026-11-30T23:10:00Z"}',
    '{"source":"content/marche-de-noel.md","network":"mastodon","variant":"launch","post_id":"113",'
    '"url":"https://piaille.example/@voix/113","posted":"2026-11-24T08:00:00Z","account":"@voix@piaille.example"}',
    '{"source":"content/reunion-publique.md","network":"bluesky","variant":"launch",'
    '"post_id":"at://did:plc:voix/app.bsky.feed.post/3la","url":"https://bsky.app/profile/voix.bsky.social/post/3la",'
    '"posted":"2026-11-03T09:00:00Z"}',
    '{"source":"content/reunion-publique.md","network":"mastodon","variant":"launch","post_id":"111",'
    '"url":"https://piaille.example/@voix/111","posted":"2026-11-05T17:00:00Z","account":"@voix@piaille.example"}',
]


def counts(network: str, post: str, fetched: str, replies: int, reposts: int, likes: int) -> str:
    return (f'{{"kind":"post","network":"{network}","post_id":"{post}","fetched":"{fetched}",'
            f'"replies":{replies},"reposts":{reposts},"likes":{likes}}}')


def followers(fetched: str, count: int) -> str:
    return (f'{{"kind":"account","network":"mastodon","account":"@voix@piaille.example","fetched":"{fetched}",'
            f'"followers":{count}}}')


INTERACTIONS = [
    '{"cmhub":"interactions","version":1}',
    followers("2026-10-31T22:30:00Z", 120), followers("2026-11-30T22:30:00Z", 143),
    followers("2026-11-30T23:30:00Z", 150),  # 1 December 00:30 in Paris: after November
    counts("bluesky", "at://did:plc:voix/app.bsky.feed.post/3la", "2026-11-21T06:00:00Z", 0, 2, 6),
    counts("mastodon", "111", "2026-11-06T06:00:00Z", 1, 2, 3),
    counts("mastodon", "111", "2026-11-21T06:00:00Z", 2, 5, 12),
    counts("mastodon", "112", "2026-11-21T06:00:00Z", 0, 1, 3),
    counts("mastodon", "113", "2026-11-28T06:00:00Z", 1, 1, 1),
    counts("mastodon", "999", "2026-11-21T06:00:00Z", 4, 4, 4),  # not in posts.lock: its day is unknown
]


@pytest.fixture(scope="module")
def reported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report hub with its November exports, reported once (the tests only read what it wrote)."""
    hub = tmp_path_factory.mktemp("report") / "hub"
    shutil.copytree(SITES / "report", hub)
    write_exports(hub)
    result = CliRunner().invoke(main, ["report", "-C", str(hub), "--now", NOW])
    assert result.exit_code == 0, result.output
    return hub


def write_exports(hub: Path) -> None:
    """Drop every export of November (and some neighbours) into the hub's analytics/ folder."""
    inbox = hub / "analytics"
    (inbox / "copie").mkdir(parents=True)
    (inbox / "plausible-voix.example.org-2026-11.zip").write_bytes(plausible_november())
    (inbox / "copie" / "plausible-voix.example.org-2026-11 (1).zip").write_bytes(plausible_november())
    (inbox / "plausible-oct-nov.zip").write_bytes(plausible_mid_october_to_mid_november())
    (inbox / "meta-2026-11.csv").write_bytes(ex.meta_posts(ex.META_33, [META_P1, META_P2, META_P3]))
    later = [{**META_P1, "Views": "520", "Reactions, Comments and Shares": "34", "Total clicks": "13"}, META_P2,
             {**META_P3, "Views": "210", "Reactions, Comments and Shares": "9"}]
    (inbox / "meta-2026-11-later.csv").write_bytes(ex.meta_posts(ex.META_34, later))
    october = {**META_P1, "Post ID": "1200_0", "Publish time": "10/28/2026 12:00", "Title": "Octobre"}
    (inbox / "meta-2026-10.csv").write_bytes(ex.meta_posts(ex.META_32, [october]))
    (inbox / "Follows.csv").write_bytes(ex.meta_series("Facebook follows", [(d, 2 - d.day % 2) for d in NOV]))
    overlap = [(D(2026, 10, 20) + dt.timedelta(n), 1) for n in range(12)] + [(d, 2 - d.day % 2) for d in NOV[:10]]
    (inbox / "Follows (1).csv").write_bytes(ex.meta_series("Facebook follows", overlap))
    (inbox / "Audience.csv").write_bytes(ex.meta_audience())
    (inbox / "voix_content.xlsx").write_bytes(linkedin_content())
    (inbox / "voix_followers.xlsx").write_bytes(linkedin_followers())
    site, social = syndicate_project(hub, BuildRequest(now=NOW), write=False)
    teaser = next(t for t in social.teasers if t.source == "content/reunion-publique.md" and t.network == "x")
    posted = teaser.text.replace(teaser.link_text or teaser.link, "https://t.co/Ab12Cd34")
    (inbox / "account_analytics_content_2026-11-01_2026-11-30.csv").write_text(ex.csv_text(ex.X_NEW, [
        ["2074000000000000001", ex.x_day(D(2026, 11, 3)), posted, "https://x.com/voix_quartier/status/2074000000000000001",
         300, 5, 20, 0, 0, 0, 1, 2, 3, 4, 7, 0, 1],
        ["2074000000000000002", ex.x_day(D(2026, 11, 14)), "Bonne fête à toutes les voisines ! https://t.co/Zz",
         "https://x.com/voix_quartier/status/2074000000000000002", "100", 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]]),
        encoding="utf-8")
    (inbox / "tweet_activity_metrics.csv").write_bytes(ex.x_old([
        {"Tweet id": "2074000000000000001", "Tweet permalink": "https://twitter.com/voix_quartier/status/1",
         "Tweet text": posted, "time": "2026-11-03 09:00 +0000", "impressions": "280", "retweets": "2",
         "replies": "1", "likes": "5", "url clicks": "7"},
        {"Tweet id": "2075000000000000009", "Tweet permalink": "https://twitter.com/voix_quartier/status/9",
         "Tweet text": "Minuit passé", "time": "2026-11-30 23:30 +0000", "impressions": "50"},
        {"Tweet id": "2070000000000000003", "Tweet permalink": "https://twitter.com/voix_quartier/status/3",
         "Tweet text": "Octobre", "time": "2026-10-15 08:00 +0000", "impressions": "70"}]))
    (hub / "posts.lock").write_bytes(ex.jsonl(POSTS_LOCK))
    (hub / "interactions.jsonl").write_bytes(ex.jsonl(INTERACTIONS))


def report_json(hub: Path) -> dict:
    return json.loads((hub / "social" / "reports" / "2026-11.json").read_text(encoding="utf-8"))


def test_visits_per_article_and_per_network(reported: Path) -> None:
    data = report_json(reported)
    # three files give November's days (two of them the same month): each day is counted once, from the
    # file first by name among those stating it
    assert data["visits"]["total"] == {"value": sum(range(10, 40)), "sources": [
        "analytics/copie/plausible-voix.example.org-2026-11 (1).zip"]}
    assert data["visits"]["social"]["value"] == 40 + 25 + 18 + 9  # newsletter is not a network
    articles = {a["source"]: a for a in data["articles"]}
    assert [a["source"] for a in data["articles"]] == [
        "content/reunion-publique.md", "content/jardin-partage.md", "content/marche-de-noel.md"]
    assert {s: (a["visits"]["value"], a["social_visits"]["value"]) for s, a in articles.items()} == {
        "content/reunion-publique.md": (120, 35), "content/jardin-partage.md": (80, 22),
        "content/marche-de-noel.md": (5, 11)}
    assert articles["content/reunion-publique.md"]["url"] == HUB + "reunion-publique/"
    networks = {n["network"]: n for n in data["networks"]}
    assert {n: v["social_visits"]["value"] for n, v in networks.items()} == {
        "mastodon": 40, "linkedin": 25, "facebook": 18, "x": 9, "bluesky": 0}


def test_posts_and_interactions_per_network(reported: Path) -> None:
    networks = {n["network"]: n for n in report_json(reported)["networks"]}
    figures = {n: (v["posts"]["value"], v["engagement"]["value"], v["impressions"]["value"], v["clicks"]["value"],
                   v["new_followers"]["value"]) for n, v in networks.items()}
    assert figures == {
        "mastodon": (3, (2 + 5 + 12) + (0 + 1 + 3) + (1 + 1 + 1), None, None, None),
        "bluesky": (1, 0 + 2 + 6, None, None, None),  # the 1 December post is not November's
        "facebook": (3, 34 + 12 + 9, 520 + 300 + 210, 13 + 5, 15 * 1 + 15 * 2),
        "linkedin": (3, (15 + 2 + 1) + (22 + 3 + 2) + (6 + 0 + 1), 600 + 900 + 400, 20 + 31 + 8, 20),
        "x": (2, (5 + 1 + 2) + 3, 300 + 100, 7 + 0, None),
    }
    assert networks["linkedin"]["engagement_per_post"] == round(((10 + 1) + (20 + 3 + 2) + (6 + 1)) / 3, 2)
    assert networks["facebook"]["engagement"]["sources"] == ["analytics/meta-2026-11-later.csv"]
    assert networks["mastodon"]["posts"]["sources"] == ["posts.lock"]


def test_the_network_that_worked_best_comes_first(reported: Path) -> None:
    data = report_json(reported)
    ranking = [(n["network"], n["visits_per_post"]) for n in data["networks"]]
    assert ranking == [("mastodon", round(40 / 3, 2)), ("linkedin", round(25 / 3, 2)), ("facebook", 18 / 3),
                       ("x", 9 / 2), ("bluesky", 0 / 1)]


def test_articles_carry_their_posts_and_interactions_on_every_network(reported: Path) -> None:
    articles = {a["source"]: (a["posts"]["value"], a["engagement"]["value"]) for a in report_json(reported)["articles"]}
    assert articles == {
        # Mastodon 111, Bluesky 3la, Facebook P1, LinkedIn, X (joined by its text: X shows t.co links)
        "content/reunion-publique.md": (5, 19 + 8 + 34 + (10 + 1 + 0) + (5 + 1 + 2)),
        "content/jardin-partage.md": (3, 4 + 12 + (20 + 3 + 2)),  # Mastodon 112, Facebook P2, LinkedIn
        "content/marche-de-noel.md": (2, 3 + (6 + 0 + 1)),  # Mastodon 113, LinkedIn (Bluesky's is December's)
    }


def test_posts_planned_versus_posted_per_week(reported: Path) -> None:
    weeks = {(w["week"], w["network"]): (w["planned"]["value"], w["posted"]["value"], w["cadence"], w["below_cadence"])
             for w in report_json(reported)["weeks"]}
    assert sorted({w for w, _ in weeks}) == ["2026-W45", "2026-W46", "2026-W47", "2026-W48"]
    planned = {"2026-W45": 1, "2026-W46": 1, "2026-W47": 0, "2026-W48": 1}
    posted = {"mastodon": [1, 1, 0, 1], "linkedin": [1, 1, 0, 1], "facebook": [1, 1, 1, None], "x": [1, 1, 0, 0],
              "bluesky": [1, 0, 0, 0]}
    cadence = {"mastodon": 2, "linkedin": 1}
    for network, counts_ in posted.items():
        for (week, plan), count in zip(planned.items(), counts_, strict=True):
            goal = cadence.get(network)
            below = bool(goal) and count is not None and count < goal
            assert weeks[(week, network)] == (plan, count, goal, below), (week, network)


def test_goal_lines_and_paces(reported: Path) -> None:
    goals = report_json(reported)["goals"]
    lines = [g["line"] for g in goals]
    # 57 followers to go, 31 days (1.018 average months) left: 56 a month; November gained 143 - 120 = 23
    assert lines[0] == f"Mastodon{NBSP}: 143/200 abonnés, 56 par mois nécessaires, en bonne voie{NBSP}: non"
    assert lines[1] == (f"Tout le hub{NBSP}: 100 visites depuis les réseaux par mois{NBSP}; 2026-11{NBSP}: 92 "
                        f"(sous l’objectif){NBSP}; en bonne voie{NBSP}: non")
    # 20 gained in November (30 days), 10 to go in December's 31 days: 10 a month needed, 20.3 a month made
    assert lines[2] == f"LinkedIn{NBSP}: 20/30 nouveaux abonnés, 10 par mois nécessaires, en bonne voie{NBSP}: oui"
    below = " (sous l’objectif)"
    assert lines[3] == (f"Mastodon{NBSP}: 2 publications par semaine{NBSP}; 2026-W45{NBSP}: 1{below}, 2026-W46{NBSP}: "
                        f"1{below}, 2026-W47{NBSP}: 0{below}, 2026-W48{NBSP}: 1{below}{NBSP}; en bonne voie{NBSP}: non")
    assert lines[4] == (f"LinkedIn{NBSP}: 1 publications par semaine{NBSP}; 2026-W45{NBSP}: 1, 2026-W46{NBSP}: 1, "
                        f"2026-W47{NBSP}: 0{below}, 2026-W48{NBSP}: 1{NBSP}; en bonne voie{NBSP}: non")
    assert goals[0]["needed_per_month"] == 56 and goals[0]["sources"] == ["interactions.jsonl"]
    assert goals[0]["pace_per_month"] == round(23 / (30 / 30.4375), 2)


def test_best_slots(reported: Path) -> None:
    slots = [(s["network"], s["weekday"], s["hour"], s["posts"], s["engagement"]["value"])
             for s in report_json(reported)["slots"]]
    assert slots == [("facebook", 1, 10, 1, 34), ("mastodon", 3, 18, 1, 19), ("facebook", 1, 9, 1, 12),
                     ("facebook", 4, 18, 1, 9), ("bluesky", 1, 10, 1, 8)]


def test_the_same_month_twice_is_counted_once_and_overlaps_are_said(reported: Path) -> None:
    notes = report_json(reported)["notes"]
    # 30 days, 5 pages, 5 utm_sources and 4 utm_campaigns rows, all already read from the copy
    assert f"analytics/plausible-voix.example.org-2026-11.zip{NBSP}: 44 lignes déjà comptées depuis " \
           "analytics/copie/plausible-voix.example.org-2026-11 (1).zip" in notes
    # 1 to 10 November, in both follows series
    assert f"analytics/Follows.csv{NBSP}: 10 lignes déjà comptées depuis analytics/Follows (1).csv" in notes
    # the later Meta export's counts are larger or equal: all 11 facts of P1, P2, P3 come from it
    assert f"analytics/meta-2026-11.csv{NBSP}: 11 lignes déjà comptées depuis analytics/meta-2026-11-later.csv" \
        in notes
    assert f"analytics/plausible-oct-nov.zip{NBSP}: 2026-10-15..2026-11-15 déborde de la période{NBSP}: non compté" \
        in notes
    assert f"interactions.jsonl{NBSP}: les chiffres d’1 publication absente de posts.lock (son jour est inconnu)" \
           f"{NBSP}: non comptés" in notes
    # P3, the neighbours' party, has no link to the hub
    assert f"analytics/meta-2026-11.csv{NBSP}: 1 publication sans lien vers un article du hub (comptée pour son " \
           "réseau seulement)" in notes


def test_every_number_names_its_source_file_in_the_csv(reported: Path) -> None:
    lines = (reported / "social" / "reports" / "2026-11.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "section,key,network,article,metric,value,target,state,sources"
    for row in csv.DictReader(lines):
        assert bool(row["value"]) == bool(row["sources"]), row
    assert "network,,facebook,,impressions,1030,,,analytics/meta-2026-11-later.csv" in lines
    assert "network,,facebook,,new_followers,45,,,analytics/Follows (1).csv;analytics/Follows.csv" in lines


class Links(HTMLParser):
    """Collects the attributes that could make a browser fetch or leave the file."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href", "xlink:href", "action", "srcset", "poster", "data") and value:
                self.urls.append((tag, name, value))


def test_the_html_opens_offline_with_its_charts(reported: Path) -> None:
    html = (reported / "social" / "reports" / "2026-11.html").read_text(encoding="utf-8")
    parser = Links()
    parser.feed(html)
    articles = {HUB + "reunion-publique/", HUB + "jardin-partage/", HUB + "marche-de-noel/"}
    assert {url for _, _, url in parser.urls} == articles
    assert all(tag == "a" for tag, _, _ in parser.urls)
    assert "script" not in parser.tags and "link" not in parser.tags and "iframe" not in parser.tags
    assert "url(" not in html and "@import" not in html
    assert parser.tags.count("svg") >= 4
    assert f"Mastodon{NBSP}: 143/200 abonnés, 56 par mois nécessaires, en bonne voie{NBSP}: non" in html


def test_same_inputs_same_bytes_and_the_clock_from_source_date_epoch(reported: Path, tmp_path: Path) -> None:
    before = tree_digest(reported / "social" / "reports")
    epoch = str(int(dt.datetime(2026, 12, 2, 10, tzinfo=dt.UTC).timestamp()))
    result = CliRunner(env={"SOURCE_DATE_EPOCH": epoch}).invoke(main, ["report", "-C", str(reported)])
    assert result.exit_code == 0, result.output
    assert tree_digest(reported / "social" / "reports") == before
    assert result.output.splitlines()[-1] == ("report 2026-11: social/reports/2026-11.html, "
                                              "social/reports/2026-11.csv, social/reports/2026-11.json")


class NumberCells(HTMLParser):
    """Collects each number cell of the tables: its text and whether it names its sources."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[tuple[str, bool]] = []
        self._open: list[str] | None = None
        self._cited = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "td" and ("class", "n") in attrs:
            self._open, self._cited = [], False
        elif tag == "sup" and ("class", "src") in attrs and self._open is not None:
            self._cited = True

    def handle_data(self, data: str) -> None:
        if self._open is not None and not self._cited:
            self._open.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._open is not None:
            self.cells.append(("".join(self._open).strip(), self._cited))
            self._open = None


def test_every_number_of_the_html_names_its_sources(reported: Path) -> None:
    html = (reported / "social" / "reports" / "2026-11.html").read_text(encoding="utf-8")
    parser = NumberCells()
    parser.feed(html.split('<section id="sources">')[0])  # the sources' own numbers end the file
    numbers = [(text, cited) for text, cited in parser.cells if any(ch.isdigit() for ch in text)]
    assert len(numbers) > 100
    assert [text for text, cited in numbers if not cited] == []


def test_planned_posts_come_from_plan_lock_when_the_hub_has_one(tmp_path: Path) -> None:
    """plan.lock is the record of what was handed out: the report counts its standing plannings (not the
    cancelled or dropped ones), even for weeks a build's own plan (the last 30 days) no longer covers."""
    hub = tmp_path / "hub"
    shutil.copytree(SITES / "report", hub)
    row = "content/{}.md\t{}\tlaunch\t{}\t{}\t20261101T000000Z\t2026-11-01T00:00:00Z\tdate=x\t-\t-\n"
    (hub / "plan.lock").write_text(
        "# plan.lock written by hand for this test\n"
        + row.format("reunion-publique", "mastodon", "2026-11-03T08:00:00Z", "planned")      # W45
        + row.format("reunion-publique", "linkedin", "2026-11-04T11:00:00Z", "cancelled")    # W45, taken back
        + row.format("jardin-partage", "mastodon", "2026-11-17T08:00:00Z", "planned")        # W47
        + row.format("jardin-partage", "linkedin", "2026-11-18T11:00:00Z", "planned")        # W47
        + row.format("marche-de-noel", "mastodon", "2026-11-24T08:00:00Z", "dropped"),       # W48, never out
        encoding="utf-8")
    write_exports(hub)
    result = CliRunner().invoke(main, ["report", "-C", str(hub), "--now", NOW, "--period", "2026-11"])
    assert result.exit_code == 0, result.output
    weeks = {(w["week"], w["network"]): w["planned"] for w in report_json(hub)["weeks"]}
    assert {k: v["value"] for k, v in weeks.items() if k[1] in ("mastodon", "linkedin")} == {
        ("2026-W45", "mastodon"): 1, ("2026-W46", "mastodon"): 0, ("2026-W47", "mastodon"): 1,
        ("2026-W48", "mastodon"): 0, ("2026-W45", "linkedin"): 0, ("2026-W46", "linkedin"): 0,
        ("2026-W47", "linkedin"): 1, ("2026-W48", "linkedin"): 0}
    assert weeks[("2026-W45", "mastodon")]["sources"] == ["plan.lock"]
