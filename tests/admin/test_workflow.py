"""An editor cannot publish by any path; reviewers can, and can schedule."""
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Status, StatusChange
from articles.services import workflow

from .browserlike import form_data, open_and_post

pytestmark = pytest.mark.django_db


def test_service_refuses_editor_publishing(editor, imported):
    with pytest.raises(PermissionDenied):
        workflow.article_change_status(article=imported[0], status=Status.PUBLISHED, user=editor)
    workflow.article_change_status(article=imported[0], status=Status.REVIEW, user=editor)
    assert Article.objects.get(pk=imported[0].pk).status == Status.REVIEW


def test_editor_cannot_publish_through_the_form(client, editor, imported):
    article = imported[0]
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    page = client.get(url).content.decode()
    assert 'value="published"' not in page
    response = client.post(url, form_data(page, status=Status.PUBLISHED))
    assert response.status_code == 200  # the form comes back with an error
    assert Article.objects.get(pk=article.pk).status == Status.DRAFT


def test_editor_can_submit_for_review_through_the_form(client, editor, imported):
    article = imported[0]
    client.force_login(editor)
    response = open_and_post(client, reverse("admin:articles_article_change", args=[article.pk]),
                             status=Status.REVIEW, title="改过的标题")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.REVIEW and article.title == "改过的标题"
    assert "title" in article.edited_fields
    change = StatusChange.objects.filter(article=article).first()
    assert change.to_status == Status.REVIEW and change.user == editor


def test_editor_cannot_publish_through_an_action(client, editor, imported):
    client.force_login(editor)
    client.post(reverse("admin:articles_article_changelist"),
                {"action": "set_published", "_selected_action": [a.pk for a in imported]})
    assert not Article.objects.filter(status=Status.PUBLISHED).exists()


def test_reviewer_publishes_through_an_action(client, reviewer, imported):
    client.force_login(reviewer)
    client.post(reverse("admin:articles_article_changelist"),
                {"action": "set_published", "_selected_action": [a.pk for a in imported]})
    assert Article.objects.published().count() == 5
    assert StatusChange.objects.filter(to_status=Status.PUBLISHED, user=reviewer).count() == 5


def test_scheduled_publication_stays_hidden_until_its_time(reviewer, imported, client):
    article = imported[0]
    later = timezone.now() + timedelta(hours=2)
    workflow.article_change_status(article=article, status=Status.PUBLISHED, user=reviewer, publish_at=later)
    assert not Article.objects.published().filter(pk=article.pk).exists()
    assert client.get(article.get_absolute_url()).status_code == 404
    assert Article.objects.published(now=later + timedelta(minutes=1)).filter(pk=article.pk).exists()


def test_editor_cannot_publish_through_import_export(client, editor, imported):
    article = imported[0]
    client.force_login(editor)
    csv = f"id,title,status\n{article.pk},{article.title},published\n".encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(reverse("admin:articles_article_import"), {
        "resource": 0, "format": 0, "import_file": SimpleUploadedFile("a.csv", csv, content_type="text/csv")})
    assert response.status_code == 200
    assert Article.objects.get(pk=article.pk).status == Status.DRAFT
    assert "发布权限" in response.content.decode() or "error" in response.content.decode().lower()


def test_bulk_edits_leave_history(client, reviewer, imported):
    client.force_login(reviewer)
    ids = [a.pk for a in imported[:2]]
    before = {pk: Article.history.filter(id=pk).count() for pk in ids}
    client.post(reverse("admin:articles_article_changelist"),
                {"action": "add_tags", "_selected_action": ids, "apply": "1", "tags": "基层党建，乡村振兴"})
    for pk in ids:
        article = Article.objects.get(pk=pk)
        assert {"基层党建", "乡村振兴"} <= set(article.tags.names())
        assert Article.history.filter(id=pk).count() == before[pk] + 1
        assert "添加标签" in Article.history.filter(id=pk).first().history_change_reason


def test_revert_through_history(client, reviewer, imported):
    article = imported[0]
    original_title = article.title
    client.force_login(reviewer)
    open_and_post(client, reverse("admin:articles_article_change", args=[article.pk]), title="错误的标题")
    assert Article.objects.get(pk=article.pk).title == "错误的标题"
    history = client.get(reverse("admin:articles_article_history", args=[article.pk])).content.decode()
    assert "错误的标题" in history and original_title in history and "reviewer" in history  # who, and a readable diff
    first = Article.history.filter(id=article.pk).order_by("history_date").first()
    url = reverse("admin:articles_article_simple_history", args=[article.pk, first.history_id])
    assert open_and_post(client, url).status_code == 302
    assert Article.objects.get(pk=article.pk).title == original_title
