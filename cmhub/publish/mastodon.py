"""Mastodon: post a teaser through the statuses API, and read back what people answered.

The picture goes first to ``/api/v2/media`` with its alt text as ``description``; the status follows
with the media's id and an ``Idempotency-Key``. The thread's parts and the first comment are replies
(``in_reply_to_id``), each under the one before. The token comes from CMHUB_MASTODON_TOKEN only.

Mastodon keeps an Idempotency-Key about an hour. A run that crashed after the status was accepted
and is retried later would post it again: so before posting, the account's recent statuses are read
(one request a run) and a status carrying the teaser's tracked link, made after its planned instant and
not yet in posts.lock, is taken as the teaser's post. Replies are found the same way in the context of
the post they answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote

from cmhub.publish.due import Job
from cmhub.publish.http import Failure, Http, multipart
from cmhub.publish.identity import idempotency_key
from cmhub.settings.social import NetworkConfig

TOKEN_VARIABLE = "CMHUB_MASTODON_TOKEN"
LOOKBACK = dt.timedelta(minutes=10)
"""How much earlier than a teaser's instant a status may be dated and still be its post (clock skew)."""


@dataclass(frozen=True)
class Sent:
    """A post the network holds: its id, public URL and when it was made."""

    id: str
    url: str
    created: dt.datetime
    cid: str = ""
    """Bluesky: the record's content id (replies point at it)."""


def api_base(network: NetworkConfig) -> str:
    """Return the API base: site.yml's ``api``, else the instance of the handle '@user@instance'."""
    if network.api:
        return network.api
    instance = network.handle.lstrip("@").partition("@")[2]
    return f"https://{instance}" if instance else ""


def created(value: Any) -> dt.datetime:
    """Return an API timestamp as an aware UTC datetime (the epoch when it is unreadable)."""
    try:
        moment = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC) if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href") or "")


def links_in(content: str) -> list[str]:
    """Return the href of every link of a status's HTML content."""
    parser = _Links()
    parser.feed(content)
    return parser.hrefs


class Mastodon:
    """One Mastodon account, through its instance's API."""

    network = "mastodon"

    def __init__(self, http: Http, settings: NetworkConfig, environ: Mapping[str, str]):
        self.http = http
        self.base = api_base(settings)
        self.handle = settings.handle
        self.token = environ.get(TOKEN_VARIABLE, "").strip()
        http.keep_secret(self.token)
        self.account: dict[str, Any] = {}
        self._recent: list[dict[str, Any]] | None = None

    def start(self) -> None:
        """Check the token and learn the account (one request). Raises Failure."""
        if not self.base:
            raise Failure("mastodon: no API base: set networks.mastodon.handle to '@user@instance' or "
                          "networks.mastodon.api")
        if not self.token:
            raise Failure(f"mastodon: {TOKEN_VARIABLE} is not set: create an access token (Preferences > "
                          "Development, scopes write:statuses write:media read:statuses) and give it to the "
                          "command in that environment variable")
        account = self.http.json("GET", f"{self.base}/api/v1/accounts/verify_credentials", token=self.token,
                                 what="mastodon: checking the token")
        if not isinstance(account, dict) or not account.get("id"):
            raise Failure("mastodon: checking the token: the answer holds no account")
        self.account = account

    def existing(self, job: Job, known: frozenset[str]) -> Sent | None:
        """Return the account's status that is this teaser's post, made by an earlier run, if any."""
        if self._recent is None:
            found = self.http.json("GET", f"{self.base}/api/v1/accounts/{quote(str(self.account['id']))}/statuses"
                                   "?limit=40&exclude_reblogs=true", token=self.token,
                                   what="mastodon: reading the account's recent statuses")
            self._recent = [s for s in found if isinstance(s, dict)] if isinstance(found, list) else []
        for status in self._recent:
            if (status.get("in_reply_to_id") is None and str(status.get("id")) not in known
                    and created(status.get("created_at")) >= job.due - LOOKBACK
                    and job.link in links_in(str(status.get("content") or ""))):
                return self._sent(status)
        return None

    def post(self, job: Job) -> Sent:
        """Post the teaser's first status, with its picture. Raises Failure."""
        media_ids = [self._upload(job)] if job.picture is not None else []
        return self._status(job, 0, job.text, None, media_ids)

    def existing_reply(self, parent: Sent) -> Sent | None:
        """Return this account's reply to ``parent``, if an earlier run made it."""
        context = self.http.json("GET", f"{self.base}/api/v1/statuses/{quote(parent.id)}/context", token=self.token,
                                 what="mastodon: reading the thread")
        for status in (context or {}).get("descendants", []) if isinstance(context, dict) else []:
            author = status.get("account") or {}
            if str(status.get("in_reply_to_id")) == parent.id and str(author.get("id")) == str(self.account["id"]):
                return self._sent(status)
        return None

    def reply(self, job: Job, part: int, text: str, parent: Sent, root: Sent) -> Sent:
        """Post one part of the thread (or the first comment) under ``parent``. Raises Failure."""
        return self._status(job, part, text, parent.id, [])

    def again(self, post_id: str, url: str) -> Sent:
        """Return a post known from posts.lock (its id is all a reply under it needs)."""
        return Sent(id=post_id, url=url, created=created(None))

    def _upload(self, job: Job) -> str:
        assert job.picture is not None
        body, kind = multipart({"description": job.alt},
                               {"file": (job.picture.name, "image/jpeg", job.picture.read_bytes())})
        answer = self.http.call("POST", f"{self.base}/api/v2/media", token=self.token, body=body, content_type=kind,
                                what="mastodon: uploading the picture")
        self.http.check(answer, "mastodon: uploading the picture", (200, 202))
        media = answer.json() or {}
        if not media.get("id"):
            raise Failure("mastodon: uploading the picture: the answer holds no media id")
        return str(media["id"])

    def _status(self, job: Job, part: int, text: str, reply_to: str | None, media_ids: list[str]) -> Sent:
        payload: dict[str, Any] = {"status": text, "visibility": "public"}
        if job.language:
            payload["language"] = job.language.split("-")[0].split("_")[0].lower()
        if reply_to:
            payload["in_reply_to_id"] = reply_to
        if media_ids:
            payload["media_ids"] = media_ids
        status = self.http.json("POST", f"{self.base}/api/v1/statuses", token=self.token, payload=payload,
                                headers={"Idempotency-Key": idempotency_key(job, part)},
                                what=f"mastodon: posting {'the teaser' if not part else f'reply {part}'}")
        if not isinstance(status, dict) or not status.get("id"):
            raise Failure("mastodon: posting: the answer holds no status id")
        return self._sent(status)

    def _sent(self, status: Mapping[str, Any]) -> Sent:
        return Sent(id=str(status["id"]), url=str(status.get("url") or status.get("uri") or ""),
                    created=created(status.get("created_at")))

