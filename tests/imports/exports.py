# ruff: noqa: E501 - the fixtures are files in the platforms' own formats, whose lines are long
"""Exports written the way each platform writes them, in the documented layouts, for the import tests.

Meta's JSON: every string's UTF-8 bytes written one per character and escaped ("\\u00c3\\u00a9"),
pretty-printed. WordPress: a WXR 1.2 file as Tools > Export writes it. Feeds: RSS 2.0 as Medium's
feed, Atom as Blogger's export.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path
from typing import Any

from PIL import Image

from cmhub.imports.mojibake import mangle

HUB_SITE_YML = """\
title: "Le hub de l'asso"
url: https://hub.example.org/
language: fr
timezone: Europe/Paris
authors:
  marie: {name: "Marie Curie"}
"""

PARIS = dt.timezone(dt.timedelta(hours=2))
WINTER = dt.timezone(dt.timedelta(hours=1))

# (caption, UTC instant, the instant in the hub's zone, Europe/Paris)
CAPTION_PICTURE = "Fête de l'été à Paris, l'œuvre du quartier 🎉 #a#b"
CAPTION_CAROUSEL = "Trois images pour Noël 🎄 : la crèche, le sapin et l'œuf surprise. Merci ! #carrousel #Noël"
CAPTION_VIDEO = "Vidéo : œil ouvert sur l'été ☀️ #vidéo#été"
T_PICTURE = dt.datetime(2019, 6, 30, 22, 30, tzinfo=dt.UTC)      # 2019-07-01T00:30:00+02:00 in Paris
T_CAROUSEL = dt.datetime(2019, 12, 24, 23, 30, tzinfo=dt.UTC)    # 2019-12-25T00:30:00+01:00
T_VIDEO = dt.datetime(2020, 3, 29, 0, 30, tzinfo=dt.UTC)         # 2020-03-29T01:30:00+01:00 (DST night)

INSTAGRAM_LAYOUTS = {
    "2024": "your_instagram_activity/content/posts_1.json",
    "2023": "your_instagram_activity/media/posts_1.json",
    "2021": "content/posts_1.json",
}


def jpeg(seed: int) -> bytes:
    """Return a small JPEG, different for each seed."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (seed * 37 % 256, seed * 91 % 256, 120)).save(buffer, "JPEG")
    return buffer.getvalue()


MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isomvideo"


def meta_json(data: Any) -> str:
    """Return JSON the way Meta writes it: every string mangled, escaped to ASCII, indented."""
    def mangled(value: Any) -> Any:
        if isinstance(value, str):
            return mangle(value)
        if isinstance(value, list):
            return [mangled(v) for v in value]
        if isinstance(value, dict):
            return {mangle(k): mangled(v) for k, v in value.items()}
        return value
    return json.dumps(mangled(data), indent=2)


def instagram_posts() -> list[dict[str, Any]]:
    """Return three posts: a picture (caption on its media), a carousel of three (caption on the post),
    and a video (caption on its media)."""
    return [
        {"media": [{"uri": "media/posts/201907/17900000000000001.jpg", "creation_timestamp": int(T_PICTURE.timestamp()),
                    "title": CAPTION_PICTURE, "media_metadata": {"camera_metadata": {"has_camera_metadata": False}},
                    "cross_post_source": {"source_app": "FB"}, "backup_uri": "https://scontent.example/1.jpg"}]},
        {"media": [{"uri": f"media/posts/201912/1790000000000001{n}.jpg",
                    "creation_timestamp": int(T_CAROUSEL.timestamp()), "title": "",
                    "cross_post_source": {"source_app": "FB"}} for n in (2, 3, 4)],
         "title": CAPTION_CAROUSEL, "creation_timestamp": int(T_CAROUSEL.timestamp())},
        {"media": [{"uri": "media/posts/202003/17900000000000005.mp4", "creation_timestamp": int(T_VIDEO.timestamp()),
                    "title": CAPTION_VIDEO, "dubbing_info": [], "media_variants": []}]},
    ]


def instagram_media() -> dict[str, bytes]:
    """Return the media files of instagram_posts(), by path in the export."""
    files = {"media/posts/201907/17900000000000001.jpg": jpeg(1)}
    files.update({f"media/posts/201912/1790000000000001{n}.jpg": jpeg(n) for n in (2, 3, 4)})
    files["media/posts/202003/17900000000000005.mp4"] = MP4
    return files


