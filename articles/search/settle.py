"""Settling search documents: moving them from the cheap GIN tier into the rum tier, off the writers' path.

Every write leaves its document unsettled (migration 0015): the partial GIN index takes it for well
under 2 ms, and search finds it at once. Here, later and in another process (the `settle_search_index`
task a worker runs after each import, or `manage.py settle_search_index` from cron), documents are
flipped to settled, which puts them into the partial rum index. Two ways:

- row by row, `batch_size` documents a transaction: each costs the server rum's insert (4–20 ms of
  CPU a document), and locks only its batch, briefly. `FOR UPDATE SKIP LOCKED` lets two workers
  share the work; a settled document is never picked again, so a second run finds nothing to do.
- a rebuild, when the backlog is a large part of the table (GAOKU_SEARCH_REBUILD_FRACTION, at
  least REBUILD_MIN_ROWS documents): a temporary GIN index over the whole table is built
  (CONCURRENTLY), the rum index dropped, every document flipped (now cheap), the rum index built
  again (CONCURRENTLY, in bulk, several times cheaper a row than inserting into it) and the
  temporary index dropped. Search stays live and correct throughout, but while the rum index is
  missing the settled tier is ranked from the heap, as the GIN backend ranks (slow for very common
  words at a million documents); and the rebuild costs the whole table, not just the backlog.

Nothing to do on SQLite or on PostgreSQL without rum: there is one index and no tier.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import connection, transaction

from .base import DOC_TABLE
from .postgres import SETTLED_RUM, has_rum_index

ALL_GIN = "articles_searchdoc_vector_all"  # the rebuild's temporary index over every document
BATCH = 200  # documents a transaction, row by row: a few seconds of rum inserts at most
REBUILD_BATCH = 5000  # documents a transaction during a rebuild (no rum index to feed then)
REBUILD_MIN_ROWS = 2_000  # a backlog smaller than this is settled row by row whatever its share (seconds)
# One worker at a time rebuilds (a session advisory lock, held for the rebuild).
REBUILD_LOCK = int.from_bytes(hashlib.blake2b(b"gaoku.search.rebuild", digest_size=8).digest(), "big", signed=True)


@dataclass
class Settled:
    rows: int = 0  # documents this run flipped to settled
    backlog: int = 0  # unsettled documents when it started
    rebuilt: bool = False  # the rum index was rebuilt
    skipped: str = ""  # why nothing was done
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return asdict(self)


def tiered() -> bool:
    """Whether this database keeps two tiers (PostgreSQL with rum)."""
    return connection.vendor == "postgresql" and has_rum_index()


def backlog() -> int:
    """How many documents are unsettled (0 where there are no tiers)."""
    if not tiered():
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {DOC_TABLE} WHERE NOT settled")
        return cursor.fetchone()[0]


def _index_state(name: str) -> bool | None:
    """None: no such index; else whether it is valid (a CONCURRENTLY build that died leaves it invalid)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT x.indisvalid FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
                       "WHERE i.relname = %s AND x.indrelid = %s::regclass", [name, DOC_TABLE])
        row = cursor.fetchone()
    return None if row is None else row[0]


def _table_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = %s::regclass", [DOC_TABLE])
        estimate = cursor.fetchone()[0]
        if estimate:
            return estimate
        cursor.execute(f"SELECT count(*) FROM {DOC_TABLE}")
        return cursor.fetchone()[0]


def should_rebuild(pending: int, total: int) -> bool:
    fraction = settings.GAOKU_SEARCH_REBUILD_FRACTION
    return pending >= REBUILD_MIN_ROWS and pending >= fraction * max(total, 1)


def _flip(batch_size: int) -> int:
    """Settle up to batch_size unsettled documents no other transaction holds; how many it settled."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {DOC_TABLE} SET settled = true WHERE article_id IN ("
            f"SELECT article_id FROM {DOC_TABLE} WHERE NOT settled ORDER BY article_id LIMIT %s "
            "FOR UPDATE SKIP LOCKED) AND NOT settled", [batch_size])
        return cursor.rowcount


def settle(*, batch_size: int = BATCH, max_rows: int | None = None, rebuild: bool | None = None) -> Settled:
    """Settle the unsettled documents (at most max_rows of them row by row); `rebuild` True or False
    forces or forbids the rebuild, None chooses by the backlog's share of the table."""
    started = time.monotonic()
    if not tiered():
        return Settled(skipped="no rum tier on this database")
    result = Settled(backlog=backlog())
    rum = _index_state(SETTLED_RUM)
    if rebuild is None:
        # A rebuild that stopped half way (no valid rum index) is finished whatever the backlog.
        rebuild = not rum or should_rebuild(result.backlog, _table_rows())
    if rebuild and connection.in_atomic_block:
        if rum:
            rebuild = False  # CONCURRENTLY needs autocommit: row by row instead
        else:
            return Settled(backlog=result.backlog, skipped="the rum index is being rebuilt (not in a transaction)")
    if rebuild:
        result = _rebuild(result)
    else:
        while max_rows is None or result.rows < max_rows:
            step = batch_size if max_rows is None else min(batch_size, max_rows - result.rows)
            done = _flip(step)
            result.rows += done
            if done == 0:
                break
    result.seconds = round(time.monotonic() - started, 3)
    return result


def _execute(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _rebuild(result: Settled) -> Settled:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [REBUILD_LOCK])
        if not cursor.fetchone()[0]:
            result.skipped = "another worker is rebuilding the rum index"
            return result
    try:
        # 1. Every document findable through one GIN index while the rum index is away.
        if _index_state(ALL_GIN) is False:
            _execute(f"DROP INDEX CONCURRENTLY IF EXISTS {ALL_GIN}")
        _execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {ALL_GIN} ON {DOC_TABLE} USING gin (search_vector)")
        # 2. No rum index: flipping a document costs a GIN and a btree entry, not a rum insert.
        _execute(f"DROP INDEX CONCURRENTLY IF EXISTS {SETTLED_RUM}")
        while done := _flip(REBUILD_BATCH):
            result.rows += done
        # 3. The rum index over the settled documents, built in bulk; then the temporary index goes.
        _execute(f"CREATE INDEX CONCURRENTLY {SETTLED_RUM} ON {DOC_TABLE} "
                 "USING rum (search_vector rum_tsvector_ops) WHERE settled")
        _execute(f"DROP INDEX CONCURRENTLY IF EXISTS {ALL_GIN}")
        result.rebuilt = True
    finally:
        _execute("SELECT pg_advisory_unlock(%s)", [REBUILD_LOCK])
    return result


def settle_later() -> None:
    """Have a worker settle what this transaction wrote, once it commits (nothing to do without tiers).

    At most one settle task waits in the queue: a worker that takes it settles everything unsettled then.
    """
    if tiered():
        transaction.on_commit(_enqueue)


def _enqueue() -> None:
    from articles.tasks import enqueue_once, settle_search_index

    enqueue_once(settle_search_index)
