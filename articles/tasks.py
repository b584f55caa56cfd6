"""Background jobs (django-tasks; the database backend needs no extra server: `manage.py db_worker`)."""
from django_tasks import task

from articles.models import ImportBatch
from articles.search.settle import settle
from articles.search.tantivy_sync import sync
from articles.services.batches import import_batch_run
from articles.services.chunks import import_chunk_run


@task()
def import_batch(batch_id: int) -> dict:
    """Import the files an editor uploaded for this batch (or resume it where it stopped).

    Bad files are the batch's error rows; a failure of the whole run marks the batch failed or
    interrupted (ingest_paths does) and is raised for the task's own record.
    """
    batch = ImportBatch.objects.select_related("created_by").get(pk=batch_id)
    try:
        summary = import_batch_run(batch=batch)
    except BaseException as exc:  # refused before it started (a permission, an unreadable folder)
        ImportBatch.objects.filter(pk=batch_id, state__in=[ImportBatch.State.PENDING, ImportBatch.State.RUNNING]
                                   ).update(state=ImportBatch.State.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000])
        raise
    return dict(summary.counts)


@task()
def import_chunk(chunk_id: int) -> dict:
    """Import one chunk of a queued batch (any number of db_worker processes share a batch's chunks).

    A chunk another worker holds, or that is done, is skipped; a worker that finishes its chunk takes
    over any chunk of the batch whose worker died. Pages are parsed in the worker's own process: run
    one db_worker per core. Returns the counts of the chunks it imported.
    """
    return import_chunk_run(chunk_id=chunk_id, workers=1)


@task(priority=-10)
def settle_search_index() -> dict:
    """Move unsettled search documents into the rum tier (articles/search/settle.py); after imports.

    Lower priority than the import tasks: a worker takes it when no chunk is waiting.
    """
    return settle().as_dict()


@task(priority=-10)
def sync_search_index() -> dict:
    """Bring this machine's tantivy index up to the database (articles/search/tantivy_sync.py); after
    imports and edits, where GAOKU_SEARCH_INDEX_DIR is set. Lower priority than the import tasks."""
    return sync().as_dict()


def enqueue_once(task) -> None:
    """Enqueue `task` unless it already waits in the queue: a worker that takes it does all there is to do."""
    from django_tasks_db.models import DBTaskResult

    queued = type(task.get_backend()).__module__.startswith("django_tasks_db") and (
        DBTaskResult.objects.ready().filter(task_path=task.module_path).exists())
    if not queued:
        task.enqueue()
