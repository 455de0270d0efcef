"""Meta's export encoding, repaired exactly.

Instagram and Facebook write every string of their JSON exports with each byte of its UTF-8 form
escaped as one character: 'é' (bytes C3 A9) becomes "\\u00c3\\u00a9", read back as 'Ã©'
(pixelfed/pixelfed#4479 and PR #4726; the fix is ``s.encode('latin-1').decode('utf-8')``).

The repair is applied only where it is exact: a string is replaced only when all its characters
are below U+0100 and their bytes form valid UTF-8, so that mangling the result again gives the
string back. A document in which some string holds a character above U+00FF was not written that
way (every character of a mangled string is below U+0100), so it is left untouched as a whole.
"""

from __future__ import annotations

from typing import Any


def repair(text: str) -> str:
    """Return the text Meta meant when ``text`` is its byte-per-character form, else ``text`` itself."""
    if text.isascii():
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def mangle(text: str) -> str:
    """Return ``text`` written the way Meta's exports write it (each UTF-8 byte as one character)."""
    return text.encode("utf-8").decode("latin-1")


def is_mangled_document(data: Any) -> bool:
    """Tell whether a parsed JSON document can be in Meta's encoding: no character above U+00FF."""
    return all(max(text, default="\0") <= "\xff" for text in _strings(data))


def repair_document(data: Any) -> Any:
    """Return a parsed JSON document with every string (keys too) repaired, if it is in Meta's encoding.

    A document with a character above U+00FF anywhere is returned as it is.
    """
    if not is_mangled_document(data):
        return data
    return _repaired(data)


def _repaired(data: Any) -> Any:
    if isinstance(data, str):
        return repair(data)
    if isinstance(data, list):
        return [_repaired(value) for value in data]
    if isinstance(data, dict):
        return {repair(key): _repaired(value) for key, value in data.items()}
    return data


def _strings(data: Any):
    """Yield every string of a parsed JSON document, keys included (iteratively: exports nest deep)."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            yield value
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
