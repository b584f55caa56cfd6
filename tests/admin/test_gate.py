"""One gate: every way the issue found around review, reproduced as an editor (编辑) would try it."""
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Status
from articles.services import workflow

from .browserlike import form_data, open_and_post

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def is_public(article):
    return Article.objects.published().filter(pk=article.pk).exists()


def test_editor_cannot_republish_through_history_revert(client, editor, reviewer, imported):
    article = imported[0]
    workflow.article_change_status(article=article, status=Status.PUBLISHED, user=reviewer)
    workflow.article_change_status(article=Article.objects.get(pk=article.pk), status=Status.DRAFT, user=reviewer)
    assert not is_public(article)
    published = Article.history.filter(id=article.pk, status=Status.PUBLISHED).first()
    client.force_login(editor)
    url = reverse("admin:articles_article_simple_history", args=[article.pk, published.history_id])
    open_and_post(client, url)  # restores the old text, never the old status
    assert Article.objects.get(pk=article.pk).status == Status.DRAFT
    response = open_and_post(client, url, status=Status.PUBLISHED)
    assert response.status_code == 200  # the form comes back with the error
    assert Article.objects.get(pk=article.pk).status == Status.DRAFT
    assert not is_public(article)


def test_editor_cannot_clear_a_schedule_through_the_form(client, editor, reviewer, imported):
    article = imported[0]
    next_month = timezone.now() + timedelta(days=30)
    workflow.article_change_status(article=article, status=Status.PUBLISHED, user=reviewer, publish_at=next_month)
    client.force_login(editor)
    response = open_and_post(client, change_url(article), publish_at_0="", publish_at_1="")
    assert response.status_code in (200, 403)
    article.refresh_from_db()
    assert article.publish_at == next_month and not is_public(article)


def test_editor_cannot_change_a_published_article(client, editor, reviewer, imported):
    article = imported[0]
    workflow.article_change_status(article=article, status=Status.PUBLISHED, user=reviewer)
    client.force_login(editor)
    open_and_post(client, change_url(article), title="编辑擅自改的标题")
    assert Article.objects.get(pk=article.pk).title == article.title


def test_editor_cannot_publish_or_unschedule_through_csv_import(client, editor, reviewer, imported):
    scheduled, draft = imported[0], imported[1]
    next_month = timezone.now() + timedelta(days=30)
    workflow.article_change_status(article=scheduled, status=Status.PUBLISHED, user=reviewer, publish_at=next_month)
    client.force_login(editor)
    for row in (f"{scheduled.pk},{scheduled.title},published,", f"{draft.pk},{draft.title},published,"):
        csv = f"id,title,status,publish_at\n{row}\n".encode()
        response = client.post(reverse("admin:articles_article_import"), {
            "resource": 0, "format": 0, "import_file": SimpleUploadedFile("a.csv", csv, content_type="text/csv")})
        assert response.status_code == 200
        assert response.context.get("confirm_form") is None, row  # nothing offered to confirm
        assert "发布权限" in response.content.decode()
    scheduled.refresh_from_db()
    assert scheduled.publish_at == next_month and not is_public(scheduled)
    assert Article.objects.get(pk=draft.pk).status == Status.DRAFT


