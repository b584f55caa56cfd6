"""Two tiers on PostgreSQL with rum (migration 0015): writes are unsettled (GIN), settling moves them to rum.

Search must give the same answer whichever tier a document is in; elsewhere (SQLite, PostgreSQL
without rum) there are no tiers and settling does nothing.
"""
import io
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from articles.models import Article, SearchDocument, Status
from articles.search import base, get_backend, parse_query
from articles.search.documents import rebuild_index
from articles.search.postgres import SETTLED_RUM, UNSETTLED_GIN
from articles.search import settle as settle_module
from articles.search.settle import ALL_GIN, backlog, settle, tiered
from articles.services.imports import ingest_paths

PAGES = Path(settings.BASE_DIR) / "fixtures" / "pages"


@pytest.fixture
def no_settle_task(monkeypatch):
    """Outside a test transaction writes commit at once, and the test settings run tasks at once: keep the
    settle task from settling what the test means to settle itself."""
    monkeypatch.setattr(settle_module, "_enqueue", lambda: None)


def _tiers_or_skip():
    if not tiered():
        pytest.skip("two tiers need PostgreSQL with rum")


def _made(n, *, title, body, start=None, stride=1):
    """n published articles, indexed in one pass; article i holds the word i*stride+1 more times."""
    start = start or timezone.now() - timedelta(days=400)
    made = Article.objects.bulk_create(
        Article(title=f"{title}{i}", body=body(i), status=Status.PUBLISHED, published_at=start + timedelta(days=i))
        for i in range(n))
    rebuild_index(queryset=Article.objects.filter(pk__in=[a.pk for a in made]))
    return made


def _index(name):
    with connection.cursor() as cursor:
        cursor.execute("SELECT x.indisvalid FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
                       "WHERE i.relname = %s", [name])
        row = cursor.fetchone()
    return None if row is None else row[0]


@pytest.mark.django_db
def test_imported_documents_are_unsettled_and_found_at_once():
    summary = ingest_paths(paths=[PAGES], status=Status.PUBLISHED)
    assert summary.counts["new"] == 5
    assert not SearchDocument.objects.filter(settled=True).exists()
    assert backlog() == (5 if tiered() else 0)
    article = Article.objects.get(title="推动基层党建全域提升全面提质")
    assert article.pk in get_backend().search(parse_query("基层党建")).ids


@pytest.mark.django_db
def test_settling_moves_documents_and_a_second_run_finds_nothing():
    _tiers_or_skip()
    made = _made(12, title="社区通讯", body=lambda i: "居家养老 " * (i + 1) + "服务站开门。")
    assert backlog() == 12
    result = settle(batch_size=5)
    assert (result.rows, result.backlog, result.rebuilt) == (12, 12, False)
    assert backlog() == 0 and SearchDocument.objects.filter(settled=True).count() == 12
    assert settle().rows == 0  # idempotent
    hits = get_backend().search(parse_query("养老"), limit=50)
    assert set(hits.ids) == {a.pk for a in made} and (hits.total, hits.exact) == (12, True)


@pytest.mark.django_db
def test_an_edit_leaves_its_document_unsettled_and_findable():
    _tiers_or_skip()
    article = _made(1, title="通讯", body=lambda i: "一篇调研。")[0]
    settle()
    article.body = "乡村振兴的故事。"
    article.save()
    assert SearchDocument.objects.get(article=article).settled is False
    assert get_backend().search(parse_query("乡村振兴")).ids == [article.pk]
    assert get_backend().search(parse_query("调研")).ids == []


def _all_orders(backend, text, **kwargs):
    return backend.search(parse_query(text), limit=100, **kwargs)


@pytest.mark.django_db
def test_both_tiers_give_one_ranking_and_one_count(backend):
    # Distinct scores: article i holds the word i + 1 times; three more have it in their titles.
    body_hits = _made(9, title="通讯", body=lambda i: "养老 " * (i + 1) + "社区 服务 " * (12 - i))
    titled = _made(3, title="养老服务", body=lambda i: "养老 " * (i + 1), start=timezone.now() - timedelta(days=30))
    _made(2, title="其他", body=lambda i: "无关的内容。")
    query = "养老"
    SearchDocument.objects.update(settled=False)
    unsettled = _all_orders(backend, query)
    SearchDocument.objects.update(settled=True)
    settled = _all_orders(backend, query)
    # Every other document of each group settled: both tiers hold top results.
    SearchDocument.objects.update(settled=False)
    SearchDocument.objects.filter(article__in=[*body_hits[::2], *titled[::2]]).update(settled=True)
    mixed = _all_orders(backend, query)
    assert mixed.ids == settled.ids == unsettled.ids
    assert set(mixed.ids[:3]) == {a.pk for a in titled}  # title matches first
    assert mixed.ids[3:] == [a.pk for a in reversed(body_hits)]  # then by how often the word occurs
    assert (mixed.total, mixed.exact) == (12, True)
    # Pages walk the merged order without repeats; newest first reads both tiers too.
    pages = [pk for offset in range(0, 12, 5)
             for pk in backend.search(parse_query(query), offset=offset, limit=5).ids]
    assert pages == mixed.ids
    by_date = backend.search(parse_query(query), sort="date", limit=100).ids
    expected = sorted([*body_hits, *titled], key=lambda a: a.published_at, reverse=True)
    assert by_date == [a.pk for a in expected]
    assert backend.search(parse_query(query), sort="date", limit=4).ids == by_date[:4]


