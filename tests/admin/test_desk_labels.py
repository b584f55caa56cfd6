"""Chinese where editors look: history labels, values and times; the status log."""
import re

import pytest
from django.urls import reverse

from articles.models import Article
from articles.services import workflow

pytestmark = pytest.mark.django_db


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_history_speaks_chinese(client, editor, reviewer, imported):
    article = imported[0]
    workflow.article_publish(article=article, user=reviewer)
    workflow.article_unpublish(article=Article.objects.get(pk=article.pk), user=reviewer)
    client.force_login(editor)
    text = visible_text(client.get(reverse("admin:articles_article_history", args=[article.pk])).content.decode())
    for english in ("Historical", "Changes", "CHANGES", "Changed by", "None", "published", "draft"):
        assert english not in text, english
    assert "已发布" in text and "草稿" in text and "修改人" in text and "reviewer" in text
    page = visible_text(client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode())
    assert "草稿 → 已发布" in page and "已发布 → 草稿" in page
