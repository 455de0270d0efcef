"""Bluesky: post a teaser as an ``app.bsky.feed.post`` record on the account's PDS.

The session comes from ``com.atproto.server.createSession`` with the handle (CMHUB_BLUESKY_HANDLE, else
site.yml's) and an app password (CMHUB_BLUESKY_APP_PASSWORD). The record's text and facets are the
teaser's ``api`` form of teasers.json (short link text, link and hashtag facets at UTF-8 byte
offsets); the authors' handles are resolved to DIDs now (``com.atproto.identity.resolveHandle``) and
become mention facets, or stay plain text when they do not resolve.

**Card, not picture.** A post shows one embed. With a link (every cmhub teaser has one) it is the
link card, ``app.bsky.embed.external``, whose thumbnail is the teaser's picture: the card is what
people tap to reach the article, and a post with images shows no card. The picture with its alt text
(``app.bsky.embed.images``) goes out only for a teaser without a link.

**Exactly once.** Every record is created with a record key derived from the teaser key and its
planning (``cmhub.publish.identity.record_key``): a retry of a post the PDS already holds fails, the
record is then read back (``com.atproto.repo.getRecord``) and taken as the post.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from cmhub.core.dates import utc_iso
from cmhub.networks.bluesky import bluesky_post
from cmhub.publish.due import Job
from cmhub.publish.http import Failure, Http
from cmhub.publish.identity import record_key
from cmhub.publish.mastodon import Sent, created
from cmhub.settings.social import NetworkConfig

HANDLE_VARIABLE = "CMHUB_BLUESKY_HANDLE"
PASSWORD_VARIABLE = "CMHUB_BLUESKY_APP_PASSWORD"
DEFAULT_PDS = "https://bsky.social"
POST = "app.bsky.feed.post"
THUMB_LIMIT = 1_000_000
"""The largest thumbnail blob app.bsky.embed.external accepts (bytes)."""


def post_url(handle: str, uri: str) -> str:
    """Return the public URL of a post from its at:// URI."""
    return f"https://bsky.app/profile/{handle.lstrip('@')}/post/{uri.rsplit('/', 1)[-1]}"


