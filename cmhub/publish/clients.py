"""The client of each network cmhub posts to (networks whose ``postable`` is set in cmhub.networks.registry)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from cmhub.publish.bluesky import Bluesky
from cmhub.publish.http import Http
from cmhub.publish.mastodon import Mastodon
from cmhub.settings.social import NetworkConfig

Client = Mastodon | Bluesky

_CLIENTS: Mapping[str, Callable[[Http, NetworkConfig, Mapping[str, str], dt.datetime], Client]] = {
    "mastodon": lambda http, settings, environ, now: Mastodon(http, settings, environ),
    "bluesky": Bluesky,
}


def client_for(http: Http, settings: NetworkConfig, environ: Mapping[str, str], now: dt.datetime) -> Client:
    """Return the client of the network ``settings`` are for, speaking through ``http``."""
    return _CLIENTS[settings.name](http, settings, environ, now)
