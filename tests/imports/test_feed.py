"""cmhub import feed, end to end: a Medium RSS feed and a Blogger Atom export."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.imports.conftest import cmhub, front_and_body
from tests.imports.exports import BLOGGER_ATOM, MEDIUM_RSS


def _articles(hub: Path) -> dict[str, tuple[dict, str]]:
    found = {}
    for path in sorted((hub / "content" / "feed").glob("*.md")):
        front, body = front_and_body(path)
        found[path.name] = (yaml.safe_load(front), body)
    return found


def test_one_draft_per_entry_with_its_original_url_as_canonical(hub: Path, tmp_path: Path) -> None:
    export = tmp_path / "medium.xml"
    export.write_text(MEDIUM_RSS, encoding="utf-8")
    result = cmhub("import", "feed", export, "-C", hub)
    assert result.exit_code == 0, result.output
    articles = _articles(hub)
    assert sorted(articles) == ["2020-11-02-pourquoi-un-blog-dure-plus-quun-fil-dactualite.md",
                                "2020-12-02-deuxieme-billet.md"]
    front, body = articles["2020-11-02-pourquoi-un-blog-dure-plus-quun-fil-dactualite.md"]
    assert front["canonical"] == "https://medium.com/@marie/pourquoi-un-blog-dure-1a2b3c?source=rss-1------2"
    assert front["draft"] is True and front["authors"] == ["marie"]
    assert front["tags"] == ["communication", "réseaux sociaux"]
    assert front["date"].isoformat() == "2020-11-02T09:15:00+01:00"
    assert body.startswith("### Un fil passe, un blog reste\n\nCe qu'on publie sur un réseau *défile* et disparaît.")
    assert "![Un carnet ouvert](https://cdn-images-1.medium.com/max/1024/1*abc.jpeg)" in body
    second, _ = articles["2020-12-02-deuxieme-billet.md"]
    assert second["date"].isoformat() == "2020-12-02T00:30:00+01:00" and "authors" not in second
    assert "authors not in site.yml, left out of the articles: Paul Langevin" in result.stdout
    assert "pictures still load from where they were" in result.stdout
    again = cmhub("import", "feed", export, "-C", hub)
    assert again.stdout.startswith("content/feed/: nothing new; 2 already imported")


def test_a_blogger_export_keeps_posts_and_drafts_and_leaves_the_rest(hub: Path, tmp_path: Path) -> None:
    export = tmp_path / "blog-05-04-2021.xml"
    export.write_text(BLOGGER_ATOM, encoding="utf-8")
    result = cmhub("import", "feed", export, "-C", hub, "--publish")
    assert result.exit_code == 0, result.output
    assert "not imported: 1 Blogger comment entries, 1 Blogger settings entries" in result.stdout
    articles = _articles(hub)
    post, body = articles["2019-05-04-la-brocante-de-mai.md"]
    assert "draft" not in post and post["tags"] == ["Vie du quartier"]
    assert post["canonical"] == "https://asso.blogspot.com/2019/05/la-brocante-de-mai.html"
    assert body == "Rendez-vous **dimanche** !\n"
    draft, _ = articles["2019-06-01-brouillon-blogger.md"]
    assert draft["draft"] is True


def test_a_malformed_feed_is_reported_at_its_line(hub: Path, tmp_path: Path) -> None:
    export = tmp_path / "broken.xml"
    export.write_text(MEDIUM_RSS.replace("</title>\n    <link>https://medium.com/@marie/deux", "\n    <link>https://medium.com/@marie/deux"))
    result = cmhub("import", "feed", export, "-C", hub)
    assert result.exit_code == 1
    assert f"{export}:" in result.stderr and "is not well-formed XML" in result.stderr
    assert not list((hub / "content").iterdir())
