"""A hub whose networks and site live on loopback servers, and its clock: the real one (the Mastodon mock
dates statuses by it), the plan made three hours before."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from PIL import Image

from cmhub.cli.verbs import main
from tests.publish.servers import BLUESKY_PASSWORD, MASTODON_TOKEN, BlueskyServer, MastodonServer, SiteServer

ENVIRONMENT = {"CMHUB_MASTODON_TOKEN": MASTODON_TOKEN, "CMHUB_BLUESKY_HANDLE": "asso.bsky.social",
               "CMHUB_BLUESKY_APP_PASSWORD": BLUESKY_PASSWORD}


def stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Hub:
    """A hub on disk, the servers it talks to, and the instants of its story."""

    root: Path
    mastodon: MastodonServer
    bluesky: BlueskyServer
    site: SiteServer
    now: dt.datetime
    """When publish runs (the real clock, to the minute)."""

    @property
    def planned(self) -> dt.datetime:
        return self.now - dt.timedelta(hours=3)

    def write(self, networks: str, extra: str = "") -> None:
        (self.root / "site.yml").write_text(f"""\
title: "Voix du quartier"
url: {self.site.url}
language: fr
timezone: Europe/Paris
authors:
  ines: {{name: Inès, social: {{bluesky: ines.bsky.social}}}}
networks:
{networks}
{extra}""", encoding="utf-8")

    def article(self, name: str, minutes: int, front: str = "", body: str = "Des nouvelles du quartier.") -> None:
        date = self.planned + dt.timedelta(minutes=minutes)
        (self.root / "content" / f"{name}.md").write_text(
            f'---\ntitle: "{name.replace("-", " ").capitalize()}"\ndate: {stamp(date)}\n{front}---\n{body}\n',
            encoding="utf-8")

    def cli(self, *args: str, env: dict[str, str] | None = None) -> Result:
        return CliRunner().invoke(main, [*args, "-C", str(self.root)], env=env)

    def build(self, at: dt.datetime) -> None:
        result = self.cli("build", "--now", stamp(at))
        assert result.exit_code == 0, result.output

    def publish(self, *args: str, at: dt.datetime | None = None, env: dict[str, str] | None = None) -> Result:
        return self.cli("publish", "--now", stamp(at or self.now), *args,
                        env=ENVIRONMENT if env is None else env)

    def prepare(self) -> None:
        """The story before the test: the plan made (and publishing turned on) three hours ago, the
        articles online now."""
        self.build(self.planned)
        first = self.publish(at=self.planned)
        assert first.exit_code == 0, first.output
        self.build(self.now)


def mastodon_networks(hub: Hub, extra: str = "") -> str:
    return (f'  mastodon: {{handle: "@asso@social.example", publish: true, api: "{hub.mastodon.url}"{extra}}}\n')


def bluesky_networks(hub: Hub, extra: str = "") -> str:
    return f'  bluesky: {{handle: asso.bsky.social, publish: true, api: "{hub.bluesky.url}"{extra}}}\n'


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[Hub]:
    root = tmp_path / "hub"
    (root / "content" / "images").mkdir(parents=True)
    (root / "site").mkdir()
    Image.new("RGB", (1600, 900), (200, 120, 40)).save(root / "content" / "images" / "marche.jpg", quality=90)
    mastodon = MastodonServer(tmp_path)
    bluesky = BlueskyServer()
    site = SiteServer(root / "site")
    now = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
    try:
        yield Hub(root, mastodon, bluesky, site, now)
    finally:
        mastodon.stop()
        bluesky.stop()
        site.stop()
