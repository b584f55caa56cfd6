"""Large article tables (CSV/XLSX through the admin's import): previewed and imported by the worker, a chunk at
a time, with progress on the batch page.

A batch's `options["phase"]` says where it is: "preview" (queued or running), "previewed" (waiting for the
editor's confirmation: state pending), "import" (confirmed: queued or running). A preview that finds a row
the import would refuse fails the batch, naming the rows, and nothing is imported.
"""
from __future__ import annotations

from collections import Counter
from datetime import timedelta

import tablib
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from articles.models import ImportBatch
from articles.services.imports import batch_started

CHUNK_ROWS = 250
# import-export's row results as the batch page counts them (ImportRecord.Result).
RESULTS = {"new": "new", "update": "updated", "skip": "unchanged", "error": "error", "invalid": "error"}


def table_import_in_background(rows: int) -> bool:
    """A table this long is imported by the worker, not in the request (GAOKU_TABLE_BACKGROUND_ROWS)."""
    return rows >= settings.GAOKU_TABLE_BACKGROUND_ROWS


PROBLEMS_SHOWN = 50


def _batch_with_table(*, dataset: tablib.Dataset, user, file_name: str, phase: str) -> ImportBatch:
    batch = ImportBatch.objects.create(origin="table", created_by=user, total=len(dataset),
                                       options={"file": file_name[:200], "phase": phase})
    # As CSV in UTF-8 whatever the file was: the worker reads it back with the same resource.
    batch.upload.save(f"table-{batch.pk}.csv", ContentFile(dataset.export("csv").encode("utf-8")), save=True)
    return batch


def table_preview_enqueue(*, dataset: tablib.Dataset, user, file_name: str = "") -> ImportBatch:
    """Keep the uploaded table with a new batch and queue its preview (the dry run) for the worker."""
    from articles.tasks_tables import preview_table

    table_previews_discard_abandoned()
    with transaction.atomic():
        batch = _batch_with_table(dataset=dataset, user=user, file_name=file_name, phase="preview")
        transaction.on_commit(lambda: preview_table.enqueue(batch.pk))
    return batch


def table_import_enqueue(*, dataset: tablib.Dataset, user, file_name: str = "") -> ImportBatch:
    """Keep a table with a new batch and queue its import, without a preview (bench/csv_import.py)."""
    from articles.tasks_tables import import_table

    with transaction.atomic():
        batch = _batch_with_table(dataset=dataset, user=user, file_name=file_name, phase="import")
        transaction.on_commit(lambda: import_table.enqueue(batch.pk))
    return batch


def table_import_confirm(*, batch: ImportBatch) -> None:
    """The editor saw the preview: queue the import of the same table."""
    from articles.tasks_tables import import_table

    if batch.state != ImportBatch.State.PENDING or batch.options.get("phase") != "previewed":
        raise ValueError(f"batch {batch.pk} is not a previewed table waiting for confirmation")
    with transaction.atomic():
        batch.options = {**batch.options, "phase": "import"}
        batch.processed, batch.counts = 0, {}
        batch.save(update_fields=["options", "processed", "counts"])
        transaction.on_commit(lambda: import_table.enqueue(batch.pk))


def table_import_discard(*, batch: ImportBatch) -> None:
    """Cancel a table that was previewed but not confirmed: its stored file and batch go."""
    batch.upload.delete(save=False)
    batch.delete()


def table_previews_discard_abandoned(*, hours: float | None = None) -> int:
    """Previewed tables nobody confirmed within GAOKU_UPLOAD_ABANDON_HOURS go, with their stored files."""
    hours = settings.GAOKU_UPLOAD_ABANDON_HOURS if hours is None else hours
    stale = ImportBatch.objects.filter(origin="table", state=ImportBatch.State.PENDING, options__phase="previewed",
                                       created_at__lt=timezone.now() - timedelta(hours=hours))
    batches = list(stale)
    for batch in batches:
        table_import_discard(batch=batch)
    return len(batches)


def table_preview_run(*, batch: ImportBatch) -> dict:
    """The dry run of the whole table, CHUNK_ROWS rows at a time (each rolled back), counting as it goes."""
    return _failing_the_batch(_preview, batch)


