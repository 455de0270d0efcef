"""Which part of a text is a link, as twitter-text finds them (X), and as Mastodon's copy of it does.

Both networks run twitter-text's URL pattern (X its JavaScript package 3.1.0, config v3; Mastodon
the Ruby gem 3.1 with its own path rules, config/initializers/twitter_regex.rb). The pattern is
rebuilt here from its parts; the top-level domains are data (x_tlds.txt, twitter-text's own list).
A link is a span of the text, (start, end), in the text's own units: X works on UTF-16 code units
(as JavaScript does), Mastodon on code points (as Ruby does).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_DATA = Path(__file__).parent

INVALID = "\ufffe\ufeff\uffff"
"""Characters that make a post invalid on X (twitter-text regexp/invalidCharsGroup)."""
_DIRECTIONAL = "\u202a-\u202e\u061c\u200e\u200f\u2066\u2067\u2068\u2069"
_PUNCT = r"!'#%&'()*+,\\\-./:;<=>?@\[\]^_{|}~$"
_SPACES = "\t-\r \x85\xa0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
"""twitter-text's spaces; they are also the code points of Unicode's White_Space property."""
_LATIN_ACCENTS = ("\xc0-\xd6\xd8-\xf6\xf8-\xff\u0100-\u024f\u0253\u0254\u0256\u0257\u0259\u025b\u0263"
                  "\u0268\u026f\u0272\u0289\u028b\u02bb\u0300-\u036f\u1e00-\u1eff")
_CYRILLIC = "\u0400-\u04ff"
_PRECEDING = rf"(?:[^A-Za-z0-9@\uff20$#\uff03{INVALID}]|[{_DIRECTIONAL}]|^)"
_DOMAIN_CHAR = f"[^{_PUNCT}{_SPACES}{INVALID}{_DIRECTIONAL}]"
_MAX_URL = 4096
_MAX_LABEL = 63
_NO_PROTOCOL_BEFORE = re.compile(r"[-_./]$")
_TCO = re.compile(r"https?://t\.co/([a-z0-9]+)(?:\?[a-z0-9!?*'@();:&=+$/%#\[\]\-_.,~|]*[a-z0-9\-_&=#/])?",
                  re.IGNORECASE | re.ASCII)


def top_level_domains() -> tuple[list[str], list[str]]:
    """Return twitter-text's generic and country top-level domains, in its order (x_tlds.txt)."""
    generic: list[str] = []
    country: list[str] = []
    target = generic
    for line in (_DATA / "x_tlds.txt").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        if line in ("[generic]", "[country]"):
            target = generic if line == "[generic]" else country
            continue
        target.append(line)
    return generic, country


def _domain_pattern() -> tuple[str, str]:
    generic, country = top_level_domains()
    end = "(?=[^0-9a-zA-Z@+-]|$)"
    tld = (f"(?:(?:{'|'.join(map(re.escape, generic))}){end}|(?:{'|'.join(map(re.escape, country))}){end}"
           r"|(?:xn--[\-0-9a-z]+))")
    subdomain = f"(?:(?:{_DOMAIN_CHAR}(?:[_-]|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\\.)"
    name = f"(?:(?:{_DOMAIN_CHAR}(?:-|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\\.)"
    return f"(?:{subdomain}*{name}{tld})", tld


@dataclass(frozen=True)
class Dialect:
    """One network's variant of the pattern: its protocols, path and query characters."""

    url: re.Pattern[str]
    ascii_domain: re.Pattern[str]
    without_protocol: bool
    """Whether a bare domain ('exemple.fr') is a link."""
    punycode_length: bool
    """Whether a domain counts at its Punycode length against the 4,096 limit (Ruby's IDN does)."""


def _path(general: str, ending: str, at_end: str) -> str:
    parens = f"\\((?:{general}+|(?:{general}*\\({general}+\\){general}*))\\)"
    return f"(?:(?:{general}*(?:{parens}{general}*)*(?:{ending}|(?:{parens})))|(?:{at_end}{general}+/))"


