"""Reading permalinks.lock line by line: every damage found, each at its line.

The checks: the closing line (a file without it was cut short),
duplicate keys, ids and URLs, fields, instants, and every URL against the site-path rules (a
newline or a space would write rules into `_redirects`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from pathlib import Path

from cmhub import __version__
from cmhub.core.errors import CmhubError, Problem, did_you_mean, error
from cmhub.core.urls import site_path_problem
from cmhub.ledgers.permalinks_lock import END, LEDGER_NAME, RESTORE, VERSION, Entry, Ledger, Retired
from cmhub.output.seals import read_sealed, write_sealed
from cmhub.settings.yamlsource import Locator, load_yaml

_ARTICLE_KEYS = ("id", "published", "url", "old_urls", "title")


def parse_ledger(text: str, source: str = LEDGER_NAME) -> Ledger:
    """Return the ledger in a text; raise CmhubError at the line of every damage found."""
    if not text.strip():
        raise CmhubError([error(source, 1, f"is empty, so every URL and feed id it recorded would be lost; "
                                f"{RESTORE}; to start a new ledger on purpose, delete the file")])
    lines = text.split("\n")
    if not text.startswith("version:") and "\nversion:" not in text:
        return _legacy(text, source)
    reader = _Reader(source)
    section = ""
    ended = 0
    for number, raw in enumerate(lines, 1):
        line = raw.rstrip("\r")
        if ended and line.strip() and not line.startswith("#"):
            reader.fail(number, f"comes after the closing line '{END}' (line {ended}); move it above")
        elif line.rstrip() == END:
            ended = ended or number
        elif not line.strip() or line.startswith("#"):
            continue
        elif line.startswith("version:"):
            reader.version(number, line[len("version:"):].strip())
        elif line.rstrip() in ("articles:", "retired:"):
            section = line.rstrip()[:-1]
        elif line.startswith(" ") and section:
            reader.item(section, number, line)
        else:
            reader.fail(number, "is not a line of a permalink ledger (expected 'version:', 'articles:', "
                        "'retired:' or an indented entry)")
    if not ended:
        last = max((n for n, raw in enumerate(lines, 1) if raw.strip()), default=1)
        reader.fail(last, f"the ledger ends here without its closing line '{END}': it was cut short; "
                    f"{RESTORE}; if you edited it on purpose, end it with that line")
    return reader.finish()


class _Reader:
    """Checks the ledger's lines one by one, gathering every problem."""

    def __init__(self, source: str):
        self.source = source
        self.problems: list[Problem] = []
        self.entries: dict[str, Entry] = {}
        self.retired: dict[str, Retired] = {}
        self.ids: dict[str, str] = {}
        self.urls: dict[str, str] = {}

    def fail(self, line: int | None, message: str) -> None:
        self.problems.append(error(self.source, line, message))

    def version(self, number: int, value: str) -> None:
        if value != str(VERSION):
            self.fail(number, f"version {value!r} is not one this cmhub reads (it writes version {VERSION}); "
                      "upgrade cmhub, or restore the file from version control")

    def item(self, section: str, number: int, line: str) -> None:
        pair = _key_value(line)
        if pair is None:
            self.fail(number, "cannot be read: expected one entry per line, such as "
                      + ('  "content/a.md": {"id": "...", "published": "...", "url": "/a/"}' if section == "articles"
                         else '  "/old-url/": "gone"'))
            return
        key, value = pair
        if section == "articles":
            self.article(number, key, value)
        else:
            self.retire(number, key, value)

    def article(self, number: int, key: object, value: object) -> None:
        if not isinstance(key, str) or _source_problem(key):
            self.fail(number, f"{key!r} is not an article file ({_source_problem(str(key))})")
            return
        if key in self.entries:
            self.fail(number, f"'{key}' is listed twice (also line {self.entries[key].line}); keep one of the lines")
            return
        entry = self.check_entry(number, key, value)
        if entry is None:
            return
        for seen, what, value_seen in ((self.ids, "feed id", entry.id), (self.urls, "URL", "/" + entry.path)):
            if value_seen in seen:
                other = seen[value_seen]
                self.fail(number, f"{what} '{value_seen}' is also the {what} of '{other}' "
                          f"(line {self.entries[other].line}): every article has its own; {RESTORE}")
                return
        self.ids[entry.id], self.urls["/" + entry.path] = key, key
        self.entries[key] = entry

    def check_entry(self, number: int, key: str, value: object) -> Entry | None:
        if not isinstance(value, Mapping):
            self.fail(number, f"'{key}' must be followed by {{\"id\": ..., \"published\": ..., \"url\": ...}}")
            return None
        before = len(self.problems)
        for name in value:
            if name not in _ARTICLE_KEYS:
                self.fail(number, f"unknown field {name!r}{did_you_mean(str(name), _ARTICLE_KEYS)}")
        for name in ("id", "published", "url"):
            if name not in value:
                self.fail(number, f"'{key}' has no {name!r}; {RESTORE}")
        if len(self.problems) > before:
            return None
        entry_id, title = value["id"], value.get("title", "")
        if not isinstance(entry_id, str) or not entry_id or not entry_id.isprintable() or " " in entry_id:
            self.fail(number, f"'id' must be a feed id without spaces, got {entry_id!r}")
        if not isinstance(title, str):
            self.fail(number, f"'title' must be a string, got {title!r}")
        published = _instant(value["published"])
        if published is None:
            self.fail(number, "'published' must be an ISO 8601 instant with its offset "
                      f"(2026-12-01T09:00:00+01:00), got {value['published']!r}")
        path = self.url(number, "url", value["url"])
        olds = value.get("old_urls") or []
        if not isinstance(olds, list):
            self.fail(number, f"'old_urls' must be a list of URLs, got {olds!r}")
            olds = []
        old_paths = tuple(self.url(number, "old_urls", old) for old in olds)
        if len(self.problems) > before or published is None or path is None or None in old_paths:
            return None
        return Entry(entry_id, published, path, tuple(p for p in old_paths if p is not None), title, number)

    def retire(self, number: int, key: object, value: object) -> None:
        path = self.url(number, "retired URL", key)
        target: str | None = ""
        if isinstance(value, Mapping) and set(value) == {"redirect_to"}:
            target = self.url(number, "redirect_to", value["redirect_to"])
        elif value != "gone":
            self.fail(number, f"a retired URL is followed by \"gone\" or {{\"redirect_to\": \"/url/\"}}, got {value!r}")
            return
        if path is None or target is None:
            return
        if path in self.retired:
            self.fail(number, f"'/{path}' is retired twice (also line {self.retired[path].line}); "
                      "keep one of the lines")
        elif target == path:
            self.fail(number, f"'/{path}' cannot redirect to itself")
        else:
            self.retired[path] = Retired(path, target, number)

    def url(self, number: int, name: str, value: object) -> str | None:
        """Return the site path of a URL read from the ledger ('/a/' -> 'a/'), or None after a problem."""
        problem = "must start with '/'" if not isinstance(value, str) or not value.startswith("/") \
            else site_path_problem(value[1:])
        if problem:
            self.fail(number, f"{name} {value!r} {problem}; {RESTORE}")
            return None
        return str(value)[1:]

    def finish(self) -> Ledger:
        if self.problems:
            raise CmhubError(self.problems)
        return Ledger(self.entries, self.retired)


