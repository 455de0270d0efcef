"""What cmhub refuses to read, so that no input makes a build take hours, gigabytes or a traceback.

- YAML anchors and aliases that expand to many more values than the text holds (a "billion
  laughs" bomb): each alias is a reference to shared data, cheap to load, but anything that walks
  the values (messages' line numbers, digests, the cache) would expand them.
- More than MAX_TERMS tags or categories in one article: each makes pages and feeds that list the
  article, so N terms cost N² (500 tags wrote 61 MB).
- Runs of '[' in one paragraph that Python-Markdown reads in quadratic time (20,000 took minutes).
- Characters that XML cannot hold (feeds, sitemaps), and line breaks or control characters in
  single-line values (a title goes into an HTTP-less world of feeds, calendars and pictures).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterator, Mapping
from typing import Any

MAX_TERMS = 50
"""The most tags, or categories, one article may have."""
MAX_EXPANSION = 10_000
"""How many more values than the text holds YAML aliases may add."""
MAX_BRACKETS = 1_000
"""The most '[' one paragraph of an article may hold."""
MAX_PICTURE_PIXELS = 50_000_000
"""The largest cover cmhub crops for teasers (8,000 × 6,000 is 48 megapixels): Pillow takes seconds and
gigabytes for more, and refuses the largest as decompression bombs."""
MAX_MARKUP_DECLARATIONS = 200
"""The most HTML comments, CDATA sections and processing instructions ('<!--', '<![', '<?') one article
may hold: Python-Markdown reads unclosed ones in quadratic time (2,000 '<![CDATA[' took 8 s)."""

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_LINE_BREAKING = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_ALIAS = re.compile(r"(?:^|[\s\[{,:])\*[^\s,\[\]{}]+")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def expansion(data: Any) -> tuple[int, int]:
    """Return how many values ``data`` holds once its shared parts are expanded, and how many it
    holds as loaded (each shared part once); -1 expanded values when a value contains itself."""
    known: dict[int, int] = {}
    unique = 0
    stack: list[tuple[Any, bool]] = [(data, False)]
    busy: set[int] = set()
    while stack:
        value, done = stack.pop()
        key = id(value)
        if isinstance(value, dict):
            children = [*value.keys(), *value.values()]
        elif isinstance(value, list | tuple | set):
            children = list(value)
        else:
            continue
        if done:
            busy.discard(key)
            known[key] = 1 + sum(known.get(id(c), 1) for c in children)
            continue
        if key in known:
            continue
        if key in busy:
            return -1, unique  # contains itself: endless once expanded
        busy.add(key)
        unique += 1 + len(children)
        stack.append((value, True))
        stack.extend((c, False) for c in children if isinstance(c, dict | list | tuple | set))
    return known.get(id(data), 1), unique


def alias_line(text: str) -> int:
    """Return the index of the first line of a YAML text that uses an alias ('*name'), else 0."""
    for number, line in enumerate(text.split("\n")):
        if _ALIAS.search(line):
            return number
    return 0


def expansion_problem(data: Any, text: str) -> str | None:
    """Return why YAML data whose aliases expand too far is refused, or None."""
    if "*" not in text:
        return None
    expanded, unique = expansion(data)
    if expanded < 0:
        return "a YAML alias ('*name') is used inside the value it names, which never ends; write the value out"
    if expanded - unique <= MAX_EXPANSION:
        return None
    return (f"YAML aliases ('*name') expand these values to more than {unique + MAX_EXPANSION:,} values; "
            "write the values out instead of repeating an anchor ('&name')")


def xml_problem(text: str) -> str | None:
    """Return why a text cannot go into HTML and XML files (a control character), or None."""
    found = _XML_ILLEGAL.search(text)
    return None if found is None else f"holds the control character U+{ord(found.group()):04X}, " \
                                      "which web pages and feeds cannot hold; remove it"


def line_problem(text: str) -> str | None:
    """Return why a single-line value (a title, a tag) is refused: a line break or control character."""
    found = _LINE_BREAKING.search(text)
    return None if found is None else f"must be one line without control characters " \
                                      f"(it holds U+{ord(found.group()):04X})"


def declaration_problem(body: str) -> tuple[int, str] | None:
    """Return (line index in the body, message) when a body holds too many HTML declarations, or None."""
    if "<" not in body:
        return None
    count = body.count("<!--") + body.count("<![") + body.count("<?")
    if count <= MAX_MARKUP_DECLARATIONS:
        return None
    first = min(i for i in (body.find("<!--"), body.find("<!["), body.find("<?")) if i >= 0)
    return body.count("\n", 0, first), (f"the text holds {count:,} HTML comments, CDATA sections or processing "
                                        f"instructions ('<!--', '<![', '<?'), more than {MAX_MARKUP_DECLARATIONS}: "
                                        "Markdown would take minutes to read them; remove them")


def bracket_problem(body: str) -> tuple[int, str] | None:
    """Return (line index in the body, message) for a paragraph with too many '[', or None.

    Fenced code is not read by Markdown's inline patterns, so its brackets do not count.
    """
    if body.count("[") <= MAX_BRACKETS:
        return None
    count, start, fence = 0, 0, ""
    for number, line in enumerate(body.split("\n")):
        opening = _FENCE.match(line)
        if fence:
            fence = "" if line.strip().startswith(fence) else fence
            continue
        if opening:
            fence, count = opening.group(1)[:3], 0
            continue
        if not line.strip():
            count, start = 0, number + 1
            continue
        count += line.count("[")
        if count > MAX_BRACKETS:
            return start, (f"this paragraph holds more than {MAX_BRACKETS:,} '[': Markdown would take minutes "
                           "to read it; split it, or put it in a code block (```)")
    return None


def text_problems(value: Any, one_line: Collection[str] = (), skip: Collection[str] = (),
                  keys: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Yield (key path, message) for every text of YAML data that web pages and feeds cannot hold,
    and for line breaks in the values of ``one_line`` keys; top-level ``skip`` keys are left out."""
    if isinstance(value, str):
        problem = xml_problem(value)
        if problem is None and keys and keys[-1] in one_line:
            problem = line_problem(value.strip())
        if problem is not None:
            yield keys, f"'{'.'.join(str(k) for k in keys)}' {problem}"
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if not keys and key in skip:
                continue
            if isinstance(key, str) and xml_problem(key):
                yield keys, f"a key of '{'.'.join(str(k) for k in keys) or 'the settings'}' {xml_problem(key)}"
            yield from text_problems(item, one_line, skip, (*keys, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from text_problems(item, one_line, skip, (*keys, index))


def body_problems(body: str) -> Iterator[tuple[int, str]]:
    """Yield (line index in the body, message) for a character web pages cannot hold, and for text
    Markdown would take minutes on."""
    problem = xml_problem(body)
    if problem is not None:
        offset = _XML_ILLEGAL.search(body).start()  # type: ignore[union-attr]
        yield body.count("\n", 0, offset), f"the text {problem}"
    for found in (bracket_problem(body), declaration_problem(body)):
        if found is not None:
            yield found


MAX_SEGMENT_BYTES = 200
"""The longest name of one part of a site path (file systems take 255 bytes; cmhub adds suffixes)."""
_PATH_CHARACTERS = re.compile(r"^[\w\-.~/%'()+,;=@&$]*$")
_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def plain_path_problem(path: str) -> str | None:
    """Return why ``path`` is not a plain site path ('/old/page/'), or None when it is one.

    Stricter than cmhub.core.urls.site_path_problem (which checks the ledger's paths): also none of the
    characters that hosts' redirect rules give a meaning to, no hidden part, no over-long part.

    A plain site path starts with '/', has no white space or control character, no '.' or '..'
    part, no empty part, no scheme or host, no query or fragment, none of the characters that hosts'
    redirect rules give a meaning to ('*', ':', '!'), and parts of at most MAX_SEGMENT_BYTES bytes.
    """
    if not path.startswith("/"):
        return "must start with '/'"
    if any(c.isspace() or unicodedata.category(c)[0] in "CZ" for c in path):
        return "must not hold spaces, line breaks or control characters"
    if path.startswith("//"):
        return "must be a path on this site, without a host"
    if not _PATH_CHARACTERS.match(path) or _PERCENT.search(path):
        bad = next((c for c in path if not _PATH_CHARACTERS.match(c)), "%")
        return f"must not hold {bad!r} (only letters, digits and - . _ ~ / % ' ( ) + , ; = @ & $)"
    parts = path.strip("/").split("/")
    if path != "/" and any(part in ("", ".", "..") for part in parts):
        return "must not hold empty, '.' or '..' parts"
    if any(part.startswith(".") for part in parts):
        return "must not hold parts starting with '.'"
    if any(len(part.encode("utf-8")) > MAX_SEGMENT_BYTES for part in parts):
        return f"must not hold a part longer than {MAX_SEGMENT_BYTES} bytes"
    return None
