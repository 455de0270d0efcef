"""The rules at posting time (#18): pause and blackouts send nothing, a page not online waits, one failure
leaves the others posted, a rate limit, lateness, the first run, --dry-run."""

from __future__ import annotations

import datetime as dt
import socket
from zoneinfo import ZoneInfo

import pytest

from cmhub.ledgers.posts_lock import load_posts
from cmhub.publish.http import Http
from cmhub.publish.run import publish_project
from tests.publish.conftest import ENVIRONMENT, Hub, bluesky_networks, mastodon_networks, stamp

pytestmark = pytest.mark.slow


def two_networks(hub: Hub, extra: str = "", articles: int = 3) -> None:
    hub.write(mastodon_networks(hub) + bluesky_networks(hub), extra)
    for number, name in enumerate(["marche-de-noel", "collecte-de-jouets", "atelier-velo"][:articles]):
        hub.article(name, 5 + number)


def roots(hub: Hub) -> list[dict]:
    return [s for s in hub.mastodon.statuses() if s["in_reply_to_id"] is None]


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Every connection the process opens from now on."""
    opened: list[tuple[str, int]] = []
    real = socket.create_connection

    def counting(address, *args, **kwargs):  # type: ignore[no-untyped-def]
        opened.append(address)
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", counting)
    return opened


@pytest.mark.parametrize("switch", ["calendar: {pause: true}", "calendar: {blackout: [TODAY]}"])
def test_pause_and_a_blackout_day_send_no_request_at_all(hub: Hub, connections: list, switch: str) -> None:
    two_networks(hub)
    hub.prepare()
    today = hub.now.astimezone(ZoneInfo("Europe/Paris")).date().isoformat()
    hub.write(mastodon_networks(hub) + bluesky_networks(hub), switch.replace("TODAY", today))
    before = (len(hub.site.requests), len(hub.bluesky.state.requests))
    connections.clear()
    result = hub.publish()
    assert result.exit_code == 0, result.output
    assert "nothing is posted" in result.output
    assert connections == [] and (len(hub.site.requests), len(hub.bluesky.state.requests)) == before
    assert roots(hub) == [] and not load_posts(hub.root).posted()


def test_a_teaser_whose_page_answers_404_waits_for_the_next_run(hub: Hub) -> None:
    two_networks(hub, articles=2)
    hub.prepare()
    hub.site.missing.add("/collecte-de-jouets/")
    result = hub.publish()
    assert result.exit_code == 0, result.output
    assert "collecte-de-jouets/ answers 404; it waits for the next run" in result.output
    assert [e.source for e in load_posts(hub.root).posted()] == ["content/marche-de-noel.md"] * 2
    hub.site.missing.clear()
    assert hub.publish().exit_code == 0
    assert len(load_posts(hub.root).posted()) == 4 and len(roots(hub)) == 2


def test_a_500_on_one_teaser_leaves_the_others_posted_exit_1_and_the_next_run_retries(hub: Hub) -> None:
    two_networks(hub)
    hub.prepare()
    hub.mastodon.fault("/api/v1/statuses", 500)
    result = hub.publish()
    assert result.exit_code == 1
    assert "failed  mastodon content/" in result.output and "HTTP 500" in result.output
    assert len(roots(hub)) == 2 and len(hub.bluesky.state.posts()) == 3
    again = hub.publish()
    assert again.exit_code == 0, again.output
    assert len(roots(hub)) == 3 and len(load_posts(hub.root).posted()) == 6


def test_a_429_with_a_long_retry_after_stops_that_network_for_this_run(hub: Hub) -> None:
    two_networks(hub)
    hub.prepare()
    hub.bluesky.state.faults.append(("com.atproto.repo.createRecord", 429, {"Retry-After": "300"}))
    result = hub.publish()
    assert result.exit_code == 1
    assert "HTTP 429" in result.output and "retry after 300 s" in result.output
    assert result.output.count("failed  bluesky") == 3 and len(roots(hub)) == 3
    assert hub.publish().exit_code == 0
    assert len(hub.bluesky.state.posts()) == 3


def test_a_429_with_a_short_retry_after_is_waited_for_once(hub: Hub) -> None:
    two_networks(hub, articles=1)
    hub.prepare()
    hub.mastodon.fault("/api/v1/statuses", 429, headers={"Retry-After": "2"})
    waited: list[float] = []
    outcome = publish_project(hub.root, now=stamp(hub.now), environ=ENVIRONMENT, http=Http(sleep=waited.append))
    assert (outcome.failed, outcome.posted, waited) == (0, 2, [2.0])
    assert len(roots(hub)) == 1


def test_a_teaser_later_than_the_lateness_is_recorded_missed_not_posted(hub: Hub) -> None:
    two_networks(hub, articles=1)
    hub.prepare()
    late = hub.now + dt.timedelta(hours=7)
    result = hub.publish(at=late)
    assert result.exit_code == 0, result.output
    assert result.output.count("missed  ") == 2 and roots(hub) == []
    missed = [e for e in load_posts(hub.root).entries if e.state == "missed"]
    assert [(e.network, e.noticed) for e in missed] == [("bluesky", late), ("mastodon", late)]
    hub.build(late)
    calendar = (hub.root / "social" / "calendar.json").read_text(encoding="utf-8")
    assert '"outcome": "missed"' in calendar


def test_a_shorter_lateness_from_site_yml(hub: Hub) -> None:
    hub.write(mastodon_networks(hub, ", lateness: 1h"))
    hub.article("marche-de-noel", 5)
    hub.prepare()
    assert "missed  mastodon content/marche-de-noel.md" in hub.publish().output


def test_the_first_run_on_a_hub_with_a_past_posts_nothing_old_unless_asked(hub: Hub) -> None:
    two_networks(hub, articles=1)
    hub.build(hub.planned)
    hub.build(hub.now)
    first = hub.publish("--dry-run")
    assert "nothing is due" in first.output and not (hub.root / "posts.lock").exists()
    assert hub.publish("--catch-up").exit_code == 0
    assert len(roots(hub)) == 1 and len(hub.bluesky.state.posts()) == 1


def test_the_first_run_without_catch_up_records_when_posting_started(hub: Hub) -> None:
    two_networks(hub, articles=1)
    hub.build(hub.planned)
    hub.build(hub.now)
    result = hub.publish()
    assert result.exit_code == 0 and "nothing is due" in result.output
    assert roots(hub) == [] and set(load_posts(hub.root).since) == {"mastodon", "bluesky"}
    assert hub.publish("--catch-up").output.count("posted") == 1  # since is kept: --catch-up is for a first run


def test_dry_run_shows_what_would_go_out_and_sends_nothing(hub: Hub, connections: list) -> None:
    two_networks(hub, articles=1)
    hub.prepare()
    before = (hub.root / "posts.lock").read_bytes()
    connections.clear()
    result = hub.publish("--dry-run")
    assert result.exit_code == 0, result.output
    assert "due     mastodon content/marche-de-noel.md (launch)" in result.output
    assert "no request was sent" in result.output
    assert connections == [] and (hub.root / "posts.lock").read_bytes() == before


def test_a_refused_token_fails_every_teaser_of_that_network_and_says_which_variable(hub: Hub) -> None:
    two_networks(hub, articles=2)
    hub.prepare()
    result = hub.publish(env={**ENVIRONMENT, "CMHUB_MASTODON_TOKEN": "expired-token-0000"})
    assert result.exit_code == 1
    assert result.output.count("failed  mastodon") == 2 and "HTTP 401" in result.output
    assert len(hub.bluesky.state.posts()) == 2
    missing = hub.publish(env={k: v for k, v in ENVIRONMENT.items() if k != "CMHUB_MASTODON_TOKEN"})
    assert missing.exit_code == 1 and "CMHUB_MASTODON_TOKEN is not set" in missing.output
