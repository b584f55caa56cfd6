"""Getting around: breadcrumbs, the archive index, one search box, where a list is, empty states."""
import re

import pytest

from articles.models import Article, Region

pytestmark = pytest.mark.django_db
HANS = "001_72962b98874534b5.txt"  # 杭州市, 2023-08-02, 学习时报


def crumbs(html):
    nav = re.search(r'<nav class="breadcrumbs" aria-label="位置"><ol>(.*?)</ol></nav>', html, re.S)
    assert nav, "no breadcrumbs"
    return re.findall(r"<a [^>]*>([^<]*)</a>", nav[1])


def get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


def test_breadcrumbs_on_every_page(client, samples):
    hangzhou = Region.objects.get(name="杭州市")
    article = samples[HANS]
    assert crumbs(get(client, hangzhou.get_absolute_url())) == ["首页", "地区", "浙江省", "杭州市"]
    assert crumbs(get(client, article.get_absolute_url())) == ["首页", "地区", "浙江省", "杭州市", article.title]
    assert crumbs(get(client, "/tags/党建/")) == ["首页", "标签", "党建"]
    assert crumbs(get(client, article.source.get_absolute_url())) == ["首页", "来源：学习时报"]
    assert crumbs(get(client, "/archive/2023/08/")) == ["首页", "归档", "2023年", "8月"]
    for url in ("/", "/articles/", "/tags/", "/regions/", "/archive/", "/search/", "/about/"):
        assert crumbs(get(client, url))[0] == "首页"
    assert crumbs(client.get("/no/such/").content.decode()) == ["首页", "找不到页面"]


def test_an_article_without_region_sits_under_its_source(client, samples):
    article = samples[HANS]
    article.regions.clear()
    assert crumbs(get(client, article.get_absolute_url())) == ["首页", "学习时报", article.title]


def test_archive_index_counts_months_and_is_linked(client, samples):
    html = get(client, "/archive/")
    in_2023 = Article.objects.published().filter(published_at__year=2023).count()
    assert f'href="/archive/2023/">2023年</a> <span class="count">{in_2023} 篇' in html
    assert 'href="/archive/2023/8/"' in html and "8月 <span class=\"count\">" in html
    assert 'href="/archive/"' in get(client, "/") and 'href="/about/"' in get(client, "/")
    assert client.get("/archive/", {"month": "2023-08"})["Location"] == "/archive/2023/8/"


def test_one_search_box_per_page(client, samples):
    for url in ("/", "/articles/", "/search/?q=党建", samples[HANS].get_absolute_url()):
        assert get(client, url).count('role="search"') == 1, url


def test_lists_show_their_range_and_jump_to_a_month(client, samples):
    html = get(client, "/articles/")
    assert re.search(r'<p class="range">本页：<time[^>]*>\d{4}年', html)
    assert 'type="month" name="month"' in html and 'max="2024-03"' in html
    html = get(client, "/articles/", month="2023-08")
    dates = re.findall(r'<time datetime="(\d{4}-\d{2})', html.split('class="cards"')[1])
    assert dates and max(dates) <= "2023-08"
    assert samples[HANS].title in html and 'rel="prev"' in html  # newer ones are a click away
    assert "1999年1月及更早没有" in get(client, "/tags/党建/", month="1999-01")


def test_empty_states_offer_a_way_on(client, samples):
    html = get(client, "/archive/1999/3/")
    assert "1999年3月没有发布的文章" in html and 'href="/archive/"' in html and "热门标签" in html
    html = get(client, "/search/", q="不存在的词语", tag="党建")
    assert "去掉标签“党建”" in html and "热门标签" in html
    assert "不存在的詞語" in html  # the query in the other script, a link to try it
    other_script = "%E4%B8%8D%E5%AD%98%E5%9C%A8%E7%9A%84%E8%A9%9E%E8%AA%9E"  # 不存在的詞語, URL-encoded
    assert re.search(rf'href="\?q={other_script}[^"]*" data-keep-script>不存在的詞語</a>', html)


def test_a_tag_only_drafts_use_is_never_shown(client, samples):
    from articles.models import Status

    draft = samples[HANS]
    Article.objects.filter(pk=draft.pk).update(status=Status.DRAFT)
    draft.tags.add("我院")  # a junk word an extraction once made a tag
    assert client.get("/tags/我院/").status_code == 404
    for url in ("/", "/tags/", "/search/?q=党建"):
        html = get(client, url)
        assert "/tags/我院/" not in html and 'value="我院"' not in html, url
    assert "/tags/%E6%88%91%E9%99%A2/" not in client.get("/sitemap-tags.xml").content.decode()
    assert "/tags/我院/" not in client.get("/sitemap-tags.xml").content.decode()