_DECODER = json.JSONDecoder()
"""Reads the two JSON values of each line (one decoder for the whole file: making one costs as much as a line)."""


def _key_value(line: str) -> tuple[object, object] | None:
    """Return the key and value of one entry line ('  "key": value', both in JSON), or None."""
    text = line.strip()
    try:
        key, end = _DECODER.raw_decode(text)
        if text[end:end + 2] != ": ":
            return None
        value, end = _DECODER.raw_decode(text, end + 2)
    except ValueError:
        return None
    return (key, value) if not text[end:].strip() else None


def _instant(value: object) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    else:
        return None
    return moment if moment.tzinfo is not None else None


def _source_problem(key: str) -> str:
    if not key.endswith(".md"):
        return "it must end with '.md'"
    if key.startswith("/") or "\\" in key or ".." in key.split("/") or not key.isprintable():
        return "it must be a path inside the project, such as 'content/a.md'"
    return ""


def _legacy(text: str, source: str) -> Ledger:
    """Read a ledger written by cmhub before version 2 (one YAML block per article); it is rewritten."""
    data = load_yaml(text, source)
    if not isinstance(data, Mapping) or not isinstance(data.get("articles"), Mapping) or not data["articles"]:
        raise CmhubError([error(source, 1, f"has no 'version: {VERSION}' line: it was cut short or damaged; "
                                f"{RESTORE}")])
    locate = Locator(source, text)
    reader = _Reader(source)
    for key, value in data["articles"].items():
        reader.article(locate.line("articles", str(key)), key, value)
    retired = data.get("retired") or {}
    if not isinstance(retired, Mapping):
        reader.fail(locate.line("retired"), f"'retired' must be a mapping of URLs; {RESTORE}")
        retired = {}
    for key, value in retired.items():
        reader.retire(locate.line("retired", str(key)), key, value)
    return reader.finish()


