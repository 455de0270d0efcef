"""cmhub publish against a Bluesky XRPC endpoint: records that validate as app.bsky.feed.post, facets at the
right bytes, a link card with its thumbnail, mentions resolved, and record keys that make retries safe (#18)."""

from __future__ import annotations

import pytest

from cmhub.ledgers.posts_lock import load_posts
from cmhub.networks.bluesky import short_link_text
from cmhub.publish.run import publish_project
from tests.publish.conftest import ENVIRONMENT, Hub, bluesky_networks, stamp
from tests.publish.servers import OUR_DID

ACCENTS = """authors: [ines]
tags: [fête, vie de quartier]
syndicate:
  bluesky:
    text: "Été 🎉 à la fête : « déjà prêts » 👩‍👩‍👧 ? {url} Par @ines.bsky.social"
    thread: ["Suite 🎈 et fin : {url}"]
"""


def validated(record: dict) -> object:
    from atproto import models

    return models.AppBskyFeedPost.Record.model_validate(record)


@pytest.mark.slow
def test_bluesky_records_validate_and_their_facets_slice_the_link_text_exactly(hub: Hub) -> None:
    hub.write(bluesky_networks(hub))
    hub.article("fete-de-quartier", 5, ACCENTS)
    hub.article("vide-grenier", 6)
    hub.prepare()
    result = hub.publish()
    assert result.exit_code == 0, result.output
    records = hub.bluesky.state.posts()
    assert len(records) == 3  # two teasers, one with a thread part
    for record in records:
        validated(record)
    fete = next(r for r in records if r["text"].startswith("Été"))
    data = fete["text"].encode("utf-8")
    links = [f for f in fete["facets"] if f["features"][0]["$type"].endswith("#link")]
    assert len(links) == 1
    index = links[0]["index"]
    shown = data[index["byteStart"]:index["byteEnd"]].decode("utf-8")
    uri = links[0]["features"][0]["uri"]
    assert shown == short_link_text(uri) and "/fete-de-quartier/" in uri
    assert shown in fete["text"] and links[0]["features"][0]["uri"].endswith("utm_campaign=fete-de-quartier")
    mention = next(f for f in fete["facets"] if f["features"][0]["$type"].endswith("#mention"))
    assert data[mention["index"]["byteStart"]:mention["index"]["byteEnd"]].decode() == "@ines.bsky.social"
    assert mention["features"][0]["did"] == "did:plc:ines000000000000000000"
    external = fete["embed"]["external"]
    assert fete["embed"]["$type"] == "app.bsky.embed.external" and external["title"] == "Fete de quartier"
    thumb = hub.bluesky.state.blobs[external["thumb"]["ref"]["$link"]]
    assert thumb[:3] == b"\xff\xd8\xff" and len(thumb) == external["thumb"]["size"] <= 1_000_000
    part = next(r for r in records if r["text"].startswith("Suite"))
    posted = next(e for e in load_posts(hub.root).posted() if e.source == "content/fete-de-quartier.md")
    assert part["reply"]["root"]["uri"] == part["reply"]["parent"]["uri"] == posted.post_id
    assert posted.post_id.startswith(f"at://{OUR_DID}/app.bsky.feed.post/")
    assert posted.url.startswith("https://bsky.app/profile/asso.bsky.social/post/")
    assert posted.replies and posted.replies[0].endswith(part_key(hub, part))


def part_key(hub: Hub, record: dict) -> str:
    return next(uri for uri, r in hub.bluesky.state.records.items() if r is record).rsplit("/", 1)[-1]


@pytest.mark.slow
def test_a_retry_of_a_record_the_pds_already_holds_is_recognised_not_duplicated(
        hub: Hub, monkeypatch: pytest.MonkeyPatch) -> None:
    hub.write(bluesky_networks(hub))
    hub.article("vide-grenier", 6)
    hub.prepare()
    import cmhub.publish.run as run_module

    class Killed(BaseException):
        pass

    real_write = run_module.write_posts
    monkeypatch.setattr(run_module, "write_posts", lambda root, ledger: (_ for _ in ()).throw(Killed()))
    with pytest.raises(Killed):
        publish_project(hub.root, now=stamp(hub.now), environ=ENVIRONMENT)
    assert len(hub.bluesky.state.posts()) == 1 and not load_posts(hub.root).posted()
    monkeypatch.setattr(run_module, "write_posts", real_write)
    result = hub.publish()
    assert result.exit_code == 0, result.output
    assert len(hub.bluesky.state.posts()) == 1
    assert [e.post_id for e in load_posts(hub.root).posted()] == list(
        uri for uri in hub.bluesky.state.records if uri.startswith(f"at://{OUR_DID}/"))
    assert hub.bluesky.state.requests.count("com.atproto.repo.getRecord") == 1  # "already exists", read back
