"""Queued imports: a batch split into chunks that any number of task workers take.

`import_texts --queue PATH` gathers the inputs once, stores them as chunks of a batch and enqueues a
task per chunk (django-tasks; `manage.py db_worker` processes on any machine that shares the
database and sees the files run them). A worker takes a chunk by raising its `claim`; every
transaction it writes checks that claim (imports._Writer._fence), so:

- two tasks for one chunk, or two workers reaching it at once: one takes it, the other skips it;
- a worker that died (its process gone on this host, or no heartbeat for STALE_AFTER) loses its
  chunk to the next worker that finishes one of the same batch, which imports what the chunk's
  ledger does not hold yet;
- two chunks meeting the same page (the same bytes, URL or a near-duplicate) wait for each other in
  the database (articles.lock_pages), so the page is written once and counted as a single run would.

The batch's progress is the sum of its chunks'; it is done when its last chunk is, with the counts
of its whole ledger.
"""
from __future__ import annotations

import os
import signal
import socket
from collections import Counter
from pathlib import Path

from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from articles.models import ImportBatch, ImportChunk, Status
from articles.search.documents import follow_later

from .batches import process_gone
from .imports import (
    ChunkLost,
    ImportInterrupted,
    ImportSummary,
    _interruptible,
    _not_yet_recorded,
    _Writer,
    import_refs,
    limits_from_settings,
)
from .inputs import InputRef, gather
from .workflow import ensure_can_set_status

CHUNK_FILES = 500  # files a task: small enough to spread, large enough that a task's start-up is noise
WRITE_FILES = 64  # files a transaction, as in a one-process import


def _stored(ref: InputRef) -> list:
    return [ref.name, str(ref.path), ref.entry, ref.index, ref.size, ref.error]


def _ref(row: list) -> InputRef:
    name, path, entry, index, size, error = row
    return InputRef(name, Path(path), entry=entry, size=size, error=error, index=index)


def import_batch_enqueue(*, paths: list[str | Path], status: str = Status.DRAFT, source_override: str | None = None,
                         user=None, chunk_files: int = CHUNK_FILES, origin: str = "queue") -> ImportBatch:
    """Gather the inputs, store them as a batch of chunks, and enqueue one task per chunk."""
    from articles.tasks import import_chunk

    ensure_can_set_status(user, status)
    gathered = gather(paths, limits_from_settings())
    refs = gathered.refs
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            origin=origin, created_by=user, state=ImportBatch.State.RUNNING, total=len(refs),
            heartbeat_at=timezone.now(), options={"paths": [str(p) for p in paths], "status": status,
                                                  "source": source_override, "skipped": gathered.skipped})
        chunks = ImportChunk.objects.bulk_create([
            ImportChunk(batch=batch, number=n, inputs=[_stored(r) for r in refs[i:i + chunk_files]])
            for n, i in enumerate(range(0, len(refs), chunk_files))])
    for chunk in ImportChunk.objects.filter(batch=batch).order_by("number").values_list("pk", flat=True):
        import_chunk.enqueue(chunk)
    if not chunks:
        finish_if_done(batch)
    return batch


def take(chunk_id: int) -> ImportChunk | None:
    """Claim the chunk for this process, unless it is done or its worker is alive; None if not taken."""
    chunk = ImportChunk.objects.filter(pk=chunk_id).first()
    if chunk is None or chunk.state == ImportChunk.State.DONE:
        return None
    if chunk.state == ImportChunk.State.RUNNING and not process_gone(chunk, timezone.now()):
        return None
    taken = ImportChunk.objects.filter(pk=chunk.pk, claim=chunk.claim).exclude(state=ImportChunk.State.DONE).update(
        state=ImportChunk.State.RUNNING, claim=F("claim") + 1, host=socket.gethostname(), pid=os.getpid(),
        heartbeat_at=timezone.now())
    if not taken:  # another worker took it between the read and the update
        return None
    ImportBatch.objects.filter(pk=chunk.batch_id, state=ImportBatch.State.INTERRUPTED).update(
        state=ImportBatch.State.RUNNING, error="")
    return ImportChunk.objects.select_related("batch", "batch__created_by").get(pk=chunk.pk)


def abandoned(batch_id: int) -> list[int]:
    """Chunks of the batch whose worker is gone, or that a stopped worker gave back."""
    now = timezone.now()
    running = ImportChunk.objects.filter(batch_id=batch_id, state=ImportChunk.State.RUNNING).only(
        "id", "host", "pid", "heartbeat_at")
    given_back = ImportChunk.objects.filter(batch_id=batch_id, state=ImportChunk.State.PENDING, claim__gt=0)
    return [c.pk for c in running if process_gone(c, now)] + list(given_back.values_list("pk", flat=True))


