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
