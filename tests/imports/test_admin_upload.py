import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article, ImportBatch, PreviewRow, Status, UploadPreview

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _zip_of(pages):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(pages.glob("*.txt")):
            zf.write(p, f"pages/{p.name}")
    return SimpleUploadedFile("pages.zip", buf.getvalue(), content_type="application/zip")


def test_upload_preview_confirm_then_land_on_the_batch(client, reviewer, pages):
    client.force_login(reviewer)
    page = client.get(reverse("admin:articles_importbatch_upload"))
    assert page.status_code == 200 and "已发布" in page.content.decode()
    response = client.post(reverse("admin:articles_importbatch_upload"),
                           {"files": [_zip_of(pages)], "status": Status.PUBLISHED, "source": ""})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:articles_importbatch_confirm", args=[batch.pk])
    preview = client.get(response.url)
    html = preview.content.decode()
    assert preview.status_code == 200 and Article.objects.count() == 0
    assert "推动基层党建全域提升全面提质" in html and "学习时报" in html and "浙江省/杭州市" in html
    done = client.post(response.url, {"confirm": "1"})  # tests run tasks immediately
    assert done.status_code == 302
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.DONE and batch.processed == 5 and batch.counts["new"] == 5
    assert Article.objects.published().count() == 5
    landing = client.get(done.url)
    assert landing.status_code == 200 and "查看本批次导入的文章" in landing.content.decode()


def test_editor_cannot_choose_published_in_the_upload_form(client, editor, pages):
    client.force_login(editor)
    page = client.get(reverse("admin:articles_importbatch_upload")).content.decode()
    assert 'value="published"' not in page
    f = SimpleUploadedFile("a.txt", (pages / "001_72962b98874534b5.txt").read_bytes())
    response = client.post(reverse("admin:articles_importbatch_upload"), {"files": [f], "status": Status.PUBLISHED})
    assert response.status_code == 200 and ImportBatch.objects.count() == 0


def test_cancel_removes_the_pending_batch(client, editor, pages):
    client.force_login(editor)
    f = SimpleUploadedFile("a.txt", (pages / "001_72962b98874534b5.txt").read_bytes())
    response = client.post(reverse("admin:articles_importbatch_upload"), {"files": [f], "status": Status.REVIEW})
    client.post(response.url, {"cancel": "1"})
    assert ImportBatch.objects.count() == 0 and Article.objects.count() == 0


def test_reprocess_keeps_fields_an_editor_changed(pages):
    from articles.services.articles import articles_reprocess
    from articles.services.imports import ingest_paths

    ingest_paths(paths=[pages])
    article = Article.objects.get(title="推动基层党建全域提升全面提质")
    article.title = "编辑改过的标题"
    article.edited_fields = ["title"]
    article.views = 999
    article.save()
    seen, changed = articles_reprocess(queryset=Article.objects.all())
    article.refresh_from_db()
    assert seen == 5 and changed == 1
    assert article.title == "编辑改过的标题" and article.views is None


# ---- uploads of any size: files through the storage, a background preview, rows for bad files


def _page_zip(entries: dict[str, bytes], name="pages.zip") -> SimpleUploadedFile:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for entry, data in entries.items():
            zf.writestr(entry, data)
    return SimpleUploadedFile(name, buf.getvalue(), content_type="application/zip")


def _repost(text: str) -> bytes:
    """The same article as another site shows it: other boilerplate, Traditional script."""
    from articles.ingest.script import to_traditional

    return ("首頁 | 新聞 | 評論\n" + to_traditional(text.split("(责编", 1)[0]) + "\n相關閱讀\n版權所有 某某網").encode()


def _mixed_upload(pages):
    """Good pages, an empty file, a binary file, the same bytes twice, a repost, and two files called a.txt."""
    first = (pages / "001_72962b98874534b5.txt").read_bytes()
    second = (pages / "002_3d63953e7ebce92d.txt").read_bytes()
    archive = _page_zip({
        "pages/good.txt": first,
        "pages/empty.txt": b"",
        "pages/binary.txt": bytes(range(256)) * 8,
        "pages/copy-of-good.txt": first,
        "pages/repost.txt": _repost(first.decode()),
    })
    same_name_1 = SimpleUploadedFile("a.txt", second)
    same_name_2 = SimpleUploadedFile("a.txt", (pages / "004_834f884de4a1454c.txt").read_bytes())
    picture = SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4)
    return [archive, same_name_1, same_name_2, picture]


def _rows(batch):
    return {row.file_name: row for row in PreviewRow.objects.filter(batch=batch)}


