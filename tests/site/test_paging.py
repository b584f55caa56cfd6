from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, Region, Source, Status

pytestmark = pytest.mark.django_db


def _make(n, *, tag="基层治理", region_name="杭州市"):
    source, _ = Source.objects.get_or_create(name="学习时报")
    region = Region.objects.get(name=region_name)
    start = timezone.now() - timedelta(days=400)
    made = []
    for i in range(n):
        a = Article.objects.create(
            title=f"基层党建第{i}篇：推动乡村振兴", body="抓基层、打基础。\n\n第二段。",
            published_at=start + timedelta(days=i // 2), status=Status.PUBLISHED, source=source,
        )
        a.regions.add(region)
        a.tags.add(tag, "党建")
        made.append(a)
    return made


def _titles(html):
    return [line for line in html.split('class="card-title"')[1:]]


def test_empty_list(client, db):
    html = client.get("/articles/").content.decode()
    assert "这里还没有文章" in html and 'rel="next"' not in html


def test_walks_every_page_once_then_back(client, db):
    made = _make(40)
    for a in made[:5]:  # undated articles come last, newest id first
        Article.objects.filter(pk=a.pk).update(published_at=None)
    made += _make(5)
    seen, url = [], "/articles/"
    pages = 0
    while url:
        response = client.get(url)
        page = response.context["page"]
        seen += [a.pk for a in page.items]
        pages += 1
        url = f"/articles/?before={page.before}" if page.before else None
    assert pages == 3
    expected = list(Article.objects.newest_first().values_list("pk", flat=True))
    assert seen == expected and len(seen) == 45
    last = response.context["page"]
    assert len(last.items) == 5 and last.before is None and last.after
    back = client.get(f"/articles/?after={last.after}").context["page"]
    assert [a.pk for a in back.items] == expected[20:40]
    first = client.get(f"/articles/?after={back.after}").context["page"]
    assert [a.pk for a in first.items] == expected[:20] and first.after is None
    assert made


def test_neighbours_cross_into_undated_articles(client, db):
    made = _make(3)
    Article.objects.filter(pk__in=[made[0].pk, made[1].pk]).update(published_at=None)
    html = client.get(made[2].get_absolute_url()).content.decode()  # the only dated one
    assert 'rel="next"' in html and made[1].title in html and 'rel="prev"' not in html
    html = client.get(made[0].get_absolute_url()).content.decode()
    assert made[1].title in html and 'rel="next"' not in html


@pytest.mark.parametrize("cursor", ["garbage", "1,2,3", "x,1", "99999999999999999999999,1", ",", "none,abc"])
def test_bad_cursor_shows_first_page(client, db, cursor):
    _make(3)
    response = client.get("/articles/", {"before": cursor})
    assert response.status_code == 200
    assert len(response.context["page"].items) == 3


LIST_URLS = ["/", "/articles/", "/tags/党建/", "/regions/33/", "/regions/3301/", "/sources/学习时报/",
             "/archive/{year}/", "/archive/{year}/{month:02d}/", "/tags/", "/regions/", "/search/?q=基层党建",
             "/feed/", "/sitemap.xml", "/sitemap-articles.xml", "/sitemap-tags.xml"]


@pytest.mark.parametrize("url", LIST_URLS)
def test_query_count_does_not_grow(client, db, django_assert_max_num_queries, url):
    from django.core.cache import cache

    made = _make(1)
    when = timezone.localtime(made[0].published_at)
    url = url.format(year=when.year, month=when.month)
    with django_assert_max_num_queries(12) as one:
        assert client.get(url).status_code == 200
    made += _make(30, tag="乡村振兴")
    cache.clear()
    with django_assert_max_num_queries(len(one.captured_queries)) as many:
        assert client.get(url).status_code == 200
    assert len(many.captured_queries) <= len(one.captured_queries)


def test_article_page_query_count(client, db, django_assert_max_num_queries):
    made = _make(30)
    with django_assert_max_num_queries(12):
        assert client.get(made[10].get_absolute_url()).status_code == 200
