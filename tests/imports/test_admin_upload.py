import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article, ImportBatch, Status

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
    assert response.status_code == 302 and response.url == reverse("admin:articles_importbatch_confirm", args=[batch.pk])
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
