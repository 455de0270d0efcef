"""cmhub publish against mastodon-mock: posts once, with alt text and threads, and never twice (#18)."""

from __future__ import annotations

import pytest

from cmhub.ledgers.posts_lock import load_posts
from cmhub.publish.run import publish_project
from tests.publish.conftest import ENVIRONMENT, Hub, mastodon_networks, stamp

THREAD = """syndicate:
  mastodon:
    text: "Le marché de Noël ouvre samedi {url}"
    thread: ["Deuxième partie : les exposants.", "Troisième partie : les horaires."]
    first_comment: "Les inscriptions sont ouvertes."
image: images/marche.jpg
image_alt: "Des étals sous des guirlandes lumineuses"
"""


def three_teasers(hub: Hub) -> None:
    hub.write(mastodon_networks(hub))
    hub.article("marche-de-noel", 5, THREAD)
    hub.article("collecte-de-jouets", 6)
    hub.article("atelier-velo", 7)
    hub.prepare()


@pytest.mark.slow
def test_three_due_teasers_give_three_posts_with_alt_text_and_threads_and_a_second_run_none(hub: Hub) -> None:
    three_teasers(hub)
    result = hub.publish()
    assert result.exit_code == 0, result.output
    statuses = hub.mastodon.statuses()
    roots = [s for s in statuses if s["in_reply_to_id"] is None]
    assert len(roots) == 3
    marche = next(s for s in roots if "march" in s["content"])
    assert [m["description"] for m in marche["media_attachments"]] == ["Des étals sous des guirlandes lumineuses"]
    assert all(len(s["media_attachments"]) == 1 and s["media_attachments"][0]["description"] for s in roots)
    replies = [s for s in statuses if s["in_reply_to_id"] is not None]
    chain = [marche["id"], *(s["id"] for s in replies)]
    assert [s["in_reply_to_id"] for s in replies] == chain[:-1]  # each part answers the one before
    assert ["Deuxième" in replies[0]["content"], "Troisième" in replies[1]["content"],
            "inscriptions" in replies[2]["content"]] == [True, True, True]
    ledger = load_posts(hub.root)
    assert sorted(e.post_id for e in ledger.posted()) == sorted(s["id"] for s in roots)
    assert {e.url for e in ledger.posted()} == {s["url"] for s in roots}
    assert next(e for e in ledger.posted() if e.post_id == marche["id"]).replies == tuple(s["id"] for s in replies)

    again = hub.publish()
    assert again.exit_code == 0, again.output
    assert len(hub.mastodon.statuses()) == len(statuses)
    assert "0 posted, 0 failed" in again.output


class Killed(BaseException):
    """What a kill between the network's answer and the ledger write looks like to the run."""


@pytest.mark.slow
@pytest.mark.parametrize("window_passed", [False, True], ids=["within the idempotency window", "after it"])
def test_a_crash_after_the_network_accepted_a_post_gives_no_duplicate(hub: Hub, monkeypatch: pytest.MonkeyPatch,
                                                                      window_passed: bool) -> None:
    three_teasers(hub)
    import cmhub.publish.run as run_module

    real_write = run_module.write_posts

    def crash(root, ledger):  # type: ignore[no-untyped-def]
        raise Killed

    monkeypatch.setattr(run_module, "write_posts", crash)
    with pytest.raises(Killed):
        publish_project(hub.root, now=stamp(hub.now), environ=ENVIRONMENT)
    assert len(hub.mastodon.statuses()) == 1  # the network holds the first post; posts.lock does not
    assert not load_posts(hub.root).posted()
    if window_passed:
        hub.mastodon.forget_idempotency_keys()
    monkeypatch.setattr(run_module, "write_posts", real_write)
    result = hub.publish()
    assert result.exit_code == 0, result.output
    statuses = hub.mastodon.statuses()
    assert len([s for s in statuses if s["in_reply_to_id"] is None]) == 3
    assert len(statuses) == 3 + 3  # three teasers, one thread of two parts and a first comment
    assert len(load_posts(hub.root).posted()) == 3
