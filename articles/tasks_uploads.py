"""Background jobs of the admin upload: the preview, and the import that deletes the files when done."""
from django_tasks import task

from articles.models import ImportBatch
from articles.services.uploads import upload_files_delete, upload_preview, uploads_cleanup
from articles.tasks import import_batch


@task()
def preview_upload(batch_id: int) -> dict:
    """Dry-run an upload in the background; the preview page shows its progress."""
    uploads_cleanup()  # every upload also clears away the abandoned ones (see the cleanup_uploads command)
    batch = ImportBatch.objects.filter(pk=batch_id).select_related("created_by").first()
    if batch is None:  # cancelled before the worker got to it
        return {}
    return upload_preview(batch=batch).counts


@task()
def import_upload(batch_id: int) -> dict:
    """The import of a confirmed upload (articles.tasks.import_batch); its files go once the batch is done."""
    counts = import_batch.call(batch_id)
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.state == ImportBatch.State.DONE:
        upload_files_delete(batch=batch)
    return counts
