"""One contract for every search backend; the suite runs on whichever database it is given."""
import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from articles.models import Article, Region, SearchDocument, Source, Status
from articles.search import (
    RESULT_WINDOW,
    SearchFilters,
    SearchHits,
    base,
    get_backend,
    highlight,
    parse_query,
)
from articles.search.documents import rebuild_index
from articles.search.fallback import FallbackBackend
from articles.search.postgres import has_rum_index
from tests.site.samples import load_expected, make_article

pytestmark = pytest.mark.django_db

EXPECTED = load_expected()
HANS = "001_72962b98874534b5.txt"  # 推动基层党建全域提升全面提质 (简体, 杭州)
HANT = "004_834f884de4a1454c.txt"  # 新征程上砥礪奮進,廣東高品質黨建推動高品質發展 (繁體)
OTHER = "web-024.txt"  # 居家养老有“医”靠 (太原)


@pytest.fixture
def three():
    return {name: make_article(name, EXPECTED[name]) for name in (HANS, HANT, OTHER)}


def test_backend_matches_vendor():
    expected = {"postgresql": "postgresql", "sqlite": "sqlite"}.get(connection.vendor, "")
    assert get_backend().vendor == expected
    if expected:
        assert not isinstance(get_backend(), FallbackBackend)


def test_rum_is_used_where_the_database_offers_it():
    if connection.vendor != "postgresql":
        pytest.skip("rum is a PostgreSQL extension")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
        available = cursor.fetchone() is not None
    # Migration 0013 made the index rum when the extension exists; the backend found it.
    assert has_rum_index() is available
    assert get_backend().rum is available


def test_two_character_words_inside_sentences(three, ids):
    # 基层 and 党建 occur only inside longer sentences of the body.
    assert three[HANS].pk in ids("基层")
    assert three[HANS].pk in ids("党建")
    assert three[OTHER].pk not in ids("党建")
    assert three[OTHER].pk in ids("养老")


def test_simplified_query_finds_traditional_article_and_back(three, ids):
    assert three[HANT].pk in ids("高品质党建")
    assert three[HANT].pk in ids("广东")
    assert three[HANS].pk in ids("基層黨建")  # 繁體 query, 简体 article


def test_tokens_are_anded(three, ids):
    assert ids("党建 养老") == []
    assert set(ids("基层 杭州")) == {three[HANS].pk}


def test_phrase_requires_adjacent_tokens(three, ids):
    assert three[HANS].pk in ids('"基层党建"')
    # Both words occur in the article, but never as "党建基层".
    assert three[HANS].pk in ids("党建 基层")
    assert three[HANS].pk not in ids('"党建基层"')


def test_title_hit_ranks_first(three, ids):
    body_only = make_article(OTHER, {**EXPECTED[OTHER], "title": "居家护理与社区服务"}, raw_sha256="x" * 64)
    body_only.body = "养老 " * 30 + body_only.body
    body_only.save()
    result = ids("养老")
    assert result[0] == three[OTHER].pk  # 养老 in its title
    assert body_only.pk in result


def test_source_tags_and_regions_are_searchable(three, ids):
    three[OTHER].tags.add("安宁疗护")
    assert ids("安宁疗护")[:1] == [three[OTHER].pk]
    assert three[HANS].pk in ids("学习时报")
    assert three[OTHER].pk in ids("太原")


def test_index_follows_tag_changes_and_deletes(three, ids):
    three[HANS].tags.add("试点示范")
    assert ids("试点示范") == [three[HANS].pk]
    three[HANS].tags.remove("试点示范")
    assert ids("试点示范") == []
    pk = three[HANS].pk
    three[HANS].delete()
    assert not SearchDocument.objects.filter(article_id=pk).exists()
    assert pk not in ids("基层")


def test_only_public_articles_are_found(three, ids):
    article = three[HANS]
    article.status = Status.DRAFT
    article.save()
    assert article.pk not in ids("基层")
    article.status = Status.PUBLISHED
    article.publish_at = timezone.now() + timedelta(hours=1)
    article.save()
    assert article.pk not in ids("基层")
    # Scheduled articles go live without a cron job: public-ness is checked at query time.
    assert article.pk in ids("基层", now=timezone.now() + timedelta(hours=2))
    Article.objects.filter(pk=article.pk).update(publish_at=timezone.now() - timedelta(minutes=1))
    assert article.pk in ids("基层")