@cache
def x_dialect() -> Dialect:
    """Return twitter-text 3.1.0's own pattern (JavaScript: ASCII-only case folding)."""
    domain, tld = _domain_pattern()
    general = f"[a-z{_CYRILLIC}0-9!*';:=+,.$/%#\\[\\]\\-\u2013_~@|&{_LATIN_ACCENTS}]"
    ending = f"[+\\-a-z{_CYRILLIC}0-9=_#/{_LATIN_ACCENTS}]"
    pattern = (f"({_PRECEDING})((https?://)?({domain})(?::([0-9]+))?(/{_path(general, ending, '@')}*)?"
               r"(\?[a-z0-9!?*'@();:&=+$/%#\[\]\-_.,~|]*[a-z0-9\-_&=#/])?)")
    flags = re.IGNORECASE | re.ASCII
    return Dialect(re.compile(pattern, flags), re.compile(f"(?:(?:[\\-a-z0-9{_LATIN_ACCENTS}]+)\\.)+{tld}", flags),
                   without_protocol=True, punycode_length=False)


_UCHARS = ("\xa0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef\U00010000-\U0001fffd\U00020000-\U0002fffd\U00030000-\U0003fffd"
           "\U00040000-\U0004fffd\U00050000-\U0005fffd\U00060000-\U0006fffd\U00070000-\U0007fffd"
           "\U00080000-\U0008fffd\U00090000-\U0009fffd\U000a0000-\U000afffd\U000b0000-\U000bfffd"
           "\U000c0000-\U000cfffd\U000d0000-\U000dfffd\U000e1000-\U000efffd\ue000-\uf8ff"
           "\U000f0000-\U000ffffd\U00100000-\U0010fffd")


@cache
def mastodon_dialect() -> Dialect:
    """Return Mastodon's pattern: twitter-text's domains, its own protocols, paths and queries."""
    domain, tld = _domain_pattern()
    general = f"[^{_SPACES}<>()?]"
    ending = f"[^{_SPACES}()?!*\"'\u300c\u300d<>;:=,.$%\\[\\]~&|@]"
    pattern = (f"({_PRECEDING})(((?:https?|dat|dweb|ipfs|ipns|ssb|gopher|gemini)://)?({domain})(?::([0-9]+))?"
               f"(/{_path(general, ending, '')}*)?"
               f"(\\?[a-z0-9!?*'();:&=+$/%#\\[\\]\\-_.,~|@^{_UCHARS}]*[a-z0-9_&=#/\\-{_UCHARS}])?)")
    flags = re.IGNORECASE
    return Dialect(re.compile(pattern, flags), re.compile(f"(?:(?:[\\-a-z0-9{_LATIN_ACCENTS}]+)\\.)+{tld}", flags),
                   without_protocol=False, punycode_length=True)


def _valid_domain(url: str, protocol: str, domain: str, punycode_length: bool) -> bool:
    """Tell whether every label of the domain has 1 to 63 characters once in Punycode, and the URL
    at most 4,096 (twitter-text's isValidUrl, with lib/idna's toAscii)."""
    if domain[:4].lower() == "xn--" and not domain.isascii():
        return False
    length = len(url)
    for label in domain.split("."):
        # JavaScript's punycode reads surrogate pairs as one code point: so does this
        points = label.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        encoded = label if label.isascii() else "xn--" + points.encode("punycode").decode("ascii")
        if not 1 <= len(encoded) <= _MAX_LABEL:
            return False
        if punycode_length:
            length += len(encoded) - len(label)
    return len(protocol or "https://") + length <= _MAX_URL


def link_spans(text: str, dialect: Dialect) -> list[tuple[int, int]]:
    """Return the (start, end) of every link of a text, in order, as twitter-text's extractUrlsWithIndices
    finds them (each domain of a bare run of domains is a link of its own)."""
    if "." not in text or (not dialect.without_protocol and ":" not in text):
        return []
    spans: list[tuple[int, int]] = []
    for match in dialect.url.finditer(text):
        before, url, protocol, domain, path = match.group(1, 2, 3, 4, 6)
        start, end = match.start(2), match.end(2)
        if not _valid_domain(url, protocol, domain, dialect.punycode_length):
            continue
        if protocol:
            tco = _TCO.match(url)
            if tco:
                if len(tco.group(1)) > 40:
                    continue
                end = start + tco.end()
            spans.append((start, end))
            continue
        if not dialect.without_protocol or _NO_PROTOCOL_BEFORE.search(before):
            continue
        found = [(start + m.start(), start + m.end()) for m in dialect.ascii_domain.finditer(domain)]
        if found and path:
            last_start, last_end = found[-1]
            found[-1] = (last_start, last_start + len(url) - len(domain) + (last_end - last_start))
        spans.extend(found)
    return spans