def test_bad_files_are_rows_of_the_preview_and_duplicates_within_the_upload_are_found(client, reviewer, pages,
                                                                                     settings):
    client.force_login(reviewer)
    response = client.post(reverse("admin:articles_importbatch_upload"),
                           {"files": _mixed_upload(pages), "status": Status.PUBLISHED})
    assert response.status_code == 302  # one empty or binary file does not refuse the upload
    batch = ImportBatch.objects.get()
    rows = _rows(batch)
    assert set(rows) == {"pages.zip/pages/good.txt", "pages.zip/pages/empty.txt", "pages.zip/pages/binary.txt",
                         "pages.zip/pages/copy-of-good.txt", "pages.zip/pages/repost.txt", "a.txt", "photo.jpg"}
    assert rows["pages.zip/pages/good.txt"].result == "new"
    empty, binary = rows["pages.zip/pages/empty.txt"], rows["pages.zip/pages/binary.txt"]
    assert empty.result == "error" and empty.reason == "empty file"
    assert binary.result == "error" and "binary" in binary.reason
    assert rows["photo.jpg"].result == "error" and "binary" in rows["photo.jpg"].reason
    copy, repost = rows["pages.zip/pages/copy-of-good.txt"], rows["pages.zip/pages/repost.txt"]
    assert (copy.result, copy.same_as) == ("unchanged", "pages.zip/pages/good.txt")
    assert (repost.result, repost.same_as) == ("duplicate", "pages.zip/pages/good.txt")
    # Two files called a.txt: both kept, both shown under the editor's name.
    both = PreviewRow.objects.filter(batch=batch, file_name="a.txt")
    assert both.count() == 2 and all(r.result == "new" and r.title for r in both)
    assert len({r.title for r in both}) == 2 and len({r.sha256 for r in both}) == 2
    assert batch.uploaded_files.count() == 4 and len({f.file.name for f in batch.uploaded_files.all()}) == 4

    html = client.get(response.url).content.decode()
    for label in ("新建", "未变", "重复", "错误", "本次上传的 pages.zip/pages/good.txt", "空文件", "二进制数据"):
        assert label in html
    assert str(settings.MEDIA_ROOT) not in html and "None" not in html and "imports/" not in html

    done = client.post(response.url, {"confirm": "1"})
    batch.refresh_from_db()
    preview_counts = {"new": 3, "unchanged": 1, "duplicate": 1, "error": 3}
    assert batch.state == ImportBatch.State.DONE
    assert {k: v for k, v in batch.counts.items() if v and k != "skipped"} == preview_counts  # the preview said so
    page = client.get(done.url).content.decode()
    assert "pages.zip/pages/binary.txt" in page and "a.txt" in page and "新建 3" in page and "空文件" in page
    assert str(settings.MEDIA_ROOT) not in page and "None" not in page and "imports/" not in page
    article = Article.objects.get(file_name__endswith="/pages/good.txt")
    change = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert "pages.zip/pages/good.txt" in change and str(settings.MEDIA_ROOT) not in change
    listing = client.get(reverse("admin:articles_importbatch_changelist")).content.decode()
    assert "上传" in listing and "新建 3，未变 1，重复 1，错误 3" in listing and "None" not in listing
    errors = client.get(done.url + "?result=error").content.decode()
    assert "<strong>错误 3</strong>" in errors and "photo.jpg" in errors and "pages.zip/pages/good.txt" not in errors
    # The batch is done: its files are gone from the storage, their names stay for the batch page.
    assert not any((settings.MEDIA_ROOT / "imports").rglob("*.*"))
    assert sorted(batch.uploaded_files.values_list("name", flat=True)) == ["a.txt", "a.txt", "pages.zip", "photo.jpg"]
    assert not PreviewRow.objects.filter(batch=batch).exists()


def test_a_nul_in_a_page_does_not_fail_its_preview(client, editor, pages):
    """A UTF-16 page may decode to a NUL, which PostgreSQL text cannot hold: the row shows the text without it."""
    client.force_login(editor)
    text = (pages / "000_ffd79dd5329f57fd.txt").read_text(encoding="utf-8").replace("以高质量", "以高\x00质量", 1)
    response = client.post(reverse("admin:articles_importbatch_upload"),
                           {"files": [SimpleUploadedFile("utf16.txt", text.encode("utf-16"))], "status": Status.DRAFT})
    row = PreviewRow.objects.get()
    assert row.result == "new" and row.title == "以高质量党建促进高质量发展"
    assert "以高质量党建促进高质量发展" in client.get(response.url).content.decode()


def test_cancel_and_abandoned_uploads_delete_their_files(client, editor, pages, settings):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    client.force_login(editor)
    for _ in range(2):
        client.post(reverse("admin:articles_importbatch_upload"),
                    {"files": [SimpleUploadedFile("a.txt", (pages / "003_2871c8c39e5b1104.txt").read_bytes())],
                     "status": Status.DRAFT})
    kept, old = ImportBatch.objects.order_by("pk")
    folder = settings.MEDIA_ROOT / "imports"
    assert len(list(folder.rglob("*.txt"))) == 2
    ImportBatch.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))
    out = io.StringIO()
    call_command("cleanup_uploads", stdout=out)
    assert "1 abandoned upload(s) deleted" in out.getvalue()
    assert list(ImportBatch.objects.all()) == [kept] and len(list(folder.rglob("*.txt"))) == 1
    client.post(reverse("admin:articles_importbatch_confirm", args=[kept.pk]), {"cancel": "1"})
    assert not ImportBatch.objects.exists() and not list(folder.rglob("*.txt"))


