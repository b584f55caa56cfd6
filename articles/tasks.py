"""Background jobs (django-tasks; the database backend needs no extra server: `manage.py db_worker`)."""
from pathlib import Path

from django_tasks import task

from articles.models import ImportBatch
from articles.services.imports import ingest_paths


@task()
def import_batch(batch_id: int) -> dict:
    """Import the files an editor uploaded for this batch."""
    batch = ImportBatch.objects.select_related("created_by").get(pk=batch_id)
    options = batch.options
    try:
        summary = ingest_paths(paths=[Path(options["folder"])], status=options.get("status", "draft"),
                               source_override=options.get("source") or None, user=batch.created_by, batch=batch,
                               origin="upload")
    except BaseException as exc:
        ImportBatch.objects.filter(pk=batch_id).update(state=ImportBatch.State.FAILED, error=str(exc)[:2000])
        raise
    return dict(summary.counts)