def import_chunk_run(*, chunk_id: int, workers: int = 1) -> dict[str, dict]:
    """Import the chunk if this worker takes it, then any chunk of the same batch a dead worker left.

    Returns the counts of each chunk this call imported, by chunk number (empty when it took none).
    """
    ran: dict[str, dict] = {}
    chunk = take(chunk_id)
    while chunk is not None:
        counts = _run(chunk, workers=workers)
        if counts is not None:
            ran[str(chunk.number)] = counts
        chunk = next(filter(None, map(take, abandoned(chunk.batch_id))), None)
    return ran


def _run(chunk: ImportChunk, *, workers: int) -> dict | None:
    """Import what the chunk's ledger does not hold yet; its counts, or None if another worker took it."""
    batch, options = chunk.batch, chunk.batch.options or {}
    refs = [_ref(row) for row in chunk.inputs]
    summary = ImportSummary(total=len(refs))
    refs = _not_yet_recorded(chunk.records, refs, summary)
    ImportChunk.objects.filter(pk=chunk.pk, claim=chunk.claim).update(processed=summary.resumed)
    try:
        with _interruptible():
            writer = _Writer(status=options.get("status") or Status.DRAFT, source_override=options.get("source"),
                             user=batch.created_by, batch=batch, chunk=chunk, dry_run=False)
            import_refs(refs, writer=writer, limits=limits_from_settings(), workers=workers, chunk_size=WRITE_FILES,
                        summary=summary, on_file=None)
    except ChunkLost:
        return None
    except BaseException as exc:
        # Stopped (SIGTERM, Ctrl-C) or failed: give the chunk back for the next worker to finish.
        ImportChunk.objects.filter(pk=chunk.pk, claim=chunk.claim).update(state=ImportChunk.State.PENDING,
                                                                           heartbeat_at=None)
        if isinstance(exc, ImportInterrupted) and str(exc) == signal.SIGTERM.name:
            # The import had the signal while it ran; hand it to db_worker's own handler, restored by now,
            # so that the worker stops after this task instead of taking the next one.
            signal.raise_signal(signal.SIGTERM)
        raise
    finished = ImportChunk.objects.filter(pk=chunk.pk, claim=chunk.claim).update(
        state=ImportChunk.State.DONE, counts=dict(summary.counts), processed=summary.total,
        heartbeat_at=timezone.now())
    if not finished:
        return None
    if finish_if_done(batch):
        follow_later()  # the batch's documents into the rum tier and the tantivy index (tasks of lower priority)
    return dict(summary.counts)


def finish_if_done(batch: ImportBatch) -> bool:
    """Mark the batch done once all its chunks are, with the counts of its whole ledger."""
    if batch.chunks.exclude(state=ImportChunk.State.DONE).exists():
        return False
    counts = Counter(dict(batch.records.values_list("status").annotate(n=Count("id")).values_list("status", "n")))
    counts["skipped"] = (batch.options or {}).get("skipped", 0)
    return bool(ImportBatch.objects.filter(pk=batch.pk).exclude(state=ImportBatch.State.DONE).update(
        state=ImportBatch.State.DONE, finished_at=timezone.now(), counts=dict(counts), processed=batch.total,
        error=""))


def import_batch_requeue(*, batch: ImportBatch) -> int:
    """Enqueue again every chunk of the batch that is not done (a resume); how many were queued."""
    from articles.tasks import import_chunk

    pending = list(batch.chunks.exclude(state=ImportChunk.State.DONE).values_list("pk", flat=True))
    ImportBatch.objects.filter(pk=batch.pk).update(state=ImportBatch.State.RUNNING, error="",
                                                   heartbeat_at=timezone.now())
    for pk in pending:
        import_chunk.enqueue(pk)
    if not pending:
        finish_if_done(batch)
    return len(pending)


def batch_summary(batch: ImportBatch) -> ImportSummary:
    """A queued batch's progress as the command reports it."""
    batch.refresh_from_db()
    counts = Counter(batch.counts) if batch.state == ImportBatch.State.DONE else Counter(
        dict(batch.records.values_list("status").annotate(n=Count("id")).values_list("status", "n")))
    skipped = counts.pop("skipped", (batch.options or {}).get("skipped", 0))
    return ImportSummary(counts=counts, skipped=skipped, total=batch.total, batch_id=batch.pk)