class Bluesky:
    """One Bluesky account, through its PDS's XRPC API."""

    network = "bluesky"

    def __init__(self, http: Http, settings: NetworkConfig, environ: Mapping[str, str], now: dt.datetime):
        self.http = http
        self.base = settings.api or DEFAULT_PDS
        self.handle = environ.get(HANDLE_VARIABLE, "").strip() or settings.handle.lstrip("@")
        self.password = environ.get(PASSWORD_VARIABLE, "").strip()
        http.keep_secret(self.password)
        self.now = now
        self.session: dict[str, Any] = {}

    @property
    def token(self) -> str:
        """The session's access token."""
        return str(self.session.get("accessJwt", ""))

    @property
    def did(self) -> str:
        """The account's DID."""
        return str(self.session.get("did", ""))

    def xrpc(self, method: str, name: str, payload: Any = None, what: str = "", query: str = "") -> Any:
        """Call one XRPC method; raise Failure unless it answers 200."""
        url = f"{self.base}/xrpc/{name}" + (f"?{query}" if query else "")
        return self.http.json(method, url, token=self.token, payload=payload, what=f"bluesky: {what or name}")

    def start(self) -> None:
        """Open a session with the app password (one request). Raises Failure."""
        if not self.password:
            raise Failure(f"bluesky: {PASSWORD_VARIABLE} is not set: create an app password (Settings > Privacy "
                          "and security > App passwords) and give it to the command in that environment variable")
        session = self.xrpc("POST", "com.atproto.server.createSession",
                            {"identifier": self.handle, "password": self.password}, "opening a session")
        if not isinstance(session, dict) or not session.get("accessJwt") or not session.get("did"):
            raise Failure("bluesky: opening a session: the answer holds no session")
        self.http.keep_secret(str(session["accessJwt"]), str(session.get("refreshJwt", "")))
        self.session = session
        self.handle = str(session.get("handle") or self.handle)

    def existing(self, job: Job, known: frozenset[str]) -> Sent | None:
        """Return nothing: a record key makes a second creation fail, which ``post`` recognises."""
        return None

    def existing_reply(self, parent: Sent) -> Sent | None:
        """Return nothing (see ``existing``)."""
        return None

    def post(self, job: Job) -> Sent:
        """Post the teaser: its text, facets and link card (or picture). Raises Failure."""
        api = job.api or bluesky_post(job.text, job.link, ())
        record: dict[str, Any] = {"$type": POST, "text": api["text"], "createdAt": self._stamp()}
        facets = [*api["facets"], *self._mentions(api.get("mentions") or [])]  # type: ignore[misc]
        if facets:
            record["facets"] = sorted(facets, key=lambda f: f["index"]["byteStart"])
        embed = self._embed(job)
        if embed:
            record["embed"] = embed
        if job.language:
            record["langs"] = [job.language]
        return self._create(record, record_key(job, 0))

    def reply(self, job: Job, part: int, text: str, parent: Sent, root: Sent) -> Sent:
        """Post one part of the thread (or the first comment) under ``parent``. Raises Failure."""
        api = bluesky_post(text, job.link, ())
        record: dict[str, Any] = {"$type": POST, "text": api["text"], "createdAt": self._stamp(),
                                  "reply": {"root": {"uri": root.id, "cid": root.cid},
                                            "parent": {"uri": parent.id, "cid": parent.cid}}}
        if api["facets"]:
            record["facets"] = api["facets"]
        if job.language:
            record["langs"] = [job.language]
        return self._create(record, record_key(job, part))

    def again(self, uri: str, url: str) -> Sent:
        """Return a post known from posts.lock, read back for its content id (a reply must name it)."""
        repo, _, rkey = uri.removeprefix("at://").partition(f"/{POST}/")
        query = f"repo={quote(repo)}&collection={POST}&rkey={quote(rkey)}"
        found = self.xrpc("GET", "com.atproto.repo.getRecord", what="reading back a post", query=query)
        if not isinstance(found, dict) or not found.get("cid"):
            raise Failure("bluesky: reading back a post: the answer holds no record")
        return Sent(id=uri, url=url or post_url(self.handle, uri), cid=str(found["cid"]), created=created(None))

    def _create(self, record: dict[str, Any], rkey: str) -> Sent:
        payload = {"repo": self.did, "collection": POST, "rkey": rkey, "record": record}
        try:
            made = self.xrpc("POST", "com.atproto.repo.createRecord", payload, "posting")
        except Failure as failure:
            if failure.status is None or failure.status >= 500 or failure.refused or failure.rate_limited:
                raise
            made = self._already(rkey)  # the record key is taken: a run that crashed made it
            if made is None:
                raise
        if not isinstance(made, dict) or not made.get("uri"):
            raise Failure("bluesky: posting: the answer holds no record")
        return Sent(id=str(made["uri"]), url=post_url(self.handle, str(made["uri"])), cid=str(made.get("cid", "")),
                    created=created(record["createdAt"]) if "value" not in made
                    else created(made["value"].get("createdAt")))

    def _already(self, rkey: str) -> dict[str, Any] | None:
        query = f"repo={quote(self.did)}&collection={POST}&rkey={rkey}"
        try:
            found = self.xrpc("GET", "com.atproto.repo.getRecord", what="reading back a post", query=query)
        except Failure:
            return None
        return found if isinstance(found, dict) and found.get("uri") else None

    def _mentions(self, mentions: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
        facets = []
        for mention in mentions:
            try:
                found = self.xrpc("GET", "com.atproto.identity.resolveHandle", what="resolving a mention",
                                  query=f"handle={quote(str(mention['handle']))}")
            except Failure:
                continue  # an unknown handle stays text
            if isinstance(found, dict) and str(found.get("did", "")).startswith("did:"):
                facets.append({"index": {"byteStart": mention["byteStart"], "byteEnd": mention["byteEnd"]},
                               "features": [{"$type": "app.bsky.richtext.facet#mention", "did": found["did"]}]})
        return facets

    def _embed(self, job: Job) -> dict[str, Any] | None:
        picture = job.picture.read_bytes() if job.picture is not None else b""
        if job.link:
            external: dict[str, Any] = {"uri": job.link, "title": job.title, "description": job.summary}
            if picture:
                external["thumb"] = self._blob(small_enough(picture), "uploading the card's thumbnail")
            return {"$type": "app.bsky.embed.external", "external": external}
        if picture:
            return {"$type": "app.bsky.embed.images",
                    "images": [{"image": self._blob(small_enough(picture), "uploading the picture"), "alt": job.alt}]}
        return None

    def _blob(self, data: bytes, what: str) -> Any:
        answer = self.http.call("POST", f"{self.base}/xrpc/com.atproto.repo.uploadBlob", token=self.token, body=data,
                                content_type="image/jpeg", what=f"bluesky: {what}")
        self.http.check(answer, f"bluesky: {what}")
        blob = (answer.json() or {}).get("blob")
        if not isinstance(blob, dict):
            raise Failure(f"bluesky: {what}: the answer holds no blob")
        return blob

    def _stamp(self) -> str:
        return utc_iso(self.now).replace("Z", ".000Z")


def small_enough(data: bytes, limit: int = THUMB_LIMIT) -> bytes:
    """Return a JPEG at most ``limit`` bytes: the same picture, re-encoded at lower quality if it must be."""
    if len(data) <= limit:
        return data
    from PIL import Image

    with Image.open(io.BytesIO(data)) as picture:
        rgb = picture.convert("RGB")
    for quality in (85, 75, 65, 50, 35):
        out = io.BytesIO()
        rgb.save(out, "JPEG", quality=quality, optimize=True)
        if out.tell() <= limit:
            return out.getvalue()
    rgb.thumbnail((800, 800))
    out = io.BytesIO()
    rgb.save(out, "JPEG", quality=60)
    return out.getvalue()
