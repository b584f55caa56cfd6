"""An editor's day in headless Chromium: upload -> preview -> import -> review -> publish, and a duplicate."""
from pathlib import Path

import pytest
from django.conf import settings

from articles.ingest.script import to_traditional
from articles.models import Article, Status

from .conftest import SHOTS

PAGES = Path(settings.BASE_DIR) / "fixtures" / "pages"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"editor-{name}.png"), full_page=True)


def login(page, base, username):
    page.goto(base + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")


def test_upload_preview_import_review_publish(live_server, browser, editor, reviewer, tmp_path):
    original = PAGES / "001_72962b98874534b5.txt"
    text = original.read_text(encoding="utf-8")
    repost = tmp_path / "repost-traditional.txt"
    repost.write_text("首頁 | 新聞 | 評論\n" + to_traditional(text.split("(责编", 1)[0])
                      + "\n相關閱讀\n版權所有 某某網", encoding="utf-8")
    base = live_server.url
    page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()

    # The editor uploads two pages and a Traditional repost, and checks the preview.
    login(page, base, editor.username)
    page.goto(base + "/admin/articles/importbatch/upload/")
    page.set_input_files("#id_files", [str(original), str(PAGES / "002_3d63953e7ebce92d.txt"), str(repost)])
    page.select_option("#id_status", "review")
    page.click("input[type=submit]")
    page.wait_for_selector("#import-preview")
    assert page.get_by_text("推动基层党建全域提升全面提质").first.is_visible()
    shot(page, "1-preview")
    page.click("input[name=confirm]")
    page.wait_for_selector(".import-progress")
    assert "已处理 3/3" in page.locator(".import-progress").inner_text()
    page.get_by_text("查看本批次导入的文章").click()
    page.wait_for_selector("#result_list")
    assert page.locator("#result_list tbody tr").count() == 3
    shot(page, "2-changelist")

    # The change form: body with its paragraphs, provenance collapsed, a link to the duplicate comparison.
    dup = Article.objects.get(duplicate_of__isnull=False)
    assert dup.status == Status.DRAFT  # a repost never goes further on its own
    page.goto(base + f"/admin/articles/article/{dup.duplicate_of_id}/change/")
    assert page.locator("textarea#id_body").input_value().count("\n\n") > 3
    shot(page, "3-change-form")
    page.goto(base + f"/admin/articles/article/{dup.pk}/compare/")
    assert page.get_by_text("保留原稿").is_visible()
    shot(page, "4-duplicate-comparison")
    page.click("button[value=original]")
    page.wait_for_url(f"**/admin/articles/article/{dup.duplicate_of_id}/change/")
    dup.refresh_from_db()
    assert dup.status == Status.ARCHIVED

    # The editor cannot publish; a reviewer publishes what is in review.
    page.goto(base + "/admin/articles/article/?status__exact=review")
    assert page.locator("select[name=action] option[value=set_published]").count() == 1
    page.check("#action-toggle")
    page.select_option("select[name=action]", "set_published")
    page.click("button[name=index]")
    page.wait_for_selector(".messagelist")
    assert not Article.objects.filter(status=Status.PUBLISHED).exists()
    page.context.clear_cookies()
    login(page, base, reviewer.username)
    page.goto(base + "/admin/articles/article/?status__exact=review")
    page.check("#action-toggle")
    page.select_option("select[name=action]", "set_published")
    page.click("button[name=index]")
    page.wait_for_selector(".messagelist")
    shot(page, "5-published")
    published = Article.objects.published()
    assert published.count() == 2
    reader = browser.new_context(java_script_enabled=False).new_page()
    reader.goto(base + published.first().get_absolute_url())
    assert reader.locator("h1").inner_text() == published.first().title