def write_instagram(folder: Path, layout: str = "2024", posts: list[dict[str, Any]] | None = None,
                    media: dict[str, bytes] | None = None) -> Path:
    """Write an Instagram JSON export (unpacked) into ``folder``; return the folder."""
    files: dict[str, str | bytes] = {INSTAGRAM_LAYOUTS[layout]: meta_json(instagram_posts() if posts is None else posts)}
    files.update(instagram_media() if media is None else media)
    files["personal_information/personal_information/personal_information.json"] = meta_json(
        {"profile_user": [{"string_map_data": {"Name": {"value": "L'asso du quartier"}}}]})
    return write_tree(folder, files)


def write_tree(folder: Path, files: dict[str, str | bytes]) -> Path:
    """Write files (text or bytes) under ``folder``."""
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return folder


def zip_tree(folder: Path, target: Path, top: str = "") -> Path:
    """Zip a folder as Meta does (optionally inside one top folder); return the zip."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, top + path.relative_to(folder).as_posix())
    return target


# Facebook Page ----------------------------------------------------------------------------------

FB_LINK_TEXT = "Notre rapport annuel est en ligne 📄 Bonne lecture à tous ! #rapport#bilan"
FB_PHOTO_TEXT = "Assemblée générale : 80 adhérents, l'œuvre continue 🙌"
FB_MEDIA_ONLY = "Le stand de l'œuf de Pâques au marché 🥚"
T_FB = [dt.datetime(2021, 1, 15, 8, 0, tzinfo=dt.UTC), dt.datetime(2021, 6, 20, 18, 45, tzinfo=dt.UTC),
        dt.datetime(2022, 4, 17, 9, 15, tzinfo=dt.UTC), dt.datetime(2022, 5, 1, 10, 0, tzinfo=dt.UTC)]
FB_PAGE = "this_profile's_activity_across_facebook/posts/profile_posts_1.json"


def facebook_posts() -> list[dict[str, Any]]:
    """Return a Page's posts: a shared link, a photo, a photo whose text is on its media, an empty update."""
    return [
        {"timestamp": int(T_FB[0].timestamp()),
         "attachments": [{"data": [{"external_context": {"url": "https://asso.example.org/rapport-2020.pdf",
                                                         "name": "Rapport d'activité 2020"}}]}],
         "data": [{"post": FB_LINK_TEXT}, {"update_timestamp": int(T_FB[0].timestamp())}],
         "title": "L'asso du quartier a partagé un lien."},
        {"timestamp": int(T_FB[1].timestamp()),
         "attachments": [{"data": [{"media": {"uri": "this_profile's_activity_across_facebook/posts/media/AG_2021/"
                                                     "photo_1.jpg",
                                              "creation_timestamp": int(T_FB[1].timestamp()), "title": "Photos du journal",
                                              "description": FB_PHOTO_TEXT}}]}],
         "data": [{"post": FB_PHOTO_TEXT}], "title": "L'asso du quartier a ajouté une photo."},
        {"timestamp": int(T_FB[2].timestamp()),
         "attachments": [{"data": [{"media": {"uri": "this_profile's_activity_across_facebook/posts/media/Paques/"
                                                     "oeuf.jpg",
                                              "creation_timestamp": int(T_FB[2].timestamp()), "title": "Pâques",
                                              "description": FB_MEDIA_ONLY}}]}],
         "data": [], "title": "L'asso du quartier a ajouté une photo."},
        {"timestamp": int(T_FB[3].timestamp()), "attachments": [],
         "data": [{"update_timestamp": int(T_FB[3].timestamp())}]},
    ]


def write_facebook(folder: Path, name: str = FB_PAGE) -> Path:
    """Write a Facebook Page JSON export (unpacked) into ``folder``."""
    return write_tree(folder, {
        name: meta_json(facebook_posts()),
        "this_profile's_activity_across_facebook/posts/media/AG_2021/photo_1.jpg": jpeg(7),
        "this_profile's_activity_across_facebook/posts/media/Paques/oeuf.jpg": jpeg(8),
    })


# WordPress ----------------------------------------------------------------------------------------

