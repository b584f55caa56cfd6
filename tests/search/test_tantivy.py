"""The tantivy index: off unless configured, follows the database by its watermark, filters and counts.

The contract every backend keeps runs on tantivy too (conftest.py); these are what only it does.
"""
import dataclasses
import io
import logging
import re
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
import tantivy
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from articles.models import Article, SearchDocument, Status
from articles.search import base, database_backend, get_backend, parse_query
from articles.search import tantivy_backend as backend_module
from articles.search.documents import rebuild_index
from articles.search.query import SearchFilters
from articles.search.tantivy_backend import TantivyBackend
from articles.search.tantivy_index import SCHEMA, Mark, open_index
from articles.search import tantivy_sync
from articles.search.tantivy_sync import sync
from articles.services.imports import ingest_paths

PAGES = Path(django_settings.BASE_DIR) / "fixtures" / "pages"


@pytest.fixture
def index_dir(tmp_path, settings):
    settings.GAOKU_SEARCH_INDEX_DIR = str(tmp_path / "index")
    return settings.GAOKU_SEARCH_INDEX_DIR


@pytest.fixture
def no_sync_task(monkeypatch):
    """Outside a test transaction writes commit at once, and the test settings run tasks at once: keep the
    sync task from syncing what the test means to sync itself."""
    monkeypatch.setattr(tantivy_sync, "_enqueue", lambda: None)


def _ids(text, **kwargs):
    return get_backend().search(parse_query(text), limit=100, **kwargs).ids


def _made(n, *, title, body, status=Status.PUBLISHED, days_ago=100):
    start = timezone.now() - timedelta(days=days_ago)
    made = Article.objects.bulk_create(
        Article(title=f"{title}{i}", body=body(i) if callable(body) else body, status=status,
                published_at=start + timedelta(days=i)) for i in range(n))
    rebuild_index(queryset=Article.objects.filter(pk__in=[a.pk for a in made]))
    return made


def _indexed(path) -> list[int]:
    searcher = open_index(path).searcher()
    hits = searcher.search(tantivy.Query.all_query(), max(searcher.num_docs, 1), count=False).hits
    return sorted(searcher.fast_field_values("article_id", [a for _, a in hits]))


def test_without_the_setting_search_is_the_databases(settings, tmp_path):
    settings.GAOKU_SEARCH_INDEX_DIR = ""
    assert not isinstance(get_backend(), TantivyBackend)
    assert type(get_backend()) is type(database_backend())
    settings.GAOKU_SEARCH_INDEX_DIR = str(tmp_path)
    assert get_backend().vendor == "tantivy"


@pytest.mark.django_db
def test_a_machine_not_synced_yet_searches_the_database(index_dir, caplog):
    article = _made(1, title="乡村振兴调研", body="一篇调研。")[0]
    with caplog.at_level(logging.WARNING, logger=backend_module.__name__):
        assert _ids("乡村振兴") == [article.pk]
    assert "sync_search_index" in caplog.text


@pytest.mark.django_db
def test_an_index_of_another_database_is_not_searched_until_the_sync_rebuilds_it(index_dir, caplog):
    article = _made(1, title="乡村振兴调研", body="一篇调研。")[0]
    sync()
    mark = Mark.read(index_dir)
    # The directory was shared by mistake, or the database recreated: its ids would name other articles.
    dataclasses.replace(mark, database="postgresql:another").write(index_dir)
    with caplog.at_level(logging.WARNING, logger=backend_module.__name__):
        assert _ids("乡村振兴") == [article.pk]  # answered by the database
    assert "sync_search_index" in caplog.text
    assert sync().rebuilt
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger=backend_module.__name__):
        assert _ids("乡村振兴") == [article.pk]
    assert not caplog.text and Mark.read(index_dir).database == mark.database


@pytest.mark.django_db
def test_sync_indexes_new_edited_and_deleted_documents(index_dir):
    first = _made(2, title="社区通讯", body="居家养老服务站开门。")
    assert sync().rebuilt  # a new index reads every document
    assert set(_ids("养老")) == {a.pk for a in first}
    # Written after the sync: not found until the next one (the index is this machine's replica).
    later = Article.objects.create(title="乡村振兴调研", body="讲乡村振兴的故事。", status=Status.PUBLISHED)
    assert _ids("乡村振兴") == []
    result = sync()
    assert not result.rebuilt and result.written >= 1
    assert _ids("乡村振兴") == [later.pk]
    # An edit is read again and replaces the document: the old words are gone.
    later.body = "志愿服务进社区。"
    later.title = "志愿服务"
    later.save()
    sync()
    assert _ids("志愿服务") == [later.pk] and _ids("乡村振兴") == []
    assert _indexed(index_dir).count(later.pk) == 1
    # A deleted article: never returned (not in scope), and its document removed at the next sync.
    gone = first[0].pk
    first[0].delete()
    assert gone not in _ids("养老")
    assert sync().removed == 1
    assert gone not in _indexed(index_dir)


