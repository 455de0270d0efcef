#!/usr/bin/env python3
"""Benchmark cmhub against Pelican, Material for MkDocs (and Hugo if installed) on one corpus.

    python bench/run.py --sizes 1000 --runs 3 --peers pelican,mkdocs
    python bench/run.py --quick            # smoke run: 200 articles, 1 run
    python bench/run.py --sizes 1000 --load --features 1000   # also beside a busy core; cost of each feature

The corpus comes from bench/corpus.py. The peers are pip-installed into a throwaway virtual
environment (pinned versions, see PINS) unless --venv names one to reuse; Hugo is used only when a
``hugo`` binary is on PATH. Every command is timed as a whole process by GNU time
(``/usr/bin/time -f '%e %M'``: wall seconds and peak resident memory of the largest process), while
the runner sums the memory of all its processes every 50 ms (PSS, from /proc; the memory targets read
that sum), N times after one untimed warm-up (no warm-up for peers at 5,000 articles, which take minutes).
Sizes above BIG (100,000) run cmhub once each, without a warm-up. With --load, every scenario runs a
second time beside a CPU-bound process that keeps one core busy, and both passes are reported.
The report is a Markdown table on stdout, followed by the issue's targets with PASS or FAIL
computed from this run's numbers; --write-results also writes it to bench/results.md.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.util
import itertools
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import corpus  # noqa: E402  (bench/corpus.py, next to this file)
import extras  # noqa: E402  (bench/extras.py)

NOW = "2026-11-21T12:00:00Z"
NOW_DT = dt.datetime(2026, 11, 21, 12, 0, tzinfo=dt.UTC)
SITE_TZ = ZoneInfo("Europe/Paris")
GNU_TIME = "/usr/bin/time"
PEER_MAX = 5000
"""Peers are slow: a size above this runs them at this size instead."""
BIG = 10000
"""cmhub at a size above this runs each scenario once, without a warm-up (a cold build takes minutes)."""
PINS = {"pelican": ["pelican[markdown]==4.12.0"], "mkdocs": ["mkdocs==1.6.1", "mkdocs-material==9.8.1"]}
VERSIONS = {"pelican": ("pelican", "4.12.0"), "mkdocs": ("mkdocs", "1.6.1"), "material": ("mkdocs-material", "9.8.1")}
TOOL_NAMES = {"cmhub": "cmhub", "pelican": "Pelican", "mkdocs": "Material for MkDocs", "hugo": "Hugo"}
SCENARIOS = {"cold-site": "cold build, site and feeds", "cold": "cold full build",
             "edit-one": "rebuild after editing one article",
             "new-draft": "rebuild after adding a draft and its picture", "nothing": "rebuild, nothing changed",
             "syndicate": "cmhub syndicate (warm image cache)",
             "serve-edit": "cmhub serve: an edit shown (save to page served)"}


class CommandFailed(Exception):
    """A timed or set-up command exited with an error."""


@dataclass
class Row:
    scenario: str
    size: int
    tool: str
    times: list[float] = field(default_factory=list)
    peaks_kib: list[int] = field(default_factory=list)
    totals_kib: list[int] = field(default_factory=list)
    pages: str = ""
    notes: list[str] = field(default_factory=list)
    failed: str = ""
    load: bool = False
    """Measured beside a one-core CPU-bound process (--load)."""

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times and not self.failed else None

    @property
    def peak_mib(self) -> float | None:
        return max(self.peaks_kib) / 1024 if self.peaks_kib else None

    @property
    def total_mib(self) -> float | None:
        """The most memory all of the command's processes held at once (summed PSS), over the timed runs."""
        return max(self.totals_kib) / 1024 if self.totals_kib and max(self.totals_kib) else None

    @property
    def memory_mib(self) -> float | None:
        """What a memory target reads: the summed figure where it was measured, else the largest process's."""
        found = [m for m in (self.peak_mib, self.total_mib) if m is not None]
        return max(found) if found else None


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def tail(path: Path, lines: int = 12) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    return "\n".join(text[-lines:])


class Runner:
    """Runs commands with their output in a log file, timed or not."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        logs.mkdir(parents=True, exist_ok=True)

    def run(self, cmd: list[str], cwd: Path, log: str, env: dict[str, str] | None = None,
            timed: bool = False) -> tuple[float, int, int]:
        """Run ``cmd`` in ``cwd``; return (wall s, peak KiB of its largest process, most KiB all its
        processes held at once) when timed, else (elapsed, 0, 0)."""
        log_path = self.logs / f"{log}.log"
        time_path = self.logs / f"{log}.time"
        argv = [GNU_TIME, "-f", "%e %M", "-o", str(time_path), *cmd] if timed else cmd
        total = 0
        with log_path.open("ab") as out:
            out.write(f"\n$ (cd {cwd}; {' '.join(cmd)})\n".encode())
            out.flush()
            started = time.perf_counter()
            proc = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env)
            while proc.poll() is None:
                if timed:
                    total = max(total, tree_pss_kib(proc.pid))
                time.sleep(MEMORY_POLL)
            elapsed = time.perf_counter() - started
        if proc.returncode != 0:
            raise CommandFailed(f"`{' '.join(cmd)}` exited with status {proc.returncode}; "
                                f"end of {log_path}:\n{tail(log_path)}")
        if not timed:
            return elapsed, 0, 0
        last = [line for line in time_path.read_text().splitlines() if line.strip()][-1]
        wall, peak = last.split()
        return float(wall), int(peak), total


MEMORY_POLL = 0.05
"""Seconds between two looks at a timed command's processes (their summed memory)."""


