"""The rows of fields that keys are made of, kept between builds by what each article was made from.

The pages' plan and sitemap.xml are keyed on a few fields of every article, with its state: making those rows
costs ~0.12 s a build at 10,000 articles, ~1.2 s at 100,000, for rows that an edit leaves the same but for the
edited article. An article is fully told by the digest of what it was made from (the reader's
``made_from``), so the digest of its row of given fields is too: a build keeps, in the build cache, that
digest for each article it keyed, and the next build reads it back instead of making the row. An article
whose origin is not known (made otherwise) has its row made, as before.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator, Sequence

from cmhub.content.digests import ArticleDigests, fields_of, row_text
from cmhub.content.model import Article
from cmhub.incremental.cache import RenderCache
from cmhub.incremental.reuse import digest

_ROWS = "field-rows|"


class RowDigests:
    """The digest of each article's row of fields, read from and kept in ``cache`` (none: always made, as for
    articles of unknown origin: the default, with no digests)."""

    def __init__(self, cache: RenderCache | None = None, digests: ArticleDigests | None = None):
        self.cache = cache
        self.digests = digests if digests is not None else ArticleDigests()
        self._kept: dict[str, dict[str, str]] = {}
        """By the fields' key: the digest of each row, by what its article was made from (as read, and made)."""
        self._used: dict[str, dict[str, str]] = {}
        """The same, for the articles this build keyed: what is kept for the next one."""
        self._changed: set[str] = set()
        """The fields' keys whose rows this build made some of: kept anew after each pass."""

    def rows(self, articles: Iterable[Article], names: Sequence[str], now: dt.datetime) -> Iterator[str]:
        """Yield, for each article, the digest of its fields ``names`` (cmhub.content.digests.row_text) and its
        state at ``now``: what the key of an output made from those fields only holds of it. Once all are
        yielded, keep those made for the next build."""
        key = _ROWS + digest(*names)
        kept, used = self._read(key), self._used.setdefault(key, {})
        fields, made_here = fields_of(names), False
        for article in articles:
            made = self.digests.made(article)
            found = kept.get(made) if made is not None else None
            if found is None:
                found = hashlib.blake2b(row_text(fields(article)).encode("utf-8", "surrogatepass"),
                                        digest_size=16).hexdigest()
                if made is not None:
                    kept[made], made_here = found, True
            if made is not None:
                used[made] = found
            yield found + article.state(now)
        if made_here:
            self._changed.add(key)
        if key in self._changed and self.cache is not None:
            self.cache.put(key, dict(used))  # the rows of this build's articles only: the others are let go

    def _read(self, key: str) -> dict[str, str]:
        found = self._kept.get(key)
        if found is None:
            read = self.cache.take(key) if self.cache is not None else None
            valid = type(read) is dict and all(type(k) is str and type(v) is str and len(v) == 32
                                               for k, v in read.items())
            found = self._kept[key] = read if valid else {}  # type: ignore[assignment]
        return found