@pytest.mark.django_db(transaction=True)
def test_a_second_sync_reads_nothing(index_dir, no_sync_task):
    _made(3, title="社区通讯", body="居家养老服务站开门。")
    assert sync().written == 3
    again = sync()
    assert (again.written, again.removed, again.rebuilt) == (0, 0, False)
    assert len(_indexed(index_dir)) == 3


@pytest.mark.django_db(transaction=True)
def test_a_write_still_running_when_the_sync_reads_is_found_by_the_next_sync(index_dir, no_sync_task):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: there is no write running beside the sync")
    early, late = _made(2, title="通讯", body="一篇调研。")
    sync()
    settings = connection.settings_dict
    with psycopg.connect(dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"],
                         port=settings["PORT"] or 5432) as slow:
        # The slow writer takes its transaction id first, the quick one commits first: the quick one's id
        # is higher, so "everything above the highest id read" would never read the slow one.
        slow.execute("UPDATE articles_searchdocument SET body = '乡村 振兴 故事' WHERE article_id = %s", [early.pk])
        late.body = "志愿服务进社区。"
        late.save()
        assert sync().written == 1
        assert _ids("志愿服务") == [late.pk] and _ids("乡村振兴") == []
        slow.commit()
    assert sync().written == 1
    assert _ids("乡村振兴") == [early.pk]


@pytest.mark.django_db
def test_every_writer_stamps_a_revision_the_importers_copy_too():
    summary = ingest_paths(paths=[PAGES], status=Status.PUBLISHED)
    assert summary.counts["new"] == 5
    assert not SearchDocument.objects.filter(revision__isnull=True).exists()
    doc = SearchDocument.objects.first()
    before = doc.revision
    SearchDocument.objects.filter(pk=doc.pk).update(settled=True)  # the settle step: not a change of text
    assert SearchDocument.objects.get(pk=doc.pk).revision == before
    article = doc.article
    article.title = "新的标题"
    article.save()
    if connection.vendor == "sqlite":  # a counter; on PostgreSQL the test's one transaction id
        assert SearchDocument.objects.get(pk=doc.pk).revision > before


