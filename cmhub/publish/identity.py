"""Names a post gets before it is sent, the same in every run: what makes a retry recognisable.

Both derive from the teaser key and its planning (plan.lock's ``planned``), plus the part's number (0
for the first post, 1… for the replies under it): a run that crashed after the network accepted a post
sends the same name again, and the network answers with the post it already has (Mastodon's
``Idempotency-Key``) or refuses a second record under that key (Bluesky's record key).
"""

from __future__ import annotations

import hashlib

from cmhub.core.dates import utc_iso
from cmhub.publish.due import Job

_SORTABLE = "234567abcdefghijklmnopqrstuvwxyz"
"""The base32 alphabet of atproto TIDs, in sort order."""


def _digest(job: Job, part: int) -> bytes:
    source, network, variant = job.key
    return hashlib.sha256(f"cmhub\0{source}\0{network}\0{variant}\0{utc_iso(job.planned)}\0{part}".encode()).digest()


def idempotency_key(job: Job, part: int = 0) -> str:
    """Return the Idempotency-Key of one part of a teaser's post (Mastodon keeps it about an hour)."""
    return "cmhub-" + _digest(job, part).hex()[:40]


def record_key(job: Job, part: int = 0) -> str:
    """Return the atproto record key (a TID) of one part of a teaser's post.

    A TID is 64 bits written as 13 sortable base32 characters: a zero bit, 53 bits of microseconds since
    1970 and 10 bits of "clock id". Here the microseconds are the teaser's planned instant plus an offset
    under one second, and the clock id comes from the digest: stable, and distinct between teasers.
    """
    digest = _digest(job, part)
    micros = int(job.due.timestamp()) * 1_000_000 + int.from_bytes(digest[:4], "big") % 1_000_000 + part
    clock = int.from_bytes(digest[4:6], "big") & 0x3FF
    value = ((micros & ((1 << 53) - 1)) << 10) | clock
    return "".join(_SORTABLE[(value >> shift) & 31] for shift in range(60, -1, -5))
