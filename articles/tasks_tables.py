"""Background job of the admin's table import (CSV/XLSX of articles): see services.table_imports."""
from django_tasks import task

from articles.models import ImportBatch
from articles.services.table_imports import table_import_run, table_preview_run


@task()
def import_table(batch_id: int) -> dict:
    batch = ImportBatch.objects.filter(pk=batch_id).select_related("created_by").first()
    if batch is None or batch.state != ImportBatch.State.PENDING or batch.options.get("phase", "import") != "import":
        return {}
    return table_import_run(batch=batch)


@task()
def preview_table(batch_id: int) -> dict:
    batch = ImportBatch.objects.filter(pk=batch_id).select_related("created_by").first()
    if batch is None or batch.state != ImportBatch.State.PENDING or batch.options.get("phase") != "preview":
        return {}
    return table_preview_run(batch=batch)
