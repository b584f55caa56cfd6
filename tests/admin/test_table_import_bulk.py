"""Article tables are written in batches: new rows with their tags, regions, history and status log; a
constant number of queries however long the table; a row the database refuses is still that row's error."""
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Region, StatusChange
from articles.resources import ArticleResource
from articles.search import search
from articles.search.query import SearchFilters

pytestmark = pytest.mark.django_db

HEADERS = ["id", "title", "status", "tags", "regions", "body"]


def rows(n, *, start=0, regions=""):
    data = tablib.Dataset(headers=HEADERS)
    for i in range(start, start + n):
        data.append(["", f"表格新稿第{i}篇乡村振兴", "draft", "乡村振兴，基层治理、表格", regions,
                     f"第一段{i}。\n\n第二段。"])
    return data


def run(data, user, *, dry_run=False):
    return ArticleResource().import_data(data, dry_run=dry_run, use_transactions=True, user=user)


def test_new_rows_arrive_whole(editor, imported):
    codes = sorted(Region.objects.filter(level=Region.Level.CITY).values_list("code", flat=True)[:2])
    result = run(rows(3, regions=",".join(codes)), editor)
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 3 and all(r.object_id for r in result.rows)
    new = Article.objects.filter(title__startswith="表格新稿").order_by("pk")
    assert new.count() == 3
    for article in new:
        assert sorted(article.tags.names()) == sorted(["基层治理", "乡村振兴", "表格"])
        assert sorted(r.code for r in article.regions.all()) == codes
        assert article.summary == article.body.split("\n\n")[0]  # as Article.save() would fill it
        version = article.history.get()
        assert (version.history_type, version.history_user, version.history_change_reason) == ("+", editor, "表格导入")
        assert sorted(r.region.code for r in version.regions.all()) == codes  # the version holds its regions
        assert StatusChange.objects.get(article=article).to_status == "draft"
    hits = search("表格新稿第1篇", filters=SearchFilters(public_only=False))
    assert new[1].pk in hits.ids  # indexed for the admin's search


def test_an_edit_records_history_and_edited_fields(editor, imported):
    article = imported[0]
    region = Region.objects.filter(level=Region.Level.CITY).first()
    data = tablib.Dataset(headers=["id", "title", "regions", "tags"])
    data.append([article.pk, f"{article.title}·改", region.code, "新标签、另一个"])
    assert run(data, editor).totals["update"] == 1
    article.refresh_from_db()
    assert {"title", "regions", "tags"} <= set(article.edited_fields)
    assert sorted(article.tags.names()) == ["另一个", "新标签"] and list(article.regions.all()) == [region]
    latest = article.history.order_by("-history_id").first()
    assert latest.title == article.title and [r.region for r in latest.regions.all()] == [region]


def test_query_count_does_not_grow_with_the_table(editor, imported):
    run(rows(5), editor)  # the tags exist from here on
    counts = []
    for n, start in ((10, 100), (60, 200)):
        with CaptureQueriesContext(connection) as queries:
            result = run(rows(n, start=start), editor)
        assert result.totals["new"] == n
        counts.append(len(queries))
    # SQLite caps the parameters of one INSERT: an article and its history row take one more per ~30 rows.
    assert counts[1] <= counts[0] + 4, counts


def test_a_row_the_database_refuses_is_reported_as_that_row(editor, imported):
    taken = Article.objects.order_by("-pk").first().pk + 1000
    data = rows(3)
    data[1] = [taken, "第二行", "draft", "", "", "正文"]
    data[2] = [taken, "第三行，与第二行同一个 id", "draft", "", "", "正文"]
    result = run(data, editor)
    assert [number for number, _ in result.row_errors()] == [3]
    assert result.totals["error"] == 1 and result.totals["new"] == 2
    assert not Article.objects.filter(title__in=["第二行", "第三行，与第二行同一个 id"]).exists()  # all rolled back


def test_unknown_region_codes_and_unstorable_characters_are_the_rows_errors(editor, imported):
    data = rows(2)
    known = Region.objects.first().code
    data[0] = ["", "有地区的稿", "draft", "", f"{known},999999", "正文"]
    data[1] = ["", "标题\x00有 NUL", "draft", "", "", "正文"]
    result = run(data, editor)
    messages = {row.number: "；".join(m for msgs in row.error_dict.values() for m in msgs)
                for row in result.invalid_rows}
    assert "未知的地区代码：999999" in messages[1] and "NUL" in messages[2]
    assert not Article.objects.filter(title__startswith="有地区的稿").exists()


def test_the_preview_writes_no_history_and_keeps_nothing(editor, imported):
    before = (Article.objects.count(), Article.history.count(), StatusChange.objects.count())
    result = run(rows(4), editor, dry_run=True)
    assert result.totals["new"] == 4
    assert (Article.objects.count(), Article.history.count(), StatusChange.objects.count()) == before
    assert "乡村振兴" in result.rows[0].diff[HEADERS_SHOWN.index("tags")]  # the diff shows the row's tags


HEADERS_SHOWN = list(ArticleResource._meta.fields)


def test_junk_ids_numbers_and_sources_are_the_rows_errors_not_a_500(client, editor, imported):
    data = tablib.Dataset(headers=["id", "title", "views", "source"])
    data.append(["abc", "标题一", "", ""])
    data.append(["", "标题二", "很多", ""])
    data.append(["", "标题三", "", "不存在的来源"])
    data.append([imported[0].pk, "标题四", "12", ""])
    result = run(data, editor)
    messages = {row.number: "；".join(m for msgs in row.error_dict.values() for m in msgs)
                for row in result.invalid_rows}
    assert "不是整数：abc" in messages[1] and "不是整数：很多" in messages[2]
    assert "没有名为“不存在的来源”的来源" in messages[3] and 4 not in messages
    client.force_login(editor)
    csv = "id,title\nabc,标题\n".encode()
    response = client.post(reverse("admin:articles_article_import"), {
        "resource": 0, "format": 0, "import_file": SimpleUploadedFile("a.csv", csv)})
    assert response.status_code == 200 and "不是整数：abc" in response.content.decode()


def test_json_lists_are_read_as_names(editor, imported):
    region = Region.objects.filter(level=Region.Level.CITY).first()
    data = tablib.Dataset(headers=["id", "title", "tags", "regions", "authors", "source"])
    data.append(["", "JSON 的稿", ["党建", "基层"], [region.code], ["付文科", "赵珊"], ["学习时报"]])
    result = run(data, editor)
    assert result.totals["new"] == 1 and not result.has_errors(), [r.errors for r in result.rows]
    article = Article.objects.get(title="JSON 的稿")
    assert sorted(article.tags.names()) == sorted(["党建", "基层"]) and list(article.regions.all()) == [region]
    assert article.authors == ["付文科", "赵珊"]
