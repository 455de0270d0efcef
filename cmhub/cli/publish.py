"""`cmhub publish` and `cmhub interactions`: the click commands, and how their results are printed."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cmhub.cli.shared import now_option, project_option, run


@click.command(name="publish")
@project_option
@now_option
@click.option("--dry-run", is_flag=True, help="Show what would be posted; send no request, write nothing.")
@click.option("--catch-up", is_flag=True, help="On a network's first run, also post the teasers already due "
                                               "(within its lateness); by default the first run posts nothing old.")
def publish_command(project: Path, now: str | None, dry_run: bool, catch_up: bool) -> None:
    """Post the due teasers on the networks with 'publish: true' (Mastodon, Bluesky), exactly once.

    Credentials come from CMHUB_MASTODON_TOKEN, CMHUB_BLUESKY_HANDLE and CMHUB_BLUESKY_APP_PASSWORD.
    Exit code 1 when a teaser could not be posted (the next run tries again).

    Example: cmhub publish --dry-run
    """
    from cmhub.publish.run import publish_project

    outcome = run(lambda: publish_project(project, now=now, dry_run=dry_run, catch_up=catch_up))
    for line in outcome.lines:
        click.echo(line)
    if dry_run:
        click.echo("dry run: no request was sent, nothing was written")
    else:
        click.echo(f"{outcome.posted} posted, {outcome.failed} failed")
    if outcome.failed:
        sys.exit(1)


@click.command(name="interactions")
@project_option
@now_option
@click.option("--days", default=30, show_default=True, type=click.IntRange(1, 3660),
              help="Fetch the posts of this many past days.")
def interactions_command(project: Path, now: str | None, days: int) -> None:
    """Fetch replies, reposts and likes of the posts in posts.lock into interactions.jsonl and replies.jsonl.

    The next build shows the replies on the article pages (minus those listed in hidden-replies.txt).

    Example: cmhub interactions --days 60
    """
    from cmhub.publish.fetch import fetch_project

    outcome = run(lambda: fetch_project(project, now=now, days=days))
    for line in outcome.lines:
        click.echo(line)
    if outcome.failed:
        click.echo(f"{outcome.failed} fetch{'es' if outcome.failed != 1 else ''} failed; the files keep what "
                   "they had for those posts", err=True)
        sys.exit(1)
