"""A long article table is imported by the worker, chunk by chunk, with its progress on the batch page."""
import os
from datetime import timedelta

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article, ImportBatch, Status
from articles.services import table_imports
from articles.services.table_imports import table_import_enqueue, table_import_run

from .test_import_export import FORMATS, import_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.GAOKU_TABLE_BACKGROUND_ROWS = 3
    monkeypatch.setattr(table_imports, "CHUNK_ROWS", 2)


def table(articles, *, fmt="csv", status=None):
    data = tablib.Dataset(headers=["id", "title", "status"])
    for a in articles:
        data.append([a.pk, f"{a.title}·改", status or a.status])
    content = data.export(fmt)
    return content.encode("utf-8") if isinstance(content, str) else content


def upload(client, content, fmt="csv"):
    return client.post(reverse("admin:articles_article_import"), {
        "resource": 0, "format": FORMATS[fmt], "import_file": SimpleUploadedFile(f"稿件.{fmt}", content)})


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_long_table_is_previewed_and_imported_by_the_worker(fmt, client, editor, imported,
                                                           django_capture_on_commit_callbacks):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = upload(client, table(imported, fmt=fmt), fmt)
    batch = ImportBatch.objects.get(origin="table")
    assert len(queued) == 1 and response.url == reverse("admin:articles_importbatch_change", args=[batch.pk])
    # The preview ran in the worker: nothing written, every row counted, waiting for the editor.
    assert (batch.state, batch.options["phase"], batch.processed, batch.counts) == ("pending", "previewed", 5,
                                                                                    {"updated": 5})
    assert not any(a.title.endswith("·改") for a in Article.objects.all())
    page = client.get(response.url).content.decode()
    assert "预览完成：共 5 行，更新 5" in page and 'value="确认导入"' in page and 'http-equiv="refresh"' not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:articles_importbatch_table_confirm", args=[batch.pk]), {"confirm": "1"})
    batch.refresh_from_db()
    assert (batch.state, batch.processed, batch.total, batch.counts) == ("done", 5, 5, {"updated": 5})
    assert batch.created_by == editor and not batch.upload  # the kept table is gone once imported
    for a in imported:
        a.refresh_from_db()
        assert a.title.endswith("·改") and "title" in a.edited_fields
    page = client.get(response.url).content.decode()
    assert "已处理 5/5 行" in page and "更新 5" in page and "表格导入" in page


def test_the_preview_shows_its_progress_while_it_runs(client, editor, imported):
    client.force_login(editor)
    upload(client, table(imported))  # its preview is queued for after the commit, which never comes here
    batch = ImportBatch.objects.get(origin="table")
    page = client.get(reverse("admin:articles_importbatch_change", args=[batch.pk])).content.decode()
    assert "正在预览" in page and "等待后台任务开始" in page and 'http-equiv="refresh"' in page
    ImportBatch.objects.filter(pk=batch.pk).update(state="running", processed=2)
    page = client.get(reverse("admin:articles_importbatch_change", args=[batch.pk])).content.decode()
    assert "已检查 2/5 行" in page and "<progress" in page


def test_a_preview_with_bad_rows_names_them_and_imports_nothing(client, editor, reviewer, imported,
                                                                django_capture_on_commit_callbacks):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, table(imported, status=Status.PUBLISHED))  # an editor may not publish
    batch = ImportBatch.objects.get(origin="table")
    assert batch.state == "failed" and not batch.upload
    assert batch.error.startswith("预览发现 5 行有问题") and "第 1 行：" in batch.error and "审核" in batch.error
    assert not Article.objects.filter(status=Status.PUBLISHED).exists()
    response = client.post(reverse("admin:articles_importbatch_table_confirm", args=[batch.pk]), {"confirm": "1"})
    batch.refresh_from_db()
    assert response.status_code == 302 and batch.state == "failed"  # nothing to confirm


@pytest.fixture
def previewed(client, editor, imported, django_capture_on_commit_callbacks):
    """An editor's table, previewed by the worker and waiting for confirmation."""
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, table(imported))
    return ImportBatch.objects.get(origin="table", options__phase="previewed")


def test_only_the_uploader_confirms_and_cancel_deletes_the_table(client, editor, reviewer, imported, previewed):
    batch, stored = previewed, previewed.upload.path
    client.force_login(reviewer)
    url = reverse("admin:articles_importbatch_table_confirm", args=[batch.pk])
    assert client.post(url, {"confirm": "1"}).status_code in (403, 404)
    client.force_login(editor)
    client.post(url, {"cancel": "1"})
    assert not ImportBatch.objects.filter(pk=batch.pk).exists()
    assert not os.path.exists(stored)
    assert not any(a.title.endswith("·改") for a in Article.objects.all())


def test_short_table_stays_in_the_request(client, editor, imported, django_capture_on_commit_callbacks):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        import_file(client, "article", "csv", table(imported[:2]))
    assert not ImportBatch.objects.filter(origin="table").exists()
    assert all(a.title.endswith("·改") for a in Article.objects.filter(pk__in=[a.pk for a in imported[:2]]))


def test_a_failing_chunk_stops_the_batch_and_says_which_rows(editor, imported):
    rows = tablib.Dataset(headers=["id", "title", "status"])
    for i, a in enumerate(imported):
        rows.append([a.pk, f"{a.title}·改", Status.PUBLISHED if i == 3 else a.status])  # an editor may not publish
    batch = table_import_enqueue(dataset=rows, user=editor, file_name="稿件.csv")
    assert batch.state == "pending" and batch.upload
    table_import_run(batch=batch)
    batch.refresh_from_db()
    assert (batch.state, batch.processed, batch.counts) == ("failed", 2, {"updated": 2})
    assert batch.error.startswith("第 3–4 行未导入（之前的 2 行已导入）：第 4 行") and "审核" in batch.error
    titles = [Article.objects.get(pk=a.pk).title.endswith("·改") for a in imported]
    assert titles == [True, True, False, False, False]
    assert not Article.objects.filter(status=Status.PUBLISHED).exists()


def test_a_preview_nobody_confirms_is_cleared_by_the_next_upload(client, imported, settings, previewed,
                                                                  django_capture_on_commit_callbacks):
    old, stored = previewed, previewed.upload.path
    ImportBatch.objects.filter(pk=old.pk).update(
        created_at=old.created_at - timedelta(hours=settings.GAOKU_UPLOAD_ABANDON_HOURS + 1))
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, table(imported))
    assert not ImportBatch.objects.filter(pk=old.pk).exists() and not os.path.exists(stored)
    assert ImportBatch.objects.filter(origin="table", options__phase="previewed").count() == 1
