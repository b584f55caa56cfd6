"""Edits are kept: every editor change is recorded, re-extract and re-import leave it, no-op saves change nothing,
and a stale form shows the conflict instead of overwriting."""
import shutil
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article, Region
from articles.services.articles import articles_reprocess
from articles.services.imports import ingest_paths

from .browserlike import form_data, open_and_post

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:articles_article_changelist"


def reextract(client, *articles):
    response = client.post(reverse(CHANGELIST), {"action": "reprocess_selected",
                                                 "_selected_action": [a.pk for a in articles]})
    assert response.status_code == 302


def test_bulk_tags_and_regions_survive_reextract(client, editor, imported):
    article = imported[0]
    extracted_tags = set(article.tags.names())
    client.force_login(editor)
    client.post(reverse(CHANGELIST), {"action": "add_tags", "_selected_action": [article.pk], "apply": "1",
                                      "tags": "编辑加的标签"})
    hangzhou = Region.objects.get(code="3301")
    client.post(reverse(CHANGELIST), {"action": "add_regions", "_selected_action": [article.pk], "apply": "1",
                                      "regions": [hangzhou.pk]})
    article.refresh_from_db()
    assert {"tags", "regions"} <= set(article.edited_fields)
    reextract(client, article)
    article.refresh_from_db()
    assert set(article.tags.names()) == extracted_tags | {"编辑加的标签"}
    assert hangzhou in article.regions.all()


def test_bulk_set_regions_is_an_editors_change_and_survives_reextract(client, editor, imported):
    article = imported[0]
    ningbo = Region.objects.get(code="3302")
    assert ningbo not in article.regions.all()
    client.force_login(editor)
    client.post(reverse(CHANGELIST), {"action": "set_regions", "_selected_action": [article.pk], "apply": "1",
                                      "regions": [ningbo.pk]})
    article.refresh_from_db()
    assert "regions" in article.edited_fields
    reextract(client, article)
    assert list(Article.objects.get(pk=article.pk).regions.all()) == [ningbo]


def test_csv_edits_of_title_summary_tags_survive_reextract(client, editor, imported):
    article = imported[1]
    client.force_login(editor)
    csv_import(client, f"id,title,summary,tags\n{article.pk},表格里改的标题,表格里改的摘要,表格标签、另一个\n")
    article.refresh_from_db()
    assert article.title == "表格里改的标题"
    assert {"title", "summary", "tags"} <= set(article.edited_fields)
    reextract(client, article)
    article.refresh_from_db()
    assert (article.title, article.summary) == ("表格里改的标题", "表格里改的摘要")
    assert set(article.tags.names()) == {"表格标签", "另一个"}


def csv_import(client, csv: str):
    response = client.post(reverse("admin:articles_article_import"), {
        "resource": 0, "format": 0, "import_file": SimpleUploadedFile("a.csv", csv.encode())})
    confirm = response.context["confirm_form"]
    assert client.post(reverse("admin:articles_article_process_import"), dict(confirm.initial)).status_code == 302


def test_reimport_of_the_same_url_keeps_csv_and_bulk_edits(client, editor, imported, tmp_path):
    article = next(a for a in imported if a.url)
    extracted_tags = set(article.tags.names())
    client.force_login(editor)
    csv_import(client, f"id,title\n{article.pk},编辑改过的标题\n")
    client.post(reverse(CHANGELIST), {"action": "add_tags", "_selected_action": [article.pk], "apply": "1",
                                      "tags": "编辑的标签"})
    page = tmp_path / "same-url-again.txt"
    shutil.copy(article.file_name, page)
    with page.open("a", encoding="utf-8") as fh:
        fh.write("\n（转载）\n")  # other bytes, the same original URL
    summary = ingest_paths(paths=[page], user=editor)
    assert summary.counts["updated"] == 1
    article.refresh_from_db()
    assert article.title == "编辑改过的标题" and set(article.tags.names()) == extracted_tags | {"编辑的标签"}


def test_a_no_op_save_changes_nothing(client, editor, imported):
    article = next(a for a in imported if a.published_at and a.published_at.second)
    history = Article.history.filter(id=article.pk).count()
    client.force_login(editor)
    response = open_and_post(client, reverse("admin:articles_article_change", args=[article.pk]))
    assert response.status_code == 302
    after = Article.objects.get(pk=article.pk)
    assert after.published_at == article.published_at  # seconds kept
    assert after.body == article.body and after.edited_fields == [] and after.updated_at == article.updated_at
    assert Article.history.filter(id=article.pk).count() == history


def test_a_stale_form_shows_the_conflict_instead_of_overwriting(client, editor, reviewer, imported):
    article = imported[0]
    url = reverse("admin:articles_article_change", args=[article.pk])
    client.force_login(editor)
    stale = client.get(url).content.decode()
    other = client.__class__()
    other.force_login(reviewer)
    assert open_and_post(other, url, title="审核改正的标题").status_code == 302
    response = client.post(url, form_data(stale, summary="编辑写的摘要"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "保存冲突" in page and "reviewer" in page and "标题" in page
    article.refresh_from_db()
    assert article.title == "审核改正的标题" and article.summary != "编辑写的摘要"
    # Having seen the conflict, saving again is deliberate.
    again = client.post(url, form_data(page))
    assert again.status_code == 302
    article.refresh_from_db()
    assert article.summary == "编辑写的摘要"


def test_service_reprocess_keeps_recorded_fields(imported, editor):
    article = imported[0]
    Article.objects.filter(pk=article.pk).update(title="手工标题", edited_fields=["title"])
    articles_reprocess(queryset=Article.objects.filter(pk=article.pk), user=editor)
    assert Article.objects.get(pk=article.pk).title == "手工标题"


def test_a_stale_form_saved_after_a_reimport_shows_the_conflict(client, editor, imported, tmp_path):
    article = next(a for a in imported if a.url)
    url = reverse("admin:articles_article_change", args=[article.pk])
    client.force_login(editor)
    stale = client.get(url).content.decode()
    page = tmp_path / "corrected.txt"
    original = Path(article.file_name).read_text(encoding="utf-8")
    page.write_text(original.replace(article.title, "来源更正后的标题"), encoding="utf-8")
    assert ingest_paths(paths=[page]).counts["updated"] == 1  # the command line: no user
    response = client.post(url, form_data(stale, summary="编辑写的摘要"))
    assert response.status_code == 200 and "保存冲突" in response.content.decode()
    assert Article.objects.get(pk=article.pk).title == "来源更正后的标题"
