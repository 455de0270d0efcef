"""New hubs: `cmhub init` (never overwriting a file); `cmhub new` is in cmhub.newarticle."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cmhub.config import load_config
from cmhub.dates import build_now
from cmhub.errors import CmhubError, error
from cmhub.writer import create_files

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

WORKFLOW = """\
# Builds the hub on every push and on a schedule, then publishes site/ on GitHub Pages.
# A scheduled article only appears when a build runs after its date: the cron below
# rebuilds every day at 06:17 UTC (off the busy top of the hour). `cmhub next` prints the
# next instant something falls due if you want a finer schedule.
#
# GitHub disables scheduled workflows in a repository with no activity for 60 days:
# push a commit (or re-enable the workflow in the Actions tab) at least every two months.
name: cmhub

on:
  push:
    branches: [main]
  schedule:
    - cron: "17 6 * * *"
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

concurrency:
  group: pages
  cancel-in-progress: false

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - run: pip install cmhub
      # The last run's build cache: articles already rendered and teaser pictures already made are
      # reused (a build of 1,000 articles takes ~1.4 s instead of ~3.5 s); a stale one only costs time.
      - uses: actions/cache@v4
        with:
          path: .cmhub-cache
          key: cmhub-${{ github.run_id }}
          restore-keys: cmhub-
      - name: Build (the permalink ledger must be committed once it exists)
        run: |
          if [ -f permalinks.lock ]; then cmhub build --locked; else cmhub build; fi
      - name: Keep the teasers and calendar for the team
        uses: actions/upload-artifact@v4
        with:
          name: social
          path: social/
      - uses: actions/upload-pages-artifact@v3
        with:
          path: site/
  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"""

GITIGNORE = """\
site/
social/
.cmhub-cache/
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
                                    timezone=timezone, today=today.isoformat()),
        "content/bienvenue.md" if language.startswith("fr") else "content/welcome.md": welcome.format(now=now),
        ".github/workflows/cmhub.yml": WORKFLOW,
        ".gitignore": GITIGNORE,
    }
    create_files(folder, files)
    load_config(folder)  # the new hub must be valid; a bug here would be ours
    return sorted(files)
