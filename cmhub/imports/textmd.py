"""Plain text (a caption, a status) as Markdown that renders back to the same text; hashtags, titles, words.

A caption is written into the article as it is, except where Markdown (Python-Markdown and the
extensions cmhub enables) would read a character as formatting. Only those characters change:

- anywhere: a backslash, '`', '*', '[', ']' and '{' get a backslash; '_' too, where it could open or
  close emphasis (not between two letters or digits, as in jean_dupont); '<' before a letter, '/',
  '!' or '?' becomes '&lt;'; '&' before '#', before what reads as an entity, or ending the text (the
  next text, of another element, may start with '#') becomes '&amp;';
- at the start of a line: '#', '>', '-', '+' and '!!!' get a backslash, the dot of '1. ' too;
  ':' and '|' become '&#58;' and '&#124;', a line of '=' or '~~~' starts with '&#61;' or '&#126;';
  spaces and tabs in front of a line and after it are dropped (they would make code blocks or
  line breaks); other control characters than tab and newline are dropped.

Lines stay lines and blank lines stay paragraph breaks (a browser shows lines of one paragraph
side by side, as Markdown always does).
"""

from __future__ import annotations

import html

import regex

_INLINE = regex.compile(r"[\\`*\[\]{]|(?<![^\W_])_|_(?![^\W_])|<(?=[A-Za-z/!?])|&(?=\#|[A-Za-z0-9]+;|$)")
_INLINE_SUBSTITUTES = {"<": "&lt;", "&": "&amp;"}
_ORDERED = regex.compile(r"^(\d+)\.(?=[ \t]|$)")
_CONTROL = regex.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_LINE_START = {"#": "\\#", ">": "\\>", "-": "\\-", "+": "\\+", "|": "&#124;"}

_URL = regex.compile(r"\b(?:https?://|www\.)\S+", regex.IGNORECASE)
_HASHTAGS = regex.compile(r"(?<![\w&#])#(\w+(?:#\w+)*)")
_MENTION = regex.compile(r"(?<![\w@])@[\w.]+")
_WORD = regex.compile(r"\w+(?:['’-]\w+)*")
_SENTENCE_END = regex.compile(r"[.!?…](?=\s)")


def markdown_from_text(text: str) -> str:
    """Return Markdown whose rendering shows ``text`` (see the module docstring for what changes)."""
    lines = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).split("\n")
    return "\n".join(escape_line(line) for line in lines).strip("\n")


def escape_line(line: str, at_line_start: bool = True) -> str:
    """Return one line of plain text as Markdown; ``at_line_start`` when nothing precedes it on its line."""
    line = line.strip(" \t") if at_line_start else line.rstrip(" \t")
    escaped = escape_inline(line)
    return escape_line_start(escaped) if at_line_start else escaped


def escape_inline(text: str) -> str:
    """Return text with the characters escaped that Markdown reads as formatting anywhere in a line
    (control characters, which Markdown uses for its own placeholders, are dropped)."""
    return _INLINE.sub(lambda m: _INLINE_SUBSTITUTES.get(m.group(), "\\" + m.group()), _CONTROL.sub("", text))


def escape_line_start(line: str) -> str:
    """Return a line (already escaped inline) with what Markdown reads at the start of a line escaped."""
    if not line:
        return line
    first = line[0]
    if first in _LINE_START:
        return _LINE_START[first] + line[1:]
    if line.startswith("!!!"):
        return "\\" + line
    if first == ":" and (len(line) == 1 or line[1] in " \t"):
        return "&#58;" + line[1:]
    if first == "=" and not line.strip("= \t"):
        return "&#61;" + line[1:]
    if line.startswith("~~~"):
        return "&#126;" + line[1:]
    return _ORDERED.sub(r"\1\\.", line, count=1)


def destination(url: str) -> str:
    """Return a link destination that Markdown reads whole (spaces, parentheses and angle brackets escaped)."""
    for char, code in ((" ", "%20"), ("(", "%28"), (")", "%29"), ("<", "%3C"), (">", "%3E"), ("\n", "")):
        url = url.replace(char, code)
    return url


def picture_markdown(href: str, alt: str = "", caption: str = "") -> str:
    """Return the Markdown of a picture; with a caption, a figure (rendered through md_in_html)."""
    picture = f"![{escape_inline(' '.join(alt.split()))}]({destination(href)})"
    if not caption.strip():
        return picture
    text = html.escape(" ".join(caption.split()), quote=False)
    return f'<figure markdown="1">\n{picture}\n<figcaption>{text}</figcaption>\n</figure>'


def link_markdown(text: str, url: str) -> str:
    """Return a link; a ']' of its text is written '&#93;' ('[x]: y' at the start of a line reads as a
    link definition, escaped ']' or not)."""
    return f"[{escape_inline(' '.join(text.split())).replace(chr(92) + ']', '&#93;')}]({destination(url)})"


def file_link_markdown(href: str, name: str) -> str:
    """Return a link to a video or another file, shown with its name: '[▶ 02.mp4](...)'."""
    return f"[▶ {escape_inline(name)}]({destination(href)})"


def hashtags(text: str) -> tuple[str, ...]:
    """Return the hashtags of a text in order, once each (case-insensitively): '#a#b #A' -> ('a', 'b').

    Tags are found outside links; a '#' inside a word (C#) or after '&' starts none; tags made of
    digits only are left out, as the networks do.
    """
    found: dict[str, str] = {}
    for match in _HASHTAGS.finditer(_URL.sub(" ", text)):
        for tag in match.group(1).split("#"):
            if not tag.isdigit():
                found.setdefault(tag.casefold(), tag)
    return tuple(found.values())


def count_words(text: str) -> int:
    """Return the number of words of a text, leaving out links, hashtags and mentions."""
    plain = _MENTION.sub(" ", _HASHTAGS.sub(" ", _URL.sub(" ", text)))
    return len(_WORD.findall(plain))


def title_from_text(text: str, limit: int = 70) -> str:
    """Return a title from the first line of a text, without links or hashtags: its first sentence
    when that fits in ``limit`` characters, else its words cut with '…'; '' when no words are left."""
    for line in text.splitlines():
        plain = " ".join(_HASHTAGS.sub(" ", _URL.sub(" ", _CONTROL.sub("", line))).split())
        if plain.strip(" .,;:!?-–—…|"):
            break
    else:
        return ""
    if len(plain) <= limit:
        return plain
    ends = [m.end() for m in _SENTENCE_END.finditer(plain) if m.end() <= limit]
    if ends and ends[-1] >= limit // 3:
        return plain[:ends[-1]]
    cut = plain.rfind(" ", 0, limit)
    return plain[:cut if cut > limit // 3 else limit].rstrip(" ,;:-–—") + "…"
