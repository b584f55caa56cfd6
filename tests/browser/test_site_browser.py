"""Headless Chromium reads the site as a visitor would: no JavaScript needed, nothing overflows."""
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from articles.ingest.script import to_display_traditional
from articles.models import Article
from tests.browser.conftest import SHOTS

WIDTHS = {"desktop": 1280, "phone": 390}

pytestmark = [
    pytest.mark.browser,
    # Committed data for the server thread; serialized_rollback restores the regions afterwards.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _check(page, name, width):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} at {width}px overflows by {overflow}px"
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"site-{name}-{width}.png"), full_page=True)
    page.screenshot(path=str(SHOTS / f"site-{name}-{width}-top.png"))


@pytest.mark.parametrize("device", WIDTHS)
def test_visitor_browses_searches_and_reads(live_server, browser, device):
    # The real pages, through the real importer.
    call_command("import_texts", str(Path(settings.BASE_DIR) / "fixtures" / "pages"), status="published",
                 stdout=io.StringIO())
    hangzhou = Article.objects.get(title="推动基层党建全域提升全面提质")
    hant = Article.objects.get(language="zh-Hant", regions__name="广东省")
    width = WIDTHS[device]
    context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.get_by_role("heading", name="最新文章").is_visible()
    _check(page, "home", width)

    # Browse: region index -> a province -> one of its cities.
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="地区").click()
    page.get_by_role("link", name="浙江省").first.click()
    assert page.locator("h1").inner_text() == "浙江省"
    assert page.get_by_text(hangzhou.title).is_visible()
    _check(page, "province", width)
    page.locator("section[aria-labelledby=cities-title] a", has_text="杭州市").click()
    assert "杭州市" in page.locator("h1").inner_text()
    assert page.get_by_text(hangzhou.title).is_visible()

    # Breadcrumbs lead back up: 首页 › 地区 › 浙江省 › 杭州市.
    crumbs = page.get_by_role("navigation", name="位置")
    assert crumbs.get_by_role("link").all_inner_texts() == ["首页", "地区", "浙江省", "杭州市"]
    _check(page, "city", width)

    # The archive, from the main navigation, then a month.
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="归档").click()
    assert page.locator("h1").inner_text() == "归档"
    _check(page, "archive", width)
    page.locator(".archive .chip").first.click()
    assert "月" in page.locator("h1").inner_text() and page.locator(".range").is_visible()
    page.goto(live_server.url + hangzhou.regions.first().get_absolute_url())

    # A tag, from the article card.
    page.locator(".cards .chip", has_text="党建").first.click()
    assert page.locator("h1").inner_text() == "标签：党建"
    _check(page, "tag", width)

    # Search in 简体, find the 繁體 article, with the match highlighted.
    page.fill("#site-q", "高品质党建")
    page.locator("header form button").click()
    hant_title = hant.title
    # 简体 display shows the 繁體 article in 简体; its stored title stays 繁體 (checked after switching).
    result = page.locator(".results .card-title a", has_text="砥砺奋进")
    assert result.count() == 1
    assert page.locator(".results mark").count() > 0
    _check(page, "search", width)

    # Switch the display to 繁體: a plain link, remembered in a cookie.
    page.locator("a.script-switch").click()
    assert page.locator("html").get_attribute("lang") == "zh-Hant-TW"
    assert page.locator("h1").inner_text() == "搜索" or "搜" in page.locator("h1").inner_text()
    assert "找到" in page.locator(".result-count").inner_text()
    _check(page, "search-hant", width)

    # Read the article.
    page.locator(".results .card-title a").first.click()
    assert page.locator("article h1").inner_text() == to_display_traditional(
        hant_title, settings.GAOKU_TRADITIONAL_STANDARD)
    assert page.locator("article .body p").count() > 3
    assert page.locator("html").get_attribute("lang") == "zh-Hant-TW"
    _check(page, "article-hant", width)

    # And back to 简体 on a 简体 article: text shown in 繁體 while the cookie says so.
    page.goto(live_server.url + hangzhou.get_absolute_url())
    assert page.locator("article h1").inner_text() == "推動基層黨建全域提升全面提質"
    page.locator("a.script-switch").click()
    assert page.locator("article h1").inner_text() == "推动基层党建全域提升全面提质"
    _check(page, "article", width)
    # Share to WeChat: a QR code drawn by the server, opened without JavaScript.
    page.get_by_text("分享到微信").click()
    qr = page.get_by_role("img", name="本文地址的二维码")
    assert qr.is_visible() and qr.evaluate("img => img.naturalWidth") > 0
    context.close()
