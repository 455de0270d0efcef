"""No credential reaches a file of the hub or the commands' output, whether the networks accept, refuse,
fail, or echo the token back in an error (#18)."""

from __future__ import annotations

import pytest

from tests.publish.conftest import ENVIRONMENT, Hub, bluesky_networks, mastodon_networks
from tests.publish.servers import MASTODON_TOKEN, SECRETS, walk_files

pytestmark = pytest.mark.slow


def test_no_token_anywhere_after_publishing_and_fetching_failing_and_succeeding(hub: Hub) -> None:
    hub.write(mastodon_networks(hub) + bluesky_networks(hub))
    for number, name in enumerate(["marche-de-noel", "collecte-de-jouets", "atelier-velo"]):
        hub.article(name, 5 + number, "syndicate:\n  mastodon: {thread: ['Suite.']}\n")
    hub.prepare()
    outputs = []
    echo = {"error": f"invalid token {MASTODON_TOKEN} (Bearer {MASTODON_TOKEN})"}
    hub.mastodon.fault("/api/v1/accounts/verify_credentials", 401, methods=("GET",))
    outputs.append(hub.publish(env={**ENVIRONMENT, "CMHUB_BLUESKY_APP_PASSWORD": SECRETS[1] + "-wrong"}))  # refused
    _fault_with_body(hub, "/api/v1/statuses", 422, echo)  # an error that holds the token
    hub.bluesky.state.faults.append(("com.atproto.repo.createRecord", 500, {}))
    outputs.append(hub.publish())
    outputs.append(hub.publish())  # everything left goes out
    hub.mastodon.fault("/api/v1/statuses/*", 500, methods=("GET",))
    outputs.append(hub.cli("interactions", env=ENVIRONMENT))
    outputs.append(hub.cli("interactions", env=ENVIRONMENT))
    hub.build(hub.now)
    outputs.append(hub.publish("--dry-run"))
    assert [r.exit_code for r in outputs] == [1, 1, 0, 1, 0, 0], [r.output for r in outputs]
    assert "[redacted]" in outputs[1].output
    text = "\n".join(r.output + (r.stderr if r.stderr_bytes is not None else "") for r in outputs)
    files = list(walk_files(hub.root))
    assert any(p.name == "posts.lock" for p in files) and any(p.name == "replies.jsonl" for p in files)
    for secret in SECRETS:
        assert secret not in text
        for path in files:
            assert secret.encode() not in path.read_bytes(), path


def _fault_with_body(hub: Hub, path: str, status: int, body: dict) -> None:
    import json
    import urllib.request

    rule = {"match": {"methods": ["POST"], "path": path}, "effect": {"type": "status", "status": status, "body": body},
            "count": 1}
    request = urllib.request.Request(hub.mastodon.url + "/api/v1/_mock/faults", data=json.dumps(rule).encode(),
                                     method="POST", headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=10).close()