def _failing_the_batch(run, batch: ImportBatch) -> dict:
    try:
        return run(batch)
    except Exception as exc:  # a crash must not leave the batch "running" for ever
        ImportBatch.objects.filter(pk=batch.pk).update(state=ImportBatch.State.FAILED, finished_at=timezone.now(),
                                                       error=f"{type(exc).__name__}: {exc}"[:2000])
        raise


def _counted(batch: ImportBatch, counts: Counter, result, *, done: int) -> None:
    """Add a chunk's row results to the batch's counts and record its progress."""
    for key, n in result.totals.items():
        if n and key in RESULTS:
            counts[RESULTS[key]] += n
    batch.processed, batch.counts, batch.heartbeat_at = done, dict(counts), timezone.now()
    batch.save(update_fields=["processed", "counts", "heartbeat_at"])


def _chunks(batch: ImportBatch):
    from articles.resources import ChineseCSV

    with batch.upload.open("rb") as f:
        dataset = ChineseCSV().create_dataset(f.read())
    batch_started(batch, total=len(dataset), processed=0)
    for start in range(0, len(dataset), CHUNK_ROWS):
        yield start, tablib.Dataset(*dataset[start:start + CHUNK_ROWS], headers=dataset.headers)


def _preview(batch: ImportBatch) -> dict:
    from articles.resources import ArticleResource

    counts: Counter = Counter()
    problems: list[str] = []
    for start, chunk in _chunks(batch):
        result = ArticleResource(diff=False).import_data(chunk, dry_run=True, use_transactions=True,
                                                         user=batch.created_by)
        problems += _problems(result, offset=start)[:PROBLEMS_SHOWN - len(problems)]
        _counted(batch, counts, result, done=start + len(chunk))
    if counts["error"]:
        batch.state, batch.finished_at = ImportBatch.State.FAILED, timezone.now()
        batch.error = (f"预览发现 {counts['error']} 行有问题，整个表格没有导入；请改正后重新上传：\n"
                       + "\n".join(problems))[:2000]
        batch.save(update_fields=["state", "finished_at", "error"])
        batch.upload.delete(save=True)
    else:
        batch.state, batch.options = ImportBatch.State.PENDING, {**batch.options, "phase": "previewed"}
        batch.save(update_fields=["state", "options"])
    return dict(counts)


def table_import_run(*, batch: ImportBatch) -> dict:
    """Import the batch's table CHUNK_ROWS rows at a time, each chunk in its own transaction, counting as it goes.

    The preview checked every row; a chunk that still fails (the data changed since) stops the
    batch, its rows rolled back and the rows before it kept, and the batch says which rows.
    """
    return _failing_the_batch(_run, batch)


def _run(batch: ImportBatch) -> dict:
    from articles.resources import ArticleResource

    counts: Counter = Counter()
    for start, chunk in _chunks(batch):
        # A chunk is whole or not at all (import-export keeps valid rows beside invalid ones).
        with transaction.atomic():
            result = ArticleResource().import_data(chunk, dry_run=False, use_transactions=True, user=batch.created_by)
            failed = result.has_errors() or result.has_validation_errors()
            transaction.set_rollback(failed)
        if failed:
            ImportBatch.objects.filter(pk=batch.pk).update(
                state=ImportBatch.State.FAILED, counts=dict(counts), finished_at=timezone.now(),
                error=(f"第 {start + 1}–{start + len(chunk)} 行未导入（之前的 {start} 行已导入）："
                       f"{_problems(result, offset=start)[0]}")[:2000])
            return dict(counts)
        _counted(batch, counts, result, done=start + len(chunk))
    batch.state, batch.finished_at = ImportBatch.State.DONE, timezone.now()
    batch.save(update_fields=["state", "finished_at"])
    batch.upload.delete(save=True)  # the table is in the articles now
    return dict(counts)


def _problems(result, *, offset: int) -> list[str]:
    """The failed rows of a chunk, numbered as in the whole file, in order."""
    found = [(row.number, "；".join(m for msgs in row.error_dict.values() for m in msgs))
             for row in result.invalid_rows]
    found += [(number, str(errors[0].error)) for number, errors in result.row_errors()]
    return [f"第 {offset + n} 行：{message}" for n, message in sorted(found)] + [
        str(e.error) for e in result.base_errors]
