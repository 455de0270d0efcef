"""The command line: parse options, call one core function, report, choose the exit code."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from cmhub import __version__
from cmhub.cli.shared import now_option, problems_json, progress_printer, project_option, report, run
from cmhub.core.collector import slow_collector
from cmhub.core.errors import Problem
from cmhub.settings.request import BuildRequest, Preview


def entry() -> None:
    """The ``cmhub`` command (and ``python -m cmhub``): run it, then end the process at once.

    Once a command has finished, everything it had to write is written and closed; what is left
    is the interpreter taking down every object the build made, one by one (~0.1 s after a build
    of 1,000 articles, ~5 % of it). The output streams are flushed and the process ends with the
    command's exit code, without that. A bug (any exception but SystemExit) still ends the
    ordinary way, with its traceback.
    """
    try:
        main()
    except SystemExit as exc:
        code = exc.code
    else:  # pragma: no cover - click always ends with SystemExit in standalone mode
        code = 0
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code or 0)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cmhub")
def main() -> None:
    """A static blog and content hub for community managers."""
    slow_collector()  # done by entry() already, unless click's group is called on its own


@main.command()
@project_option
@now_option
@click.option("--drafts", is_flag=True, help="Preview: show drafts, with a banner.")
@click.option("--future", is_flag=True, help="Preview: show scheduled articles, with a banner.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--locked", is_flag=True, help="Fail if permalinks.lock would change (for CI).")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: site.yml 'output', else site/).")
@click.option("--no-cache", is_flag=True, help="Build cold, ignoring .cmhub-cache/ (same output).")
@click.option("--engine", type=click.Choice(["builtin", "material"]),
              help="What renders the pages (default: site.yml 'engine', else builtin).")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
def build(project: Path, now: str | None, drafts: bool, future: bool, strict: bool, locked: bool,
          output: Path | None, no_cache: bool, engine: str | None, quiet: bool) -> None:
    """Build the hub into site/.

    It works in as many processes as it may use cores; CMHUB_JOBS=N caps them at N (1: one process, the
    least memory, e.g. on a small CI runner).

    Example: cmhub build --now 2026-11-21T12:00:00Z
    """
    request = BuildRequest(now=now, preview=Preview(drafts, future), strict=strict, locked=locked, output=output,
                           engine=engine, use_cache=not no_cache)
    checked = None
    if request.use_cache:  # answer "nothing changed" without loading the renderers
        from cmhub.cli.quick import taken
        from cmhub.incremental.freshness import quick_check

        checked = taken(project, request) or quick_check(project, request)  # made before click was loaded
        stamp = checked.stamp
        if stamp is not None:
            report(Problem(*w) for w in stamp.warnings)
            if not quiet:
                click.echo(stamp.summary)  # saved with its "nothing changed", in the hub's language
            return
    from cmhub.commands.build import build_project

    built = run(lambda: build_project(project, request, progress_printer(quiet), checked))
    report(built.warnings)
    if not quiet:
        click.echo(built.summary)


@main.command()
@project_option
@now_option
@click.argument("url")
@click.option("--redirect-to", default="", metavar="URL", help="Send visitors to this page of the hub instead.")
def retire(project: Path, now: str | None, url: str, redirect_to: str) -> None:
    """Take a published URL down on purpose: it serves a 'gone' page, or redirects.

    URL may be the path (/ancien-article/), the path under the hub's folder (/blog/ancien-article/)
    or the full address (https://asso.example.org/blog/ancien-article/).

    Example: cmhub retire /ancien-article/ --redirect-to /nouvel-article/
    """
    from cmhub.commands.init import one_clock
    from cmhub.commands.retire import retire_in_project

    click.echo(run(lambda: retire_in_project(project, url, redirect_to, one_clock(now))))


@main.command()
@project_option
@now_option
def syndicate(project: Path, now: str | None) -> None:
    """Write the teasers for every network into social/, without rendering the site.

    Example: cmhub syndicate --now 2026-11-21T12:00:00Z
    """
    from cmhub.commands.syndicate import syndicate_project

    site, social = run(lambda: syndicate_project(project, BuildRequest(now=now)))
    from cmhub.social.words import team_strings

    click.echo(team_strings(site.config.language)["teasers_written"].format(
        teasers=len(social.teasers), articles=len({t.source for t in social.teasers}),
        networks=len({t.network for t in social.teasers}), folder=site.config.social_output.name))


@main.command()
@project_option
@now_option
@click.option("--weeks", default=4, show_default=True, help="How many weeks to show.")
def calendar(project: Path, now: str | None, weeks: int) -> None:
    """Print the coming weeks of the publishing calendar (in the hub's language), goals missed or impossible.

    Example: cmhub calendar --weeks 6
    """
    from cmhub.commands.syndicate import syndicate_project
    from cmhub.social.calendar.page import coming_weeks

    site, social = run(lambda: syndicate_project(project, BuildRequest(now=now), write=False))
    for line in coming_weeks(site, social.plan, weeks):
        click.echo(line)


@main.command()
@project_option
@now_option
@click.argument("articles", nargs=-1, required=True, metavar="ARTICLE...")
@click.option("--network", "networks", multiple=True, help="Only this network's teasers (repeatable).")
def replan(project: Path, now: str | None, articles: tuple[str, ...], networks: tuple[str, ...]) -> None:
    """Move planned teasers still to come: cancel them and plan them again with today's settings.

    The cancellations and the new times are the new batch of social/batches/ (plan.lock records both).

    Example: cmhub replan content/mon-article.md --network linkedin
    """
    from cmhub.commands.syndicate import syndicate_project
    from cmhub.ledgers.plan_lock import load_plan_ledger

    ledger = run(lambda: load_plan_ledger(project))
    wanted = {a.replace("\\", "/").lstrip("./") for a in articles}
    keys = frozenset(key for key, entry in ledger.latest.items()
                     if key[0] in wanted and (not networks or key[1] in networks) and entry.state == "planned")
    site, social = run(lambda: syndicate_project(project, BuildRequest(now=now), replan=keys))
    moved = [e for e in social.plan.ledger.entries if e.key in keys and e.planned == site.now]
    click.echo(f"{len(moved)} teaser{'s' if len(moved) != 1 else ''} planned again; see social/batches/")


@main.command(name="next")
@project_option
@now_option
def next_(project: Path, now: str | None) -> None:
    """Print the next instant an article or a teaser falls due (ISO 8601 UTC), for a CI cron.

    Example: cmhub next
    """
    from cmhub.commands.syndicate import syndicate_project
    from cmhub.core.dates import utc_iso
    from cmhub.social.planner import next_due

    site, social = run(lambda: syndicate_project(project, BuildRequest(now=now), write=False))
    due = next_due(site, social.plan)
    if due is None:
        click.echo("nothing is scheduled", err=True)
    else:
        click.echo(utc_iso(due))


@main.command()
@project_option
@now_option
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="How to print the problems.")
def check(project: Path, now: str | None, output_format: str) -> None:
    """Check everything a build checks (front matter, links, images, teasers, calendar); write nothing.

    Example: cmhub check --format json
    """
    from cmhub.commands.check import check_project

    warnings = run(lambda: check_project(project, BuildRequest(now=now)), json_output=output_format == "json")
    if output_format == "json":
        click.echo(problems_json(warnings))
    else:
        report(warnings)
        click.echo(f"cmhub: no errors, {len(set(warnings))} warning{'s' if len(set(warnings)) != 1 else ''}")


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--title", default="Notre hub", show_default=True, help="The hub's name.")
@click.option("--url", default="https://example.org/", show_default=True, help="Where site/ will live.")
@click.option("--language", default="fr", show_default=True, help="Interface language (fr, en, ...).")
@click.option("--timezone", default="Europe/Paris", show_default=True, help="IANA time zone.")
@now_option
def init(folder: Path, title: str, url: str, language: str, timezone: str, now: str | None) -> None:
    """Create a working hub: site.yml, a welcome article and a CI workflow.

    The welcome article is dated today at 09:00 (today by --now, else SOURCE_DATE_EPOCH, else the clock).

    Example: cmhub init mon-hub --title "Le hub de l'asso" --url https://asso.example.org/
    """
    from cmhub.commands.init import hub_today, init_hub

    made = run(lambda: init_hub(folder, title=title, url=url, language=language, timezone=timezone,
                                today=hub_today(now, timezone)))
    for name in made:
        click.echo(f"created {folder / name}")
    click.echo(f"next: cd {folder} && cmhub serve")


@main.command()
@project_option
@click.argument("title")
@click.option("--date", metavar="INSTANT", help="Publication date: 2026-12-18, 2026-12-18T09:30 (ISO 8601, "
              "in the hub's time zone unless an offset is given) or 18/12/2026 [09:30]; default: now "
              "(SOURCE_DATE_EPOCH, else the clock).")
@click.option("--tags", default="", metavar="A,B", help="Comma-separated tags.")
@click.option("--page", is_flag=True, help="A page (type: page): no date, in no list or feed, e.g. \"À propos\".")
def new(project: Path, title: str, date: str | None, tags: str, page: bool) -> None:
    """Create a new article (a draft) with complete front matter, in the hub's language; never overwrites a file.

    Example: cmhub new "Notre charte de modération" --date "18/12/2026 09:30" --tags modération,charte
    """
    from cmhub.commands.init import one_clock
    from cmhub.commands.new import new_article, new_page

    if page:
        click.echo(f"created {run(lambda: new_page(project, title, dated=date is not None or bool(tags)))}, a page")
        return
    tag_list = [t.strip() for t in tags.split(",") if t.strip()]
    created = run(lambda: new_article(project, title, date=date, tags=tag_list, now=one_clock()))
    click.echo(f"created {created.path}, dated {created.dated}")


@main.command()
@project_option
@click.option("-p", "--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port on 127.0.0.1 (0: any free port).")
def serve(project: Path, port: int) -> None:
    """Preview the hub with drafts and scheduled articles, rebuilt and reloaded on every save.

    Example: cmhub serve --port 8001
    """
    from cmhub.commands.serve import serve as serve_hub

    run(lambda: serve_hub(project, port, lambda message: click.echo(message, err=True)))


@main.command(name="report")
@project_option
@now_option
@click.option("--period", metavar="PERIOD", help="2026-11, 2026-W48, 2026-Q4, 2026 or 2026-11-01..2026-11-15 "
              "(default: the last complete month).")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
def report_command(project: Path, now: str | None, period: str | None, files: tuple[Path, ...]) -> None:
    """Measure goals and write the period's KPI report into social/reports/ from export files
    (default: the hub's analytics/ folder, plus posts.lock and interactions.jsonl).

    Example: cmhub report --period 2026-11 analytics/
    """
    from cmhub.report.command import report_project

    outcome = run(lambda: report_project(project, files, period=period, now=now))
    for line in outcome.lines:
        click.echo(line)
    click.echo(f"report {outcome.period.label}: {', '.join(outcome.written)}")


from cmhub.cli.imports import import_group  # noqa: E402 - cmhub import ...

main.add_command(import_group)

from cmhub.cli.publish import interactions_command, publish_command  # noqa: E402 - cmhub publish, interactions

main.add_command(publish_command)
main.add_command(interactions_command)
