import xml.etree.ElementTree as ET
from urllib.parse import unquote
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.ingest.script import to_simplified
from articles.models import Article, Region, Status

from .samples import load_expected, make_article

pytestmark = pytest.mark.django_db
EXPECTED = load_expected()
HANS = "001_72962b98874534b5.txt"
HANT = "004_834f884de4a1454c.txt"
TAIPEI = "web-038.txt"


def test_public_article_page_shows_its_facts(client, samples):
    article = samples[HANS]
    html = client.get(article.get_absolute_url()).content.decode()
    assert article.title in html
    assert "学习时报" in html and article.source.get_absolute_url() in html
    assert "2023-08-02 11:19" in html
    assert "付文科" in html and "赵珊" in html
    assert "浙江省</a> › <a" in html and "杭州市" in html
    assert "/tags/%E5%85%9A%E5%BB%BA/" in html or "/tags/党建/" in html
    assert "<p>抓基层、打基础" in html
    assert 'rel="canonical"' in html and 'property="og:title"' in html


def test_date_only_article_shows_the_date_alone(client, samples):
    html = client.get(samples["000_ffd79dd5329f57fd.txt"].get_absolute_url()).content.decode()
    assert "2023-12-25" in html and "2023-12-25 00:00" not in html


def test_drafts_and_scheduled_articles_are_404(client, samples):
    article = samples[HANS]
    for status in (Status.DRAFT, Status.REVIEW, Status.ARCHIVED):
        Article.objects.filter(pk=article.pk).update(status=status)
        assert client.get(article.get_absolute_url()).status_code == 404
    Article.objects.filter(pk=article.pk).update(status=Status.PUBLISHED,
                                                 publish_at=timezone.now() + timedelta(hours=1))
    response = client.get(article.get_absolute_url())
    assert response.status_code == 404
    assert "找不到这个页面" in response.content.decode()
    assert article.title not in client.get("/articles/").content.decode()
    Article.objects.filter(pk=article.pk).update(publish_at=timezone.now() - timedelta(seconds=1))
    assert client.get(article.get_absolute_url()).status_code == 200


def test_body_is_escaped(client, db):
    article = make_article(HANS, EXPECTED[HANS])
    article.body = "第一段<script>alert(1)</script>\n\n第二段"
    article.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<p>第二段</p>" in html


def test_conditional_get(client, samples):
    url = samples[HANS].get_absolute_url()
    first = client.get(url)
    assert first.has_header("ETag") and first.has_header("Last-Modified")
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304
    assert client.get(url, headers={"if-modified-since": first["Last-Modified"]}).status_code == 304
    samples[HANS].save()
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 200


