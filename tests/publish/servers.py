"""Loopback servers for the publish tests: mastodon-mock (a stateful Mastodon API), a Bluesky XRPC endpoint
written here, and a static server for the built site. Each counts the requests it answers."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import sqlite3
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

MASTODON_TOKEN = "mstdn-FAKE-SECRET-7c41d2e9a0"
BLUESKY_PASSWORD = "bsky-FAKE-APPPASS-51ab-9c0e"
BLUESKY_JWT = "bsky-FAKE-ACCESSJWT-2f8e61d0"
BLUESKY_REFRESH = "bsky-FAKE-REFRESHJWT-c77a9b13"
SECRETS = (MASTODON_TOKEN, BLUESKY_PASSWORD, BLUESKY_JWT, BLUESKY_REFRESH)
OUR_DID = "did:plc:asso0000000000000000000"
TID = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")


def start(server: ThreadingHTTPServer) -> str:
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


class MastodonServer:
    """mastodon-mock on a free port, its state in a SQLite file (so tests can age its idempotency keys)."""

    def __init__(self, folder: Path):
        from mastodon_mock.config import DatabaseConfig, MastodonMockConfig, SeedAccount, SeedConfig
        from mastodon_mock.testing.server import MockServer

        self.database = folder / "mastodon.sqlite"
        config = MastodonMockConfig(
            database=DatabaseConfig(path=str(self.database)), media_storage_path=str(folder / "media"),
            seed=SeedConfig(accounts=[SeedAccount(username="asso", display_name="Asso", access_token=MASTODON_TOKEN),
                                      SeedAccount(username="ana", display_name="Ana Lys", access_token="ana-token"),
                                      SeedAccount(username="troll", display_name="Troll", access_token="troll-token")]))
        self.server = MockServer(config=config).start()
        self.url = self.server.base_url

    def stop(self) -> None:
        self.server.stop()

    def call(self, method: str, path: str, token: str = MASTODON_TOKEN, payload: Any = None) -> Any:
        request = urllib.request.Request(self.url + path, method=method,
                                         data=None if payload is None else json.dumps(payload).encode())
        request.add_header("Authorization", f"Bearer {token}")
        if payload is not None:
            request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read() or b"null")

    def statuses(self) -> list[dict[str, Any]]:
        """Every status of the posting account, oldest first."""
        me = self.call("GET", "/api/v1/accounts/verify_credentials")
        return sorted(self.call("GET", f"/api/v1/accounts/{me['id']}/statuses?limit=40"), key=lambda s: int(s["id"]))

    def fault(self, path: str, status: int, count: int = 1, headers: dict[str, str] | None = None,
              methods: tuple[str, ...] = ("POST",)) -> None:
        """Make the next ``count`` requests to ``path`` answer ``status``."""
        rule = {"match": {"methods": list(methods), "path": path},
                "effect": {"type": "status", "status": status, "headers": headers or {}}, "count": count}
        request = urllib.request.Request(self.url + "/api/v1/_mock/faults", data=json.dumps(rule).encode(),
                                         method="POST", headers={"Content-Type": "application/json"})
        urllib.request.urlopen(request, timeout=10).close()

    def forget_idempotency_keys(self) -> None:
        """What Mastodon does an hour after a post: forget its Idempotency-Key."""
        with sqlite3.connect(self.database) as db:
            db.execute("DELETE FROM idempotency")


def cid(data: bytes) -> str:
    """A CIDv1 (raw, sha-256) in base32, as a PDS names blobs and records."""
    raw = b"\x01\x55\x12\x20" + hashlib.sha256(data).digest()
    return "b" + base64.b32encode(raw).decode().lower().rstrip("=")


@dataclass
class BlueskyState:
    """What the Bluesky endpoint holds: records by at:// URI, blobs, counts, handles; faults to inject."""

    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    blobs: dict[str, bytes] = field(default_factory=dict)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    handles: dict[str, str] = field(default_factory=lambda: {"ines.bsky.social": "did:plc:ines000000000000000000"})
    authors: dict[str, str] = field(default_factory=lambda: {OUR_DID: "asso.bsky.social"})
    faults: list[tuple[str, int, dict[str, str]]] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def posts(self, did: str = OUR_DID) -> list[dict[str, Any]]:
        return [r for uri, r in sorted(self.records.items()) if uri.startswith(f"at://{did}/")]

    def add_reply(self, did: str, handle: str, rkey: str, text: str, parent: str, facets: Any = None,
                  created: str = "2026-12-04T18:00:00.000Z") -> str:
        """A reply by someone else to the post at ``parent``."""
        uri = f"at://{did}/app.bsky.feed.post/{rkey}"
        parent_record = self.records[parent]
        root = (parent_record.get("reply") or {}).get("root") or {"uri": parent, "cid": cid(parent.encode())}
        self.authors[did] = handle
        self.records[uri] = {"$type": "app.bsky.feed.post", "text": text, "createdAt": created,
                             "reply": {"root": root, "parent": {"uri": parent, "cid": cid(parent.encode())}},
                             **({"facets": facets} if facets else {})}
        return uri


