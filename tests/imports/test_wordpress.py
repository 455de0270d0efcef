"""cmhub import wordpress, end to end, on a WXR file as WordPress writes it."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.imports.conftest import cmhub, front_and_body
from tests.imports.exports import jpeg, write_uploads, wxr

NOW = "2026-11-21T12:00:00Z"


def _import(hub: Path, tmp_path: Path, *options: str) -> tuple[object, dict[str, tuple[dict, str]]]:
    export = tmp_path / "asso.WordPress.2026-11-20.xml"
    export.write_text(wxr(), encoding="utf-8")
    result = cmhub("import", "wordpress", export, "-C", hub, *options)
    articles = {}
    for path in sorted((hub / "content" / "wordpress").glob("*.md")):
        front, body = front_and_body(path)
        articles[path.name] = (yaml.safe_load(front), body)
    return result, articles


def test_states_categories_authors_and_clean_markdown(hub: Path, tmp_path: Path) -> None:
    uploads = write_uploads(tmp_path / "uploads")
    result, articles = _import(hub, tmp_path, "--publish", "--uploads", str(uploads))
    assert result.exit_code == 0, result.output
    assert "5 new articles (1 draft" in result.stdout and "written, with 3 pictures" in result.stdout
    assert sorted(articles) == ["2018-01-01-a-propos.md", "2019-03-05-bonjour-lete.md",
                                "2020-04-10-jardins-partages.md", "2021-05-01-un-brouillon.md",
                                "2030-01-15-bientot-la-fete.md"]
    classic, classic_body = articles["2019-03-05-bonjour-lete.md"]
    assert "draft" not in classic and classic["date"].isoformat() == "2019-03-05T11:00:00+01:00"
    assert classic["categories"] == ["Vie associative"] and classic["tags"] == ["fête", "été"]
    assert classic["authors"] == ["marie"]
    assert classic["aliases"] == ["/2019/03/bonjour-lete/"]
    assert classic["image"] == "2019-03-05-bonjour-lete/photo.jpg" and classic["image_alt"] == "Des tomates au soleil"
    assert classic["imported_from"] == {"network": "wordpress", "id": "11",
                                        "url": "https://asso.example.org/2019/03/bonjour-lete/",
                                        "status": "publish", "type": "post"}
    assert classic_body.startswith("Bonjour à tous, l'été arrive au jardin 🌻 !<br>\n"
                                   "Une deuxième ligne du même paragraphe.\n\n")
    # [caption] became a picture with its alt and caption, copied from the uploads (the original, not the resized)
    assert ('<figure markdown="1">\n![Des tomates au soleil](2019-03-05-bonjour-lete/photo.jpg)\n'
            "<figcaption>Les premières tomates</figcaption>\n</figure>") in classic_body
    assert (hub / "content/wordpress/2019-03-05-bonjour-lete/photo.jpg").read_bytes() == jpeg(10)
    assert "<https://www.youtube.com/watch?v=abc123>" in classic_body  # an embed is a link
    assert "<!-- more -->" in classic_body
    assert "warning: shortcodes left as text (cmhub has nothing to replace them): [contact-form-7]" in result.stderr
    blocks, blocks_body = articles["2020-04-10-jardins-partages.md"]
    assert "authors" not in blocks
    assert "jdupont: {name: \"Jean Dupont\"}" in result.stdout  # the site.yml snippet for the unknown author
    assert blocks_body == (
        "Les *jardins partagés* reprennent.\n\n## Le programme\n\n"
        '<figure markdown="1">\n![Le jardin en avril](2020-04-10-jardins-partages/jardin.jpg)\n'
        "<figcaption>Le jardin, vu du toit</figcaption>\n</figure>\n\n- Semis\n- Arrosage\n    - le matin\n\n"
        "<https://www.youtube.com/watch?v=xyz789>\n\n*La visite en vidéo*\n\n"
        "> Un jardin, c'est une école.\n>\n> *Une bénévole*\n\n---\n")
    page, page_body = articles["2018-01-01-a-propos.md"]  # a WordPress page is a page of the hub (issue #19)
    assert page["type"] == "page" and page["imported_from"]["type"] == "page" and page_body == "Qui sommes-nous ?\n"
    assert not {"date", "draft", "tags", "categories", "authors", "aliases"} & set(page)
    draft, _ = articles["2021-05-01-un-brouillon.md"]
    assert draft["draft"] is True and "aliases" not in draft
    scheduled, _ = articles["2030-01-15-bientot-la-fete.md"]
    assert "draft" not in scheduled and scheduled["date"].isoformat() == "2030-01-15T09:00:00+01:00"
    for path in (hub / "content").rglob("*.md"):
        text = path.read_text()
        assert "wp:" not in text and "{=html}" not in text and "[caption" not in text, path
    assert "not imported: 1 comments, 1 nav_menu_item items, 1 revision items" in result.stdout


def test_old_urls_redirect_after_the_build_and_the_ledger_keeps_them(hub: Path, tmp_path: Path) -> None:
    result, _ = _import(hub, tmp_path, "--publish", "--uploads", str(write_uploads(tmp_path / "uploads")))
    assert result.exit_code == 0, result.output
    build = cmhub("build", "-C", hub, "--strict", "--now", NOW)
    assert build.exit_code == 0, build.output
    assert "2 publiés, 1 programmé, 1 brouillon" in build.stdout  # the test hub is French; pages are not counted
    page = (hub / "site/a-propos/index.html").read_text()  # the WordPress page, at its old URL
    assert "Qui sommes-nous" in page and 'class="article page-body"' in page
    assert "<link>https://hub.example.org/a-propos/</link>" not in (hub / "site/feed.xml").read_text()
    assert '"content/wordpress/2018-01-01-a-propos.md"' in (hub / "permalinks.lock").read_text()
    redirect = (hub / "site/2019/03/bonjour-lete/index.html").read_text()
    assert '<meta http-equiv="refresh" content="0; url=https://hub.example.org/bonjour-lete/">' in redirect
    assert (hub / "site/_redirects").read_text().splitlines() == ["/2019/03/bonjour-lete/ /bonjour-lete/ 301",
                                                                   "/2020/04/jardins-partages/ /jardins-partages/ 301"]
    ledger = (hub / "permalinks.lock").read_text()
    assert "content/wordpress/2019-03-05-bonjour-lete.md" in ledger
    assert not (hub / "site/bientot-la-fete").exists() and not (hub / "site/2030").exists()


def test_drafts_by_default_with_the_states_kept_for_later(hub: Path, tmp_path: Path) -> None:
    result, articles = _import(hub, tmp_path, "--uploads", str(write_uploads(tmp_path / "uploads")))
    assert result.exit_code == 0, result.output
    for name, (front, _) in articles.items():
        assert front["draft"] is True, name
    text = (hub / "content/wordpress/2030-01-15-bientot-la-fete.md").read_text()
    assert "draft: true  # imported for review: delete this line to publish" in text
    assert "draft: true  # a draft on WordPress" in (hub / "content/wordpress/2021-05-01-un-brouillon.md").read_text()


def test_without_uploads_pictures_stay_links_and_each_missing_one_is_reported(hub: Path, tmp_path: Path) -> None:
    result, articles = _import(hub, tmp_path)
    assert result.exit_code == 0, result.output
    assert "3 pictures still load from where they were: pass --uploads" in result.stdout
    assert "(https://asso.example.org/wp-content/uploads/2019/03/photo-300x200.jpg)" in \
        articles["2019-03-05-bonjour-lete.md"][1]
    uploads = write_uploads(tmp_path / "uploads")
    (uploads / "2020/04/jardin.jpg").unlink()
    (uploads / "2020/04/jardin-1024x768.jpg").unlink()
    for path in (hub / "content").iterdir():
        __import__("shutil").rmtree(path)
    (hub / "imports.lock").unlink()
    result, _ = _import(hub, tmp_path, "--uploads", str(uploads))
    assert result.exit_code == 1
    item = _line(wxr(), "<wp:post_id>12</wp:post_id>", before="<item>")
    assert (f"asso.WordPress.2026-11-20.xml:{item}: picture 'https://asso.example.org/wp-content/uploads/2020/04/"
            "jardin-1024x768.jpg' is not in") in result.stderr
    assert not (hub / "imports.lock").exists()


def test_malformed_xml_is_reported_at_its_line(hub: Path, tmp_path: Path) -> None:
    export = tmp_path / "broken.xml"
    export.write_text(wxr().replace("<wp:post_id>12</wp:post_id>", "<wp:post_id>12</wp:postid>"))
    result = cmhub("import", "wordpress", export, "-C", hub)
    assert result.exit_code == 1
    line = _line(wxr(), "<wp:post_id>12</wp:post_id>")
    assert f"{export}:{line}: is not well-formed XML" in result.stderr and "Traceback" not in result.output


def test_entity_declarations_are_refused(hub: Path, tmp_path: Path) -> None:
    export = tmp_path / "laughs.xml"
    export.write_text('<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>\n'
                      + wxr().split("\n", 1)[1].replace("Le blog de l'asso", "&lol2;"))
    result = cmhub("import", "wordpress", export, "-C", hub)
    assert result.exit_code == 1
    assert f"{export}:1: declares XML entities" in result.stderr


def test_a_feed_given_to_wordpress_says_which_command_to_use(hub: Path, tmp_path: Path) -> None:
    export = tmp_path / "feed.xml"
    export.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>')
    result = cmhub("import", "wordpress", export, "-C", hub)
    assert result.exit_code == 1 and "use 'cmhub import feed'" in result.stderr


def _line(text: str, needle: str, before: str = "") -> int:
    """Return the line of ``needle`` in ``text`` (or of the last ``before`` ahead of it)."""
    offset = text.index(needle)
    if before:
        offset = text.rindex(before, 0, offset)
    return text.count("\n", 0, offset) + 1


def test_a_wordpress_com_zip_of_several_files_is_read_as_one_export(hub: Path, tmp_path: Path) -> None:
    import zipfile

    text = wxr()
    head, _, rest = text.partition("\t<item>")
    items = ("\t<item>" + rest).rsplit("</channel>", 1)[0].split("\t<item>")[1:]
    tail = "</channel>\n</rss>\n"
    export = tmp_path / "asso.wordpress.com.zip"
    with zipfile.ZipFile(export, "w") as bundle:  # the attachment in the first file, the posts in the second
        bundle.writestr("asso.wordpress.2026-11-20.000.xml", head + "\t<item>" + items[0] + tail)
        bundle.writestr("asso.wordpress.2026-11-20.001.xml", head + "".join("\t<item>" + i for i in items[1:]) + tail)
    result = cmhub("import", "wordpress", export, "-C", hub, "--uploads", write_uploads(tmp_path / "uploads"))
    assert result.exit_code == 0, result.output
    article = (hub / "content/wordpress/2019-03-05-bonjour-lete.md").read_text()
    assert 'image: "2019-03-05-bonjour-lete/photo.jpg"' in article  # the featured image, found across files
    assert len(list((hub / "content/wordpress").glob("*.md"))) == 5


def test_unedited_articles_are_brought_up_to_date_once_an_author_is_declared(hub: Path, tmp_path: Path) -> None:
    uploads = str(write_uploads(tmp_path / "uploads"))
    result, _ = _import(hub, tmp_path, "--uploads", uploads)
    assert "jdupont: {name: \"Jean Dupont\"}" in result.stdout
    edited = hub / "content/wordpress/2019-03-05-bonjour-lete.md"
    edited.write_text(edited.read_text() + "\nUne ligne de plus.\n")
    with (hub / "site.yml").open("a") as settings:
        settings.write('  jdupont: {name: "Jean Dupont"}\n')
    result, articles = _import(hub, tmp_path, "--uploads", uploads)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "content/wordpress/: nothing new; 1 not edited since the last import brought up to date; "
        "5 already imported (1 edited since, kept as they are)")
    assert articles["2020-04-10-jardins-partages.md"][0]["authors"] == ["jdupont"]
    assert edited.read_text().endswith("Une ligne de plus.\n")
