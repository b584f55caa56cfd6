"""Export -> import -> identical, nothing duplicated; GB18030 CSV accepted."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article, Region, Source

pytestmark = pytest.mark.django_db

FORMATS = {"csv": 0, "xlsx": 1, "json": 2}


def snapshot():
    return [(a.pk, a.title, a.status, a.source_id, sorted(a.tags.names()), sorted(r.code for r in a.regions.all()),
             a.body, a.authors, a.editors) for a in Article.objects.order_by("pk")]


def export(client, model, fmt):
    url = reverse(f"admin:articles_{model}_export")
    form = client.get(url).context["form"]
    every_field = {name: "on" for name, field in form.fields.items() if getattr(field, "is_selectable_field", False)}
    response = client.post(url, {"format": FORMATS[fmt], "resource": 0, **every_field})
    assert response.status_code == 200, response.content[:500]
    return response.content


def import_file(client, model, fmt, content):
    url = reverse(f"admin:articles_{model}_import")
    response = client.post(url, {"resource": 0, "format": FORMATS[fmt],
                                 "import_file": SimpleUploadedFile(f"data.{fmt}", content)})
    assert response.status_code == 200
    confirm = response.context["confirm_form"]
    assert confirm is not None, response.content.decode()[:2000]
    data = {k: v for k, v in confirm.initial.items()}
    response = client.post(reverse(f"admin:articles_{model}_process_import"), data)
    assert response.status_code == 302
    return response


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_article_round_trip_changes_nothing(fmt, client, superuser, imported):
    for a in imported:
        a.tags.add("党建")
    Article.objects.filter(pk=imported[0].pk).update(authors=["赵珊", "付文科"], editors=["王五", "张三"])
    client.force_login(superuser)
    before = snapshot()
    content = export(client, "article", fmt)
    if fmt == "csv":
        text = content.decode("utf-8-sig")
        assert "学习时报" in text and "浙江省" not in text.split("\n")[0]
    import_file(client, "article", fmt, content)
    assert snapshot() == before  # authors in their order, not sorted
    assert Article.objects.count() == len(imported)
    assert not Article.objects.exclude(edited_fields=[]).exists()  # an unchanged row marks nothing edited


def test_gb18030_csv_import(client, superuser, imported):
    client.force_login(superuser)
    article = imported[0]
    csv = f"id,title,tags,regions\n{article.pk},新标题：党建引领,基层党建、乡村振兴,3301\n".encode("gb18030")
    import_file(client, "article", "csv", csv)
    article.refresh_from_db()
    assert article.title == "新标题：党建引领"
    assert set(article.tags.names()) == {"基层党建", "乡村振兴"}
    assert [r.code for r in article.regions.all()] == ["3301"]


def test_sources_round_trip(client, superuser, imported):
    client.force_login(superuser)
    before = list(Source.objects.values_list("name", "aliases", "slug").order_by("name"))
    import_file(client, "source", "csv", export(client, "source", "csv"))
    assert list(Source.objects.values_list("name", "aliases", "slug").order_by("name")) == before


def test_regions_export_by_code(client, superuser, imported):
    client.force_login(superuser)
    text = export(client, "region", "csv").decode("utf-8-sig")
    assert "3301,杭州市,杭州,city,33" in text
    assert Region.objects.count() == len(text.strip().splitlines()) - 1


def test_import_keeps_the_search_index_in_step(client, superuser, imported):
    from articles.search import search
    from articles.search.query import SearchFilters

    client.force_login(superuser)
    a, b = imported[0], imported[1]
    import_file(client, "article", "csv", (f"id,title\n{a.pk},钱塘江潮水观测记\n".encode()))
    import_file(client, "article", "csv", (f"id,tags\n{b.pk},潮汐研究\n".encode()))
    everyone = SearchFilters(public_only=False)
    assert search("钱塘江潮水", filters=everyone).ids == [a.pk]
    assert search("潮汐研究", filters=everyone).ids == [b.pk]