WP_CLASSIC = """Bonjour à tous, l'été arrive au jardin 🌻 !
Une deuxième ligne du même paragraphe.

[caption id="attachment_10" align="aligncenter" width="300"]<a href="https://asso.example.org/wp-content/uploads/2019/03/photo.jpg"><img class="size-medium wp-image-10" src="https://asso.example.org/wp-content/uploads/2019/03/photo-300x200.jpg" alt="Des tomates au soleil" width="300" height="200" /></a> Les premières tomates[/caption]

https://www.youtube.com/watch?v=abc123

[contact-form-7 id="42" title="Contact"]

<!--more-->

Suite : <strong>inscriptions</strong> ouvertes, voir <a href="https://asso.example.org/a-propos/">la page</a>."""

WP_BLOCKS = """<!-- wp:paragraph -->
<p>Les <em>jardins partagés</em> reprennent.</p>
<!-- /wp:paragraph -->

<!-- wp:heading -->
<h2 class="wp-block-heading">Le programme</h2>
<!-- /wp:heading -->

<!-- wp:image {"id":20,"sizeSlug":"large"} -->
<figure class="wp-block-image size-large"><img src="https://asso.example.org/wp-content/uploads/2020/04/jardin-1024x768.jpg" alt="Le jardin en avril" class="wp-image-20"/><figcaption class="wp-element-caption">Le jardin, vu du toit</figcaption></figure>
<!-- /wp:image -->

<!-- wp:list -->
<ul><!-- wp:list-item -->
<li>Semis</li>
<!-- /wp:list-item -->
<!-- wp:list-item -->
<li>Arrosage<ul><li>le matin</li></ul></li>
<!-- /wp:list-item --></ul>
<!-- /wp:list -->

<!-- wp:embed {"url":"https://www.youtube.com/watch?v=xyz789","type":"video","providerNameSlug":"youtube"} -->
<figure class="wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube"><div class="wp-block-embed__wrapper">
https://www.youtube.com/watch?v=xyz789
</div><figcaption class="wp-element-caption">La visite en vidéo</figcaption></figure>
<!-- /wp:embed -->

<!-- wp:quote -->
<blockquote class="wp-block-quote"><!-- wp:paragraph -->
<p>Un jardin, c'est une école.</p>
<!-- /wp:paragraph --><cite>Une bénévole</cite></blockquote>
<!-- /wp:quote -->

<!-- wp:separator -->
<hr class="wp-block-separator has-alpha-channel-opacity"/>
<!-- /wp:separator -->"""


def wxr_item(post_id: int, title: str, kind: str, status: str, link: str, date: str, date_gmt: str, name: str,
             content: str, creator: str = "marie", extra: str = "") -> str:
    """Return one <item> of a WXR file."""
    return f"""
	<item>
		<title><![CDATA[{title}]]></title>
		<link>{link}</link>
		<pubDate>Tue, 05 Mar 2019 10:00:00 +0000</pubDate>
		<dc:creator><![CDATA[{creator}]]></dc:creator>
		<guid isPermaLink="false">https://asso.example.org/?p={post_id}</guid>
		<description></description>
		<content:encoded><![CDATA[{content}]]></content:encoded>
		<excerpt:encoded><![CDATA[]]></excerpt:encoded>
		<wp:post_id>{post_id}</wp:post_id>
		<wp:post_date><![CDATA[{date}]]></wp:post_date>
		<wp:post_date_gmt><![CDATA[{date_gmt}]]></wp:post_date_gmt>
		<wp:comment_status><![CDATA[open]]></wp:comment_status>
		<wp:ping_status><![CDATA[open]]></wp:ping_status>
		<wp:post_name><![CDATA[{name}]]></wp:post_name>
		<wp:status><![CDATA[{status}]]></wp:status>
		<wp:post_parent>0</wp:post_parent>
		<wp:menu_order>0</wp:menu_order>
		<wp:post_type><![CDATA[{kind}]]></wp:post_type>
		<wp:post_password><![CDATA[]]></wp:post_password>
		<wp:is_sticky>0</wp:is_sticky>{extra}
	</item>"""