class _Bluesky(BaseHTTPRequestHandler):
    state: BlueskyState

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        self._route("GET")

    def do_POST(self) -> None:
        self._route("POST")

    def _answer(self, status: int, data: Any, headers: dict[str, str] | None = None) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _route(self, method: str) -> None:
        parts = urlsplit(self.path)
        name = parts.path.removeprefix("/xrpc/")
        self.state.requests.append(name)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        for index, (path, status, headers) in enumerate(self.state.faults):
            if path == name:
                del self.state.faults[index]
                return self._answer(status, {"error": "InternalServerError", "message": "injected"}, headers)
        if name == "com.atproto.server.createSession":
            data = json.loads(body)
            if data.get("password") != BLUESKY_PASSWORD:
                return self._answer(401, {"error": "AuthenticationRequired",
                                          "message": "Invalid identifier or password"})
            return self._answer(200, {"accessJwt": BLUESKY_JWT, "refreshJwt": BLUESKY_REFRESH, "did": OUR_DID,
                                      "handle": "asso.bsky.social"})
        if self.headers.get("Authorization") != f"Bearer {BLUESKY_JWT}":
            return self._answer(401, {"error": "AuthenticationRequired", "message": "Authentication Required"})
        handler = getattr(self, "_" + name.replace(".", "_"), None)
        if handler is None:
            return self._answer(501, {"error": "MethodNotImplemented"})
        return handler(query, body)

    def _com_atproto_repo_uploadBlob(self, query: dict[str, str], body: bytes) -> None:
        ref = cid(body)
        self.state.blobs[ref] = body
        self._answer(200, {"blob": {"$type": "blob", "ref": {"$link": ref}, "mimeType": self.headers["Content-Type"],
                                    "size": len(body)}})

    def _com_atproto_repo_createRecord(self, query: dict[str, str], body: bytes) -> None:
        data = json.loads(body)
        rkey = data["rkey"]
        assert TID.match(rkey), rkey
        uri = f"at://{data['repo']}/{data['collection']}/{rkey}"
        if uri in self.state.records:
            return self._answer(400, {"error": "InvalidRequest", "message": f"Record already exists: {uri}"})
        self.state.records[uri] = data["record"]
        self._answer(200, {"uri": uri, "cid": cid(uri.encode())})

    def _com_atproto_repo_getRecord(self, query: dict[str, str], body: bytes) -> None:
        uri = f"at://{query['repo']}/{query['collection']}/{query['rkey']}"
        if uri not in self.state.records:
            return self._answer(400, {"error": "RecordNotFound", "message": "Could not locate record"})
        self._answer(200, {"uri": uri, "cid": cid(uri.encode()), "value": self.state.records[uri]})

    def _com_atproto_identity_resolveHandle(self, query: dict[str, str], body: bytes) -> None:
        did = self.state.handles.get(query["handle"])
        if did is None:
            return self._answer(400, {"error": "InvalidRequest", "message": "Unable to resolve handle"})
        self._answer(200, {"did": did})

    def _app_bsky_actor_getProfile(self, query: dict[str, str], body: bytes) -> None:
        self._answer(200, {"did": query["actor"], "handle": "asso.bsky.social", "followersCount": 57})

    def _app_bsky_feed_getPostThread(self, query: dict[str, str], body: bytes) -> None:
        self._answer(200, {"thread": self._view(query["uri"])})

    def _view(self, uri: str) -> dict[str, Any]:
        did = uri.removeprefix("at://").split("/")[0]
        counts = self.state.counts.get(uri, {})
        children = [u for u, r in sorted(self.state.records.items())
                    if ((r.get("reply") or {}).get("parent") or {}).get("uri") == uri]
        post = {"uri": uri, "cid": cid(uri.encode()), "record": self.state.records[uri],
                "author": {"did": did, "handle": self.state.authors.get(did, "someone.bsky.social"),
                           "displayName": self.state.authors.get(did, "").split(".")[0].title(),
                           "avatar": "https://cdn.bsky.app/img/avatar/plain/x.jpg"},
                "indexedAt": "2026-12-04T18:00:00.000Z", "replyCount": len(children),
                "repostCount": counts.get("reposts", 0), "likeCount": counts.get("likes", 0)}
        return {"$type": "app.bsky.feed.defs#threadViewPost", "post": post,
                "replies": [self._view(child) for child in children]}


class BlueskyServer:
    """A Bluesky PDS's XRPC methods that cmhub calls, on a free loopback port."""

    def __init__(self) -> None:
        self.state = BlueskyState()
        handler = type("Handler", (_Bluesky,), {"state": self.state})
        self.http = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = start(self.http)

    def stop(self) -> None:
        self.http.shutdown()
        self.http.server_close()


class SiteServer:
    """Serves a hub's site/ folder (what Pages would serve), counting requests; a path may be made to 404."""

    def __init__(self, folder: Path):
        self.requests: list[str] = []
        self.missing: set[str] = set()
        outer = self

        class Handler(SimpleHTTPRequestHandler):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, directory=str(folder), **kwargs)

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def send_head(self):  # type: ignore[no-untyped-def]
                outer.requests.append(self.path)
                if urlsplit(self.path).path in outer.missing:
                    self.send_error(404)
                    return None
                return super().send_head()

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = start(self.http) + "/"

    def stop(self) -> None:
        self.http.shutdown()
        self.http.server_close()


def walk_files(*folders: Path) -> Iterator[Path]:
    """Every file under the folders."""
    for folder in folders:
        yield from (p for p in folder.rglob("*") if p.is_file())
