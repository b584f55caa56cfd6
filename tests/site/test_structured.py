"""JSON-LD on articles, breadcrumbs and lists; the WeChat QR code; the operator in the footer."""
import json
import re

import pytest


pytestmark = pytest.mark.django_db
HANS = "001_72962b98874534b5.txt"


def ld_blocks(response):
    html = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])[1]
    blocks = re.findall(r'<script type="application/ld\+json" nonce="([^"]*)">(.*?)</script>', html, re.S)
    assert blocks and all(n == nonce for n, _ in blocks)
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    return {data["@type"]: data for data in (json.loads(text) for _, text in blocks)}


def test_article_has_news_article_and_breadcrumbs(client, samples):
    article = samples[HANS]
    data = ld_blocks(client.get(article.get_absolute_url()))
    news = data["NewsArticle"]
    assert news["headline"] == article.title and news["datePublished"].startswith("2023-08-02T11:19")
    assert news["mainEntityOfPage"] == f"http://testserver/articles/{article.pk}/"
    assert {"党建", "基层治理"} <= set(news["keywords"]) and news["sourceOrganization"]["name"] == "学习时报"
    names = [i["name"] for i in data["BreadcrumbList"]["itemListElement"]]
    assert names == ["首页", "地区", "浙江省", "杭州市", article.title]


def test_lists_have_an_item_list_with_ascii_urls(client, samples):
    data = ld_blocks(client.get("/tags/党建/"))
    urls = [i["url"] for i in data["ItemList"]["itemListElement"]]
    assert urls and all(u.startswith("http://testserver/articles/") for u in urls)
    assert data["BreadcrumbList"]["itemListElement"][-1]["item"] == "http://testserver/tags/%E5%85%9A%E5%BB%BA/"
    client.cookies["script"] = "hant"
    data = ld_blocks(client.get("/tags/党建/"))  # names in 繁體, the URL unchanged
    assert data["BreadcrumbList"]["itemListElement"][-1] == {
        "@type": "ListItem", "position": 3, "name": "黨建", "item": "http://testserver/tags/%E5%85%9A%E5%BB%BA/"}


def test_json_ld_cannot_close_its_script(client, samples):
    article = samples[HANS]
    article.title = "标题</script><script>alert(1)</script>"
    article.save()
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert "<script>alert(1)" not in html
    assert ld_blocks(response)["NewsArticle"]["headline"] == article.title


def test_wechat_qr_code_is_drawn_here(client, samples):
    article = samples[HANS]
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'src="/articles/{article.pk}/qr.svg"' in html and "分享到微信" in html
    response = client.get(f"/articles/{article.pk}/qr.svg")
    assert response["Content-Type"] == "image/svg+xml" and b"<svg" in response.content
    assert client.get("/articles/999999/qr.svg").status_code == 404


def test_the_qr_code_encodes_the_article_address(client, samples):
    import io

    import segno

    # Same matrix as segno makes for the absolute address: different text gives different modules.
    url = f"http://testserver/articles/{samples[HANS].pk}/"
    svg = client.get(f"/articles/{samples[HANS].pk}/qr.svg").content
    style = {"kind": "svg", "scale": 4, "border": 2, "dark": "#1f2328", "title": "本文地址的二维码"}
    expected = io.BytesIO()
    segno.make(url, error="m").save(expected, **style)
    other = io.BytesIO()
    segno.make(url + "x", error="m").save(other, **style)
    assert svg == expected.getvalue() != other.getvalue()


def test_footer_and_about_come_from_settings(client, settings, db):
    settings.GAOKU_SITE_OPERATOR = "某某传媒有限公司"
    settings.GAOKU_ICP_FILING = "京ICP备12345678号-1"
    settings.GAOKU_CONTACT_EMAIL = "editor@example.com"
    for url in ("/", "/about/"):
        html = client.get(url).content.decode()
        assert "某某传媒有限公司" in html and "京ICP备12345678号-1" in html
        assert 'href="mailto:editor@example.com"' in html