def wxr() -> str:
    """Return a WordPress export: an attachment, two posts (classic editor, blocks), a page, a draft,
    a scheduled post, a menu item and a revision."""
    items = [
        wxr_item(10, "photo", "attachment", "inherit", "https://asso.example.org/photo/", "2019-03-05 11:00:00",
                 "2019-03-05 10:00:00", "photo", "", extra="""
		<wp:attachment_url><![CDATA[https://asso.example.org/wp-content/uploads/2019/03/photo.jpg]]></wp:attachment_url>
		<wp:postmeta><wp:meta_key><![CDATA[_wp_attachment_image_alt]]></wp:meta_key><wp:meta_value><![CDATA[Des tomates au soleil]]></wp:meta_value></wp:postmeta>"""),
        wxr_item(11, "Bonjour l'été", "post", "publish", "https://asso.example.org/2019/03/bonjour-lete/",
                 "2019-03-05 11:00:00", "2019-03-05 10:00:00", "bonjour-lete", WP_CLASSIC, extra="""
		<category domain="category" nicename="vie-associative"><![CDATA[Vie associative]]></category>
		<category domain="category" nicename="uncategorized"><![CDATA[Uncategorized]]></category>
		<category domain="post_tag" nicename="fete"><![CDATA[fête]]></category>
		<category domain="post_tag" nicename="ete"><![CDATA[été]]></category>
		<wp:postmeta><wp:meta_key><![CDATA[_thumbnail_id]]></wp:meta_key><wp:meta_value><![CDATA[10]]></wp:meta_value></wp:postmeta>"""),
        wxr_item(12, "Les jardins partagés", "post", "publish", "https://asso.example.org/2020/04/jardins-partages/",
                 "2020-04-10 18:30:00", "2020-04-10 16:30:00", "jardins-partages", WP_BLOCKS, creator="jdupont",
                 extra="""
		<category domain="category" nicename="jardin"><![CDATA[Jardin]]></category>
		<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_content><![CDATA[Bravo !]]></wp:comment_content></wp:comment>"""),
        wxr_item(13, "À propos", "page", "publish", "https://asso.example.org/a-propos/", "2018-01-01 12:00:00",
                 "2018-01-01 11:00:00", "a-propos", "<!-- wp:paragraph -->\n<p>Qui sommes-nous ?</p>\n"
                 "<!-- /wp:paragraph -->"),
        wxr_item(14, "Un brouillon", "post", "draft", "https://asso.example.org/?p=14", "2021-05-01 10:00:00",
                 "0000-00-00 00:00:00", "", "Pas encore prêt."),
        wxr_item(15, "Bientôt la fête", "post", "future", "https://asso.example.org/2030/01/bientot-la-fete/",
                 "2030-01-15 09:00:00", "2030-01-15 08:00:00", "bientot-la-fete", "<p>Réservez la date.</p>"),
        wxr_item(16, "Accueil", "nav_menu_item", "publish", "https://asso.example.org/?p=16", "2018-01-01 12:00:00",
                 "2018-01-01 11:00:00", "accueil", ""),
        wxr_item(17, "Bonjour l'été", "revision", "inherit", "https://asso.example.org/?p=17", "2019-03-05 11:00:00",
                 "2019-03-05 10:00:00", "11-revision-v1", "ancienne version"),
    ]
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<!-- This is a WordPress eXtended RSS file generated by WordPress as an export of your site. -->
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/"
>
<channel>
	<title>L'asso du quartier</title>
	<link>https://asso.example.org</link>
	<description>Le blog de l'asso</description>
	<language>fr-FR</language>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>https://asso.example.org</wp:base_site_url>
	<wp:base_blog_url>https://asso.example.org</wp:base_blog_url>
	<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[marie]]></wp:author_login><wp:author_email><![CDATA[marie@example.org]]></wp:author_email><wp:author_display_name><![CDATA[Marie Curie]]></wp:author_display_name></wp:author>
	<wp:author><wp:author_id>2</wp:author_id><wp:author_login><![CDATA[jdupont]]></wp:author_login><wp:author_email><![CDATA[jean@example.org]]></wp:author_email><wp:author_display_name><![CDATA[Jean Dupont]]></wp:author_display_name></wp:author>
	<generator>https://wordpress.org/?v=6.4.2</generator>
{''.join(items)}
</channel>
</rss>
"""


def write_uploads(folder: Path) -> Path:
    """Write the wp-content/uploads folder of wxr(): originals and a resized copy."""
    return write_tree(folder, {"2019/03/photo.jpg": jpeg(10), "2019/03/photo-300x200.jpg": jpeg(11),
                               "2020/04/jardin.jpg": jpeg(20), "2020/04/jardin-1024x768.jpg": jpeg(21)})


# Feeds --------------------------------------------------------------------------------------------

MEDIUM_RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:atom="http://www.w3.org/2005/Atom" version="2.0">
<channel>
  <title><![CDATA[Stories by Marie Curie on Medium]]></title>
  <link>https://medium.com/@marie?source=rss-1------2</link>
  <item>
    <title><![CDATA[Pourquoi un blog dure plus qu'un fil d'actualité]]></title>
    <link>https://medium.com/@marie/pourquoi-un-blog-dure-1a2b3c?source=rss-1------2</link>
    <guid isPermaLink="false">https://medium.com/p/1a2b3c</guid>
    <category><![CDATA[communication]]></category>
    <category><![CDATA[réseaux sociaux]]></category>
    <dc:creator><![CDATA[Marie Curie]]></dc:creator>
    <pubDate>Mon, 02 Nov 2020 08:15:00 GMT</pubDate>
    <content:encoded><![CDATA[<h3>Un fil passe, un blog reste</h3><p>Ce qu'on publie sur un réseau <em>défile</em> et disparaît.</p><figure><img alt="Un carnet ouvert" src="https://cdn-images-1.medium.com/max/1024/1*abc.jpeg" /><figcaption>Un carnet, c'est durable.</figcaption></figure><p>Fin.</p><img src="https://medium.com/_/stat?event=post.clientViewed&amp;referrerSource=full_rss&amp;postId=1a2b3c" width="1" height="1" alt="">]]></content:encoded>
  </item>
  <item>
    <title><![CDATA[Deuxième billet]]></title>
    <link>https://medium.com/@marie/deuxieme-billet-4d5e6f?source=rss-1------2</link>
    <guid isPermaLink="false">https://medium.com/p/4d5e6f</guid>
    <dc:creator><![CDATA[Paul Langevin]]></dc:creator>
    <pubDate>Tue, 01 Dec 2020 23:30:00 GMT</pubDate>
    <content:encoded><![CDATA[<p>Un court billet.</p>]]></content:encoded>
  </item>
</channel>
</rss>
"""