@pytest.mark.django_db
def test_counts_past_the_exact_limit_add_both_tiers(backend, monkeypatch):
    made = _made(30, title="通讯", body=lambda i: "志愿服务进社区。")
    SearchDocument.objects.filter(article__in=made[:17]).update(settled=True)
    hits = backend.search(parse_query("志愿服务"), limit=10)
    assert (len(hits.ids), hits.total, hits.exact) == (10, 30, True)
    monkeypatch.setattr(base, "EXACT_COUNT_LIMIT", 5)
    hits = backend.search(parse_query("志愿服务"), limit=10)
    if backend.estimate(parse_query("志愿服务"), base.scope(base.SearchFilters(), timezone.now())) is None:
        assert (hits.total, hits.exact) == (30, True)
    else:
        assert hits.exact is False and hits.total >= 6
    assert backend.count_upto(parse_query("志愿服务"), base.scope(base.SearchFilters(), timezone.now()), 20) == 20
    assert backend.count_upto(parse_query("志愿服务"), base.scope(base.SearchFilters(), timezone.now()), None) == 30


@pytest.mark.django_db
def test_nothing_to_settle_without_tiers():
    if tiered():
        pytest.skip("this database has tiers")
    _made(3, title="通讯", body=lambda i: "志愿服务。")
    result = settle()
    assert result.rows == 0 and result.skipped
    out = io.StringIO()
    call_command("settle_search_index", stdout=out)
    assert "未处理" in out.getvalue()


@pytest.mark.django_db
def test_the_task_after_an_import_settles_it(django_capture_on_commit_callbacks):
    _tiers_or_skip()
    with django_capture_on_commit_callbacks(execute=True):
        ingest_paths(paths=[PAGES], status=Status.PUBLISHED)
    # The test settings run tasks at once (ImmediateBackend); a db_worker takes it elsewhere.
    assert backlog() == 0 and SearchDocument.objects.filter(settled=True).count() == 5


@pytest.mark.django_db(transaction=True)
def test_two_workers_settling_at_once_share_the_work(no_settle_task):
    _tiers_or_skip()
    made = _made(60, title="通讯", body=lambda i: "养老 " * (1 + i % 7) + "服务。")
    results, errors = [], []
    barrier = threading.Barrier(2)

    def worker():
        try:
            barrier.wait()
            results.append(settle(batch_size=7, rebuild=False))
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sum(r.rows for r in results) == 60  # every document settled once, none twice
    assert backlog() == 0
    assert len(get_backend().search(parse_query("养老"), limit=100).ids) == len(made)


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_settles_a_large_backlog_and_resumes_if_stopped(no_settle_task):
    _tiers_or_skip()
    try:
        made = _made(40, title="通讯", body=lambda i: "养老 " * (1 + i % 5) + "服务。")
        settle(rebuild=False)
        newer = _made(25, title="养老", body=lambda i: "服务。")
        before = sorted(get_backend().search(parse_query("养老"), limit=100).ids)  # equal scores: compare sets
        out = io.StringIO()
        call_command("settle_search_index", "--rebuild", stdout=out)
        assert "重建" in out.getvalue()
        assert backlog() == 0
        assert _index(SETTLED_RUM) is True and _index(ALL_GIN) is None and _index(UNSETTLED_GIN) is True
        assert sorted(get_backend().search(parse_query("养老"), limit=100).ids) == before
        assert len(before) == len(made) + len(newer)
        # A rebuild stopped after it dropped the rum index: search still answers, the next run finishes it.
        with connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX {SETTLED_RUM}")
        SearchDocument.objects.filter(article__in=newer).update(settled=False)
        assert sorted(get_backend().search(parse_query("养老"), limit=100).ids) == before
        result = settle()
        assert result.rebuilt and result.rows == len(newer)
        assert _index(SETTLED_RUM) is True and _index(ALL_GIN) is None
        assert sorted(get_backend().search(parse_query("养老"), limit=100).ids) == before
    finally:
        if _index(SETTLED_RUM) is None:  # leave the next tests their index
            with connection.cursor() as cursor:
                cursor.execute(f"CREATE INDEX {SETTLED_RUM} ON articles_searchdocument "
                               "USING rum (search_vector rum_tsvector_ops) WHERE settled")


@pytest.mark.django_db(transaction=True)
def test_the_migration_adds_the_column_in_place_on_sqlite():
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite statements")
    out = io.StringIO()
    call_command("sqlmigrate", "articles", "0015", stdout=out)
    sql = out.getvalue()
    assert "ALTER TABLE" in sql and "ADD COLUMN settled" in sql
    assert "articles_article" not in sql and "new__" not in sql  # no table is remade


def test_a_large_share_of_the_table_is_rebuilt_a_small_one_settled_row_by_row(settings):
    from articles.search.settle import REBUILD_MIN_ROWS, should_rebuild

    settings.GAOKU_SEARCH_REBUILD_FRACTION = 0.25
    assert should_rebuild(5_000, 5_000)  # an import into an empty table
    assert should_rebuild(250_000, 1_000_000)
    assert not should_rebuild(200_000, 1_000_000)  # a big import into a bigger table: row by row
    assert not should_rebuild(REBUILD_MIN_ROWS - 1, REBUILD_MIN_ROWS)  # seconds of work either way
    settings.GAOKU_SEARCH_REBUILD_FRACTION = 0.1
    assert should_rebuild(100_000, 1_000_000)