def test_switching_script_never_gets_a_304_of_the_other_script(client, samples):
    from articles.views.script import COOKIE, HANT

    url = samples[HANS].get_absolute_url()
    first = client.get(url)
    client.cookies[COOKIE] = HANT
    again = client.get(url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 200 and again["ETag"] != first["ETag"]


def test_region_pages_include_cities(client, samples):
    zhejiang = Region.objects.get(name="浙江省")
    html = client.get(zhejiang.get_absolute_url()).content.decode()
    assert samples[HANS].title in html  # tagged 杭州市 only
    assert "杭州市" in html and 'class="count">1<' in html
    hangzhou = Region.objects.get(name="杭州市")
    assert samples[HANS].title in client.get(hangzhou.get_absolute_url()).content.decode()
    guangdong = Region.objects.get(name="广东省")
    assert samples[HANS].title not in client.get(guangdong.get_absolute_url()).content.decode()
    index = client.get("/regions/").content.decode()
    assert "浙江省" in index and "杭州市" in index
    assert client.get("/regions/999999/").status_code == 404


def test_tag_source_and_archive_lists(client, samples):
    html = client.get("/tags/党建/").content.decode()
    assert samples[HANS].title in html and to_simplified(samples[HANT].title) in html
    assert samples["web-024.txt"].title not in html
    assert client.get("/tags/不存在/").status_code == 404
    html = client.get(samples[HANS].source.get_absolute_url()).content.decode()
    assert samples[HANS].title in html and to_simplified(samples[HANT].title) not in html
    html = client.get("/archive/2023/").content.decode()
    assert samples[HANS].title in html and samples["web-024.txt"].title not in html
    html = client.get("/archive/2023/08/").content.decode()
    assert samples[HANS].title in html and to_simplified(samples[HANT].title) not in html
    assert client.get("/archive/2023/13/").status_code == 404
    assert "党建" in client.get("/tags/").content.decode()


def test_related_and_neighbours(client, samples):
    html = client.get(samples[HANS].get_absolute_url()).content.decode()
    assert "相关文章" in html
    assert samples["000_ffd79dd5329f57fd.txt"].title in html  # shares 党建, 基层治理
    assert 'rel="prev"' in html and 'rel="next"' in html


def test_robots_and_sitemap(client, samples):
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots
    Article.objects.filter(pk=samples[HANT].pk).update(status=Status.DRAFT)
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    index = ET.fromstring(client.get("/sitemap.xml").content)
    sections = [e.text for e in index.iter(f"{ns}loc")]
    assert "http://testserver/sitemap-articles.xml" in sections
    locs = []
    for section in sections:
        response = client.get(section.removeprefix("http://testserver"))
        assert response.status_code == 200
        locs += [e.text for e in ET.fromstring(response.content).iter(f"{ns}loc")]
    assert f"http://testserver{samples[HANS].get_absolute_url()}" in locs
    assert f"http://testserver{samples[HANT].get_absolute_url()}" not in locs
    assert "http://testserver/tags/" in locs


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/", "/tags/党建/feed/", "/tags/党建/feed/atom/",
                                 "/regions/33/feed/", "/regions/33/feed/atom/"])
def test_feeds_parse(client, samples, url):
    Article.objects.filter(pk=samples["000_ffd79dd5329f57fd.txt"].pk).update(status=Status.DRAFT)
    response = client.get(url)
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    titles = [e.text for e in root.iter() if e.tag.endswith("title")]
    assert samples[HANS].title in titles
    assert samples["000_ffd79dd5329f57fd.txt"].title not in titles


def test_source_feed(client, samples):
    root = ET.fromstring(client.get(samples[HANT].source.get_absolute_url() + "feed/").content)
    assert samples[HANT].title in [e.text for e in root.iter("title")]


def test_script_switch(client, samples):
    response = client.get("/script/", {"to": "hant", "next": "/tags/党建/"})
    assert response.status_code == 302 and unquote(response["Location"]) == "/tags/党建/"
    html = client.get("/tags/党建/").content.decode()
    assert '<html lang="zh-Hant-TW">' in html
    assert ">简体</a>" in html  # the switch names the other script in that script
    assert "推動基層黨建全域提升全面提質" in html  # shown in 繁體
    assert 'href="/tags/%E5%85%9A%E5%BB%BA/"' in html or 'href="/tags/党建/"' in html  # URLs untouched
    assert Article.objects.get(pk=samples[HANS].pk).title == "推动基层党建全域提升全面提质"  # stored as written
    assert client.get("/script/", {"to": "hans", "next": "https://evil.example/"})["Location"] == "/"
    html = client.get("/").content.decode()
    assert '<html lang="zh-Hans">' in html and "推动基层党建全域提升全面提质" in html
    # 简体 display shows 繁體 articles in 简体 too; the database keeps what the page wrote.
    html = client.get(samples[HANT].get_absolute_url()).content.decode()
    assert "新征程上砥砺奋进,广东高品质党建推动高品质发展" in html
    assert Article.objects.get(pk=samples[HANT].pk).title == "新征程上砥礪奮進,廣東高品質黨建推動高品質發展"


def test_script_conversion_leaves_markup_alone():
    from articles.views.script import convert_html

    html = '<a href="/tags/党建/" title="党建">党建</a><input value="发展">发展<p>\uffff国</p>'
    assert convert_html(html) == '<a href="/tags/党建/" title="黨建">黨建</a><input value="发展">發展<p>\uffff國</p>'
    assert convert_html("<b>黨建</b>發展", "hans") == "<b>党建</b>发展"
    link = '<a data-keep-script href="/script/">繁體</a>'
    assert convert_html(link, "hans") == link


def test_404_page_is_styled(client, db):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "site.css" in response.content.decode()
