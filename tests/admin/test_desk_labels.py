"""Chinese where editors look: history labels, values and times; the status log."""
import re

import pytest
from django.urls import reverse

from articles.models import Article, Status
from articles.services import workflow

pytestmark = pytest.mark.django_db


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_history_speaks_chinese(client, editor, reviewer, imported):
    article = imported[0]
    workflow.article_change_status(article=article, status=Status.PUBLISHED, user=reviewer)
    workflow.article_change_status(article=Article.objects.get(pk=article.pk), status=Status.DRAFT, user=reviewer)
    client.force_login(editor)
    text = visible_text(client.get(reverse("admin:articles_article_history", args=[article.pk])).content.decode())
    for english in ("Historical", "Changes", "CHANGES", "Changed by", "None", "published", "draft"):
        assert english not in text, english
    assert "已发布" in text and "草稿" in text and "修改人" in text and "reviewer" in text
    page = visible_text(client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode())
    assert "草稿 → 已发布" in page and "已发布 → 草稿" in page


def test_needs_attention_counts_and_explains_every_reason(client, editor, imported):
    from articles.admin.filters import AttentionFilter

    Article.objects.filter(pk=imported[0].pk).update(warnings=["title guessed", "body is very short"],
                                                     has_warnings=True, published_at=None, source=None)
    client.force_login(editor)
    text = visible_text(client.get(reverse("admin:articles_article_attention")).content.decode())
    for label, _, explanation in AttentionFilter.CHOICES.values():
        assert label in text and explanation in text
    articles = list(Article.objects.all())
    expected = {
        "title_guessed": {a.pk for a in articles if "title guessed" in a.warnings},
        "no_date": {a.pk for a in articles if a.published_at is None},
        "no_source": {a.pk for a in articles if a.source_id is None},
        "short_body": {a.pk for a in articles
                       if {"body is very short", "no body found", "body looks truncated"} & set(a.warnings)},
    }
    for key, pks in expected.items():
        response = client.get(reverse("admin:articles_article_changelist"), {"attention": key})
        assert imported[0].pk in pks and {a.pk for a in response.context["cl"].result_list} == pks, key
        assert AttentionFilter.CHOICES[key][2] in response.content.decode()
    page = visible_text(client.get(reverse("admin:articles_article_change", args=[imported[0].pk])).content.decode())
    assert "标题是推测的" in page and "正文很短" in page and "title guessed" not in page


def test_the_warning_column_counts_warnings_and_shows_nothing_without(client, editor, imported):
    warned, clean = imported[0], imported[1]
    Article.objects.filter(pk=warned.pk).update(warnings=["title guessed", "body is very short"], has_warnings=True)
    Article.objects.filter(pk=clean.pk).update(warnings=[], has_warnings=False)
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_changelist")).content.decode()
    cells = dict(re.findall(r'name="_selected_action" value="(\d+)".*?<td class="field-warning_flag">(.*?)</td>',
                            page, flags=re.S))
    assert cells[str(warned.pk)] == '<span title="标题是推测的；正文很短">2 条</span>'
    assert cells[str(clean.pk)] == "—"
    assert "icon-yes" not in page and "icon-no" not in page


def test_history_marks_what_changed_inside_the_body(client, reviewer, imported):
    from tests.admin.browserlike import open_and_post

    article = imported[1]
    paragraphs = article.body.split("\n\n")
    paragraphs[1] = paragraphs[1][:10] + "<b>新加的句子</b>" + paragraphs[1][10:]
    client.force_login(reviewer)
    open_and_post(client, reverse("admin:articles_article_change", args=[article.pk]), body="\n\n".join(paragraphs))
    html = client.get(reverse("admin:articles_article_history", args=[article.pk])).content.decode()
    assert "<ins>&lt;b&gt;新加的句子&lt;/b&gt;</ins>" in html  # marked, and escaped
    assert f"（{len(paragraphs) - 2} 段未变）" in html and "chars]" not in html
    assert paragraphs[3][:30] not in html  # unchanged paragraphs are not repeated


def test_history_names_edited_fields_and_lists_in_chinese(client, editor, imported):
    article = imported[0]
    article.title += "（改）"
    article.authors = ["付文科", "赵珊"]
    workflow.article_save_edit(article=article, user=editor, changed=["title", "authors"])
    client.force_login(editor)
    text = visible_text(client.get(reverse("admin:articles_article_history", args=[article.pk])).content.decode())
    assert "作者、标题" in text and "付文科、赵珊" in text
    assert "[title" not in text and "'付文科'" not in text