BLOGGER_ATOM = """<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns='http://www.w3.org/2005/Atom' xmlns:app='http://purl.org/atom/app#'>
<id>tag:blogger.com,1999:blog-123</id><updated>2021-01-01T10:00:00.000+01:00</updated><title type='text'>Le blog</title>
<entry><id>tag:blogger.com,1999:blog-123.settings.BLOG_NAME</id><published>2021-01-01T10:00:00.000+01:00</published>
<category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#settings'/>
<title type='text'>Blog name</title><content type='text'>Le blog</content></entry>
<entry><id>tag:blogger.com,1999:blog-123.post-456</id><published>2019-05-04T09:00:00.000+02:00</published>
<updated>2019-05-05T09:00:00.000+02:00</updated>
<category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#post'/>
<category scheme='http://www.blogger.com/atom/ns#' term='Vie du quartier'/>
<title type='text'>La brocante de mai</title>
<content type='html'>&lt;p&gt;Rendez-vous &lt;b&gt;dimanche&lt;/b&gt; !&lt;/p&gt;</content>
<link rel='alternate' type='text/html' href='https://asso.blogspot.com/2019/05/la-brocante-de-mai.html' title='La brocante de mai'/>
<author><name>Marie Curie</name></author></entry>
<entry><id>tag:blogger.com,1999:blog-123.post-789</id><published>2019-06-01T09:00:00.000+02:00</published>
<category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#post'/>
<title type='text'>Brouillon Blogger</title><content type='html'>&lt;p&gt;Pas fini.&lt;/p&gt;</content>
<link rel='alternate' type='text/html' href='https://asso.blogspot.com/2019/06/brouillon.html'/>
<author><name>Marie Curie</name></author><app:control><app:draft>yes</app:draft></app:control></entry>
<entry><id>tag:blogger.com,1999:blog-123.post-456.comment-1</id><published>2019-05-06T09:00:00.000+02:00</published>
<category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#comment'/>
<title type='text'>Super</title><content type='html'>Super !</content></entry>
</feed>
"""
