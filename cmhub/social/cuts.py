"""Where a teaser's text may be shortened: summaries at breaking spaces, titles at words, else at graphemes."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator

from cmhub.networks.graphemes import graphemes

_BREAK = re.compile(r"[ \t\r\n]+")
_SENTENCE_DONE = re.compile(r"[.!?…][»”\"’)]*$")
DROPPED_AT_CUT = ",;:—–-.!?… \u00a0\u202f"
"""What a cut leaves out at its end, before the ellipsis."""
ELLIPSIS = "…"
WORD_PREFERENCE = 0.6
"""A cut between words is preferred to a cut between graphemes when it keeps at least this share of it."""


def summary_cuts(summary: str) -> Iterator[str]:
    """Yield the summary, then ever shorter cuts of it at breaking spaces (never at U+00A0 or U+202F).

    Every cut ends with '…', which takes the place of a final comma, dash or full stop. Each cut
    is strictly shorter than the one before, so the longest that fits can be found by bisection.
    """
    for text, _ in marked_cuts(summary):
        yield text


@functools.lru_cache(maxsize=16)
def marked_cuts(summary: str) -> tuple[tuple[str, bool], ...]:
    """Return the cuts of summary_cuts, each with whether it ends a sentence (worked out once for the
    teasers of every network); the last is ''. An article's teasers are made one after the other: a few
    summaries are kept (each holds every cut of itself, ~4 KB: a thousand of them held 8 MiB)."""
    cuts = [(summary, True)]
    for match in reversed(list(_BREAK.finditer(summary))):
        head = summary[: match.start()]
        cut = head.rstrip(DROPPED_AT_CUT) + ELLIPSIS
        if cut != ELLIPSIS and len(cut) < len(cuts[-1][0]):
            cuts.append((cut, bool(_SENTENCE_DONE.search(head))))
    cuts.append(("", False))
    return tuple(cuts)


def shortened(text: str, fits: Callable[[str], bool]) -> str | None:
    """Return the longest 'start of text…' that ``fits``, cut between words when that keeps enough of
    it, else between graphemes (never inside an emoji sequence or before a combining mark); None when
    not even one grapheme and the ellipsis fit."""
    clusters = graphemes(text)

    def cut(count: int) -> str:
        return "".join(clusters[:count]).rstrip(DROPPED_AT_CUT) + ELLIPSIS

    low, high = 0, len(clusters) - 1  # the longest count whose cut fits, 0 if none
    while low < high:
        middle = (low + high + 1) // 2
        if fits(cut(middle)):
            low = middle
        else:
            high = middle - 1
    while low > 0 and (cut(low) == ELLIPSIS or not fits(cut(low))):
        low -= 1
    if low == 0:
        return None
    best = cut(low)
    for match in reversed(list(_BREAK.finditer("".join(clusters[:low + 1])))):
        words = text[: match.start()].rstrip(DROPPED_AT_CUT) + ELLIPSIS
        if len(words) < WORD_PREFERENCE * len(best):
            break
        if words != ELLIPSIS and fits(words):
            return words
    return best
