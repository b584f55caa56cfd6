"""Large article tables (CSV/XLSX through the admin's import) imported by the worker, a chunk at a time."""
from __future__ import annotations

from collections import Counter

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
    return rows >= getattr(settings, "GAOKU_TABLE_BACKGROUND_ROWS", 500)


def table_import_enqueue(*, dataset: tablib.Dataset, user, file_name: str = "") -> ImportBatch:
    """Keep the previewed table with a new batch and queue its import; the batch page shows the progress."""
    from articles.tasks_tables import import_table

    with transaction.atomic():
        batch = ImportBatch.objects.create(origin="table", created_by=user, total=len(dataset),
                                           options={"file": file_name[:200]})
        # As CSV in UTF-8 whatever the file was: the worker reads it back with the same resource.
        batch.upload.save(f"table-{batch.pk}.csv", ContentFile(dataset.export("csv").encode("utf-8")), save=True)
        transaction.on_commit(lambda: import_table.enqueue(batch.pk))
    return batch


def table_import_run(*, batch: ImportBatch) -> dict:
    """Import the batch's table CHUNK_ROWS rows at a time, each chunk in its own transaction, counting as it goes.

    The preview checked every row; a chunk that still fails (the data changed since) stops the
    batch, its rows rolled back and the rows before it kept, and the batch says which rows.
    """
    try:
        return _run(batch)
    except Exception as exc:  # a crash must not leave the batch "running" for ever
        ImportBatch.objects.filter(pk=batch.pk).update(state=ImportBatch.State.FAILED, finished_at=timezone.now(),
                                                       error=f"{type(exc).__name__}: {exc}"[:2000])
        raise


def _run(batch: ImportBatch) -> dict:
    from articles.resources import ArticleResource, ChineseCSV

    with batch.upload.open("rb") as f:
        dataset = ChineseCSV().create_dataset(f.read())
    batch_started(batch, total=len(dataset), processed=0)
    counts: Counter = Counter()
    for start in range(0, len(dataset), CHUNK_ROWS):
        chunk = tablib.Dataset(*dataset[start:start + CHUNK_ROWS], headers=dataset.headers)
        with transaction.atomic():  # a chunk is whole or not at all (import-export keeps valid rows beside invalid ones)
            result = ArticleResource().import_data(chunk, dry_run=False, use_transactions=True, user=batch.created_by)
            failed = result.has_errors() or result.has_validation_errors()
            transaction.set_rollback(failed)
        if failed:
            ImportBatch.objects.filter(pk=batch.pk).update(
                state=ImportBatch.State.FAILED, counts=dict(counts), finished_at=timezone.now(),
                error=(f"第 {start + 1}–{start + len(chunk)} 行未导入（之前的 {start} 行已导入）："
                       f"{_first_problem(result, offset=start)}")[:2000])
            return dict(counts)
        for key, n in result.totals.items():
            if n and key in RESULTS:
                counts[RESULTS[key]] += n
        batch.processed = start + len(chunk)
        batch.counts, batch.heartbeat_at = dict(counts), timezone.now()
        batch.save(update_fields=["processed", "counts", "heartbeat_at"])
    batch.state, batch.finished_at = ImportBatch.State.DONE, timezone.now()
    batch.save(update_fields=["state", "finished_at"])
    batch.upload.delete(save=True)  # the table is in the articles now
    return dict(counts)


def _first_problem(result, *, offset: int) -> str:
    """The first failed row of a chunk, numbered as in the whole file."""
    for row in result.invalid_rows:
        return f"第 {offset + row.number} 行：" + "；".join(m for msgs in row.error_dict.values() for m in msgs)
    for number, errors in result.row_errors():
        return f"第 {offset + number} 行：{errors[0].error}"
    return str(result.base_errors[0].error)
