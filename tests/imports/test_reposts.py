"""A repost is reported the same way by every path: the write (in bulk and one by one), the dry
runs (with a database, and before migrate) and the upload preview."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.urls import reverse

from articles.ingest import Gazetteer, Vocabulary, parse
from articles.ingest.script import to_traditional
from articles.models import Article, ImportBatch, PreviewRow, Status
from articles.services.imports import _Writer, ingest_paths, preview_paths_offline

ORIGINAL = "001_72962b98874534b5.txt"


def repost_of(page) -> str:
    """The page reposted elsewhere: Traditional script, another site's boilerplate around it."""
    draft = parse(page.read_bytes(), page.name, gazetteer=Gazetteer.default(), vocabulary=Vocabulary())
    return "\n".join(["首頁 | 新聞 | 評論 | 專題", "當前位置：首頁 > 理論 > 正文", to_traditional(draft.title),
                      "2023-08-03 09:00 來源：學習時報", to_traditional(draft.body), "(責編:王五)", "相關閱讀",
                      "版權所有 某某新聞網"])


@pytest.fixture
def repost(pages, tmp_path):
    path = tmp_path / "repost" / "repost.txt"
    path.parent.mkdir()
    path.write_text(repost_of(pages / ORIGINAL), encoding="utf-8")
    return path


@pytest.fixture
def original(db, pages):
    ingest_paths(paths=[pages], status=Status.PUBLISHED)
    return Article.objects.get(file_name__endswith=ORIGINAL)


def _outcomes(**kwargs):
    seen = []
    ingest_paths(on_file=seen.append, **kwargs)
    return {o.file.rsplit("/", 1)[-1]: o for o in seen}


def test_the_dry_run_reports_a_repost_of_a_stored_article(original, repost):
    found = _outcomes(paths=[repost], dry_run=True)["repost.txt"]
    assert (found.status, found.duplicate_of_id) == ("duplicate", original.pk)
    assert Article.objects.count() == 5


def test_a_repost_written_one_by_one_is_a_duplicate(original, repost, monkeypatch):
    def refused(self, drafts):
        raise DatabaseError("the chunk is refused")

    monkeypatch.setattr(_Writer, "_write_many", refused)  # a chunk the database refuses is written file by file
    found = _outcomes(paths=[repost], status=Status.PUBLISHED)["repost.txt"]
    assert (found.status, found.duplicate_of_id) == ("duplicate", original.pk)
    assert Article.objects.get(pk=found.article_id).status == Status.DRAFT


def test_a_repost_later_in_the_same_chunk_is_a_duplicate_of_the_first(db, pages, repost):
    (pages / "zz-repost.txt").write_bytes(repost.read_bytes())
    found = _outcomes(paths=[pages], status=Status.PUBLISHED, chunk_size=64)
    first = found[ORIGINAL]
    assert first.status == "new"
    assert (found["zz-repost.txt"].status, found["zz-repost.txt"].duplicate_of_id) == ("duplicate", first.article_id)
    assert Article.objects.get(pk=found["zz-repost.txt"].article_id).duplicate_of_id == first.article_id


def test_the_dry_run_before_migrate_finds_reposts_among_the_files(pages, repost):
    """No database: the files of the run are compared with each other (README: 试用导入)."""
    (pages / "zz-repost.txt").write_bytes(repost.read_bytes())
    seen = []
    summary = preview_paths_offline(paths=[pages], on_file=seen.append)
    status = {o.file.rsplit("/", 1)[-1]: o.status for o in seen}
    assert status["zz-repost.txt"] == "duplicate" and status[ORIGINAL] == "new"
    assert summary.counts == {"new": 5, "duplicate": 1}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_upload_preview_reports_a_repost_of_a_stored_article(client, editor, original, repost, media):
    client.force_login(editor)
    upload = SimpleUploadedFile("repost.txt", repost.read_bytes())
    response = client.post(reverse("admin:articles_importbatch_upload"), {"files": [upload], "status": Status.REVIEW})
    assert response.status_code == 302
    row = PreviewRow.objects.get(batch=ImportBatch.objects.get(origin="upload"))
    assert (row.result, row.duplicate_of_id) == ("duplicate", original.pk)


def test_one_by_one_and_in_bulk_write_the_same_articles(db, pages, monkeypatch):
    """One write path: the same pages give the same rows whichever way they are written."""
    skip = {"id", "created_at", "updated_at"}

    def rows():
        fields = [f.attname for f in Article._meta.concrete_fields if f.attname not in skip]
        found = {a["file_name"].rsplit("/", 1)[-1]: a for a in Article.objects.values(*fields)}
        tags = {a.file_name.rsplit("/", 1)[-1]: sorted(a.tags.names()) for a in Article.objects.all()}
        regions = {a.file_name.rsplit("/", 1)[-1]: sorted(a.regions.values_list("code", flat=True))
                   for a in Article.objects.all()}
        return found, tags, regions

    ingest_paths(paths=[pages], status=Status.PUBLISHED)
    in_bulk = rows()
    assert all(len(a["summary"]) <= 500 for a in in_bulk[0].values())
    Article.objects.all().delete()
    monkeypatch.setattr(_Writer, "_write_many", lambda self, drafts: (_ for _ in ()).throw(DatabaseError("refused")))
    ingest_paths(paths=[pages], status=Status.PUBLISHED)
    assert rows() == in_bulk