def test_filters_and_sort(three, backend):
    q = parse_query("党建")
    tag_article = three[HANS]
    tag_article.tags.add("党建")
    tag_id = tag_article.tags.get().pk
    assert backend.search(q, filters=SearchFilters(tag_id=tag_id)).ids == [tag_article.pk]
    zhejiang = Region.objects.get(name="浙江省")
    region_ids = (zhejiang.pk, *zhejiang.children.values_list("pk", flat=True))
    assert backend.search(q, filters=SearchFilters(region_ids=region_ids)).ids == [tag_article.pk]
    source = Source.objects.get(name="南方杂志")
    assert backend.search(q, filters=SearchFilters(source_id=source.pk)).ids == [three[HANT].pk]
    hant_day = three[HANT].published_at
    window = SearchFilters(date_from=hant_day - timedelta(days=1), date_to=hant_day + timedelta(days=1))
    assert backend.search(q, filters=window).ids == [three[HANT].pk]
    by_date = backend.search(q, sort="date").ids
    assert by_date == [three[HANS].pk, three[HANT].pk]  # 2023-08-02 before 2023-02-10


def test_empty_and_punctuation_queries(three, ids):
    assert ids("") == []
    assert ids("，。！") == []
    assert ids('"') == []


def test_rebuild_command_restores_the_index(three, ids):
    SearchDocument.objects.all().delete()
    assert ids("基层") == []
    call_command("rebuild_search_index", "--batch-size", "2", stdout=io.StringIO())
    assert SearchDocument.objects.count() == 3
    assert three[HANS].pk in ids("基层")


def test_highlight_escapes_then_marks():
    q = parse_query("基层")
    html = highlight("<script>alert(1)</script>抓基层、打基础", q)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<mark>基层</mark>" in html
    assert "<mark>基層</mark>" in highlight("加強基層建設", q)


def _bulk(n, *, title, body, start, status=Status.PUBLISHED):
    """n articles in one write, a day apart from `start`, indexed in one pass."""
    made = Article.objects.bulk_create(
        Article(title=f"{title}{i}", body=body, status=status, published_at=start + timedelta(days=i))
        for i in range(n))
    rebuild_index(queryset=Article.objects.filter(pk__in=[a.pk for a in made]))
    return made


def test_relevance_ranks_the_whole_collection_not_the_newest_matches(ids, backend):
    now = timezone.now()
    newer = _bulk(RESULT_WINDOW // 2 + 60, title="社区通讯", body="居家养老服务站开门。",
                  start=now - timedelta(days=800))
    oldest = Article.objects.create(title="养老服务体系建设", body="养老 服务。", status=Status.PUBLISHED,
                                    published_at=now - timedelta(days=7000))
    hits = backend.search(parse_query("养老"), limit=5)
    # The one title match is eighteen years older than every other match, and still first.
    assert hits.ids[0] == oldest.pk
    assert (hits.total, hits.exact) == (len(newer) + 1, True)
    by_date = backend.search(parse_query("养老"), sort="date", limit=2000).ids
    assert by_date[0] == newer[-1].pk and by_date[-1] == oldest.pk
    assert len(by_date) == len(newer) + 1


def test_pages_walk_the_title_tier_then_the_rest_without_repeats(ids, backend):
    start = timezone.now() - timedelta(days=100)
    titled = _bulk(7, title="乡村振兴调研", body="一篇调研。", start=start)
    body_only = _bulk(16, title="通讯", body="讲乡村振兴的故事。", start=start)
    pages = [backend.search(parse_query("乡村振兴"), offset=o, limit=5).ids for o in range(0, 25, 5)]
    walked = [pk for page in pages for pk in page]
    assert len(walked) == len(set(walked)) == 23
    assert set(walked[:7]) == {a.pk for a in titled}
    assert set(walked[7:]) == {a.pk for a in body_only}


def test_count_is_exact_up_to_the_limit_then_an_estimate_where_the_backend_has_one(backend, monkeypatch):
    _bulk(30, title="通讯", body="志愿服务进社区。", start=timezone.now() - timedelta(days=60))
    _bulk(4, title="草稿", body="志愿服务。", start=timezone.now() - timedelta(days=60), status=Status.DRAFT)
    hits = backend.search(parse_query("志愿服务"), limit=10)
    assert (len(hits.ids), hits.total, hits.exact) == (10, 30, True)
    monkeypatch.setattr(base, "EXACT_COUNT_LIMIT", 5)
    hits = backend.search(parse_query("志愿服务"), limit=10)
    if backend.estimate(parse_query("志愿服务"), base.scope(SearchFilters(), timezone.now())) is None:
        assert (hits.total, hits.exact) == (30, True)  # no estimator: counted in full
    else:
        assert hits.exact is False and hits.total >= 6  # at least what was counted before stopping
    assert len(hits.ids) == 10


def test_pages_stop_at_the_result_window_and_still_count(three, backend):
    assert backend.search(parse_query("党建"), offset=0, limit=20).total == 2
    hits = backend.search(parse_query("党建"), offset=RESULT_WINDOW, limit=20)
    assert (hits.ids, hits.total) == ([], 2)


def test_rounded_total_shows_estimates_to_two_figures():
    assert SearchHits(total=123_456, exact=False).rounded_total == 120_000
    assert SearchHits(total=123_456, exact=True).rounded_total == 123_456
    assert SearchHits(total=87, exact=False).rounded_total == 87
