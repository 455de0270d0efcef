"""The one recipe for keys: what an output or a cache entry is made from, digested.

Every key, and every key of the build caches, is made by ``digest``: cmhub's version first, so that
another cmhub never takes a file made by this one. Digests that name things in the output (calendar
UIDs, the fingerprints of static files, the search index's fragments) or check bytes (manifests,
seals) are not keys: they keep their own formulas, which the golden trees pin.

A light module (hashlib only): the "nothing changed" check digests with it too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from cmhub import __version__


def digest(*parts: object) -> str:
    """Return the digest of what an output is made from: cmhub's version, then each part (text as it
    is, anything else by its ``repr``). The one recipe for the keys of outputs and caches."""
    return digest_of(parts)


def digest_of(parts: Iterable[object]) -> str:
    """Return ``digest(*parts)``, the parts read one at a time (a stream of records need not be held)."""
    hashed = hashlib.sha256(__version__.encode())
    for part in parts:
        hashed.update(b"\0")
        hashed.update((part if isinstance(part, str) else repr(part)).encode("utf-8", "surrogatepass"))
    return hashed.hexdigest()
