"""What putting the output in place costs: the writer's share of a rebuild after a one-article edit.

    python bench/commit.py --corpus /tmp/c1k            # a corpus made by bench/corpus.py --flavor cmhub
    python bench/commit.py --n 1000 --runs 5            # makes the corpus in a temporary folder first

Builds the corpus (cold, then once more so that the output has its spare tree), then edits one
article at a time and builds again, in this process, timing the parts of cmhub.output.writer: preparing
the new tree (checking the spare), putting each output file in it (links and new bytes; the
rendering that produces the files is not counted), finishing it (deletions, folder dates), the
swap with the manifest, and bringing the old tree up to date as the next spare. Prints the median
of each over the runs, beside the whole build's wall time. Standard library only.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

NOW = "2026-11-21T12:00:00Z"


def timed(owner: type | object, name: str, totals: dict[str, float], label: str) -> None:
    """Wrap ``owner.name`` so that its time adds up in ``totals[label]``."""
    original = getattr(owner, name)

    def wrapper(*args: object, **kwargs: object) -> object:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            totals[label] += time.perf_counter() - started

    setattr(owner, name, wrapper)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, help="a corpus folder (default: made with --n articles)")
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    corpus = options.corpus
    if corpus is None:
        corpus = Path(tempfile.mkdtemp(prefix="cmhub-commit-")) / "corpus"
        subprocess.run([sys.executable, str(Path(__file__).parent / "corpus.py"), "--n", str(options.n),
                        "--flavor", "cmhub", "--out", str(corpus)], check=True, stdout=subprocess.DEVNULL)

    from cmhub.commands.build import build_project
    from cmhub.output import staging, writer
    from cmhub.settings.request import BuildRequest

    totals: dict[str, float] = defaultdict(float)
    timed(writer, "_maker", totals, "prepare the new tree")
    timed(staging.Maker, "add", totals, "put each file in it")
    timed(staging.Maker, "finish", totals, "finish it")
    timed(writer.Staged, "_keep_old_tree", totals, "  of which: bring the old tree up to date")
    timed(writer.Staged, "commit", totals, "swap, then bring the old tree up to date")
    build_project(corpus, BuildRequest(now=NOW))
    articles = sorted(p for p in (corpus / "content").glob("*.md"))
    (articles[0]).touch()
    build_project(corpus, BuildRequest(now=NOW))  # the first tree becomes the spare
    runs: dict[str, list[float]] = defaultdict(list)
    files = sum(1 for _ in (corpus / "site").rglob("*")) + sum(1 for _ in (corpus / "social").rglob("*"))
    for index in range(options.runs):
        article = articles[(index * 37 + 11) % len(articles)]
        text = article.read_text(encoding="utf-8")
        article.write_text(text + f"\nUne phrase de plus ({index}).\n", encoding="utf-8")
        totals.clear()
        started = time.perf_counter()
        build_project(corpus, BuildRequest(now=NOW))
        runs["whole build"].append(time.perf_counter() - started)
        for label, seconds in totals.items():
            runs[label].append(seconds)
        article.write_text(text, encoding="utf-8")
    print(f"{corpus}: {len(articles)} articles, {files} entries in site/ and social/, median of {options.runs}")
    parts = ("prepare the new tree", "put each file in it", "finish it", "swap, then bring the old tree up to date")
    writer_total = statistics.median([sum(runs[k][i] for k in parts) for i in range(options.runs)])
    for label, values in runs.items():
        print(f"  {label:45} {statistics.median(values) * 1000:8.1f} ms")
    print(f"  {'the writer, all of it':45} {writer_total * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