def tree_pss_kib(root: int) -> int:
    """Return the memory a process and its descendants hold together now: the sum of their proportional
    set sizes (PSS: a page shared by forked processes counts once in all), 0 where /proc cannot tell."""
    children: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return 0
    for name in entries:
        if name.isdigit():
            try:
                stat = Path(f"/proc/{name}/stat").read_text()
            except OSError:
                continue
            parent = int(stat.rpartition(")")[2].split()[1])
            children.setdefault(parent, []).append(int(name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, ()))
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        found = re.search(r"^Pss:\s+(\d+) kB", rollup, re.M)
        total += int(found.group(1)) if found else 0
    return total


def measure(runner: Runner, row: Row, cmd: list[str], cwd: Path, runs: int, warmup: int,
            prepare: Callable[[int], None] | None = None, check: Callable[[int], None] | None = None,
            env: dict[str, str] | None = None) -> None:
    """Time ``cmd`` ``runs`` times after ``warmup`` untimed runs; fill ``row`` (or its failure)."""
    log = f"{row.tool}-{row.size}-{row.scenario}"
    try:
        for k in range(warmup + runs):
            if prepare:
                prepare(k)
            os.sync()  # the previous build's writes go to disk now, not during this one
            wall, peak, total = runner.run(cmd, cwd, log, env=env, timed=True)
            if check:
                check(k)
            kind = "warm-up" if k < warmup else f"run {k - warmup + 1}/{runs}"
            say(f"  {row.tool:<8} {row.size:>6} {row.scenario:<10} {kind:<10} {wall:8.2f} s {peak / 1024:7.0f} MiB"
                f" {total / 1024:7.0f} MiB in all")
            if k >= warmup:
                row.times.append(wall)
                row.peaks_kib.append(peak)
                row.totals_kib.append(total)
    except CommandFailed as exc:
        row.failed = str(exc)
        say(f"  {row.tool} {row.size} {row.scenario}: FAILED\n{exc}")


@dataclass
class Timed:
    """A cold build to time in turn with others (see measure_in_turn)."""

    row: Row
    cmd: list[str]
    cwd: Path
    warmup: int
    prepare: Callable[[int], None]
    finish: Callable[[], None] = lambda: None
    """Run once every timed run is done (checks of the output, clean-up)."""
    env: dict[str, str] | None = None


def measure_in_turn(runner: Runner, jobs: list[Timed], runs: int) -> None:
    """Time each job ``runs`` times, taking turns (a b c a b c ...) after each job's warm-up runs.

    The tools compared by a ratio run side by side: a change of the machine's speed during the
    bench then slows them all alike, instead of the one whose block of runs it fell on.
    """
    for job in jobs:
        for k in range(job.warmup):
            _run_timed(runner, job, k, "warm-up")
    for run in range(runs):
        for job in jobs:
            _run_timed(runner, job, job.warmup + run, f"run {run + 1}/{runs}")
    for job in jobs:
        if not job.row.failed:
            job.finish()


def _run_timed(runner: Runner, job: Timed, k: int, kind: str) -> None:
    row = job.row
    if row.failed:
        return
    try:
        job.prepare(k)
        os.sync()  # the previous build's writes go to disk now, not during this one
        wall, peak, total = runner.run(job.cmd, job.cwd, f"{row.tool}-{row.size}-{row.scenario}", env=job.env,
                                       timed=True)
    except CommandFailed as exc:
        row.failed = str(exc)
        say(f"  {row.tool} {row.size} {row.scenario}: FAILED\n{exc}")
        return
    say(f"  {row.tool:<8} {row.size:>6} {row.scenario:<10} {kind:<10} {wall:8.2f} s {peak / 1024:7.0f} MiB"
        f" {total / 1024:7.0f} MiB in all")
    if kind != "warm-up":
        row.times.append(wall)
        row.peaks_kib.append(peak)
        row.totals_kib.append(total)


_trash: list[Path] = []
"""The work folder's trash, once main() has made it: outputs go there and are deleted at the very end."""
_set_aside = itertools.count()


def rmtree(*paths: Path) -> None:
    """Move ``paths`` out of the way, into the work folder's trash (deleted once every command has run).

    Deleting thousands of files right before a timed build slows that build down on ext4 (for about
    30 s it skips the inodes just freed when it creates files): by 20-60 % on this project's machines.
    A fresh CI checkout does not pay that, and it would penalise each tool for how many files it
    writes rather than for its speed.
    """
    for path in paths:
        if not path.exists():
            continue
        if _trash:
            path.rename(_trash[0] / f"{next(_set_aside)}-{path.name}")
        else:
            shutil.rmtree(path, ignore_errors=True)


def is_published(meta: corpus.Meta, now: dt.datetime) -> bool:
    return not meta.draft and meta.date.replace(tzinfo=SITE_TZ) <= now


# --------------------------------------------------------------------------------------------
# cmhub
# --------------------------------------------------------------------------------------------

def cmhub_command() -> list[str]:
    """Return how to call the cmhub that belongs to this Python (the editable install)."""
    beside = Path(sys.executable).parent / "cmhub"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("cmhub")
    return [found] if found else [sys.executable, "-m", "cmhub"]


def compile_cmhub() -> None:
    """Write the bytecode of cmhub's modules, as installing it does.

    An editable install under PYTHONDONTWRITEBYTECODE (set in some CI images and sandboxes) would
    otherwise compile every module from source on each run, a cost no installed cmhub pays; the
    peers, installed by pip, have their bytecode.
    """
    spec = importlib.util.find_spec("cmhub")
    if spec is not None and spec.origin:
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(spec.origin).parent)], check=True)


def cmhub_pages(root: Path, metas: list[corpus.Meta]) -> tuple[int, int, int]:
    """Return (article pages found, expected, unpublished articles that have a page anyway)."""
    site = root / "site"
    expected = [m for m in metas if is_published(m, NOW_DT)]
    found = sum((site / m.slug / "index.html").exists() for m in expected)
    leaked = sum((site / m.slug / "index.html").exists() for m in metas if not is_published(m, NOW_DT))
    return found, len(expected), leaked


