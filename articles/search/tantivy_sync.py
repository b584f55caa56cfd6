"""Bring this machine's tantivy index up to the database: the documents written since its watermark.

Every machine that serves search keeps its own index and follows the database as a replica follows
its primary: `manage.py sync_search_index --follow 5` beside the web server, and the
`sync_search_index` task a worker runs after each import or edit (for the worker's own machine).

What was written since: a trigger (migration 0016) stamps every written document with a `revision`.

- PostgreSQL: the writing transaction's id. Ids are handed out in one order and committed in
  another, so the highest id read says nothing about the lower ones still running. The sync takes a
  snapshot *before* it reads: every id below its xmax that it does not list as running had finished
  by then, so its rows are visible to the read that follows (or were read by an earlier sync). The
  next sync reads the revisions at or above that xmax and those the snapshot saw running (the sync's
  own transaction included: a test writes and syncs in one). Nothing is missed, however writers
  interleave, and nothing finished is read twice.
- SQLite: one writer at a time, so a counter (the highest revision plus one) is in commit order.
- Any other database: no trigger, no watermark: each sync reads every document.

A document read again is harmless: it is deleted by its id and added again (an upsert). Deleted
documents leave no row to read: when the index holds more documents than the table, the ids the
table no longer has are removed (the backend never returns them anyway: they are not in scope).
The watermark is written after tantivy's commit: a sync that dies between the two reads again.
"""
from __future__ import annotations

import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import tantivy
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from tantivy import Occur, Query

from articles.models import SearchDocument

from .tantivy_index import SCHEMA, SCHEMA_VERSION, TEXT_FIELDS, Mark, forget, open_index

WRITER_HEAP = 256_000_000  # bytes the writer buffers before it writes a segment (split between its threads)
READ_BATCH = 2_000  # documents fetched a round trip


@dataclass
class Synced:
    written: int = 0  # documents (re)indexed
    removed: int = 0  # documents whose article is gone
    rebuilt: bool = False  # the index was built from every document
    skipped: str = ""  # why nothing was done
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return asdict(self)


def database_label() -> str:
    """Which database an index follows, as its watermark records it."""
    return f"{connection.vendor}:{connection.settings_dict['NAME']}"


def _mark_now() -> Mark:
    """The watermark to store once what is read next is in the index; taken before that read."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_snapshot_xmax(s)::text::bigint, "
                "ARRAY(SELECT x::text::bigint FROM pg_snapshot_xip(s) x), "
                "pg_current_xact_id_if_assigned()::text::bigint FROM pg_current_snapshot() s")
            xmax, running, own = cursor.fetchone()
            running = tuple(sorted({*running, *([own] if own else [])}))
            return Mark(database=database_label(), next=xmax, running=running)
        if connection.vendor == "sqlite":
            cursor.execute(f"SELECT coalesce(max(revision), 0) + 1 FROM {SearchDocument._meta.db_table}")
            return Mark(database=database_label(), next=cursor.fetchone()[0])
    return Mark(database=database_label(), next=None)


def written_since(mark: Mark | None):
    """The search documents the index does not hold yet (all of them without a watermark)."""
    documents = SearchDocument.objects.all()
    if mark is not None and mark.next is not None:
        documents = documents.filter(Q(revision__gte=mark.next) | Q(revision__in=mark.running))
    return documents


def _written_since(mark: Mark | None):
    return written_since(mark).order_by().values_list("article_id", "published_at", *TEXT_FIELDS).iterator(
        chunk_size=READ_BATCH)


def _document(article_id: int, published_at, *texts: str) -> tantivy.Document:
    document = tantivy.Document(article_id=article_id, **dict(zip(TEXT_FIELDS, texts, strict=True)))
    if published_at is not None:
        document.add_date("published_at", published_at)
    return document


def _open_for_writing(path: Path, mark: Mark | None) -> tantivy.Index:
    if mark is not None and mark.version != SCHEMA_VERSION and path.exists():
        shutil.rmtree(path)  # another schema: its files cannot be reused
        forget(str(path))
    path.mkdir(parents=True, exist_ok=True)
    return tantivy.Index(SCHEMA, path=str(path), reuse=True)


def _remove_deleted(index: tantivy.Index, writer) -> int:
    """Remove the documents whose row is gone; cheap unless there are some (a count, then the ids)."""
    index.reload()
    searcher = index.searcher()
    if searcher.num_docs <= SearchDocument.objects.count():
        return 0
    present = list(SearchDocument.objects.values_list("article_id", flat=True))
    gone = Query.boolean_query([(Occur.Must, Query.all_query()),
                                (Occur.MustNot, Query.term_set_query(SCHEMA, "article_id", present))])
    hits = searcher.search(gone, searcher.num_docs, count=False).hits
    ids = searcher.fast_field_values("article_id", [address for _, address in hits])
    for article_id in ids:
        writer.delete_documents_by_term("article_id", article_id)
    return len(ids)


def sync(path: str | None = None, *, rebuild: bool = False) -> Synced:
    """Index what was written since the watermark (everything with `rebuild`, or for a new index)."""
    started = time.monotonic()
    directory = path or settings.GAOKU_SEARCH_INDEX_DIR
    if not directory:
        return Synced(skipped="GAOKU_SEARCH_INDEX_DIR is not set")
    path = Path(directory)
    mark = Mark.read(path)
    if mark is not None and (mark.database != database_label() or mark.version != SCHEMA_VERSION):
        rebuild = True  # an index of another database or of another schema: built again from nothing
    rebuild = rebuild or mark is None
    index = _open_for_writing(path, mark)
    try:
        writer = index.writer(WRITER_HEAP)
    except ValueError as exc:
        if "LockBusy" not in str(exc):
            raise
        # tantivy's lock: one writer per index. The other sync reads what this one would have.
        return Synced(skipped="another process is syncing this index")
    result = Synced(rebuilt=rebuild)
    try:
        if rebuild:
            writer.delete_all_documents()  # readers keep the old documents until the commit
        upcoming = _mark_now()  # before the read (see above)
        for article_id, *values in _written_since(None if rebuild else mark):
            if not rebuild:
                writer.delete_documents_by_term("article_id", article_id)
            writer.add_document(_document(article_id, *values))
            result.written += 1
        writer.commit()
        result.removed = _remove_deleted(index, writer)
        if result.removed:
            writer.commit()
    except BaseException:
        writer.rollback()
        del writer  # the lock goes with the writer, even while a caller keeps this traceback (and its frame)
        raise
    writer.wait_merging_threads()  # merges finished, and the writer's lock released
    upcoming.write(path)
    open_index(str(path))  # this process's readers see it now; others on their next search
    result.seconds = round(time.monotonic() - started, 3)
    return result


def sync_later() -> None:
    """Have a worker sync this machine's index once this transaction commits (where one is configured)."""
    if settings.GAOKU_SEARCH_INDEX_DIR:
        transaction.on_commit(_enqueue)


def _enqueue() -> None:
    from articles.tasks import enqueue_once, sync_search_index

    enqueue_once(sync_search_index)