@pytest.mark.django_db
def test_an_edit_committed_with_the_setting_on_is_synced_by_the_task(index_dir, django_capture_on_commit_callbacks):
    sync()
    with django_capture_on_commit_callbacks(execute=True):
        article = Article.objects.create(title="安宁疗护", body="安宁疗护服务。", status=Status.PUBLISHED)
    # The test settings run tasks at once (ImmediateBackend); a db_worker takes the task elsewhere.
    assert _ids("安宁疗护") == [article.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("limits", [(5_000, 50_000), (2, 50_000), (2, 2)],
                         ids=["ids-to-tantivy", "ids-in-process", "checked-by-the-database"])
def test_a_narrow_filter_finds_the_best_matches_inside_it(index_dir, monkeypatch, limits):
    monkeypatch.setattr(backend_module, "FILTER_LIMIT", limits[0])
    monkeypatch.setattr(backend_module, "WITHIN_LIMIT", limits[1])
    made = _made(40, title="通讯", body=lambda i: "志愿服务 " * (i + 1) + "进社区。")
    tagged = made[::8]  # five, among the weaker matches as much as the stronger
    for article in tagged:
        article.tags.add("志愿者")
    sync()
    tag_id = tagged[0].tags.get().pk
    hits = get_backend().search(parse_query("志愿服务"), filters=SearchFilters(tag_id=tag_id), limit=3)
    assert hits.ids == [a.pk for a in reversed(tagged)][:3]  # by how often the word occurs
    assert (hits.total, hits.exact) == (5, True)
    newest = get_backend().search(parse_query("志愿服务"), filters=SearchFilters(tag_id=tag_id), sort="date").ids
    assert newest == [a.pk for a in reversed(tagged)]


@pytest.mark.django_db
def test_past_the_exact_limit_the_count_is_tantivys_times_the_public_share(index_dir, monkeypatch):
    _made(40, title="通讯", body="志愿服务进社区。")
    _made(10, title="草稿", body="志愿服务。", status=Status.DRAFT)
    sync()
    assert (get_backend().search(parse_query("志愿服务")).total, True) == (40, True)
    monkeypatch.setattr(base, "EXACT_COUNT_LIMIT", 5)
    # A page of 50 checks every one of the 50 matches: 40 of 50 public, so 50 x 0.8.
    hits = get_backend().search(parse_query("志愿服务"), limit=50)
    assert (len(hits.ids), hits.total, hits.exact) == (40, 40, False)
    # Past the result window no page is ranked: a sample of the best matches gives the share.
    hits = get_backend().search(parse_query("志愿服务"), offset=base.RESULT_WINDOW)
    assert hits.ids == [] and hits.exact is False and 0 < hits.total <= 50


@pytest.mark.django_db
def test_the_command_syncs_rebuilds_and_reports(index_dir):
    article = _made(1, title="乡村振兴调研", body="一篇调研。")[0]
    out = io.StringIO()
    call_command("sync_search_index", stdout=out)
    assert "写入 1 篇" in out.getvalue()
    call_command("sync_search_index", "--rebuild", stdout=out)
    assert "重建" in out.getvalue() and _ids("乡村振兴") == [article.pk]
    call_command("sync_search_index", "--status", stdout=out)
    assert Mark.read(index_dir).database.startswith(connection.vendor)
    assert "索引 1 篇" in out.getvalue()
    # How far behind: two documents written since the sync are pending. (On PostgreSQL the test's own
    # transaction, which wrote the first document, is still running, so that one is read again too.)
    behind = int(re.search(r"待同步 (\d+) 篇", out.getvalue())[1])
    _made(2, title="新稿", body="两篇新稿。")
    status = io.StringIO()
    call_command("sync_search_index", "--status", stdout=status)
    assert int(re.search(r"待同步 (\d+) 篇", status.getvalue())[1]) == behind + 2


@pytest.mark.django_db
def test_one_sync_at_a_time_writes_an_index(index_dir):
    _made(1, title="通讯", body="一篇调研。")
    sync()
    holder = tantivy.Index(SCHEMA, path=index_dir, reuse=True).writer(50_000_000, 1)
    assert sync().skipped == "another process is syncing this index"
    holder.rollback()
    del holder  # the lock goes with the writer
    assert not sync().skipped


@pytest.mark.django_db
def test_dates_are_filtered_inside_tantivy_as_the_database_filters_them(index_dir):
    # Shanghai's midnight, and the index's dates kept to the second: a lower bound inside a second must
    # not drop an article published later in that second.
    shanghai = timezone.get_fixed_timezone(8 * 60)
    midnight = timezone.datetime(2024, 1, 1, tzinfo=shanghai)
    stamps = [midnight - timedelta(microseconds=100_000), midnight + timedelta(microseconds=700_000),
              midnight + timedelta(hours=23, minutes=59, seconds=59), midnight + timedelta(days=1)]
    made = Article.objects.bulk_create(Article(title=f"乡村振兴{i}", body="乡村振兴。", status=Status.PUBLISHED,
                                               published_at=at) for i, at in enumerate(stamps))
    rebuild_index(queryset=Article.objects.filter(pk__in=[a.pk for a in made]))
    sync()
    day = SearchFilters(date_from=midnight + timedelta(microseconds=500_000), date_to=midnight + timedelta(days=1))
    assert set(_ids("乡村振兴", filters=day)) == {made[1].pk, made[2].pk}
    assert get_backend().search(parse_query("乡村振兴"), filters=day).total == 2


@pytest.mark.django_db
def test_equal_scores_page_by_article_id_whatever_a_sync_moved(index_dir):
    made = _made(16, title="通讯", body="讲乡村振兴的故事。")  # sixteen equal scores
    sync()
    first = _ids("乡村振兴")[:5]
    # Rewritten documents move to a new segment of the index: the engine's own tie order changes.
    for article in Article.objects.filter(pk__in=first):
        article.save()
    sync()
    pages = [pk for offset in range(0, 16, 5)
             for pk in get_backend().search(parse_query("乡村振兴"), offset=offset, limit=5).ids]
    assert pages == sorted((a.pk for a in made), reverse=True)
    assert first == pages[:5]


@pytest.mark.django_db
def test_a_sync_that_fails_leaves_the_index_and_its_watermark_as_they_were(index_dir, monkeypatch):
    article = _made(1, title="通讯", body="一篇调研。")[0]
    sync()
    before = Mark.read(index_dir)
    article.body = "乡村振兴的故事。"
    article.save()

    def broken(*args):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(tantivy_sync, "_document", broken)
    with pytest.raises(RuntimeError):
        sync()
    assert Mark.read(index_dir) == before and _ids("乡村振兴") == []
    monkeypatch.undo()
    assert sync().written >= 1  # the writer's lock was released: the next sync reads it again
    assert _ids("乡村振兴") == [article.pk]