def bench_cmhub(runner: Runner, work: Path, n: int, args: argparse.Namespace, in_turn: list[Timed],
                loaded: bool = False) -> list[Row]:
    """Measure cmhub's scenarios at size ``n``; its site-only cold build joins ``in_turn``, to be timed
    in turn with the peers' cold builds."""
    cmhub = cmhub_command()
    root = work / f"cmhub-{n}"
    rmtree(root)
    say(f"cmhub {n}: writing the corpus")
    metas = corpus.write_corpus(n, "cmhub", root, args.seed)
    build = [*cmhub, "build", "--now", NOW, "-q"]
    help_text = subprocess.run([*cmhub, "build", "--help"], capture_output=True, text=True).stdout
    no_cache = "--no-cache" in help_text
    rows: list[Row] = []
    runs, warmup = (1, 0) if n > BIG else (args.runs, args.warmup)

    # Cold: no output, no cache (and --no-cache when cmhub has it).
    cold = Row("cold", n, "cmhub", load=loaded)
    cold.notes.append("--no-cache, cache and output deleted" if no_cache
                      else "cache and output deleted (no --no-cache option)")
    measure(runner, cold, build + (["--no-cache"] if no_cache else []), root, runs, warmup,
            prepare=lambda k: rmtree(root / "site", root / "social", root / ".cmhub-cache"))
    if not cold.failed:
        found, expected, leaked = cmhub_pages(root, metas)
        cold.pages = f"{found} / {expected}" + ("" if found == expected else " ✗")
        if leaked:
            cold.notes.append(f"{leaked} draft or scheduled articles have a page ✗")
    rows.append(cold)

    # Site and feeds only, as the peers build: the same corpus without `networks:` (no teasers).
    bare = work / f"cmhub-{n}-site"
    rmtree(bare)
    shutil.copytree(root / "content", bare / "content")
    text = (root / "site.yml").read_text(encoding="utf-8")
    (bare / "site.yml").write_text(text.split("\nnetworks:", 1)[0] + "\n", encoding="utf-8")
    site_only = Row("cold-site", n, "cmhub", load=loaded)
    site_only.notes.append("same corpus without networks: (no teasers or calendar); timed in turn with the peers")
    in_turn.append(Timed(site_only, build + (["--no-cache"] if no_cache else []), bare, warmup,
                         prepare=lambda k: rmtree(bare / "site", bare / "social", bare / ".cmhub-cache"),
                         finish=lambda: rmtree(bare)))
    rows.append(site_only)

    # Edit one article: append a sentence, rebuild with a warm cache.
    edit = Row("edit-one", n, "cmhub", load=loaded)
    measure_edit(runner, root, metas, build, edit, runs, warmup)
    rows.append(edit)

    # A draft started with its own picture: a new file each run (the draft and its picture are kept out).
    started = Row("new-draft", n, "cmhub", load=loaded)
    measure_new_draft(runner, root, build, started, runs, warmup)
    rows.append(started)

    # Nothing changed: every timed build follows an identical build.
    same = Row("nothing", n, "cmhub", load=loaded)
    try:
        runner.run(build, root, f"cmhub-{n}-setup")  # takes in the restored article
        measure(runner, same, build, root, runs, warmup)
    except CommandFailed as exc:
        same.failed = str(exc)
    if not same.failed:
        found, expected, _ = cmhub_pages(root, metas)
        same.pages = f"{found} / {expected}" + ("" if found == expected else " ✗")
        try:  # once more without -q, to read cmhub's own verdict
            runner.run([*cmhub, "build", "--now", NOW], root, f"cmhub-{n}-summary")
            summary = tail(runner.logs / f"cmhub-{n}-summary.log", 1)
            # the summary speaks the hub's language (the corpus is French): the words of either
            said = any(words in summary for words in ("nothing changed", "rien n’a changé"))
            same.notes.append("cmhub says: nothing changed" if said
                              else "cmhub rebuilt (no 'nothing changed' in its summary)")
        except CommandFailed:
            pass
    rows.append(same)
    if not (edit.failed or same.failed):  # what the warm builds left must be what a cold build makes
        edit.notes.append(same_as_cold(runner, cmhub, root, work / f"cmhub-{n}-cold-check", f"cmhub-{n}"))

    # cmhub serve: from saving an edit to the page served with it, the server already running.
    shown = Row("serve-edit", n, "cmhub", load=loaded)
    measure_serve_edit(runner, root, metas, shown, runs, warmup)
    rows.append(shown)

    # Syndicate alone, the image cache warm from the builds above.
    synd = Row("syndicate", n, "cmhub", load=loaded)
    measure(runner, synd, [*cmhub, "syndicate", "--now", NOW], root, runs, max(1, warmup))
    said = re.findall(r"^(\d+) teasers for (\d+) articles on (\d+) networks", tail(
        runner.logs / f"cmhub-{n}-syndicate.log", 3), re.M)
    if said and not synd.failed:
        teasers, articles, networks = said[-1]
        synd.notes.append(f"{teasers} teasers, {articles} articles, {networks} networks")
        non_drafts = sum(not m.draft for m in metas)
        if int(articles) != non_drafts:
            synd.notes.append(f"expected {non_drafts} articles (published + scheduled) ✗")
    rows.append(synd)
    return rows


