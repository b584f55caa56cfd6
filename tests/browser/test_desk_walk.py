"""A new editor walks the desk in Chromium at 1280 and 390 px: index, list, change form with the tag box,
a table import previewed and imported by the worker, history, compare, 需要处理. Screenshots in
tests/screenshots/walk-*.png are for looking at."""
import csv
import io
from pathlib import Path

import pytest
from django.conf import settings

from articles.models import Article, ImportBatch

from .conftest import SHOTS
from .test_editor_browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def small_tables(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.GAOKU_TABLE_BACKGROUND_ROWS = 3


def shot(page, name, width):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"walk-{name}-{width}.png"), full_page=True)


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("width", [1280, 390])
def test_a_new_editor_walks_the_desk(live_server, browser, editor, desk, width):
    article, dup, _ = desk
    base = live_server.url
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, base, editor.username)
    shot(page, "1-index", width)
    assert page.get_by_role("link", name="需要处理").first.is_visible()

    page.goto(base + "/admin/articles/article/")
    assert page.locator("#result_list tbody tr").count() == Article.objects.count()
    shot(page, "2-list", width)

    # The tag box: type part of a stored tag in the other script, pick it; type new names separated by ，
    page.goto(base + f"/admin/articles/article/{article.pk}/change/")
    stored = sorted(article.tags.names())
    other = Article.objects.exclude(pk=article.pk).first()
    other.tags.add("乡村振兴")
    box = page.locator("#id_tags + .select2 .select2-search__field")
    box.click()
    with page.expect_response(lambda r: "tags/autocomplete" in r.url and "term=" in r.url):
        box.type("鄉村")  # Traditional: finds the Simplified tag
    page.get_by_role("option", name="乡村振兴", exact=True).click()
    shot(page, "3-tag-suggestions", width)
    box.click()
    box.type("新标签甲，新标签乙、")
    page.keyboard.press("Escape")
    shot(page, "3-change-form", width)
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist")
    article.refresh_from_db()
    assert set(article.tags.names()) == set(stored) | {"乡村振兴", "新标签甲", "新标签乙"}, article.tags.names()

    # A long table: previewed by the worker, confirmed, imported, with its progress page.
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(["id", "title", "tags"])
    for a in Article.objects.order_by("pk"):
        writer.writerow([a.pk, a.title + "·表格", "，".join(a.tags.names())])
    table = Path(settings.MEDIA_ROOT).parent / "articles.csv"
    table.write_text(rows.getvalue(), encoding="utf-8")
    page.goto(base + "/admin/")
    page.get_by_role("link", name="导入文章表格（CSV、Excel）").click()
    page.wait_for_selector("#table-columns")  # what each column means, before choosing a file
    shot(page, "4-table-upload", width)
    page.set_input_files("#id_import_file", str(table))
    page.select_option("#id_format", label="csv")
    page.click("input[type=submit]")
    page.wait_for_selector("input[name=confirm]")
    shot(page, "5-table-previewed", width)
    page.click("input[name=confirm]")
    page.wait_for_selector(".import-progress")
    assert ImportBatch.objects.get(origin="table").state == "done"
    shot(page, "6-table-imported", width)
    assert Article.objects.filter(title__endswith="·表格").count() == Article.objects.count()

    for name, url in (("7-history", f"/admin/articles/article/{article.pk}/history/"),
                      ("8-compare", f"/admin/articles/article/{dup.pk}/compare/"),
                      ("9-attention", "/admin/articles/article/attention/"),
                      ("10-upload", "/admin/articles/importbatch/upload/")):
        response = page.goto(base + url)
        assert response.status == 200, url
        shot(page, name, width)
    assert not errors, errors
