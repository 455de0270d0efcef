"""The report for people: one self-contained HTML file (inline CSS and SVG, no script, no request).

The only links are to the hub's own articles. Every number carries, as a superscript, the numbers
of the files it comes from, listed under "Sources".
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape

from cmhub.report.assemble import Report
from cmhub.report.model import Value
from cmhub.report.svg import daily_bars, grouped_bars, horizontal_bars, progress_bar
from cmhub.report.words import Words

CSS = """
:root{color-scheme:light dark;--ink:#1d2433;--muted:#5b6475;--line:#d5d9e0;--bar:#2f6fb3;--warn:#a4262c;--bg:#fff}
@media (prefers-color-scheme:dark){:root{--ink:#e8eaf0;--muted:#a3abbb;--line:#3a4150;--bar:#6aa5e6;--warn:#ff8a8f;
--bg:#12151b}}
body{font:16px/1.5 system-ui,sans-serif;color:var(--ink);background:var(--bg);margin:0}
main{max-width:60rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.7rem;margin:.2rem 0}h2{font-size:1.25rem;margin-top:2.2rem;border-bottom:1px solid var(--line)}
table{border-collapse:collapse;width:100%;margin:.6rem 0;font-size:.92rem}
th,td{border-bottom:1px solid var(--line);padding:.3rem .45rem;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
sup.src{color:var(--muted);font-size:.68em;margin-left:.12em}
.muted,.note{color:var(--muted);font-size:.9rem}
.below,.behind,.missed{color:var(--warn);font-weight:600}
ul.goals{list-style:none;padding:0}ul.goals li{margin:.9rem 0}
.goal-line{margin:.1rem 0;font-weight:600}
svg.chart{max-width:100%;height:auto;display:block;margin:.5rem 0}
svg .track{fill:var(--line)}svg .fill,svg .posted{fill:var(--bar)}
svg .planned{fill:none;stroke:var(--bar);stroke-width:1.5}
svg .axis{stroke:var(--muted)}svg .goal{stroke:var(--warn);stroke-dasharray:4 3}
svg .tick{fill:var(--muted);font-size:11px}
"""


class Sources:
    """Numbers the files a report's values come from, in the order of their names."""

    def __init__(self, report: Report):
        names = {s.file for s in report.sources} | {report.plan_source, "site.yml"}
        self.numbers = {name: index for index, name in enumerate(sorted(names), start=1)}

    def cite(self, value: Value) -> Markup:
        """Return the superscript naming a value's sources."""
        if not value.sources:
            return Markup("")
        refs = ",".join(str(self.numbers.setdefault(s, len(self.numbers) + 1)) for s in value.sources)
        return Markup('<sup class="src" title="{}">{}</sup>').format(", ".join(value.sources), refs)


def render_html(report: Report) -> str:
    """Return the report's HTML document."""
    words = Words(report.config.language)
    t, sources = words.t, Sources(report)

    def cell(value: Value, digits: int = 0) -> Markup:
        return Markup('<td class="n">{}{}</td>').format(words.number(value.amount, digits), sources.cite(value))

    period = report.period
    parts = [Markup("<!doctype html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                    "<meta name=\"robots\" content=\"noindex\">\n<title>{} · {}</title>\n<style>{}</style>\n"
                    "</head>\n<body>\n<main>\n").format(
        report.config.language, t["title"].format(period=period.label), report.config.title, Markup(CSS)),
        Markup("<h1>{}</h1>\n<p class=\"muted\">{}</p>\n").format(
            t["title"].format(period=period.label),
            t["intro"].format(site=report.config.title, start=words.date(period.start), end=words.date(period.end),
                              as_of=words.date(report.as_of), timezone=report.config.timezone))]
    parts += _goals(report, words, sources)
    parts += _weeks(report, words, cell, sources)
    parts += _networks(report, words, cell)
    parts += _articles(report, words, cell)
    parts += _slots(report, words, cell)
    parts += _daily(report, words, sources)
    parts += _sources(report, words, sources)
    parts.append(Markup("</main>\n</body>\n</html>\n"))
    return "".join(parts)


def _ratio(number: float | None, *parts: Value) -> Value:
    """Return a ratio as a value sourced like the numbers it divides (its amount rounded for the cell)."""
    if number is None:
        return Value(None)
    return Value(number, tuple(sorted({s for p in parts for s in p.sources})))  # type: ignore[arg-type]


def _table(headers: Iterable[tuple[str, bool]], rows: Iterable[Iterable[Markup]]) -> Markup:
    head = "".join(Markup('<th scope="col"{}>{}</th>').format(Markup(' class="n"') if numeric else "", text)
                   for text, numeric in headers)
    body = "".join(Markup("<tr>{}</tr>\n").format(Markup("").join(row)) for row in rows)
    return Markup("<table>\n<thead><tr>{}</tr></thead>\n<tbody>\n{}</tbody>\n</table>\n").format(
        Markup(head), Markup(body))


def _goals(report: Report, words: Words, sources: Sources) -> list[Markup]:
    items = []
    for status in report.goals:
        line = words.goal_line(status)
        chart = Markup("")
        if not status.goal.per and status.value.amount is not None:
            chart = progress_bar(status.value.amount, status.goal.target, words.t["chart_goal"].format(
                value=words.number(status.value.amount), target=words.number(status.goal.target)))
        cited = [v for v in (status.value, *(s.value for s in status.steps)) if v.sources]
        cite = sources.cite(Value(0, tuple(sorted({s for v in cited for s in v.sources}))))
        items.append(Markup('<li class="goal {}"><p class="goal-line">{}{}</p>{}<p class="note">{}</p></li>\n')
                     .format(status.state, line, cite, chart, words.detail(status)))
    if not items:
        return []
    return [Markup("<section id=\"goals\">\n<h2>{}</h2>\n<ul class=\"goals\">\n{}</ul>\n</section>\n").format(
        words.t["goals"], Markup("").join(items))]


def _weeks(report: Report, words: Words, cell, sources: Sources) -> list[Markup]:
    t = words.t
    if not report.weeks:
        return []
    labels = sorted({row.week.label for row in report.weeks})
    planned = [sum(r.planned.amount or 0 for r in report.weeks if r.week.label == label) for label in labels]
    posted = [sum(r.posted.amount or 0 for r in report.weeks if r.week.label == label) for label in labels]
    rows = []
    for row in report.weeks:
        below = bool(row.cadence) and row.posted.amount is not None and row.posted.amount < row.cadence
        mark = Markup(' <span class="below">({})</span>').format(t["below"]) if below else ""
        rows.append([Markup("<td>{}</td>").format(row.week.label), Markup("<td>{}</td>").format(
            words.network(row.network)), cell(row.planned), cell(row.posted),
            Markup('<td class="n">{}{}{}</td>').format(words.number(row.cadence) if row.cadence else t["unknown"],
                                                       sources.cite(Value(row.cadence, ("site.yml",))) if row.cadence
                                                       else "", mark)])
    headers = [(t["col_week"], False), (t["col_network"], False), (t["col_planned"], True),
               (t["col_posted"], True), (t["col_cadence"], True)]
    return [Markup("<section id=\"weeks\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n{}{}</section>\n").format(
        t["weeks"], t["weeks_note"].format(plan=report.plan_source),
        grouped_bars(labels, planned, posted, None, t["chart_weeks"]), _table(headers, rows))]


def _networks(report: Report, words: Words, cell) -> list[Markup]:
    t = words.t
    rows, shown = [], [r for r in report.networks if r.posts.amount is not None or r.social_visits.amount is not None]
    if not shown:
        return []
    for row in shown:
        rows.append([Markup("<td>{}</td>").format(words.network(row.network)), cell(row.posts),
                     cell(row.engagement), cell(_ratio(row.engagement_per_post, row.posts, row.engagement), 1),
                     cell(row.impressions), cell(row.clicks), cell(row.new_followers), cell(row.social_visits),
                     cell(_ratio(row.visits_per_post, row.posts, row.social_visits), 1)])
    best = shown[0]
    sentence = ""
    if best.visits_per_post:
        sentence = t["best_network"].format(network=words.network(best.network),
                                            visits=words.number(best.visits_per_post, 1))
    elif best.engagement_per_post:
        sentence = t["best_network_engagement"].format(network=words.network(best.network),
                                                       engagement=words.number(best.engagement_per_post, 1))
    chart = Markup("")
    with_visits = [r for r in shown if r.social_visits.amount is not None]
    if with_visits:
        chart = horizontal_bars([words.network(r.network) for r in with_visits],
                                [r.social_visits.amount or 0 for r in with_visits], t["chart_networks"])
    headers = [(t["col_network"], False), (t["col_posts"], True), (t["col_engagement"], True),
               (t["col_engagement_per_post"], True), (t["col_impressions"], True), (t["col_clicks"], True),
               (t["col_new_followers"], True), (t["col_social_visits"], True), (t["col_visits_per_post"], True)]
    return [Markup("<section id=\"networks\">\n<h2>{}</h2>\n<p>{}</p>\n{}{}</section>\n").format(
        t["networks"], sentence, chart, _table(headers, rows))]


def _articles(report: Report, words: Words, cell) -> list[Markup]:
    t = words.t
    if not report.articles:
        return []
    networks = [n for n in dict.fromkeys(r.network for r in report.networks)
                if any(a.social_by_network.get(n) and a.social_by_network[n].amount is not None
                       for a in report.articles)]
    rows = [[Markup('<td><a href="{}">{}</a></td>').format(a.article.url, a.article.title), cell(a.visits),
             cell(a.social_visits), *(cell(a.social_by_network[n]) for n in networks), cell(a.posts),
             cell(a.engagement)] for a in report.articles]
    headers = [(t["col_article"], False), (t["col_visits"], True), (t["col_social_visits"], True),
               *((words.network(n), True) for n in networks), (t["col_posts"], True), (t["col_engagement"], True)]
    return [Markup("<section id=\"articles\">\n<h2>{}</h2>\n{}</section>\n").format(t["articles"],
                                                                                  _table(headers, rows))]


def _slots(report: Report, words: Words, cell) -> list[Markup]:
    t = words.t
    if not report.slots:
        return []
    days = words.locale.days["format"]["wide"]
    rows = [[Markup("<td>{}</td>").format(words.network(s.network)),
             Markup("<td>{} {:02d}:00</td>").format(days[s.weekday], s.hour),
             cell(Value(s.posts, s.engagement.sources)), cell(s.engagement),
             cell(_ratio(s.average, Value(s.posts), s.engagement), 1)] for s in report.slots]
    headers = [(t["col_network"], False), (t["col_slot"], False), (t["col_posts"], True),
               (t["col_engagement"], True), (t["col_average"], True)]
    return [Markup("<section id=\"slots\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n{}</section>\n").format(
        t["slots"], t["slots_note"].format(timezone=report.config.timezone), _table(headers, rows))]


def _daily(report: Report, words: Words, sources: Sources) -> list[Markup]:
    t, visits = words.t, report.visits
    if visits.total.amount is None:
        return [Markup("<section id=\"visits\">\n<h2>{}</h2>\n<p>{}</p>\n</section>\n").format(
            t["visits_daily"], t["nothing"])]
    summary = Markup("{}{}").format(t["visits_total"].format(visits=words.number(visits.total.amount),
                                                             social=words.number(visits.social.amount)),
                                    sources.cite(visits.total + visits.social))
    chart = Markup("")
    if visits.daily:
        chart = daily_bars([v.amount or 0 for _, v in visits.daily], words.date(visits.daily[0][0]),
                           words.date(visits.daily[-1][0]), t["visits_daily"])
    return [Markup("<section id=\"visits\">\n<h2>{}</h2>\n<p>{}</p>\n{}</section>\n").format(
        t["visits_daily"], summary, chart)]


def _sources(report: Report, words: Words, sources: Sources) -> list[Markup]:
    t = words.t
    formats = {s.file: s for s in report.sources}
    rows = []
    for name, number in sorted(sources.numbers.items(), key=lambda item: item[1]):
        read = formats.get(name)
        days = f"{read.first.isoformat()}..{read.last.isoformat()}" if read and read.first and read.last else ""
        notes = Markup("<br>").join(escape(n.text(t)) for n in read.notes) if read else ""
        rows.append([Markup('<td class="n">{}</td>').format(number), Markup("<td>{}</td>").format(name),
                     Markup("<td>{}<br><span class=\"note\">{}</span></td>").format(read.format if read else "",
                                                                                   notes),
                     Markup("<td>{}</td>").format(days)])
    headers = [("#", True), (t["col_file"], False), (t["col_format"], False), (t["col_days"], False)]
    notes = Markup("").join(Markup("<li>{}</li>\n").format(n.text(t)) for n in report.notes)
    extra = Markup("<h3>{}</h3>\n<ul>\n{}</ul>\n").format(t["notes"], notes) if report.notes else ""
    return [Markup("<section id=\"sources\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n{}{}</section>\n").format(
        t["sources"], t["sources_note"], _table(headers, rows), extra)]