def load_ledger(root: Path, trust: Path | None = None) -> tuple[Ledger, str]:
    """Read the project's ledger; return it with its text ('' when there is none yet).

    ``trust`` is a sealed record in the build cache of the last text read with every check passed: the same
    text is read again without its checks (they cost ~0.1 s at 10,000 articles, 1 s at 100,000), and a text
    read with its checks is recorded there. Raises CmhubError when it is damaged or cannot be read.
    """
    path = root / LEDGER_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Ledger(), ""
    except (OSError, UnicodeDecodeError) as exc:
        raise CmhubError([error(LEDGER_NAME, None, f"cannot be read: {exc}; {RESTORE}")]) from exc
    if trust is None:
        return parse_ledger(text), text
    checked = f"{__version__}\0{hashlib.sha256(text.encode('utf-8', 'surrogatepass')).hexdigest()}".encode()
    if read_sealed(trust, _TRUSTED) == checked:
        ledger = _unchecked(text)
        if ledger is not None:
            return ledger, text
    ledger = parse_ledger(text)
    try:
        write_sealed(trust, checked, _TRUSTED)
    except OSError:  # a cache that cannot be written only costs time
        pass
    return ledger, text


_TRUSTED = "permalinks-checked"


def _unchecked(text: str) -> Ledger | None:
    """Return the ledger of a text that parse_ledger read before without a problem, as it read it, without its
    checks; None for a text it cannot read so (the checks then tell why)."""
    if not text.startswith("version:") and "\nversion:" not in text:
        return None  # the older format, read once and rewritten
    lines: dict[str, tuple[list[int], list[str]]] = {"articles": ([], []), "retired": ([], [])}
    section = ""
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.rstrip("\r")
        if line.startswith(" ") and section and line.strip():
            numbers, items = lines[section]
            numbers.append(number)
            items.append(line)
        elif line.rstrip() in ("articles:", "retired:"):
            section = line.rstrip()[:-1]
    try:  # each section's lines are the entries of one JSON object (a checked text has no key twice)
        articles, retired = ({} if not items else json.loads("{" + ",".join(items) + "}")
                             for _, items in lines.values())
        if len(articles) != len(lines["articles"][0]) or len(retired) != len(lines["retired"][0]):
            return None
        return Ledger(
            {key: Entry(value["id"], _instant(value["published"]), value["url"][1:],
                        tuple(old[1:] for old in value.get("old_urls") or ()), value.get("title", ""), number)
             for number, (key, value) in zip(lines["articles"][0], articles.items(), strict=True)},
            {key[1:]: Retired(key[1:], "" if value == "gone" else value["redirect_to"][1:], number)
             for number, (key, value) in zip(lines["retired"][0], retired.items(), strict=True)})
    except (ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None
