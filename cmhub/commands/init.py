"""New hubs: `cmhub init` (never overwriting a file); `cmhub new` is in cmhub.commands.new."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cmhub.commands.provenance import install_line
from cmhub.commands.workflow import workflow
from cmhub.core.dates import build_now
from cmhub.core.errors import CmhubError, error
from cmhub.output.writer import create_files
from cmhub.settings.builds import DEFAULT_CRON
from cmhub.settings.config import load_config

SITE_YML = """\
# site.yml: the settings of your hub. Unknown keys are errors (with a hint).
# Every setting is described in cmhub's README.

# Identity, shown in pages, <title>, meta tags and feeds.
title: "{title}"
description: "What this hub is about, in one sentence."
# The address where site/ will be published, ending with "/".
url: {url}

# Interface language and the zone in which dates without an offset are read.
language: {language}
timezone: {timezone}

# URLs and lists.
permalink: /{{slug}}/
paginate: 10

# People who write here: ids used in an article's `authors: [...]`.
authors:
  me:
    name: "Your Name"
    social:
      mastodon: "@you@example.social"

# Accounts that get ready-to-post teasers in social/ (cmhub posts nothing itself).
networks:
  mastodon: {{handle: "@hub@example.social", slots: [mon 09:00, wed 09:00, fri 09:00], spacing: 1d}}
  linkedin: {{handle: "Your page", slots: [tue 09:00, thu 09:00], cadence: 2}}

# When CI builds the hub (GitHub's cron syntax, in UTC); .github/workflows/cmhub.yml runs on the
# same cron. A scheduled article appears at the first build after its date; its teasers go out
# `margin` after that build at the earliest (GitHub may start scheduled runs a little late).
builds:
  cron: "{cron}"
  margin: 30m

# The publishing calendar. Articles published before `start` are not planned,
# so adopting cmhub on an old blog does not schedule its whole backlog.
# `pause: true` is the crisis switch: nothing is planned while it is on.
calendar:
  start: {today}
  pause: false
  blackout: []
"""

WELCOME_FR = """\
---
title: "Bienvenue sur notre hub"
date: {now}
summary: "Premier article : ce que vous trouverez ici et comment suivre nos publications."
tags: [bienvenue]
categories: [Actualités]
authors: [me]
---
Ce hub rassemble nos articles : ce qui doit durer vit ici, et nos réseaux sociaux
renvoient vers lui.

<!-- more -->

## Suivre nos publications

Abonnez-vous au [flux RSS](/feed.xml) ou repassez de temps en temps.
"""

WELCOME_EN = """\
---
title: "Welcome to our hub"
date: {now}
summary: "First article: what you will find here and how to follow what we publish."
tags: [welcome]
categories: [News]
authors: [me]
---
This hub gathers our articles: what must last lives here, and our social accounts
point to it.

<!-- more -->

## Follow what we publish

Subscribe to the [RSS feed](/feed.xml) or come back now and then.
"""

GITIGNORE = """\
site/
social/
preview/
.cmhub-cache/
.site.*
.social.*
.preview.*
"""


def one_clock(now: str | None = None, zone: ZoneInfo = ZoneInfo("UTC")) -> dt.datetime:
    """Return the instant of the one clock: --now, else SOURCE_DATE_EPOCH, else the clock.

    Raises CmhubError for an unreadable --now or SOURCE_DATE_EPOCH.
    """
    try:
        return build_now(now, zone)
    except ValueError as exc:
        raise CmhubError([error("--now", None, str(exc))]) from exc


def hub_today(now: str | None, timezone: str) -> dt.date:
    """Return the day it is in ``timezone`` by the one clock (see one_clock)."""
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")  # the new site.yml is checked, and the zone reported, once written
    return one_clock(now, zone).astimezone(zone).date()


def init_hub(folder: Path, *, title: str, url: str, language: str, timezone: str,
             today: dt.date) -> list[str]:
    """Create a working hub in ``folder``; return the files made.

    Raises CmhubError when ``folder`` already holds a hub or any of the files.
    """
    if (folder / "site.yml").exists():
        raise CmhubError([error("site.yml", None, f"already exists in {folder}: this folder is a hub already")])
    now = dt.datetime.combine(today, dt.time(9, 0)).isoformat()
    welcome = WELCOME_FR if language.startswith("fr") else WELCOME_EN
    files = {
        "site.yml": SITE_YML.format(title=title.replace('"', "'"), url=url, language=language,
                                    timezone=timezone, today=today.isoformat(), cron=DEFAULT_CRON),
        "content/bienvenue.md" if language.startswith("fr") else "content/welcome.md": welcome.format(now=now),
        ".github/workflows/cmhub.yml": workflow(DEFAULT_CRON, install_line()),
        ".gitignore": GITIGNORE,
    }
    create_files(folder, files)
    load_config(folder)  # the new hub must be valid; a bug here would be ours
    return sorted(files)
