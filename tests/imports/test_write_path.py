"""The bulk write path (COPY on PostgreSQL, bulk_create on SQLite) writes what one save would."""
import pytest
from django.db import DatabaseError

from articles.models import Article, SearchDocument, StatusChange
from articles.services.imports import _Writer, ingest_paths


@pytest.fixture
def imported(db, pages, editor):
    summary = ingest_paths(paths=[pages], user=editor)
    assert summary.counts["new"] == 5
    return Article.objects.filter(regions__isnull=False).distinct().order_by("pk")


def test_the_import_history_row_holds_the_regions_the_article_was_imported_with(imported, editor):
    article = imported.first()
    regions = sorted(article.regions.values_list("pk", flat=True))
    assert regions
    row = article.history.get()
    assert (row.history_type, row.history_change_reason, row.history_user) == ("+", "导入", editor)
    assert sorted(row.regions.values_list("region_id", flat=True)) == regions

    article.title = f"{article.title}（更正）"
    article.save()  # an editor's next change: its diff names the title, and no regions change nobody made
    new, old = article.history.order_by("-history_id")[:2]
    assert new.diff_against(old).changed_fields == ["title"]


def test_a_chunk_written_in_bulk_equals_the_same_chunk_written_one_by_one(db, pages, monkeypatch, tmp_path):
    ingest_paths(paths=[pages])
    bulk = _snapshot()
    Article.objects.all().delete()

    def refused(self, drafts):
        raise DatabaseError("the chunk is refused")

    monkeypatch.setattr(_Writer, "_write_many", refused)  # each file alone: article_upsert_from_draft
    ingest_paths(paths=[pages])
    assert _snapshot() == bulk


def _snapshot():
    """What an import wrote, by file, without ids and times."""
    out = {}
    for a in Article.objects.order_by("file_name"):
        out[a.file_name] = (
            a.title, a.body, a.summary, a.published_at, a.source.name if a.source else None, a.authors, a.status,
            a.extraction, a.warnings, a.has_warnings, a.fingerprint, a.fp_band0, a.created_at is not None,
            sorted(a.regions.values_list("code", flat=True)), sorted(a.tags.names()),
            [(h.history_type, h.title, sorted(h.regions.values_list("region__code", flat=True)))
             for h in a.history.all()],
            list(StatusChange.objects.filter(article=a).values_list("from_status", "to_status", "note")),
            SearchDocument.objects.filter(article=a).values_list("title", "body", "meta").get(),
            list(a.import_records.values_list("status", "sha256")),
        )
    return out
