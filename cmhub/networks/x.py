"""X's weighted length, computed as twitter-text 3.1.0's parseTweet does (config v3).

The text is NFC-normalised, then read in UTF-16 code units as JavaScript reads it: each link weighs
23, each emoji sequence its parser knows 2, each other code point 1 in four narrow ranges and 2
elsewhere (a surrogate pair once). The emoji pattern is twitter-text's own (x_emoji.txt): a sequence
newer than it (🐦‍🔥) counts as its parts (5), more than X may count today, never less.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from functools import cache, lru_cache
from pathlib import Path

from cmhub.networks.links import INVALID, link_spans, x_dialect

URL_WEIGHT = 23
_WIDE = re.compile("[^\x00-\u10ff\u2000-\u200d\u2010-\u201f\u2032-\u2037]")
"""A code unit outside twitter-text v3's ranges of weight 1 (surrogates included)."""
_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")
_INVALID = re.compile(f"[{INVALID}]")
_EMOJI_HINT = re.compile("[\u00a9\u00ae\u203c-\u3299\ud800-\udfff\ufe0f]")
"""A code unit every emoji sequence of the pattern holds one of (© ® ‼ … ㊙, astral, or VS16): text
without any has no emoji to look for."""


@cache
def _emoji() -> re.Pattern[str]:
    lines = (Path(__file__).parent / "x_emoji.txt").read_text(encoding="utf-8").splitlines()
    return re.compile("".join(line for line in lines if line and not line.startswith("#")))


def _units(text: str) -> str:
    """Return the text with each UTF-16 code unit as one character (astral ones as two surrogates)."""
    if text.isascii() or max(text) < "\U00010000":
        return text
    codes = array("H", text.encode("utf-16-le", "surrogatepass"))
    return "".join(map(chr, codes))


def _plain(units: str) -> int:
    """Return the weight (x100) of code units outside links and emoji."""
    if units.isascii():
        return 100 * len(units)
    pairs = len(_PAIR.findall(units)) if max(units) >= "\ud800" else 0
    return 100 * (len(units) + len(_WIDE.findall(units))) - 200 * pairs


@lru_cache(maxsize=16384)
def x_parse(text: str) -> tuple[int, bool]:
    """Return (weighted length, whether the text holds no character X refuses)."""
    text = unicodedata.normalize("NFC", text)
    units = _units(text)
    entities = {start: (end - start, URL_WEIGHT * 100) for start, end in link_spans(units, x_dialect())}
    if _EMOJI_HINT.search(units):
        for match in _emoji().finditer(units):
            entities.setdefault(match.start(), (match.end() - match.start(), 200))
    total, position = 0, 0
    for start in sorted(entities):
        if start < position:  # inside the link or emoji before it
            continue
        length, weight = entities[start]
        total += _plain(units[position:start]) + weight
        position = start + length
    total += _plain(units[position:])
    return total // 100, _INVALID.search(text) is None


def x_length(text: str) -> int:
    """Return X's weighted length (twitter-text config v3): links 23, emoji 2, wide characters 2."""
    return x_parse(text)[0]


def x_valid_characters(text: str) -> bool:
    """Tell whether X accepts every character of the text (U+FEFF, U+FFFE and U+FFFF make it invalid)."""
    return x_parse(text)[1]
