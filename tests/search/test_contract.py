"""One contract for every search backend; the suite runs on whichever database it is given."""
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from articles.models import Article, Region, SearchDocument, Source, Status
from articles.search import SearchFilters, get_backend, highlight, parse_query
from articles.search.fallback import FallbackBackend
from tests.site.samples import load_expected, make_article

pytestmark = pytest.mark.django_db

EXPECTED = load_expected()
HANS = "001_72962b98874534b5.txt"  # 推动基层党建全域提升全面提质 (简体, 杭州)
HANT = "004_834f884de4a1454c.txt"  # 新征程上砥礪奮進,廣東高品質黨建推動高品質發展 (繁體)
OTHER = "web-024.txt"  # 居家养老有“医”靠 (太原)


def ids(text, **kwargs):
    return get_backend().search(parse_query(text), **kwargs).ids


@pytest.fixture
def three():
    return {name: make_article(name, EXPECTED[name]) for name in (HANS, HANT, OTHER)}


def test_backend_matches_vendor():
    expected = {"postgresql": "postgresql", "sqlite": "sqlite"}.get(connection.vendor, "")
    assert get_backend().vendor == expected
    if expected:
        assert not isinstance(get_backend(), FallbackBackend)


def test_two_character_words_inside_sentences(three):
    # 基层 and 党建 occur only inside longer sentences of the body.
    assert three[HANS].pk in ids("基层")
    assert three[HANS].pk in ids("党建")
    assert three[OTHER].pk not in ids("党建")
    assert three[OTHER].pk in ids("养老")


def test_simplified_query_finds_traditional_article_and_back(three):
    assert three[HANT].pk in ids("高品质党建")
    assert three[HANT].pk in ids("广东")
    assert three[HANS].pk in ids("基層黨建")  # 繁體 query, 简体 article


def test_tokens_are_anded(three):
    assert ids("党建 养老") == []
    assert set(ids("基层 杭州")) == {three[HANS].pk}


def test_phrase_requires_adjacent_tokens(three):
    assert three[HANS].pk in ids('"基层党建"')
    # Both words occur in the article, but never as "党建基层".
    assert three[HANS].pk in ids("党建 基层")
    assert three[HANS].pk not in ids('"党建基层"')


def test_title_hit_ranks_first(three):
    body_only = make_article(OTHER, {**EXPECTED[OTHER], "title": "居家护理与社区服务"}, raw_sha256="x" * 64)
    body_only.body = "养老 " * 30 + body_only.body
    body_only.save()
    result = ids("养老")
    assert result[0] == three[OTHER].pk  # 养老 in its title
    assert body_only.pk in result


def test_source_tags_and_regions_are_searchable(three):
    three[OTHER].tags.add("安宁疗护")
    assert ids("安宁疗护")[:1] == [three[OTHER].pk]
    assert three[HANS].pk in ids("学习时报")
    assert three[OTHER].pk in ids("太原")


def test_index_follows_tag_changes_and_deletes(three):
    three[HANS].tags.add("试点示范")
    assert ids("试点示范") == [three[HANS].pk]
    three[HANS].tags.remove("试点示范")
    assert ids("试点示范") == []
    pk = three[HANS].pk
    three[HANS].delete()
    assert not SearchDocument.objects.filter(article_id=pk).exists()
    assert pk not in ids("基层")


def test_only_public_articles_are_found(three):
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


def test_filters_and_sort(three):
    backend = get_backend()
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


def test_empty_and_punctuation_queries(three):
    assert ids("") == []
    assert ids("，。！") == []
    assert ids('"') == []


def test_rebuild_command_restores_the_index(three):
    SearchDocument.objects.all().delete()
    assert ids("基层") == []
    call_command("rebuild_search_index", "--batch-size", "2", stdout=open("/dev/null", "w"))
    assert SearchDocument.objects.count() == 3
    assert three[HANS].pk in ids("基层")


def test_highlight_escapes_then_marks():
    q = parse_query("基层")
    html = highlight("<script>alert(1)</script>抓基层、打基础", q)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<mark>基层</mark>" in html
    assert "<mark>基層</mark>" in highlight("加強基層建設", q)


def test_fallback_backend_keeps_the_contract_basics(three):
    # The LIKE fallback serves other vendors; it must agree on matching and public-ness.
    backend = FallbackBackend()
    assert three[HANS].pk in backend.search(parse_query("基层")).ids
    assert three[HANT].pk in backend.search(parse_query("高品质党建")).ids
    assert backend.search(parse_query("党建 养老")).ids == []
    Article.objects.filter(pk=three[HANS].pk).update(status=Status.DRAFT)
    assert three[HANS].pk not in backend.search(parse_query("基层")).ids