def same_as_cold(runner: Runner, cmhub: list[str], root: Path, copy: Path, log: str) -> str:
    """Build a copy of the hub at ``root`` (its content, site.yml and ledgers) cold, with --no-cache and
    no cache or output, and return a note saying whether its site/ and social/ are byte for byte what the
    warm builds left in ``root``."""
    rmtree(copy)
    shutil.copytree(root / "content", copy / "content")
    for name in ("site.yml", "permalinks.lock", "plan.lock", "posts.lock"):
        if (root / name).exists():
            shutil.copy2(root / name, copy / name)
    try:
        runner.run([*cmhub, "build", "--now", NOW, "-q", "--no-cache"], copy, f"{log}-cold-check")
    except CommandFailed as exc:
        return f"the cold build to compare with failed: {exc} ✗"
    differ = sorted(path for folder in ("site", "social")
                    for path in _differences(root / folder, copy / folder, folder))
    rmtree(copy)
    if differ:
        return f"after the edits, {len(differ)} files differ from a cold --no-cache build (first: {differ[0]}) ✗"
    return "after the edits, site/ and social/ are byte-identical to a cold --no-cache build ✓"


def _differences(warm: Path, cold: Path, name: str) -> set[str]:
    """Return the paths (under ``name``/) whose bytes differ between two trees, or that one lacks."""
    def files(folder: Path) -> dict[str, Path]:
        return {p.relative_to(folder).as_posix(): p for p in folder.rglob("*") if p.is_file() or p.is_symlink()}

    a, b = files(warm), files(cold)
    return {f"{name}/{path}" for path in a.keys() | b.keys()
            if path not in a or path not in b or a[path].read_bytes() != b[path].read_bytes()}


