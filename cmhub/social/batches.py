"""What the team imports into a scheduler: social/batches/<batch>/, one folder per build that handed
teasers out, never changed by later builds' plans.

A batch holds the teasers one build planned (teasers.csv, and publer/<network>.csv for Publer's bulk
import) and the teasers it took back (cancelled.csv: delete them from the scheduler). Each teaser
planning belongs to exactly one batch, recorded in plan.lock, so a team that imports every batch once,
in order, never posts anything twice. teasers.csv and publer/ at the top of social/ stay the current
view of everything still to come.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from functools import partial

from cmhub.content.model import Article, Site
from cmhub.core.dates import utc_iso
from cmhub.core.frozen import replaced
from cmhub.incremental.reuse import ReuseCheck, digest, reuse_or_make
from cmhub.ledgers.plan_lock import PlanEntry, PlanLedger
from cmhub.output.files import OutputFile
from cmhub.settings.social import posted_by_cmhub
from cmhub.social.accounts import account_for
from cmhub.social.exports import NEUTRAL_COLUMNS, PUBLER_COLUMNS, neutral_row, publer_row
from cmhub.social.spreadsheet import csv_bytes
from cmhub.social.teaser import Teaser

BATCH_COLUMNS = [*NEUTRAL_COLUMNS, "variant"]
CANCELLED_COLUMNS = ["network", "account", "scheduled_utc", "scheduled_local", "article", "variant",
                     "handed_out_in", "reason"]
INDEX_COLUMNS = ["batch", "teasers", "cancelled"]


def batch_files(site: Site, teasers: Sequence[Teaser], ledger: PlanLedger, reuse: ReuseCheck = None,
                parts: Mapping[str, str] | None = None) -> Iterator[OutputFile]:
    """Yield batches/index.csv and every batch's files, made from plan.lock and the current teasers; a
    batch's files are kept as the previous output holds them (``reuse``) while its entries, and what its
    articles' teasers are made of (``parts``: cmhub.social.exports.described_teasers), stay the same."""
    by_key = {(t.source, t.network, t.variant): t for t in teasers}
    by_cmhub = posted_by_cmhub(site.config.networks)  # cmhub posts them itself: not for a scheduler
    # each entry is visited once, not once a batch: a hub built on a cron for years has hundreds of batches
    handed_in: dict[str, list[PlanEntry]] = defaultdict(list)
    cancelled_in: dict[str, list[PlanEntry]] = defaultdict(list)
    for entry in ledger.entries:
        if entry.batch and entry.network not in by_cmhub:
            handed_in[entry.batch].append(entry)
        if entry.closed:
            cancelled_in[entry.closed].append(entry)
    articles = {article.source: article for article in site.articles}
    index = []
    for batch in ledger.batches():
        handed = sorted(handed_in.get(batch, ()), key=_in_order)
        cancelled = sorted(cancelled_in.get(batch, ()), key=_in_order)
        index.append([batch, str(len(handed)), str(len(cancelled))])
        networks = sorted({e.network for e in handed})
        paths = [f"batches/{batch}/teasers.csv", *(f"batches/{batch}/publer/{network}.csv" for network in networks),
                 *([f"batches/{batch}/cancelled.csv"] if cancelled else [])]
        key = "" if reuse is None or parts is None else \
            _batch_key(site, batch, handed, cancelled, by_key, articles, parts)
        yield from reuse_or_make(reuse, paths, key,
                                 partial(_batch, site, batch, handed, cancelled, networks, by_key, articles))
    if index:
        yield OutputFile("batches/index.csv", _csv(INDEX_COLUMNS, index))


def _batch(site: Site, batch: str, handed: Sequence[PlanEntry], cancelled: Sequence[PlanEntry],
           networks: Sequence[str], by_key: dict[tuple[str, str, str], Teaser],
           articles: Mapping[str, Article]) -> Iterator[OutputFile]:
    """Yield one batch's files: its teasers, its Publer imports by network, what it took back."""
    rows = [(entry, _teaser(site, by_key, articles, entry)) for entry in handed]
    yield OutputFile(f"batches/{batch}/teasers.csv",
                     _csv(BATCH_COLUMNS, [[*neutral_row(site, t), e.variant] for e, t in rows]))
    for network in networks:
        yield OutputFile(f"batches/{batch}/publer/{network}.csv",
                         csv_bytes(PUBLER_COLUMNS, [publer_row(t) for e, t in rows if e.network == network],
                                   verbatim=True))
    if cancelled:
        yield OutputFile(f"batches/{batch}/cancelled.csv", _csv(CANCELLED_COLUMNS, [
            [e.network, _account(site, articles, e), utc_iso(e.at), e.at.astimezone(site.config.tz).isoformat(),
             e.source, e.variant, e.batch, e.note] for e in cancelled]))


def _batch_key(site: Site, batch: str, handed: Sequence[PlanEntry], cancelled: Sequence[PlanEntry],
               by_key: dict[tuple[str, str, str], Teaser], articles: Mapping[str, Article],
               parts: Mapping[str, str]) -> str:
    """Return the key of a batch's files: its entries, and for each teaser it handed out the description of
    its article's teasers (texts, accounts, pictures), or the account of a teaser gone since."""
    described: list[str] = [site.config.timezone]  # its rows give each instant in the hub's zone, named
    for entry in handed:
        if by_key.get(entry.key) is None:
            described.append(f"{_entry(entry)}|gone|{_account(site, articles, entry)}")
        else:
            described.append(f"{_entry(entry)}|{parts.get(entry.source)}")
    described.extend(f"{_entry(entry)}|{_account(site, articles, entry)}" for entry in cancelled)
    return digest("batch", batch, *described)


def _entry(entry: PlanEntry) -> str:
    """Return what a batch's files show of a plan.lock entry, as text."""
    return (f"{entry.source}|{entry.network}|{entry.variant}|{entry.at.isoformat()}|{entry.batch}|{entry.closed}|"
            f"{entry.note}")


def _teaser(site: Site, by_key: dict[tuple[str, str, str], Teaser], articles: Mapping[str, Article],
            entry: PlanEntry) -> Teaser:
    """Return the teaser of an entry at its recorded instant (its current text; empty when it is gone)."""
    found = by_key.get(entry.key)
    at = entry.at.astimezone(site.config.tz)
    if found is not None:
        return replaced(found, at=at)
    return Teaser(network=entry.network, account=_account(site, articles, entry), source=entry.source, slug="",
                  title="", text="", link="", link_text="", hashtags=(), first_comment="", thread=(), at=at,
                  length=0, limit=0, written=False, variant=entry.variant)


def _in_order(entry: PlanEntry) -> tuple[object, ...]:
    return entry.at, entry.network, entry.source


def _account(site: Site, articles: Mapping[str, Article], entry: PlanEntry) -> str:
    network = site.config.networks.get(entry.network)
    article = articles.get(entry.source)
    routed = account_for(site, network, article) if network is not None and article is not None else network
    return routed.handle if routed is not None else ""


def _csv(columns: list[str], rows: list[list[str]]) -> bytes:
    return csv_bytes(columns, rows)  # cells a spreadsheet would run as formulas are marked as text