def test_editor_cannot_unschedule_through_the_publish_action(client, editor, reviewer, imported):
    article = imported[0]
    next_month = timezone.now() + timedelta(days=30)
    workflow.article_change_status(article=article, status=Status.PUBLISHED, user=reviewer, publish_at=next_month)
    client.force_login(editor)
    client.post(reverse("admin:articles_article_changelist"),
                {"action": "set_published", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.publish_at == next_month and not is_public(article)


def test_editor_cannot_change_a_published_article_by_bulk_action_or_reextract(client, editor, reviewer, imported):
    article = imported[0]
    workflow.article_change_status(article=article, status=Status.PUBLISHED, user=reviewer)
    Article.objects.filter(pk=article.pk).update(title="审核通过的标题", edited_fields=[])
    client.force_login(editor)
    changelist = reverse("admin:articles_article_changelist")
    before = set(article.tags.names())
    response = client.post(changelist, {"action": "add_tags", "_selected_action": [article.pk], "apply": "1",
                                        "tags": "未经审核"})
    assert response.status_code == 302
    assert set(Article.objects.get(pk=article.pk).tags.names()) == before
    client.post(changelist, {"action": "reprocess_selected", "_selected_action": [article.pk]})
    assert Article.objects.get(pk=article.pk).title == "审核通过的标题"


def test_transitions_are_enforced_even_for_reviewers(reviewer, imported):
    article = imported[0]
    workflow.article_change_status(article=article, status=Status.ARCHIVED, user=reviewer)
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.article_change_status(article=Article.objects.get(pk=article.pk), status=Status.PUBLISHED,
                                       user=reviewer)
    assert Article.objects.get(pk=article.pk).status == Status.ARCHIVED
    assert not workflow.can_set_status(reviewer, Status.PUBLISHED, Status.ARCHIVED)
    assert workflow.can_set_status(reviewer, Status.DRAFT, Status.ARCHIVED)


def test_reviewer_cannot_publish_an_archived_article_through_the_form(client, reviewer, imported):
    article = imported[0]
    workflow.article_change_status(article=article, status=Status.ARCHIVED, user=reviewer)
    client.force_login(reviewer)
    page = client.get(change_url(article)).content.decode()
    assert 'value="published"' not in page
    response = client.post(change_url(article), form_data(page, "article_form", status=Status.PUBLISHED))
    assert response.status_code == 200
    assert Article.objects.get(pk=article.pk).status == Status.ARCHIVED


def test_reviewer_still_schedules_and_unschedules(client, reviewer, imported):
    article = imported[0]
    client.force_login(reviewer)
    later = timezone.localtime() + timedelta(days=3)
    response = open_and_post(client, change_url(article), status=Status.PUBLISHED,
                             publish_at_0=later.strftime("%Y-%m-%d"), publish_at_1=later.strftime("%H:%M:%S"))
    assert response.status_code == 302, response.content.decode()[:3000]
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED and article.publish_at and not is_public(article)
    response = open_and_post(client, change_url(article), publish_at_0="", publish_at_1="")
    assert response.status_code == 302
    assert is_public(article)
    assert article.status_changes.filter(user=reviewer).count() == 2


def test_keeping_the_duplicate_answers_without_error(client, reviewer, imported):
    original, duplicate = imported[0], imported[1]
    Article.objects.filter(pk=duplicate.pk).update(duplicate_of=original)
    client.force_login(reviewer)
    response = client.post(reverse("admin:articles_article_compare", args=[duplicate.pk]), {"keep": "duplicate"})
    assert response.status_code == 302
    original.refresh_from_db()
    duplicate.refresh_from_db()
    assert duplicate.duplicate_of_id is None and original.duplicate_of_id == duplicate.pk
    assert original.status == Status.ARCHIVED


def test_editor_cannot_keep_a_duplicate_over_a_published_original(client, editor, reviewer, imported):
    original, duplicate = imported[0], imported[1]
    workflow.article_change_status(article=original, status=Status.PUBLISHED, user=reviewer)
    Article.objects.filter(pk=duplicate.pk).update(duplicate_of=original)
    client.force_login(editor)
    response = client.post(reverse("admin:articles_article_compare", args=[duplicate.pk]), {"keep": "duplicate"})
    assert response.status_code in (200, 302, 403)
    assert is_public(original)


def test_editor_upload_of_the_same_url_leaves_a_published_article_alone(editor, reviewer, imported, tmp_path):
    from articles.services.imports import ingest_paths

    article = next(a for a in imported if a.url)
    workflow.article_change_status(article=article, status=Status.PUBLISHED, user=reviewer)
    page = tmp_path / "new-version.txt"
    original = Path(article.file_name).read_text(encoding="utf-8")
    page.write_text(original.replace(article.title, "未经审核的新标题"), encoding="utf-8")
    ingest_paths(paths=[page], user=editor)
    assert Article.objects.get(pk=article.pk).title == article.title
    ingest_paths(paths=[page], user=reviewer)
    assert Article.objects.get(pk=article.pk).title == "未经审核的新标题"


def test_editor_cannot_rename_the_source_or_tag_of_a_published_article(client, editor, reviewer, imported):
    from articles.models import Source

    article = imported[0]
    workflow.article_change_status(article=article, status=Status.PUBLISHED, user=reviewer)
    source, tag = article.source, article.tags.first()
    client.force_login(editor)
    csv = f"name,aliases,homepage,slug\n{source.name},,https://example.com/,{source.slug}-new\n".encode()
    response = client.post(reverse("admin:articles_source_import"), {
        "resource": 0, "format": 0, "import_file": SimpleUploadedFile("s.csv", csv)})
    assert response.context.get("confirm_form") is None and "发布权限" in response.content.decode()
    assert open_and_post(client, reverse("admin:articles_source_change", args=[source.pk]), slug="x").status_code == 403
    assert client.post(reverse("admin:taggit_tag_change", args=[tag.pk]), {"name": "x", "slug": "x"}).status_code == 403
    assert Source.objects.get(pk=source.pk).slug == source.slug and article.tags.filter(pk=tag.pk, name=tag.name)
