"""The command line: parse options, call one core function, report, choose the exit code."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

import click

from cmhub import __version__
from cmhub.errors import CmhubError, Problem
from cmhub.models import Preview

T = TypeVar("T")

def find_hub(ctx: click.Context, param: click.Parameter, start: Path) -> Path:
    """Return the hub folder for -C: that folder, else the nearest above it holding site.yml (said on stderr)."""
    from cmhub.config import find_project

    root = find_project(start)
    if root != start and root != start.resolve():
        click.echo(f"cmhub: using the hub in {root} (site.yml found above {start})", err=True)
    return root


project_option = click.option(
    "-C", "--project", "project", type=click.Path(file_okay=False, path_type=Path), default=".",
    show_default=True, callback=find_hub,
    help="The hub folder (the one holding site.yml, or any folder inside it).")
now_option = click.option(
    "--now", metavar="INSTANT", help="Build as if it were this instant (ISO 8601); "
    "default: SOURCE_DATE_EPOCH, else the clock.")


def progress_printer(quiet: bool) -> Callable[[str], None]:
    """Return a printer of build stages: on in a terminal, off with -q or in CI logs."""
    import time

    if quiet or os.environ.get("CI") or not sys.stderr.isatty():
        return lambda stage: None
    started = time.perf_counter()

    def show(stage: str) -> None:
        click.echo(f"[{time.perf_counter() - started:5.1f} s] {stage}…", err=True)

    return show


def report(problems: Iterable[Problem]) -> None:
    """Print problems to stderr, sorted by file and line."""
    for problem in sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.message)):
        click.echo(str(problem), err=True)


def run(action: Callable[[], T], json_output: bool = False) -> T:
    """Run a core action; a user mistake becomes messages and exit code 1, never a traceback."""
    try:
        return action()
    except CmhubError as exc:
        if json_output:
            click.echo(problems_json(exc.problems))
            sys.exit(1)
        report(exc.problems)
        errors = sum(1 for p in set(exc.problems) if p.severity == "error")
        click.echo(f"cmhub: {errors} error{'s' if errors != 1 else ''}; nothing was written", err=True)
        sys.exit(1)


def problems_json(problems: Iterable[Problem]) -> str:
    """Return problems as the JSON document of ``cmhub check --format json``."""
    import json

    items = [{"file": p.path, "line": p.line, "severity": p.severity, "message": p.message}
             for p in sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.message))]
    return json.dumps({"errors": sum(1 for i in items if i["severity"] == "error"),
                       "warnings": sum(1 for i in items if i["severity"] == "warning"),
                       "problems": items}, ensure_ascii=False, indent=2)


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
    # a build makes objects by the hundred thousand and few reference cycles: the collector's default
    # pace (every 700 allocations) costs ~5 % of a rebuild; a slower pace keeps memory the same
    gc.set_threshold(50_000, 20, 100)


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

    Example: cmhub build --now 2026-11-21T12:00:00Z
    """
    if not no_cache:  # answer "nothing changed" without loading the renderers
        from cmhub.freshness import quick_check

        stamp = quick_check(project, now, Preview(drafts, future), strict, locked, output, engine)
        if stamp is not None:
            report(Problem(*w) for w in stamp.warnings)
            if not quiet:
                click.echo(stamp.summary)  # saved with its "nothing changed", in the hub's language
            return
    from cmhub.build import build_project

    outcome = run(lambda: build_project(project, now=now, preview=Preview(drafts, future),
                                        strict=strict, locked=locked, output=output,
                                        progress=progress_printer(quiet), use_cache=not no_cache,
                                        engine=engine))
    report(outcome.warnings)
    if not quiet:
        click.echo(outcome.summary)


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
    from cmhub.retire import retire_in_project
    from cmhub.scaffold import one_clock

    click.echo(run(lambda: retire_in_project(project, url, redirect_to, one_clock(now))))


@main.command()
@project_option
@now_option
def syndicate(project: Path, now: str | None) -> None:
    """Write the teasers for every network into social/, without rendering the site.

    Example: cmhub syndicate --now 2026-11-21T12:00:00Z
    """
    from cmhub.build import syndicate_project

    site, social = run(lambda: syndicate_project(project, now=now))
    from cmhub.i18n import team_strings

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
    from cmhub.build import syndicate_project
    from cmhub.calendar_page import coming_weeks

    site, social = run(lambda: syndicate_project(project, now=now, write=False))
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
    from cmhub.build import syndicate_project
    from cmhub.planlock import load_plan_ledger

    ledger = run(lambda: load_plan_ledger(project))
    wanted = {a.replace("\\", "/").lstrip("./") for a in articles}
    keys = frozenset(key for key, entry in ledger.latest.items()
                     if key[0] in wanted and (not networks or key[1] in networks) and entry.state == "planned")
    site, social = run(lambda: syndicate_project(project, now=now, replan=keys))
    moved = [e for e in social.plan.ledger.entries if e.key in keys and e.planned == site.now]
    click.echo(f"{len(moved)} teaser{'s' if len(moved) != 1 else ''} planned again; see social/batches/")


@main.command(name="next")
@project_option
@now_option
def next_(project: Path, now: str | None) -> None:
    """Print the next instant an article or a teaser falls due (ISO 8601 UTC), for a CI cron.

    Example: cmhub next
    """
    from cmhub.build import syndicate_project
    from cmhub.dates import utc_iso
    from cmhub.schedule import next_due

    site, social = run(lambda: syndicate_project(project, now=now, write=False))
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
    from cmhub.build import check_project

    warnings = run(lambda: check_project(project, now=now), json_output=output_format == "json")
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
    from cmhub.scaffold import hub_today, init_hub

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
def new(project: Path, title: str, date: str | None, tags: str) -> None:
    """Create a new article (a draft) with complete front matter, in the hub's language; never overwrites a file.

    Example: cmhub new "Notre charte de modération" --date "18/12/2026 09:30" --tags modération,charte
    """
    from cmhub.newarticle import new_article
    from cmhub.scaffold import one_clock

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
    from cmhub.serve import serve as serve_hub

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


from cmhub.imports.commands import import_group  # noqa: E402 - cmhub import ... (its own sub-package)

main.add_command(import_group)

from cmhub.publish.commands import interactions_command, publish_command  # noqa: E402 - cmhub publish, interactions

main.add_command(publish_command)
main.add_command(interactions_command)