def _many_pages(pages, count: int) -> dict[str, bytes]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(pages.glob("*.txt"))]
    return {f"pages/{i:05d}.txt": (texts[i % len(texts)] + f"\n第{i}号样稿。").encode() for i in range(count)}


def test_a_big_upload_is_previewed_by_the_worker_not_in_the_request(client, reviewer, pages, settings, monkeypatch,
                                                                     django_assert_max_num_queries):
    """With the database task backend nothing runs in the request: the page shows progress until a worker parses.
    (No wall-clock limits: a loaded machine slows every request. What the request does is asserted instead: no
    preview rows before the worker, and a page of the batch costs a bounded number of queries however large.)"""
    from django.core.management import call_command

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "ENQUEUE_ON_COMMIT": False}}
    client.force_login(reviewer)
    archive = _page_zip(_many_pages(pages, 300))
    response = client.post(reverse("admin:articles_importbatch_upload"), {"files": [archive], "status": Status.DRAFT})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert not PreviewRow.objects.exists() and batch.preview.state == UploadPreview.State.QUEUED
    with django_assert_max_num_queries(20):
        waiting = client.get(response.url).content.decode()
    assert "排队中" in waiting and 'http-equiv="refresh"' in waiting and "确认导入" not in waiting
    assert client.post(response.url, {"confirm": "1"}).status_code == 302  # too early: nothing is imported
    assert not batch.records.exists() and Article.objects.count() == 0

    # The real worker, run here: it must keep the test's connection (its transaction holds the batch).
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    batch.preview.refresh_from_db()
    assert (batch.preview.state, batch.preview.processed, batch.preview.total) == ("done", 300, 300)
    with django_assert_max_num_queries(20):  # one page of 100 rows, not 300 rows one by one
        html = client.get(response.url).content.decode()
    assert "共 300 个文件" in html and "第 1/3 页" in html and "确认导入" in html
    errors = client.get(response.url + "?result=error").content.decode()
    assert "没有文件" in errors


def test_deleting_a_batch_in_the_admin_deletes_its_files(client, superuser, pages, settings):
    client.force_login(superuser)
    client.post(reverse("admin:articles_importbatch_upload"),
                {"files": [SimpleUploadedFile("a.txt", (pages / "003_2871c8c39e5b1104.txt").read_bytes())],
                 "status": Status.DRAFT})
    batch = ImportBatch.objects.get()
    assert list((settings.MEDIA_ROOT / "imports").rglob("*.txt"))
    response = client.post(reverse("admin:articles_importbatch_delete", args=[batch.pk]), {"post": "yes"})
    assert response.status_code == 302 and not ImportBatch.objects.exists()
    assert not list((settings.MEDIA_ROOT / "imports").rglob("*.txt"))


def test_a_preview_whose_worker_died_can_be_run_again(client, editor, pages):
    from django.utils import timezone

    client.force_login(editor)
    response = client.post(reverse("admin:articles_importbatch_upload"),
                           {"files": [SimpleUploadedFile("a.txt", (pages / "003_2871c8c39e5b1104.txt").read_bytes())],
                            "status": Status.DRAFT})
    batch = ImportBatch.objects.get()
    # As a worker killed mid-preview leaves it: running, silent for longer than a preview ever is.
    UploadPreview.objects.filter(pk=batch.pk).update(state=UploadPreview.State.RUNNING, processed=0,
                                                     updated_at=timezone.now() - UploadPreview.STALLED_AFTER * 2)
    PreviewRow.objects.filter(batch=batch).delete()
    html = client.get(response.url).content.decode()
    assert "后台任务可能已中断" in html and "重新预览" in html and "确认导入" not in html
    client.post(response.url, {"restart": "1"})  # tests run tasks immediately
    batch.preview.refresh_from_db()
    assert batch.preview.state == UploadPreview.State.DONE and PreviewRow.objects.filter(batch=batch).count() == 1
    assert "确认导入" in client.get(response.url).content.decode()


def test_files_of_one_upload_are_compared_as_the_importer_compares_them():
    """C is near B, B near A, C not near A: the importer links C to what it wrote for B, so the preview does too."""
    from types import SimpleNamespace

    from articles.ingest.dedup import bands, hamming
    from articles.services.imports import FileOutcome
    from articles.services.uploads import _WithinUpload

    a, b, c = 0, 0b111, 0b111111
    assert hamming(a, b) == hamming(b, c) == 3 and hamming(a, c) == 6
    within = _WithinUpload()

    def outcome(name, fingerprint, sha):
        draft = SimpleNamespace(sha256=sha, fingerprint=fingerprint, fingerprint_bands=bands(fingerprint))
        return FileOutcome(name, "new", draft=draft)

    assert within.check(outcome("a.txt", a, "1"), "a.txt") == ("new", "")
    assert within.check(outcome("b.txt", b, "2"), "b.txt") == ("duplicate", "a.txt")
    assert within.check(outcome("c.txt", c, "3"), "c.txt") == ("duplicate", "b.txt")
    assert within.check(outcome("again.txt", a, "1"), "again.txt") == ("unchanged", "a.txt")