def measure_edit(runner: Runner, root: Path, metas: list[corpus.Meta], build: list[str], edit: Row,
                 runs: int, warmup: int) -> None:
    """Time rebuilds of ``root`` after appending a sentence to one article (its page is checked)."""
    target = next((m for m in metas[len(metas) // 2:] if is_published(m, NOW_DT)), metas[0])
    path = corpus.article_path(root, "cmhub", target)
    original = path.read_text(encoding="utf-8")

    def append_sentence(k: int) -> None:
        path.write_text(original + f"\nBenchmark edit number {k + 1} appended to this article.\n", encoding="utf-8")

    def edit_visible(k: int) -> None:
        page = root / "site" / target.slug / "index.html"
        if f"Benchmark edit number {k + 1} appended" not in page.read_text(encoding="utf-8"):
            raise CommandFailed(f"the edit of {path.name} is not in {page} after the rebuild")

    try:
        runner.run(build, root, f"cmhub-{edit.size}-{root.name}-setup")  # fill the cache after --no-cache builds
        measure(runner, edit, build, root, runs, warmup, prepare=append_sentence, check=edit_visible)
    except CommandFailed as exc:
        edit.failed = str(exc)
    finally:
        path.write_text(original, encoding="utf-8")
    edit.notes.append(f"appends a sentence to {path.name}; page checked")


def measure_new_draft(runner: Runner, root: Path, build: list[str], row: Row, runs: int, warmup: int) -> None:
    """Time rebuilds of ``root`` after adding a new draft with a new picture as its cover, one pair each run
    (checked kept out of the site); they are removed afterwards (the next build takes them out)."""
    images = root / "content" / "images"
    cover = images / "cover-01.png"
    added: list[Path] = []

    def add_draft(k: int) -> None:
        picture, draft = images / f"bench-draft-{k + 1}.png", root / "content" / f"bench-draft-{k + 1}.md"
        shutil.copyfile(cover, picture)
        draft.write_text(f"---\ntitle: \"Brouillon de mesure n° {k + 1}\"\ndate: 2026-12-01T09:00:00\ndraft: true\n"
                         f"image: images/{picture.name}\nimage_alt: \"Une couverture\"\n---\n\nUn brouillon ajouté "
                         "par le banc d'essai, avec sa propre image.\n", encoding="utf-8")
        added.extend((picture, draft))

    def kept_out(k: int) -> None:
        if (root / "site" / "images" / f"bench-draft-{k + 1}.png").exists():
            raise CommandFailed(f"the picture of draft no. {k + 1} was published")

    try:
        measure(runner, row, build, root, runs, warmup, prepare=add_draft, check=kept_out)
    finally:
        for path in added:
            path.unlink(missing_ok=True)
    row.notes.append("adds a draft and a new picture (its cover), each run; the picture checked kept out")


def measure_serve_edit(runner: Runner, root: Path, metas: list[corpus.Meta], row: Row, runs: int,
                       warmup: int) -> None:
    """Time how long `cmhub serve` takes to serve an article's page with an edit, from the file's save
    (its poll interval included): the server is started once, then each run appends a sentence and
    asks for the page until the sentence is in it. The peak is the server's (VmHWM)."""
    import http.client
    import socket

    target = next((m for m in metas[len(metas) // 2:] if is_published(m, NOW_DT)), metas[0])
    path = corpus.article_path(root, "cmhub", target)
    original = path.read_text(encoding="utf-8")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = (runner.logs / f"cmhub-{row.size}-serve-edit.log").open("ab")
    server = subprocess.Popen([*cmhub_command(), "serve", "-C", str(root), "--port", str(port)],
                              stdout=log, stderr=subprocess.STDOUT)

    def page() -> str:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            connection.request("GET", f"/{target.slug}/", headers={"Host": f"127.0.0.1:{port}"})
            response = connection.getresponse()
            return response.read().decode("utf-8", "replace") if response.status == 200 else ""
        finally:
            connection.close()

    def wait_for(text: str, limit: float) -> float:
        started = time.perf_counter()
        while time.perf_counter() - started < limit:
            if server.poll() is not None:
                raise CommandFailed(f"cmhub serve stopped (status {server.returncode}); see {log.name}")
            with contextlib.suppress(OSError):
                if text in page():
                    return time.perf_counter() - started
            time.sleep(0.02)
        raise CommandFailed(f"cmhub serve did not show {text!r} on /{target.slug}/ within {limit:.0f} s")

    def builds() -> int:  # the server says "rebuilt in …" at the end of each whole build
        return (runner.logs / f"cmhub-{row.size}-serve-edit.log").read_bytes().count(b"rebuilt in ")

    wholes = []
    try:
        wait_for("</html>", 3600)  # the first build
        for k in range(warmup + runs):
            marker = f"Serve edit number {k + 1} appended"
            built = builds()
            path.write_text(original + f"\n{marker} to this article.\n", encoding="utf-8")
            saved = time.perf_counter()
            wall = wait_for(marker, 600)
            while builds() == built and time.perf_counter() - saved < 600 and server.poll() is None:
                time.sleep(0.02)  # the page is shown first; the lists and feeds come with the whole build
            whole = time.perf_counter() - saved
            kind = "warm-up" if k < warmup else f"run {k - warmup + 1}/{runs}"
            say(f"  {'cmhub':<8} {row.size:>6} {row.scenario:<10} {kind:<10} {wall:8.2f} s "
                f"(whole preview {whole:.2f} s)")
            if k >= warmup:
                row.times.append(wall)
                wholes.append(whole)
        status = Path(f"/proc/{server.pid}/status")
        if status.exists():
            found = re.search(r"^VmHWM:\s+(\d+) kB", status.read_text(), re.M)
            if found:
                row.peaks_kib.append(int(found.group(1)))
    except CommandFailed as exc:
        row.failed = str(exc)
        say(f"  cmhub {row.size} serve-edit: FAILED\n{exc}")
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        path.write_text(original, encoding="utf-8")
    row.notes.append(f"appends a sentence to {path.name}, asks for its page until it shows; server's own peak"
                     + (f"; the whole preview (lists, feeds) rebuilt {statistics.median(wholes):.2f} s after the save"
                        if wholes else ""))


def bench_features(runner: Runner, work: Path, n: int, args: argparse.Namespace, rows: list[Row],
                   loaded: bool) -> list[tuple]:
    """Measure the cold build and the one-article rebuild with each feature turned off (extras.FEATURES);
    return the rows of the report's section on features (full figures taken from ``rows``)."""
    source = work / f"cmhub-{n}"
    build = [*cmhub_command(), "build", "--now", NOW, "-q"]
    metas = [corpus.article_meta(i, args.seed) for i in range(n)]
    runs, warmup = (1, 0) if n > BIG else (args.runs, args.warmup)
    costs = []
    full_cold, full_edit = (find(rows, s, n, "cmhub", loaded) for s in ("cold", "edit-one"))
    for name, (label, change) in extras.FEATURES.items():
        root = work / f"cmhub-{n}-{name}"
        rmtree(root)
        shutil.copytree(source / "content", root / "content")
        (root / "site.yml").write_text(change((source / "site.yml").read_text(encoding="utf-8")), encoding="utf-8")
        cold, edit = Row("cold", n, "cmhub", load=loaded), Row("edit-one", n, "cmhub", load=loaded)
        say(f"cmhub {n}: without the {label}")
        measure(runner, cold, [*build, "--no-cache"], root, runs, warmup,
                prepare=lambda k, root=root: rmtree(root / "site", root / "social", root / ".cmhub-cache"))
        measure_edit(runner, root, metas, build, edit, runs, warmup)
        costs.append((label, n, "busy" if loaded else "quiet", full_cold and full_cold.median, cold.median,
                      full_edit and full_edit.median, edit.median))
        rmtree(root)
    return costs


# --------------------------------------------------------------------------------------------
# Peers
# --------------------------------------------------------------------------------------------

PELICAN_LISTS = re.compile(r"^(index\d*|archives|authors|categories|tags|period_archives)\.html$")


def peer_pages(tool: str, root: Path, metas: list[corpus.Meta]) -> tuple[int, int, str]:
    """Return (article pages found, expected, remark) for a peer's output."""
    not_drafts = sum(not m.draft for m in metas)
    if tool == "pelican":
        out = root / "out"
        found = sum(1 for p in out.glob("*.html") if not PELICAN_LISTS.match(p.name))
        drafts = len(list((out / "drafts").glob("*.html")))
        return found, not_drafts, f"+{drafts} drafts rendered in out/drafts/" if drafts else ""
    if tool == "mkdocs":
        found = len(list((root / "site" / "blog").glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]/*/index.html")))
        return found, not_drafts, ""
    if tool == "hugo":  # Hugo skips drafts and posts dated after its own clock
        clock = dt.datetime.now(dt.UTC)
        expected = [m for m in metas if is_published(m, clock)]
        found = sum((root / "public" / m.slug / "index.html").exists() for m in expected)
        return found, len(expected), "expected excludes posts dated after the real clock (buildFuture is off)"
    raise ValueError(tool)


def bench_peer(work: Path, tool: str, n: int, args: argparse.Namespace, venv: Path | None,
               in_turn: list[Timed], loaded: bool = False) -> Row:
    """Write a peer's corpus at size ``n``; its cold build joins ``in_turn`` (its row is filled then)."""
    root = work / f"{tool}-{n}"
    rmtree(root)
    say(f"{tool} {n}: writing the corpus")
    metas = corpus.write_corpus(n, tool, root, args.seed)
    env = dict(os.environ)
    if tool == "pelican":
        cmd, output = [str(venv / "bin" / "pelican"), "-q", "content", "-o", "out", "-s", "pelicanconf.py"], "out"
    elif tool == "mkdocs":
        cmd, output = [str(venv / "bin" / "mkdocs"), "build", "-q"], "site"
        env["NO_MKDOCS_2_WARNING"] = "1"
    else:
        cmd, output = [shutil.which("hugo") or "hugo", "--quiet"], "public"
    row = Row("cold", n, tool, load=loaded)
    warmup = 0 if n >= PEER_MAX else args.warmup
    if not warmup and args.warmup:
        row.notes.append("no warm-up")

    def check() -> None:
        found, expected, remark = peer_pages(tool, root, metas)
        row.pages = f"{found} / {expected}" + ("" if found == expected else " ✗")
        if remark:
            row.notes.append(remark)

    in_turn.append(Timed(row, cmd, root, warmup, prepare=lambda k: rmtree(root / output, root / "resources"),
                         finish=check, env=env))
    return row


def ensure_venv(venv: Path, peer: str, log: Path) -> dict[str, str]:
    """Create or reuse one peer's virtual environment; install its pins if needed; return versions.

    Each peer has its own environment: pelican 4.12.0 wants Pygments < 2.20 and mkdocs-material
    9.8.1 wants Pygments >= 2.20, so they cannot share one.
    """
    python = venv / "bin" / "python"
    if not python.exists():
        say(f"creating a virtual environment for {peer} in {venv}")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    wanted = PINS[peer]
    versions = installed_versions(python)
    missing = [p for p in wanted if versions.get(re.split(r"[\[=]", p)[0]) != p.split("==")[1]]
    if missing:
        say(f"installing {' '.join(wanted)} into {venv}")
        with log.open("ab") as out:
            proc = subprocess.run([str(python), "-m", "pip", "install", "--disable-pip-version-check",
                                   "--no-input", *wanted], stdout=out, stderr=subprocess.STDOUT)
        if proc.returncode != 0:
            raise SystemExit(f"pip install failed; see {log}:\n{tail(log)}")
        versions = installed_versions(python)
    return versions


def installed_versions(python: Path) -> dict[str, str]:
    code = ("import importlib.metadata as m\n"
            "for name in ('pelican', 'mkdocs', 'mkdocs-material'):\n"
            "    try: print(name, m.version(name))\n"
            "    except m.PackageNotFoundError: pass\n")
    out = subprocess.run([str(python), "-c", code], capture_output=True, text=True).stdout
    return dict(line.split(" ", 1) for line in out.splitlines() if " " in line)


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------

def fmt_s(value: float) -> str:
    return f"{value:.3f}" if value < 1 else f"{value:.2f}" if value < 100 else f"{value:.1f}"


def find(rows: list[Row], scenario: str, size: int, tool: str, load: bool | None = None) -> Row | None:
    return next((r for r in rows if (r.scenario, r.size, r.tool) == (scenario, size, tool)
                 and (load is None or r.load == load)), None)


def ratio_cell(rows: list[Row], row: Row, cmhub_sizes: list[int]) -> str:
    if row.tool == "cmhub" or row.median is None:
        return ""
    mine = find(rows, "cold-site", row.size, "cmhub", row.load)
    if mine and mine.median is not None:
        return f"{mine.median / row.median:.3f}"
    larger = [s for s in cmhub_sizes if s > row.size]
    mine = find(rows, "cold-site", larger[0], "cmhub", row.load) if larger else None
    if mine and mine.median is not None:
        per = (mine.median / mine.size) / (row.median / row.size)
        return f"{per:.3f} per article (cmhub at {mine.size:,})"
    return ""


def table(rows: list[Row], cmhub_sizes: list[int]) -> list[str]:
    lines = ["| scenario | size | tool | median s (min–max) | runs | peak MiB | all processes MiB | cmhub / peer "
             "| article pages | notes |",
             "|---|---:|---|---:|---:|---:|---:|---:|---:|---|"]
    order = {s: k for k, s in enumerate(SCENARIOS)}
    tools = {"cmhub": 0, "pelican": 1, "mkdocs": 2, "hugo": 3}
    for row in sorted(rows, key=lambda r: (order[r.scenario], r.size, tools[r.tool])):
        if row.failed:
            timing, peak, total = "**failed**", "", ""
        else:
            timing = f"{fmt_s(row.median)} ({fmt_s(min(row.times))}–{fmt_s(max(row.times))})"
            peak = f"{row.peak_mib:.0f}"
            total = f"{row.total_mib:.0f}" if row.total_mib is not None else ""
        notes = "; ".join(row.notes + ([row.failed.splitlines()[0]] if row.failed else []))
        lines.append(f"| {SCENARIOS[row.scenario]} | {row.size:,} | {TOOL_NAMES[row.tool]} | {timing} | "
                     f"{len(row.times)} | {peak} | {total} | {ratio_cell(rows, row, cmhub_sizes)} | {row.pages} "
                     f"| {notes} |")
    return lines


def verdict(ok: bool, value: float, limit: float) -> str:
    word = "PASS" if ok else "FAIL"
    if limit and abs(value - limit) / limit < 0.10:
        word += " (within 10 % of the limit: noise can flip it)"
    return word


def targets(rows: list[Row]) -> list[str]:
    lines = []

    def median(scenario: str, size: int, tool: str = "cmhub") -> tuple[float | None, str]:
        row = find(rows, scenario, size, tool)
        if row is None:
            return None, f"not measured (needs {TOOL_NAMES[tool]} at {size:,})"
        if row.failed:
            return None, f"FAIL ({TOOL_NAMES[tool]} {SCENARIOS[row.scenario]} at {size:,} failed)"
        return row.median, ""

    for peer, factor in (("pelican", 0.4), ("mkdocs", 0.1)):
        label = f"Cold full build (site and feeds) at 1,000 ≤ {factor} × {TOOL_NAMES[peer]}"
        mine, why = median("cold-site", 1000)
        theirs, why2 = median("cold", 1000, peer)
        if mine is None or theirs is None:
            lines.append(f"- {label}: {why or why2}")
        else:
            limit = factor * theirs
            lines.append(f"- {label}: cmhub {fmt_s(mine)} s vs limit {fmt_s(limit)} s "
                         f"(ratio {mine / theirs:.3f}) → {verdict(mine <= limit, mine, limit)}")
    label = "Time per article at 10,000 within 1.2 × that at 1,000 (cold build, site and feeds)"
    small, why = median("cold-site", 1000)
    large, why2 = median("cold-site", 10000)
    if small is None or large is None:
        lines.append(f"- {label}: {why or why2}")
    else:
        a, b = small / 1000 * 1000, large / 10000 * 1000
        lines.append(f"- {label}: {a:.2f} ms at 1,000, {b:.2f} ms at 10,000, ratio {b / a:.2f} "
                     f"→ {verdict(b <= 1.2 * a, b / a, 1.2)}")
    label = "Time per article at 100,000 within 1.2 × that at 1,000 (cold build, site and feeds)"
    small, why = median("cold-site", 1000)
    huge, why2 = median("cold-site", 100000)
    if small is not None and huge is not None:
        a, b = small / 1000 * 1000, huge / 100000 * 1000
        lines.append(f"- {label}: {a:.2f} ms at 1,000, {b:.2f} ms at 100,000, ratio {b / a:.2f} "
                     f"→ {verdict(b <= 1.2 * a, b / a, 1.2)}")
    else:
        lines.append(f"- {label}: {why or why2}")
    for scenario, size, limit, text in (("edit-one", 1000, 0.5, "Rebuild after editing one article at 1,000 < 0.5 s"),
                                        ("edit-one", 10000, 1.0, "Rebuild after editing one article at 10,000 < 1 s"),
                                        ("edit-one", 100000, 2.0, "Rebuild after editing one article at 100,000 < 2 s"),
                                        ("nothing", 10000, 0.2, "Rebuild with nothing changed at 10,000 < 0.2 s"),
                                        ("serve-edit", 10000, 1.0, "cmhub serve shows an edit at 10,000 within 1 s"),
                                        ("syndicate", 10000, 5.0, "cmhub syndicate at 10,000, warm image cache < 5 s")):
        value, why = median(scenario, size)
        if value is None:
            lines.append(f"- {text}: {why}")
        else:
            lines.append(f"- {text}: {fmt_s(value)} s → {verdict(value < limit, value, limit)}")
    huge_cold = find(rows, "cold", 100000, "cmhub")
    text = "Peak memory of a cold build at 100,000 < 2 GiB (all of its processes)"
    if huge_cold is None or huge_cold.memory_mib is None:
        lines.append(f"- {text}: not measured (needs cmhub at 100,000)")
    else:
        peak = huge_cold.memory_mib
        lines.append(f"- {text}: {peak:.0f} MiB → {verdict(peak < 2048, peak, 2048)}")
    text = "Peak memory at 10,000 < 600 MiB (the most over cmhub's scenarios, all of a command's processes)"
    big = [r for r in rows if r.tool == "cmhub" and r.size == 10000]
    if not big:
        lines.append(f"- {text}: not measured (needs cmhub at 10,000)")
    else:
        peaks = [(r.memory_mib, r.scenario) for r in big if r.memory_mib is not None]
        if not peaks:
            lines.append(f"- {text}: FAIL (every cmhub run at 10,000 failed)")
        else:
            peak, scenario = max(peaks)
            failed = [SCENARIOS[r.scenario] for r in big if r.failed]
            extra = f"; not measured for {', '.join(failed)} (failed)" if failed else ""
            lines.append(f"- {text}: {peak:.0f} MiB ({SCENARIOS[scenario]}){extra} → "
                         f"{verdict(peak < 600, peak, 600)}")
    return lines


def per_article(rows: list[Row]) -> list[str]:
    lines = []
    for tool in ("cmhub", "pelican", "mkdocs", "hugo"):
        scenario = "cold-site" if tool == "cmhub" else "cold"
        cold = sorted((r for r in rows if r.tool == tool and r.scenario == scenario and r.median is not None),
                      key=lambda r: r.size)
        if cold:
            parts = [f"{r.size:,}: {r.median / r.size * 1000:.2f} ms" for r in cold]
            if len(cold) > 1:
                growth = (cold[-1].median / cold[-1].size) / (cold[0].median / cold[0].size)
                parts.append(f"ratio largest/smallest {growth:.2f}")
            lines.append(f"- {TOOL_NAMES[tool]}: " + ", ".join(parts))
    return lines


def environment(versions: dict[str, str], cmhub_version: str, hugo_version: str, args: argparse.Namespace) -> str:
    peers = ", ".join(f"{name} {versions[name]}" for name in ("pelican", "mkdocs", "mkdocs-material")
                      if name in versions)
    parts = [f"{dt.datetime.now():%Y-%m-%d %H:%M}", f"{os.cpu_count()} cores", f"Python {platform.python_version()}",
             cmhub_version.strip()]
    if peers:
        parts.append(peers)
    if hugo_version:
        parts.append(hugo_version)
    parts.append(f"{args.runs} timed run(s) after {args.warmup} warm-up; build clock {NOW}")
    return "; ".join(parts)


# --------------------------------------------------------------------------------------------

def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="Example: python bench/run.py --sizes 1000 --runs 3 --peers pelican,mkdocs")
    parser.add_argument("--sizes", nargs="+", default=["1000", "10000"],
                        help="corpus sizes for cmhub (peers run at min(size, 5000)); default: 1000 10000")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per command (default: 3)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs before them (default: 1)")
    parser.add_argument("--peers", default="pelican,mkdocs,hugo",
                        help="comma-separated: pelican, mkdocs, hugo (Hugo only if on PATH); '' for none")
    parser.add_argument("--quick", action="store_true", help="smoke run: 200 articles, 1 run")
    parser.add_argument("--venv", type=Path, help="reuse (or create) the peers' virtual environments in this "
                        "folder (one per peer: PATH/pelican, PATH/mkdocs); default: inside the work folder")
    parser.add_argument("--workdir", type=Path, help="keep corpora, outputs and logs here (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="do not delete the temporary work folder")
    parser.add_argument("--seed", default=corpus.DEFAULT_SEED, help="corpus seed")
    parser.add_argument("--write-results", action="store_true", help="also write the report to bench/results.md")
    parser.add_argument("--load", action="store_true",
                        help="run every scenario a second time beside a one-core CPU-bound process; report both")
    parser.add_argument("--features", default="", help="sizes (commas) at which to measure each feature's cost "
                        "(cmhub with each turned off, see bench/extras.py); default: none")
    args = parser.parse_args(argv)
    args.sizes = sorted({int(s) for part in args.sizes for s in part.split(",") if s.strip()})
    args.features = sorted({int(s) for s in args.features.split(",") if s.strip()})
    if set(args.features) - set(args.sizes):
        parser.error("--features sizes must be among --sizes")
    if args.quick:
        args.sizes, args.runs = [200], 1
    args.peers = [p.strip() for p in args.peers.split(",") if p.strip()]
    unknown = set(args.peers) - {"pelican", "mkdocs", "hugo"}
    if unknown:
        parser.error(f"unknown peer(s): {', '.join(sorted(unknown))}")
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def one_pass(runner: Runner, work: Path, args: argparse.Namespace, peers: list[str], venvs: dict[str, Path],
             loaded: bool, rows: list[Row], costs: list[tuple]) -> None:
    """Run every scenario at every size once (quiet, or beside the busy core when ``loaded``)."""
    done_peer_sizes: set[tuple[str, int]] = set()
    for size in args.sizes:
        in_turn: list[Timed] = []
        rows += bench_cmhub(runner, work, size, args, in_turn, loaded)
        for peer in peers:
            peer_size = min(size, PEER_MAX)
            if (peer, peer_size) not in done_peer_sizes:
                done_peer_sizes.add((peer, peer_size))
                rows.append(bench_peer(work, peer, peer_size, args, venvs.get(peer), in_turn, loaded))
        say(f"cold builds at {size:,} and the peers', in turn: " + ", ".join(
            f"{job.row.tool} {job.row.size:,}" for job in in_turn))
        measure_in_turn(runner, in_turn, args.runs if size <= BIG else 1)
        if size in args.features:
            costs += bench_features(runner, work, size, args, rows, loaded)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not Path(GNU_TIME).exists():
        raise SystemExit(f"{GNU_TIME} (GNU time) is needed")
    temp = None
    if args.workdir:
        work = args.workdir.resolve()
        work.mkdir(parents=True, exist_ok=True)
    else:
        temp = work = Path(tempfile.mkdtemp(prefix="cmhub-bench-"))
    say(f"work folder: {work}")
    trash = work / "trash"
    shutil.rmtree(trash, ignore_errors=True)
    trash.mkdir()
    _trash.append(trash)
    runner = Runner(work / "logs")
    skipped = []
    peers = list(args.peers)
    if "hugo" in peers and not shutil.which("hugo"):
        peers.remove("hugo")
        skipped.append("Hugo: not on PATH, skipped")
    versions: dict[str, str] = {}
    venvs: dict[str, Path] = {}
    venv_root = (args.venv or work / "venv").resolve()
    for peer in peers:
        if peer in PINS:
            venvs[peer] = venv_root / peer
            versions.update(ensure_venv(venvs[peer], peer, work / "logs" / f"pip-{peer}.log"))
    compile_cmhub()
    cmhub_version = subprocess.run([*cmhub_command(), "--version"], capture_output=True, text=True).stdout
    hugo_version = ""
    if "hugo" in peers:
        hugo_version = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.split(" BuildDate")[0]

    rows: list[Row] = []
    costs: list[tuple] = []
    started = time.perf_counter()
    try:
        for loaded in (False, True) if args.load else (False,):
            with extras.busy_core() if loaded else contextlib.nullcontext():
                if loaded:
                    say("second pass, beside a one-core CPU-bound process")
                one_pass(runner, work, args, peers, venvs, loaded, rows, costs)
    finally:
        _trash.clear()
        shutil.rmtree(trash, ignore_errors=True)
        if temp and not args.keep:
            # keep the venv out of harm's way only if the user asked for it elsewhere
            shutil.rmtree(temp, ignore_errors=True)

    report = ["# cmhub benchmark", "", environment(versions, cmhub_version, hugo_version, args) + ".", ""]
    for loaded in (False, True) if args.load else (False,):
        these = [r for r in rows if r.load == loaded]
        if args.load:
            title = "Beside a one-core CPU-bound process (`--load`)" if loaded else "Machine without added load"
            report += [f"## {title}", ""]
        report += [*table(these, args.sizes), ""]
        if not loaded:
            report += ["Median wall time of whole processes (GNU time), min–max in brackets; peak MiB is the "
                       "largest peak resident memory of one process over the timed runs; all processes MiB is "
                       "the most the command's processes held at once (summed PSS, looked at every 50 ms), which "
                       "the memory targets read. \"cmhub / peer\" divides cmhub's "
                       "cold-build median by the peer's at the same size (per article when the peer ran at a "
                       "smaller size). The peers always rebuild everything, so their cold time is also their "
                       "rebuild time. On a shared machine, differences under ~10 % are noise. Sizes above "
                       f"{BIG:,} ran once, without a warm-up.", ""]
            if skipped:
                report += [f"- {s}" for s in skipped] + [""]
        report += ["### Targets (from this run)", "", *targets(these), "", "### Cold build time per article", "",
                   *per_article(these), ""]
    if costs:
        report += [*extras.feature_lines(costs), ""]
    report += [f"Total benchmark time: {time.perf_counter() - started:.0f} s."]
    text = "\n".join(report) + "\n"
    print(text)
    if args.write_results:
        (HERE / "results.md").write_text(text, encoding="utf-8")
        say(f"wrote {HERE / 'results.md'}")
    if temp and args.keep:
        say(f"kept {work}")
    return 1 if any(r.failed for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
